"""The team profile: the warehouse on a DuckLake whose catalog is a real PostgreSQL server and
whose files are on an S3 server (moto's), against the embedded DuckDB file as the reference.

One module-scoped scenario runs the real assets (ingest, dbt) on both kinds with the same API
answers over four listing dates, then, on the lake, one of them again after its upvote counts
moved (for time travel). The tests read what it left behind; the fault tests make lakes of
their own.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

from devtools.fake_api import FakeDailyPapersApi
from pipelines.cli import app
from pipelines.defs.assets.serving import serving_copy
from pipelines.ingest.run import IngestError, ingest
from pipelines.settings import load_settings
from pipelines.warehouse.connection import connect
from pipelines.warehouse.extensions import LAKE_EXTENSIONS, load_extensions, packaged_extension
from pipelines.warehouse.lake import Lake, LakeSettingError, Snapshot, parse_lake
from tests.dashboard_pages import listed_titles
from tests.factories import ConsistentCounts, GatedSource
from tests.lake_servers import PostgresServer, S3Server, new_lake, postgres_server, s3_server
from tests.pipeline_helpers import (
    RUN_DEPENDENT_COLUMNS,
    fast_client,
    materialize_range,
    rows,
    warehouse_checksums,
)

FIRST, LAST = date(2025, 6, 2), date(2025, 6, 5)
DATES = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]
MOVED_DAY = date(2025, 6, 3)
# Planted as credentials: none may appear in a log, a landed page, a file or run metadata.
PLANTED_PASSWORD = "planted-pg-password-5e1f"
PLANTED_SECRET = "planted-s3-secret-9a7c"


class MovingCounts:
    """Generated listings whose counts stay put until `move()`: then MOVED_DAY's least upvoted
    paper becomes its most upvoted, as a day's ranking does when votes come in."""

    def __init__(self, seed: int) -> None:
        self.inner = ConsistentCounts(seed)
        self.moved = False

    def move(self) -> None:
        self.moved = True

    def listing(self, listing_date: date) -> list:
        entries = deepcopy(self.inner.listing(listing_date))
        if self.moved and listing_date == MOVED_DAY and entries:
            last = min(entries, key=lambda item: item["paper"]["upvotes"])
            last["paper"]["upvotes"] = 10_000
        return entries

    def leader(self, listing_date: date) -> str:
        entries = self.listing(listing_date)
        return max(entries, key=lambda item: item["paper"]["upvotes"])["paper"]["title"]


@dataclass
class Servers:
    postgres: PostgresServer
    s3: S3Server

    def new_lake(self, name: str) -> Lake:
        return new_lake(self.postgres, self.s3, name)


@pytest.fixture(scope="module")
def servers() -> Iterator[Servers]:
    with (
        postgres_server() as postgres,
        s3_server() as s3,
        pytest.MonkeyPatch.context() as patch,
    ):
        for name, value in s3.environment().items():
            patch.setenv(name, value)
        # moto accepts any secret, and trust authentication ignores the password: both are
        # planted to be looked for where they must never be.
        patch.setenv("AWS_SECRET_ACCESS_KEY", PLANTED_SECRET)
        patch.setenv("PGPASSWORD", PLANTED_PASSWORD)
        yield Servers(postgres, s3)


@dataclass
class TwoRuns:
    file_dir: Path
    lake_dir: Path
    lake: Lake
    source: MovingCounts
    snapshot_after_first_run: int
    time_after_first_run: datetime
    logs: str
    lake_after_first_run: dict[str, tuple]


@pytest.fixture(scope="module")
def two_runs(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> TwoRuns:
    """Both kinds of warehouse, the same run each (with dbt) over DATES; then the lake's second
    run of MOVED_DAY after its counts moved."""
    lake = servers.new_lake("fidelity")
    file_dir, lake_dir = tmp_path_factory.mktemp("file"), tmp_path_factory.mktemp("lake")
    source = MovingCounts(seed=11)
    logs: list[str] = []
    with FakeDailyPapersApi(source).serve() as base_url:
        for data_dir, target in ((file_dir, None), (lake_dir, lake)):
            first = materialize_range(
                base_url, data_dir, FIRST.isoformat(), LAST.isoformat(), with_dbt=True, lake=target
            )
            assert first.success
            logs.append(_event_text(first))
        with connect(lake, read_only=True) as connection:
            (snapshot,) = connection.execute(
                "select max(snapshot_id) from ducklake_snapshots('warehouse')"
            ).fetchone()
        after_first_run = warehouse_checksums(lake)
        moment = datetime.now(UTC)
        source.move()
        again = materialize_range(
            base_url, lake_dir, MOVED_DAY.isoformat(), MOVED_DAY.isoformat(), with_dbt=True,
            lake=lake,
        )  # fmt: skip
        assert again.success
        logs.append(_event_text(again))
    return TwoRuns(
        file_dir, lake_dir, lake, source, snapshot, moment, "\n".join(logs), after_first_run
    )


def _event_text(result) -> str:
    """Everything a run recorded: each event's message and metadata, as text."""
    return "\n".join(repr(event) for event in result.all_events)


@pytest.mark.unit
def test_the_warehouse_setting_names_a_lake_and_refuses_a_password_in_it():
    assert parse_lake(None, None) is None
    assert parse_lake("", "s3://b/p") is None
    lake = parse_lake("ducklake:postgres:dbname=lake host=db port=5432 user=paperboard", "/x")
    assert lake == Lake("dbname=lake host=db port=5432 user=paperboard", "/x/")
    assert "paperboard" not in repr(lake) and "db:5432" in repr(lake)
    with pytest.raises(LakeSettingError, match="PGPASSWORD"):
        parse_lake("ducklake:postgres:dbname=lake password=hunter2", None)
    with pytest.raises(LakeSettingError, match="ducklake:postgres:"):
        parse_lake("postgres://db/lake", None)


@pytest.mark.unit
def test_the_lake_extensions_load_from_their_packages_offline():
    import duckdb

    with duckdb.connect() as connection:
        load_extensions(connection, LAKE_EXTENSIONS)
        loaded = dict(
            connection.execute(
                "select extension_name, loaded from duckdb_extensions() where loaded"
            ).fetchall()
        )
    for name in LAKE_EXTENSIONS:
        assert packaged_extension(name) is not None, name
        assert loaded.get(name), name


def test_for_the_same_inputs_the_lake_holds_what_the_duckdb_file_holds(two_runs: TwoRuns):
    from_file = warehouse_checksums(two_runs.file_dir / "warehouse.duckdb")
    assert len(from_file) >= 13 and from_file["hf.daily_listings"][0] > 20
    assert two_runs.lake_after_first_run == from_file
    # After the second run the lake differs where the counts moved, and nowhere else.
    moved = warehouse_checksums(two_runs.lake)
    assert moved["hf.daily_listings"] != from_file["hf.daily_listings"]
    assert moved["marts.trending_papers"] != from_file["marts.trending_papers"]
    assert moved["hf.paper_authors"] == from_file["hf.paper_authors"]
    assert "fetched_at" in RUN_DEPENDENT_COLUMNS


def test_the_lake_keeps_its_files_and_landed_pages_in_the_object_store(
    two_runs: TwoRuns, servers: Servers
):
    objects = servers.s3.objects("fidelity")
    assert any(key.startswith("lake/raw/daily_papers_pages/") for key in objects)
    assert any(key.startswith("lake/marts/trending_papers/") for key in objects)
    assert all(key.endswith(".parquet") for key in objects)
    # Nothing of the run on this machine's disk but dbt's parse and Dagster's logs.
    assert not (two_runs.lake_dir / "raw").exists()
    assert not (two_runs.lake_dir / "warehouse.duckdb").exists()
    landed = rows(
        two_runs.lake,
        "select listing_date, count(distinct fetched_at) from raw.daily_papers_pages "
        "group by 1 order by 1",
    )
    assert landed == [(day, 2 if day == MOVED_DAY else 1) for day in DATES]


def test_the_lake_has_no_serving_copy_its_readers_read_it_directly(two_runs: TwoRuns):
    import dagster as dg

    from pipelines.defs.resources import Warehouse

    warehouse = Warehouse(
        data_dir=str(two_runs.lake_dir),
        lake="ducklake:postgres:" + two_runs.lake.conninfo,
        lake_data_path=two_runs.lake.data_path,
    )
    result = dg.materialize([serving_copy], resources={"warehouse": warehouse})
    assert result.success
    assert not (two_runs.lake_dir / "serving.duckdb").exists()


def _cli(two_runs: TwoRuns, *arguments: str) -> str:
    environment = {
        "PAPERBOARD_WAREHOUSE": "ducklake:postgres:" + two_runs.lake.conninfo,
        "PAPERBOARD_DATA_DIR": str(two_runs.lake_dir),
    }
    result = CliRunner().invoke(app, list(arguments), env=environment)
    assert result.exit_code == 0, result.output
    return result.output


def test_top_shows_the_trending_list_as_an_earlier_snapshot_saw_it(two_runs: TwoRuns):
    source = two_runs.source
    day = ["top", "--window", "day", "--date", MOVED_DAY.isoformat(), "--limit", "1"]
    now = _cli(two_runs, *day)
    then = _cli(two_runs, *day, "--as-of-snapshot", str(two_runs.snapshot_after_first_run))
    at_time = _cli(two_runs, *day, "--as-of", two_runs.time_after_first_run.isoformat())
    leader_now = source.leader(MOVED_DAY)
    source.moved = False
    leader_then = source.leader(MOVED_DAY)
    source.moved = True
    assert leader_now != leader_then
    assert leader_now[:30] in now and leader_then[:30] not in now
    assert leader_then[:30] in then and leader_now[:30] not in then
    assert at_time == then
    assert "snapshot_id" in _cli(two_runs, "snapshots", "--limit", "3")


def test_sql_and_the_example_queries_read_the_lake(two_runs: TwoRuns):
    assert "true" in _cli(two_runs, "sql", "select count(distinct paper_id) > 15 from hf.papers")
    assert "upvotes" in _cli(two_runs, "query", "top-papers-this-week")


def test_search_reads_the_lake_and_ranks_as_on_the_file(two_runs: TwoRuns):
    query = "select paper_id, round(score, 9) from marts.search_papers($words)"
    with connect(two_runs.lake, read_only=True) as connection:
        [(paper_id, title)] = connection.execute(
            "select paper_id, title from marts.papers order by paper_id limit 1"
        ).fetchall()
        on_lake = connection.execute(query, {"words": title}).fetchall()
    with connect(two_runs.file_dir / "warehouse.duckdb", read_only=True) as connection:
        on_file = connection.execute(query, {"words": title}).fetchall()
    assert paper_id in {found for found, _ in on_lake} and len(on_lake) > 1
    # The lake's second run moved upvotes, which only break ties: the scores are the same.
    assert sorted(on_lake) == sorted(on_file)
    assert paper_id in _cli(two_runs, "search", paper_id, "--limit", "1")


def test_the_feeds_are_written_from_the_lake(two_runs: TwoRuns, tmp_path: Path):
    from pipelines.publish.feeds import publish_feeds

    published = publish_feeds(two_runs.lake, tmp_path / "feeds")
    with connect(two_runs.lake, read_only=True) as connection:
        [(feeds, entries)] = connection.execute(
            "select (select count(*) from marts.feeds), count(*) from marts.feed_items"
        ).fetchall()
        top = connection.execute(
            "select title from marts.feed_items where feed = 'top' order by rank limit 1"
        ).fetchall()[0][0]
    assert (published.feeds, published.entries) == (feeds, entries) and entries > 10
    assert published.newest_listing_date == LAST
    assert escape(top) in (tmp_path / "feeds" / "top.atom").read_text(encoding="utf-8")


def test_no_credential_reaches_logs_landed_pages_files_or_run_metadata(
    two_runs: TwoRuns, servers: Servers
):
    from pipelines.settings import REPO_ROOT

    assert PLANTED_SECRET not in two_runs.logs and PLANTED_PASSWORD not in two_runs.logs
    places = [two_runs.lake_dir, REPO_ROOT / "dbt_project" / "logs"]
    for folder in places:
        for path in folder.rglob("*"):
            if path.is_file():
                content = path.read_bytes()
                assert PLANTED_SECRET.encode() not in content, path
                assert PLANTED_PASSWORD.encode() not in content, path
    with connect(two_runs.lake, read_only=True) as connection:
        bodies = connection.execute(
            "select count(*) from raw.daily_papers_pages "
            "where contains(body::varchar, $secret) or contains(body::varchar, $password)",
            {"secret": PLANTED_SECRET, "password": PLANTED_PASSWORD},
        ).fetchone()
    assert bodies == (0,)
    dump = subprocess.run(
        [str(servers.postgres.bin / "pg_dump"), "-h", "127.0.0.1", "-p",
         str(servers.postgres.port), "-U", "postgres", "fidelity"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    assert b"ducklake_snapshot" in dump
    assert PLANTED_SECRET.encode() not in dump and PLANTED_PASSWORD.encode() not in dump


def test_settings_read_the_lake_from_the_environment(monkeypatch, two_runs: TwoRuns):
    monkeypatch.setenv("PAPERBOARD_WAREHOUSE", "ducklake:postgres:" + two_runs.lake.conninfo)
    monkeypatch.setenv("PAPERBOARD_LAKE_DATA_PATH", "s3://fidelity/lake")
    settings = load_settings()
    assert settings.warehouse == Lake(two_runs.lake.conninfo, "s3://fidelity/lake/")
    with pytest.raises(ValueError, match="needs the lake"):
        connect(settings.warehouse_path, snapshot=Snapshot(version=1)).__enter__()


# Faults: a server goes away in the middle of a run.


@pytest.mark.parametrize("fault", ["postgres", "s3"])
def test_a_server_lost_mid_run_fails_the_run_by_name_leaves_nothing_partial_and_the_next_run_completes(  # noqa: E501
    fault: str, servers: Servers, tmp_path: Path
):
    lake = servers.new_lake(f"fault_{fault}")
    with connect(lake):  # the lake exists before the run, as in any deployment
        pass
    source = GatedSource(ConsistentCounts(seed=4), gated={DATES[-1]})
    # The reference is a DuckDB file: the fidelity test above shows a lake holds what the file
    # holds for the same inputs.
    clean = tmp_path / "clean" / "warehouse.duckdb"
    with FakeDailyPapersApi(source).serve() as base_url:
        source.opened.set()
        ingest(
            DATES,
            client=fast_client(base_url),
            warehouse=clean,
            raw_dir=clean.parent / "raw",
            log=lambda _line: None,
        )
        source.opened.clear()
        outcome: dict[str, BaseException] = {}

        def run() -> None:
            try:
                ingest(
                    DATES,
                    client=fast_client(
                        base_url, max_attempts=1, concurrency=1, timeout_seconds=120
                    ),
                    warehouse=lake,
                    batch_size=1,
                    log=lambda _line: None,
                )
            except BaseException as error:
                outcome["error"] = error

        worker = threading.Thread(target=run)
        worker.start()
        assert source.reached.wait(timeout=120), "the run reached the last date"
        _wait_for_loads(lake, at_least=len(DATES) - 1)
        if fault == "postgres":
            servers.postgres.stop("fast")
        else:
            servers.s3.stop()
        source.opened.set()
        worker.join(timeout=120)
        if fault == "postgres":
            servers.postgres.start()
        else:
            servers.s3.start()
        error = outcome.get("error")
        assert isinstance(error, IngestError | Exception), "the run failed"
        named = "catalog" if fault == "postgres" else "object store"
        assert named in str(error) or (fault == "s3" and "HTTP" in str(error)), str(error)
        # Readers see whole loads only: every load's dates have their whole listing.
        assert _partial_loads(lake) == []
        ingest(DATES, client=fast_client(base_url), warehouse=lake, log=lambda _line: None)
    exclude = ("fetched_at", "load_id")
    tables = ["hf.daily_listings", "hf.papers", "hf.paper_authors"]
    assert warehouse_checksums(lake, tables, exclude) == warehouse_checksums(clean, tables, exclude)


def _wait_for_loads(lake: Lake, at_least: int) -> None:
    import time

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with connect(lake, read_only=True) as connection:
            (loaded,) = connection.execute(
                "select count(distinct listing_date) from hf.load_fetches"
            ).fetchone()
        if loaded >= at_least:
            return
        time.sleep(0.2)
    raise AssertionError(f"fewer than {at_least} dates loaded in 120 s")


def _partial_loads(lake: Lake) -> list[tuple]:
    """Loaded dates whose listing is not exactly what their latest landed fetch holds."""
    return rows(
        lake,
        """
        select f.listing_date
        from hf.load_fetches as f
        where f.outcome = 'listing'
            and not exists (
                select 1 from hf.daily_listings as l where l.listing_date = f.listing_date
            )
        """,
    )


def test_the_dashboard_reads_the_lake_and_shows_an_earlier_snapshot(two_runs: TwoRuns, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from pipelines.settings import REPO_ROOT

    monkeypatch.setenv("PAPERBOARD_WAREHOUSE", two_runs.lake.attach_path)
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(two_runs.lake_dir))
    test = AppTest.from_file(str(REPO_ROOT / "dashboard" / "main.py"), default_timeout=60)
    test.run()
    assert not test.exception, [exception.value for exception in test.exception]
    assert "lake snapshot of" in "\n".join(str(c.value) for c in test.sidebar.caption)
    newest_leader = listed_titles(test)[0]
    test.selectbox(key="as_of_snapshot").set_value(two_runs.snapshot_after_first_run).run()
    assert not test.exception, [exception.value for exception in test.exception]
    earlier_leader = listed_titles(test)[0]
    assert newest_leader == two_runs.source.leader(MOVED_DAY)
    assert earlier_leader != newest_leader
