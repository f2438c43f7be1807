"""Opening the warehouse file: one writer at a time, UTC everywhere, tables always present."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

import duckdb
from tenacity import Retrying, retry_if_exception, stop_after_delay, wait_exponential

DDL = files("pipelines.warehouse").joinpath("ddl.sql").read_text()


class WarehouseLockedError(RuntimeError):
    """Another process holds the warehouse file for longer than we are willing to wait."""


class WarehouseOpenError(RuntimeError):
    """The warehouse file cannot be opened or created (missing, unwritable or full folder)."""


def attach_statement(path: str, alias: str, options: Sequence[str] = ()) -> str:
    """`attach '<path>' as <alias> (<options>)`, the path quoted as an SQL string literal.

    DuckDB 1.5 takes no parameters in ATTACH, so this is the one statement built from text:
    the path (a file or a lake's catalog) is quoted here, every quote doubled; the alias and
    options are the caller's constants, never input.
    """
    if not alias.isidentifier() or any(not option.replace(" ", "_").isidentifier()
                                       for option in options):  # fmt: skip
        raise ValueError(f"attach alias and options must be plain words: {alias!r} {options!r}")
    quoted = "'" + path.replace("'", "''") + "'"
    suffix = f" ({', '.join(options)})" if options else ""
    return f"attach {quoted} as {alias}{suffix}"


def _is_lock_conflict(error: BaseException) -> bool:
    return isinstance(error, duckdb.IOException) and "lock" in str(error).lower()


@contextmanager
def connect(
    path: Path, *, read_only: bool = False, lock_timeout_seconds: float = 60.0
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse, waiting (bounded) while another process holds its lock.

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
        yield connection
    finally:
        connection.close()
