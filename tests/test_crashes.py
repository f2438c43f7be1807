"""Crashes and re-runs: the warehouse ends as one clean run would leave it, whatever happened.

A real backfill runs in a subprocess against the loopback fake API and is killed with SIGKILL
at several points (while fetching, while landing, during the first load, between batches, in
the last load); running the same backfill again must give the warehouse of one clean run.

The API sends a paper's current counts on every date it is listed under, so the source here
does too (the generator alone gives a paper different counts on different dates, and then
"the latest fetch wins" would depend on which date happened to be fetched last).

"The same warehouse" means: `hf.daily_listings`, `hf.papers` and `hf.paper_authors` have the
same checksums (every column but `fetched_at`), and `hf.upvote_snapshots` holds the same set of
(paper_id, listing_date, upvotes, num_comments). A fetch that landed before the crash is a real
fetch, so its snapshots are kept: the killed run may add snapshot rows, never other values.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from devtools.fake_api import FakeDailyPapersApi, GeneratedSource
from pipelines.ingest.client import ClientSettings, DailyPapersClient
from pipelines.ingest.landing import land, landed_fetches
from pipelines.ingest.run import ingest, reprocess
from pipelines.settings import REPO_ROOT
from pipelines.warehouse.connection import connect
from tests.factories import ConsistentCounts, entry, page
from tests.pipeline_helpers import rows, table_checksums

START = date(2025, 3, 3)
DAYS = 20
DATES = [START + timedelta(days=offset) for offset in range(DAYS)]
SEED = 5
LISTING_TABLES = ["hf.daily_listings", "hf.papers", "hf.paper_authors"]
SNAPSHOT_VALUES = (
    "select distinct paper_id, listing_date, upvotes, num_comments from hf.upvote_snapshots "
    "order by all"
)

BACKFILL = """
import sys
from datetime import date, timedelta
from pathlib import Path

from pipelines.ingest.client import ClientSettings, DailyPapersClient
from pipelines.ingest.run import ingest

base_url, data_dir, start, days = sys.argv[1:]
dates = [date.fromisoformat(start) + timedelta(days=n) for n in range(int(days))]
ingest(
    dates,
    client=DailyPapersClient(ClientSettings(endpoint=base_url, concurrency=2)),
    raw_dir=Path(data_dir) / "raw",
    warehouse=Path(data_dir) / "warehouse.duckdb",
    batch_size=5,
    log=lambda message: None,
)
"""


def quiet(message: str) -> None:
    """Runs in these tests log nowhere."""


def run_in_process(base_url: str, data_dir: Path, dates: list[date]) -> None:
    ingest(
        dates,
        client=DailyPapersClient(ClientSettings(endpoint=base_url, concurrency=4)),
        raw_dir=data_dir / "raw",
        warehouse=data_dir / "warehouse.duckdb",
        batch_size=5,
        log=quiet,
    )


def warehouse_state(data_dir: Path) -> tuple[dict, list[tuple]]:
    warehouse = data_dir / "warehouse.duckdb"
    return (
        table_checksums(warehouse, LISTING_TABLES, exclude=("fetched_at",)),
        rows(warehouse, SNAPSHOT_VALUES),
    )


@pytest.fixture(scope="module")
def source() -> ConsistentCounts:
    return ConsistentCounts(seed=SEED)


@pytest.fixture(scope="module")
def clean_state(source: ConsistentCounts, tmp_path_factory: pytest.TempPathFactory) -> tuple:
    """The warehouse of one uninterrupted run of the backfill."""
    data_dir = tmp_path_factory.mktemp("clean")
    with FakeDailyPapersApi(source).serve() as base_url:
        run_in_process(base_url, data_dir, DATES)
    state = warehouse_state(data_dir)
    assert state[0]["hf.daily_listings"][0] > 100, "the backfill has real work to do"
    return state


@pytest.fixture
def slow_api(source: ConsistentCounts) -> Iterator[tuple[FakeDailyPapersApi, str]]:
    """The same listings, slowly enough that a kill lands in the middle of the backfill."""
    api = FakeDailyPapersApi(source, latency_seconds=0.08)
    with api.serve() as base_url:
        yield api, base_url


def landed_count(data_dir: Path) -> int:
    return sum(1 for _ in (data_dir / "raw" / "daily_papers").glob("*/fetched_at=*"))


def kill_when(
    process: subprocess.Popen, condition: Callable[[], bool], timeout: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail("the backfill finished before the crash point was reached")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the crash point was never reached")
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL


CRASH_POINTS: dict[str, Callable[[FakeDailyPapersApi, Path], bool]] = {
    "while fetching, nothing landed": lambda api, data_dir: api.requests.count >= 2,
    "while landing the first dates": lambda api, data_dir: landed_count(data_dir) >= 2,
    "during the first load": lambda api, data_dir: (data_dir / "warehouse.duckdb").exists(),
    "between batches": lambda api, data_dir: landed_count(data_dir) >= 9,
    "in the last load": lambda api, data_dir: landed_count(data_dir) >= len(DATES) - 1,
}


@pytest.mark.parametrize("crash_point", list(CRASH_POINTS))
def test_a_backfill_killed_and_run_again_gives_the_warehouse_of_one_clean_run(
    crash_point: str, slow_api, clean_state, tmp_path: Path
):
    api, base_url = slow_api
    data_dir = tmp_path / "data"
    backfill = subprocess.Popen(
        [sys.executable, "-c", BACKFILL, base_url, str(data_dir), START.isoformat(), str(DAYS)],
        cwd=REPO_ROOT,
        env=os.environ | {"PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        kill_when(backfill, lambda: CRASH_POINTS[crash_point](api, data_dir))
    finally:
        if backfill.poll() is None:
            backfill.kill()
            backfill.wait()

    with FakeDailyPapersApi(api.source).serve() as fast_url:
        run_in_process(fast_url, data_dir, DATES)

    assert warehouse_state(data_dir) == clean_state
    raw = data_dir / "raw" / "daily_papers"
    assert list(raw.glob("*/.tmp-*")) == [], "temporary folders of the killed run are removed"
    for listing_date in DATES:
        for fetch in landed_fetches(data_dir / "raw", listing_date):
            assert fetch.read_pages(), "every landed fetch is complete and readable"
    assert rows(
        data_dir / "warehouse.duckdb",
        "select count(*) from (select paper_id, fetched_at from hf.upvote_snapshots "
        "group by all having count(*) > 1)",
    ) == [(0,)]


# A process killed at the last moment of creating the warehouse: its file is written, not yet
# in place (the moment `os.link` would put it there).
KILLED_CREATING = """
import os, signal, sys
from pathlib import Path
from pipelines.warehouse.connection import connect

os.link = lambda source, target: os.kill(os.getpid(), signal.SIGKILL)
with connect(Path(sys.argv[1])):
    pass
"""


def test_a_process_killed_creating_the_warehouse_leaves_no_file_that_cannot_be_opened(
    tmp_path: Path,
):
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_CREATING, str(warehouse)],
        cwd=REPO_ROOT,
        env=os.environ | {"PYTHONPATH": str(REPO_ROOT)},
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    assert not warehouse.exists()
    assert [path.name.startswith(".tmp-") for path in warehouse.parent.iterdir()] == [True]

    with connect(warehouse) as connection:  # the next run
        listed = connection.execute("select count(*) from hf.daily_listings").fetchall()
    assert listed == [(0,)]
    assert [path.name for path in warehouse.parent.iterdir()] == ["warehouse.duckdb"]


def test_a_leftover_temporary_folder_is_ignored_and_then_removed(tmp_path: Path):
    raw = tmp_path / "raw"
    day = date(2025, 10, 2)
    land(raw, day, datetime(2025, 10, 3, tzinfo=UTC), [page([entry("2510.00002", upvotes=3)])])
    finished = subprocess.Popen(["true"])
    finished.wait()
    leftover = raw / "daily_papers" / f"listing_date={day}" / f".tmp-{finished.pid}-abc"
    leftover.mkdir()
    (leftover / "page-000.json.gz").write_bytes(b"\x1f\x8b half a gzip")
    warehouse = tmp_path / "warehouse.duckdb"

    reprocess([day], raw_dir=raw, warehouse=warehouse, log=quiet)
    assert rows(warehouse, "select paper_id, upvotes from hf.daily_listings") == [("2510.00002", 3)]
    assert leftover.exists(), "re-processing reads raw only and removes nothing"

    lines: list[str] = []
    with FakeDailyPapersApi(GeneratedSource(seed=1)).serve() as base_url:
        ingest(
            [day],
            client=DailyPapersClient(ClientSettings(endpoint=base_url)),
            raw_dir=raw,
            warehouse=warehouse,
            log=lines.append,
        )
    assert not leftover.exists()
    assert f"removed an abandoned temporary folder {leftover}" in lines


def test_a_temporary_folder_of_a_live_process_is_left_alone(tmp_path: Path):
    raw = tmp_path / "raw"
    day = date(2025, 10, 2)
    mine = raw / "daily_papers" / f"listing_date={day}" / f".tmp-{os.getpid()}-abc"
    mine.mkdir(parents=True)
    with FakeDailyPapersApi(GeneratedSource(seed=1)).serve() as base_url:
        run_in_process(base_url, tmp_path, [day])
    assert mine.exists()


def overlapping_runs(base_url: str, data_dir: Path, ranges: list[tuple[int, int]]) -> tuple:
    for first, last in ranges:
        run_in_process(base_url, data_dir, DATES[first:last])
    return warehouse_state(data_dir)


@pytest.mark.parametrize(
    "ranges",
    [
        [(0, 20), (0, 20)],
        [(0, 12), (8, 20)],
        [(8, 20), (0, 12)],
        [(5, 15), (0, 20), (3, 9)],
        [(14, 20), (7, 14), (0, 7), (0, 20)],
    ],
    ids=["twice", "overlapping in order", "overlapping newest first", "nested", "backwards"],
)
def test_running_ranges_twice_or_overlapping_in_any_order_equals_running_each_date_once(
    ranges, source: ConsistentCounts, clean_state, tmp_path: Path
):
    with FakeDailyPapersApi(source).serve() as base_url:
        state = overlapping_runs(base_url, tmp_path, ranges)
    assert state == clean_state
