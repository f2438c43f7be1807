"""Opening the warehouse, whichever kind it is, UTC everywhere, tables always present.

Two kinds, one `connect`:
- the embedded default, the DuckDB file `$PAPERBOARD_DATA_DIR/warehouse.duckdb`: one process
  may hold it read-write and every other open waits (bounded) for its lock;
- the team profile, a DuckLake (`pipelines/warehouse/lake.py`): every connection is an
  in-memory DuckDB that loads the lake's extensions, creates the S3 secret from the
  environment and attaches the lake under the catalog name the dbt views use (`warehouse`),
  optionally at an earlier snapshot. Many processes may write at once.

Either way the caller gets a connection whose default catalog is the warehouse, so the same
SQL (`hf.daily_listings`, `marts.trending_papers`) runs on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

import duckdb
from tenacity import Retrying, retry_if_exception, stop_after_delay, wait_exponential

from pipelines.atomic_files import TEMP_PREFIX, created_atomically, remove_abandoned
from pipelines.warehouse.extensions import load_extensions
from pipelines.warehouse.lake import (
    WAREHOUSE_CATALOG,
    Lake,
    Snapshot,
    create_s3_secret,
    retry_on_conflict,
    unavailable,
)

DDL = files("pipelines.warehouse").joinpath("ddl.sql").read_text()

# Where the warehouse is: the DuckDB file's path, or a lake.
WarehouseTarget = Path | Lake

_OPTION = re.compile(r"[a-z_]+")


class WarehouseLockedError(RuntimeError):
    """Another process holds the warehouse file for longer than we are willing to wait."""


class WarehouseOpenError(RuntimeError):
    """The warehouse file cannot be opened or created (missing, unwritable or full folder)."""


def attach_statement(
    path: str, alias: str, *, read_only: bool = False, options: Mapping[str, str | int] = {}
) -> str:
    """`attach '<path>' as <alias> (<options>)`, every text an SQL string literal.

    DuckDB 1.5 takes no parameters in ATTACH, so this is the one statement built from text:
    the path (a file or a lake's catalog) and text option values are quoted here, every quote
    doubled; the alias and option names are the caller's constants, checked to be words.
    """
    if not alias.isidentifier() or not all(_OPTION.fullmatch(name) for name in options):
        raise ValueError(f"attach alias and options must be plain words: {alias!r} {options!r}")
    rendered = ["read_only"] if read_only else []
    for name, value in options.items():
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"attach option {name} must be text or a whole number: {value!r}")
        rendered.append(f"{name} {value}" if isinstance(value, int) else f"{name} {_quote(value)}")
    suffix = f" ({', '.join(rendered)})" if rendered else ""
    return f"attach {_quote(path)} as {alias}{suffix}"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@contextmanager
def connect(
    target: WarehouseTarget,
    *,
    read_only: bool = False,
    lock_timeout_seconds: float = 60.0,
    snapshot: Snapshot | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse; read-write opens also create any missing table (ddl.sql).

    `snapshot` reads the lake as it was then (read-only); the DuckDB file keeps no history.
    """
    connection = open_connection(
        target, read_only=read_only, lock_timeout_seconds=lock_timeout_seconds, snapshot=snapshot
    )
    try:
        yield connection
    finally:
        connection.close()


def open_connection(
    target: WarehouseTarget,
    *,
    read_only: bool = False,
    lock_timeout_seconds: float = 60.0,
    snapshot: Snapshot | None = None,
) -> duckdb.DuckDBPyConnection:
    """`connect` without the context: for a reader that keeps its connection (the dashboard)
    and closes it itself."""
    if isinstance(target, Lake):
        return _open_lake(target, read_only=read_only, snapshot=snapshot)
    if snapshot is not None:
        raise ValueError("reading an earlier snapshot needs the lake (PAPERBOARD_WAREHOUSE)")
    return _open_file(target, read_only, lock_timeout_seconds)


def _open_lake(
    lake: Lake, *, read_only: bool, snapshot: Snapshot | None
) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    try:
        connection.execute("set TimeZone = 'UTC'")
        load_extensions(connection)
        create_s3_secret(connection)
        options: dict[str, str | int] = {}
        if lake.data_path and not read_only and snapshot is None:
            options["data_path"] = lake.data_path
        if snapshot is not None:
            options.update(snapshot.attach_options())
        try:
            connection.execute(
                attach_statement(
                    lake.attach_path,
                    WAREHOUSE_CATALOG,
                    read_only=read_only or snapshot is not None,
                    options=options,
                )
            )
        except (duckdb.IOException, duckdb.HTTPException) as error:
            raise unavailable(lake, error) from None
        connection.execute("use warehouse")
        if not read_only and snapshot is None:
            retry_on_conflict(lambda: connection.execute(DDL))
    except BaseException:
        connection.close()
        raise
    return connection


def _is_lock_conflict(error: BaseException) -> bool:
    return isinstance(error, duckdb.IOException) and "lock" in str(error).lower()


def _open_file(
    path: Path, read_only: bool, lock_timeout_seconds: float
) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting (bounded) while another process holds its lock.

    DuckDB lets one process hold a file read-write and refuses every other open meanwhile, so
    a second writer waits here instead of failing halfway through its work.
    """
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WarehouseOpenError(
                f"cannot create the warehouse folder {path.parent}: {error.strerror or error}"
            ) from error
        _create_whole(path)
    try:
        for attempt in Retrying(
            retry=retry_if_exception(_is_lock_conflict),
            stop=stop_after_delay(lock_timeout_seconds),
            wait=wait_exponential(multiplier=0.1, max=2.0),
            reraise=True,
        ):
            with attempt:
                connection = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if _is_lock_conflict(error):
            raise WarehouseLockedError(
                f"the warehouse {path} stayed locked by another process for "
                f"{lock_timeout_seconds:.0f} s: {error}"
            ) from error
        raise WarehouseOpenError(f"cannot open the warehouse {path}: {error}") from error
    try:
        connection.execute("set TimeZone = 'UTC'")
        if not read_only:
            connection.execute(DDL)
    except BaseException:
        connection.close()
        raise
    return connection


def _create_whole(path: Path) -> None:
    """Create a missing warehouse file whole or not at all.

    DuckDB writes a new file's headers after creating it, so a process killed in between
    (seen: 10 and 13 kills in 150 right after the file appeared) left a file that no later open
    accepts. It is made under a temporary name and put in place finished; what a killed
    creator left under that name is removed here.
    """
    if path.exists():
        return
    remove_abandoned(path.parent.glob(f"{TEMP_PREFIX}*-{path.name}"))
    try:
        with created_atomically(path) as temp:
            duckdb.connect(str(temp)).close()
    except (OSError, duckdb.Error) as error:
        raise WarehouseOpenError(f"cannot create the warehouse {path}: {error}") from error


def describe(target: WarehouseTarget) -> str:
    """The warehouse for messages: the file's path, or the lake without credentials."""
    return target.describe() if isinstance(target, Lake) else str(target)
