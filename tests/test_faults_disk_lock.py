"""Disk and lock faults: a full disk, an unwritable data directory or a warehouse locked by
another process fails the run with a clear message, leaves nothing half-written, and a later
run completes as if nothing had happened.

The full-disk tests mount a small tmpfs (they need root, and are skipped without it); the
same failures are also provoked by patching writes to raise ENOSPC, which needs nothing.
"""

from __future__ import annotations

import errno
import functools
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from devtools.fake_api import FakeDailyPapersApi, FolderSource
from pipelines.ingest import run as run_module
from pipelines.ingest.client import ClientSettings, DailyPapersClient
from pipelines.ingest.landing import LandingError, land, landed_fetches
from pipelines.ingest.run import WarehouseWriteError, ingest, reprocess
from pipelines.warehouse.connection import WarehouseLockedError, WarehouseOpenError, connect
from tests.factories import entry, page, write_listings
from tests.pipeline_helpers import rows, table_checksums

HF = ["hf.daily_listings", "hf.papers", "hf.paper_authors", "hf.upvote_snapshots"]
DAYS = [date(2025, 10, 1), date(2025, 10, 2)]
BIG_DAY = date(2025, 10, 3)
FETCHED = datetime(2025, 10, 4, 6, 0, tzinfo=UTC)


def quiet(message: str) -> None:
    """Runs in these tests log nowhere."""


def incompressible(size: int) -> str:
    return os.urandom(size // 2).hex()


def listings() -> dict[str, list[dict]]:
    return {
        "2025-10-01": [entry("2510.00001", upvotes=1)],
        "2025-10-02": [entry("2510.00002", upvotes=2)],
        # About 600 kB that gzip cannot shrink: more than a nearly full disk has left.
        "2025-10-03": [entry("2510.00003", summary=incompressible(600_000))],
    }


@pytest.fixture
def api_url(tmp_path: Path) -> Iterator[str]:
    folder = write_listings(tmp_path / "api", listings())
    with FakeDailyPapersApi(FolderSource(folder)).serve() as base_url:
        yield base_url


def run(base_url: str, data_dir: Path, dates: list[date]):
    return ingest(
        dates,
        client=DailyPapersClient(ClientSettings(endpoint=base_url)),
        raw_dir=data_dir / "raw",
        warehouse=data_dir / "warehouse.duckdb",
        log=quiet,
    )


def temp_dirs(data_dir: Path) -> list[Path]:
    return list((data_dir / "raw").glob("daily_papers/*/.tmp-*"))


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs, unmounted afterwards; skipped where mounting is not allowed."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path, leave_bytes: int) -> Path:
    """Fill the disk until only about `leave_bytes` are free; return the filler to delete."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with filler.open("wb") as out:
        out.write(b"\0" * max(free - leave_bytes, 0))
    return filler


def test_a_full_disk_while_landing_fails_clearly_and_leaves_nothing_half_written(
    tiny_disk: Path, api_url: str
):
    data_dir = tiny_disk / "data"
    run(api_url, data_dir, DAYS)
    before = table_checksums(data_dir / "warehouse.duckdb", HF)
    filler = fill(tiny_disk, leave_bytes=64 * 1024)

    with pytest.raises(LandingError) as raised:
        run(api_url, data_dir, [BIG_DAY])

    message = str(raised.value)
    assert message.startswith(f"listing date {BIG_DAY}: could not land the fetch in ")
    assert f"listing_date={BIG_DAY}" in message
    assert "No space left on device" in message
    assert temp_dirs(data_dir) == []
    assert landed_fetches(data_dir / "raw", BIG_DAY) == []
    assert table_checksums(data_dir / "warehouse.duckdb", HF) == before

    filler.unlink()
    run(api_url, data_dir, [BIG_DAY])
    assert rows(data_dir / "warehouse.duckdb", "select count(*) from hf.papers") == [(3,)]


def test_a_full_disk_while_loading_fails_clearly_and_keeps_the_previous_rows(
    tiny_disk: Path, tmp_path: Path
):
    raw = tmp_path / "raw"
    warehouse = tiny_disk / "warehouse.duckdb"
    for day, entries in [(DAYS[0], [entry("2510.00001")]), (DAYS[1], [entry("2510.00002")])]:
        land(raw, day, FETCHED, [page(entries)])
    reprocess(DAYS, raw_dir=raw, warehouse=warehouse, log=quiet)
    before = table_checksums(warehouse, HF)
    big = [entry(f"2510.{n:05d}", summary=incompressible(6_000)) for n in range(10, 110)]
    land(raw, BIG_DAY, FETCHED, [page(big)])
    filler = fill(tiny_disk, leave_bytes=128 * 1024)

    with pytest.raises(WarehouseWriteError) as raised:
        reprocess([BIG_DAY], raw_dir=raw, warehouse=warehouse, log=quiet)

    message = str(raised.value)
    assert message.startswith(f"could not write listing dates {BIG_DAY}..{BIG_DAY} (1 date)")
    assert f"to {warehouse}; nothing of them was written" in message
    assert "No space left on device" in message
    filler.unlink()
    assert table_checksums(warehouse, HF) == before
    reprocess([BIG_DAY], raw_dir=raw, warehouse=warehouse, log=quiet)
    assert rows(warehouse, "select count(*) from hf.daily_listings") == [(102,)]


def test_a_write_that_runs_out_of_space_removes_its_temporary_folder(
    tmp_path: Path, api_url: str, monkeypatch: pytest.MonkeyPatch
):
    data_dir = tmp_path / "data"
    run(api_url, data_dir, DAYS)
    before = table_checksums(data_dir / "warehouse.duckdb", HF)
    written = []

    def write_bytes_then_fill_up(self: Path, data: bytes) -> int:
        if written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        written.append(self)
        return Path.write_bytes.__wrapped__(self, data)

    write_bytes_then_fill_up.__wrapped__ = Path.write_bytes  # type: ignore[attr-defined]
    monkeypatch.setattr(Path, "write_bytes", write_bytes_then_fill_up)
    pages = [page([entry("2510.00003")]), page([entry("2510.00004")])]

    with pytest.raises(LandingError, match="No space left on device"):
        land(data_dir / "raw", BIG_DAY, FETCHED, pages)

    assert len(written) == 1, "the first page was written before the disk filled up"
    assert temp_dirs(data_dir) == []
    assert landed_fetches(data_dir / "raw", BIG_DAY) == []
    monkeypatch.undo()
    assert table_checksums(data_dir / "warehouse.duckdb", HF) == before


def test_a_data_directory_that_cannot_be_written_fails_the_run_with_its_path(
    tmp_path: Path, api_url: str
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the data directory should be")
    data_dir = blocked / "data"

    with pytest.raises(LandingError) as raised:
        run(api_url, data_dir, DAYS)

    message = str(raised.value)
    assert "could not land the fetch in " + str(data_dir / "raw" / "daily_papers") in message
    assert "Not a directory" in message
    with pytest.raises(WarehouseOpenError, match="cannot create the warehouse folder"):
        reprocess(DAYS, raw_dir=data_dir / "raw", warehouse=data_dir / "w.duckdb", log=quiet)
    assert blocked.read_text() == "a file where the data directory should be"


def test_a_read_only_data_directory_fails_the_run_with_its_path(tiny_disk: Path, api_url: str):
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    with pytest.raises(LandingError, match="Read-only file system"):
        run(api_url, tiny_disk / "data", DAYS)


HOLD_LOCK = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.close()
"""


def hold_lock(warehouse: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(warehouse), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


@pytest.fixture
def loaded(tmp_path: Path, api_url: str) -> Path:
    data_dir = tmp_path / "data"
    run(api_url, data_dir, DAYS)
    return data_dir


def test_a_warehouse_locked_for_a_moment_makes_the_run_wait_then_load(loaded: Path, api_url: str):
    holder = hold_lock(loaded / "warehouse.duckdb", seconds=1.0)
    try:
        run(api_url, loaded, [BIG_DAY])
    finally:
        holder.wait(timeout=10)
    assert rows(loaded / "warehouse.duckdb", "select count(*) from hf.papers") == [(3,)]


def test_a_warehouse_locked_for_too_long_fails_the_run_clearly_and_changes_nothing(
    loaded: Path, api_url: str, monkeypatch: pytest.MonkeyPatch
):
    warehouse = loaded / "warehouse.duckdb"
    before = table_checksums(warehouse, HF)
    monkeypatch.setattr(run_module, "connect", functools.partial(connect, lock_timeout_seconds=1))
    holder = hold_lock(warehouse, seconds=30)
    try:
        with pytest.raises(WarehouseLockedError) as raised:
            run(api_url, loaded, [BIG_DAY])
    finally:
        holder.kill()
        holder.wait(timeout=10)
    message = str(raised.value)
    assert message.startswith(f"the warehouse {warehouse} stayed locked by another process")
    assert table_checksums(warehouse, HF) == before
    assert len(landed_fetches(loaded / "raw", BIG_DAY)) == 1, "the fetch landed, to load later"

    monkeypatch.undo()
    reprocess([BIG_DAY], raw_dir=loaded / "raw", warehouse=warehouse, log=quiet)
    assert rows(warehouse, "select count(*) from hf.papers") == [(3,)]
