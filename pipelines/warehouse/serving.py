"""The serving copy: a read-only snapshot of the warehouse that readers use instead of it.

DuckDB lets one process hold a file read-write and refuses every other open meanwhile, so a
dashboard or `paperboard sql` reading `warehouse.duckdb` would block the pipeline (and the
pipeline would block them). Readers open `serving.duckdb` instead, which the pipeline
replaces after each run:

1. Take the warehouse's writer lock (a normal read-write connection) so nothing writes, and
   `checkpoint` so the main file holds every committed change.
2. Copy the file's bytes to a hidden temporary file next to `serving.duckdb`, open the copy
   read-only once to prove it is a sound database, and flush it to disk.
3. Rename it over `serving.duckdb` (pipelines/atomic_files.py). A new reader sees either the old
   copy or the new one, never half of either; a reader that still has the old copy open keeps
   reading the old file (the rename does not touch its inode) until it reconnects.

The pipeline never opens `serving.duckdb` itself, so a reader holding it never blocks a run.

The copy keeps the warehouse's contents byte for byte, including the dbt views, whose SQL
names the warehouse catalog (`"warehouse"."hf"...`). Open the copy attached under that name
(`attach '.../serving.duckdb' as warehouse (read_only); use warehouse`, as `open_serving`
does) and every table and view resolves; opened plainly, tables work but views do not.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.atomic_files import TEMP_PREFIX, remove_abandoned, replaced_atomically
from pipelines.warehouse.connection import attach_statement, connect
from pipelines.warehouse.lake import WAREHOUSE_CATALOG, Lake, Snapshot


@dataclass(frozen=True)
class PublishedCopy:
    path: Path
    bytes: int
    tables: int
    views: int
    seconds: float


class ServingCopyError(RuntimeError):
    """The copy could not be made or did not open; the previous serving copy is untouched."""


def publish_serving_copy(
    warehouse_path: Path, serving_path: Path, *, lock_timeout_seconds: float = 60.0
) -> PublishedCopy:
    """Replace `serving_path` atomically with a consistent copy of `warehouse_path`."""
    started = time.perf_counter()
    with connect(warehouse_path, lock_timeout_seconds=lock_timeout_seconds) as connection:
        # What a publisher killed mid-copy left behind.
        remove_abandoned(serving_path.parent.glob(f"{TEMP_PREFIX}*-{serving_path.name}"))
        connection.execute("checkpoint")
        wal = warehouse_path.with_name(warehouse_path.name + ".wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise ServingCopyError(f"{wal} still holds changes after a checkpoint")
        with replaced_atomically(serving_path, durable=True) as temp:
            shutil.copyfile(warehouse_path, temp)
            tables, views = _count_relations(temp)
    return PublishedCopy(
        path=serving_path,
        bytes=serving_path.stat().st_size,
        tables=tables,
        views=views,
        seconds=time.perf_counter() - started,
    )


def serving_connection(serving_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the serving copy, attached as `warehouse` so views resolve;
    the caller closes it (the dashboard keeps one open per copy and hands out cursors).

    An in-memory database attaches the file, so this never shares DuckDB's per-process
    instance cache with a connection to the same path opened elsewhere in the process. The
    time zone is set globally, so every cursor of the connection reads timestamps in UTC.
    """
    if not serving_path.is_file():
        raise FileNotFoundError(serving_path)
    connection = duckdb.connect()
    try:
        connection.execute("set global TimeZone = 'UTC'")
        connection.execute(
            attach_statement(str(serving_path.resolve()), WAREHOUSE_CATALOG, read_only=True)
        )
        connection.execute("use warehouse")
    except BaseException:
        connection.close()
        raise
    return connection


@contextmanager
def open_serving(serving_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """`serving_connection`, closed when the block ends."""
    connection = serving_connection(serving_path)
    try:
        yield connection
    finally:
        connection.close()


@contextmanager
def open_reader(
    source: Path | Lake, snapshot: Snapshot | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """What every reader opens: the serving copy's path, or, on a lake, the lake itself,
    read-only at its newest snapshot (or at `snapshot`). Either way the default catalog is
    `warehouse` and the dbt views resolve."""
    if isinstance(source, Lake):
        with connect(source, read_only=True, snapshot=snapshot) as connection:
            yield connection
        return
    if snapshot is not None:
        raise ValueError("only a lake keeps earlier snapshots (see PAPERBOARD_WAREHOUSE)")
    with open_serving(source) as connection:
        yield connection


def _count_relations(path: Path) -> tuple[int, int]:
    """Open the copy read-only, as a reader will, and count what it holds."""
    try:
        with open_serving(path) as connection:
            row = connection.execute(
                """
                select
                    count(*) filter (where table_type = 'BASE TABLE'),
                    count(*) filter (where table_type = 'VIEW')
                from information_schema.tables
                where table_catalog = 'warehouse'
                """
            ).fetchone()
    except duckdb.Error as error:
        raise ServingCopyError(f"the copy {path} does not open: {error}") from error
    assert row is not None
    return int(row[0]), int(row[1])
