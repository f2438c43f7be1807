"""The team profile's warehouse: a DuckLake, catalog in PostgreSQL, Parquet files in a shared
folder or an S3 bucket.

`PAPERBOARD_WAREHOUSE=ducklake:postgres:<libpq conninfo>` names it, exactly as DuckDB's ATTACH
spells a DuckLake; `PAPERBOARD_LAKE_DATA_PATH` says where its files go. Many DuckDB processes
on many machines read and write it at once with snapshot isolation: a reader sees the snapshot
its connection started from, never half a load, so no serving copy is needed, and every
snapshot stays readable for time travel (`Snapshot`).

Credentials come only from the environment and never pass through paperboard's text: the
PostgreSQL password from libpq's own `PGPASSWORD` (or `PGPASSFILE`), the object store's from
the standard `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_REGION`
and `AWS_ENDPOINT_URL`, handed to DuckDB as session variables that are cleared as soon as
its secret exists (DuckDB shows secrets redacted). A conninfo that holds a password anyway
is refused, and every message names the catalog by `describe()`, never by the conninfo.

Writers that change the same tables at once conflict in DuckLake; the loser's commit fails
and `retry_on_conflict` runs its whole transaction again on a fresh snapshot. Steps that
must not even start at the same time on two machines (dbt builds, digests) take a PostgreSQL
advisory lock (`exclusive`).
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

import duckdb

LAKE_PREFIX = "ducklake:postgres:"
# The catalog name every connection attaches the warehouse under: the dbt views name it.
WAREHOUSE_CATALOG = "warehouse"
_PASSWORD = re.compile(r"(^|\s)password\s*=", re.IGNORECASE)

T = TypeVar("T")


class LakeSettingError(ValueError):
    """PAPERBOARD_WAREHOUSE or PAPERBOARD_LAKE_DATA_PATH is malformed."""


class LakeUnavailableError(RuntimeError):
    """The lake's catalog (PostgreSQL) or its object store did not answer."""


@dataclass(frozen=True)
class Lake:
    """Where the lake is: its catalog database and its data path."""

    conninfo: str = field(repr=False)
    data_path: str | None = None

    @property
    def attach_path(self) -> str:
        return LAKE_PREFIX + self.conninfo

    def describe(self) -> str:
        """The catalog for messages: its database, host and port, nothing else."""
        words = dict(
            part.split("=", 1) for part in self.conninfo.split() if "=" in part
        )  # fmt: skip
        where = f"{words.get('host', 'localhost')}:{words.get('port', '5432')}"
        return f"DuckLake (catalog: PostgreSQL database {words.get('dbname', '?')} at {where})"

    def __repr__(self) -> str:
        return f"Lake({self.describe()}, data_path={self.data_path!r})"


@dataclass(frozen=True)
class Snapshot:
    """An earlier state of the lake to read: a snapshot id, or the newest snapshot at a time."""

    version: int | None = None
    at: datetime | None = None

    def __post_init__(self) -> None:
        if (self.version is None) == (self.at is None):
            raise ValueError("a snapshot is a version or a time, not both nor neither")
        if self.version is not None and (
            not isinstance(self.version, int) or isinstance(self.version, bool) or self.version < 0
        ):
            raise ValueError(f"a snapshot version is a whole number, not {self.version!r}")
        if self.at is not None and (not isinstance(self.at, datetime) or self.at.tzinfo is None):
            raise ValueError(f"a snapshot time needs a time zone, not {self.at!r}")

    def attach_options(self) -> dict[str, str | int]:
        if self.version is not None:
            return {"snapshot_version": self.version}
        assert self.at is not None
        return {"snapshot_time": self.at.isoformat()}

    def describe(self) -> str:
        return f"snapshot {self.version}" if self.version is not None else f"as of {self.at}"


def parse_lake(warehouse: str | None, data_path: str | None) -> Lake | None:
    """The lake PAPERBOARD_WAREHOUSE names, or None for the embedded DuckDB file."""
    if not warehouse:
        return None
    if not warehouse.startswith(LAKE_PREFIX) or not warehouse.removeprefix(LAKE_PREFIX).strip():
        raise LakeSettingError(
            "PAPERBOARD_WAREHOUSE must be empty (the DuckDB file) or "
            f"'{LAKE_PREFIX}<libpq conninfo>', e.g. "
            f"'{LAKE_PREFIX}dbname=lake host=db port=5432 user=paperboard'"
        )
    conninfo = warehouse.removeprefix(LAKE_PREFIX).strip()
    if _PASSWORD.search(conninfo):
        raise LakeSettingError(
            "PAPERBOARD_WAREHOUSE must not hold a password: set PGPASSWORD (or PGPASSFILE) "
            "in the environment instead, so it never reaches a log or a run's metadata"
        )
    if data_path is not None and data_path and not data_path.endswith("/"):
        data_path += "/"
    return Lake(conninfo=conninfo, data_path=data_path or None)


# The values travel as one session variable (DuckDB takes no parameters in CREATE SECRET),
# cleared as soon as the secret exists.
_SET_S3_VARIABLE_SQL = """
set variable paperboard_s3 = {
    'key_id': $key_id, 'secret': $secret, 'session_token': $session_token, 'region': $region,
    'endpoint': $endpoint, 'url_style': $url_style, 'use_ssl': $use_ssl
}
"""
_S3_SECRET_SQL = """
create or replace secret paperboard_s3 (
    type s3,
    key_id getvariable('paperboard_s3').key_id,
    secret getvariable('paperboard_s3').secret,
    session_token getvariable('paperboard_s3').session_token,
    region getvariable('paperboard_s3').region,
    endpoint getvariable('paperboard_s3').endpoint,
    url_style getvariable('paperboard_s3').url_style,
    use_ssl getvariable('paperboard_s3').use_ssl
)
"""


def s3_settings(environ: dict[str, str] | os._Environ = os.environ) -> dict[str, object] | None:
    """The S3 secret's values from the standard AWS variables; None without a key."""
    key_id = environ.get("AWS_ACCESS_KEY_ID")
    if not key_id:
        return None
    endpoint = environ.get("AWS_ENDPOINT_URL_S3") or environ.get("AWS_ENDPOINT_URL") or ""
    use_ssl = not endpoint.startswith("http://")
    host = re.sub(r"^https?://", "", endpoint).rstrip("/")
    return {
        "key_id": key_id,
        "secret": environ.get("AWS_SECRET_ACCESS_KEY", ""),
        "session_token": environ.get("AWS_SESSION_TOKEN", ""),
        "region": environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        # A server of one's own (MinIO, moto, Ceph) answers on a path, not on a bucket's name.
        "endpoint": host or "s3.amazonaws.com",
        "url_style": "path" if host else "vhost",
        "use_ssl": use_ssl,
    }


def create_s3_secret(connection: duckdb.DuckDBPyConnection) -> None:
    """DuckDB's S3 secret from the environment, when AWS_ACCESS_KEY_ID is set."""
    values = s3_settings()
    if values is None:
        return
    connection.execute(_SET_S3_VARIABLE_SQL, values)
    try:
        connection.execute(_S3_SECRET_SQL)
    finally:
        connection.execute("reset variable paperboard_s3")


def is_conflict(error: BaseException) -> bool:
    """A DuckLake commit that lost to another writer's (retrying on a fresh snapshot helps)."""
    return isinstance(error, duckdb.TransactionException) and "conflict" in str(error).lower()


def retry_on_conflict(
    work: Callable[[], T], *, attempts: int = 30, wait_seconds: float = 0.05
) -> T:
    """Run `work` (a whole transaction) again while its commit conflicts with another writer's.

    The back-off is jittered so that two writers that conflicted do not start again together.
    """
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except duckdb.Error as error:
            if not is_conflict(error) or attempt == attempts:
                raise
            time.sleep(random.uniform(0.5, 1.5) * min(wait_seconds * 2**attempt, 2.0))
    raise AssertionError("unreachable")


def unavailable(lake: Lake, error: BaseException) -> LakeUnavailableError:
    """Say which part of the lake failed, in words a person on call can act on."""
    text = str(error)
    lowered = text.lower()
    if "postgres" in lowered or "libpq" in lowered or "server closed the connection" in lowered:
        part = f"its catalog did not answer ({lake.describe()})"
    elif "http" in lowered or "s3" in lowered or "could not establish connection" in lowered:
        part = f"its object store did not answer ({lake.data_path or 'the data path'})"
    else:
        part = f"it failed ({lake.describe()})"
    return LakeUnavailableError(f"the lake is unavailable: {part}: {text}")


@contextmanager
def exclusive(lake: Lake | None, name: str, *, timeout_seconds: float = 600.0) -> Iterator[None]:
    """Hold a PostgreSQL advisory lock on the lake's catalog database while the block runs:
    one holder at a time across every process and machine. No-op for the DuckDB file, where
    the file lock and the Dagster pool already let one writer in."""
    if lake is None:
        yield
        return
    import psycopg2

    try:
        connection = psycopg2.connect(lake.conninfo, connect_timeout=10)
    except psycopg2.Error as error:
        raise unavailable(lake, error) from None
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("set statement_timeout = %s", (int(timeout_seconds * 1000),))
            cursor.execute("select pg_advisory_lock(hashtext(%s))", (f"paperboard:{name}",))
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("select pg_advisory_unlock(hashtext(%s))", (f"paperboard:{name}",))
    finally:
        connection.close()
