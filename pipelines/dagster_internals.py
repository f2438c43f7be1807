"""The two places paperboard relies on private Dagster code, fenced in this one module.

`tests/test_dagster_internals.py` checks every private name used here and fails, naming this
module and the reason, when a Dagster upgrade changes one; the savings are measured in
`benchmarks/dagster_internals.md` (`benchmarks/dagster_internals.py`).

1. `InstalledDbtCliResource`: dagster-dbt learns dbt's version by running `dbt --version`
   (a second dbt process, about 2-4 s per run, which also asks PyPI for the latest release);
   the version of the dbt-core installed beside us is the same answer, read from package
   metadata. It overrides the private `DbtCliResource._cli_version`. And before starting dbt,
   dagster-dbt loads dbt's project, profile and DuckDB adapter in the run's own process (about
   1.2 s of CPU, most of it importing dbt) for one use: `fetch_row_counts()` and
   `fetch_column_metadata()`, which paperboard does not call. It overrides the private
   `DbtCliResource._initialize_dbt_core_adapter` to hand dagster-dbt no adapter, as when
   that load fails.

2. `PooledSqliteStorage`: Dagster's SQLite storage, keeping its connections open and writing
   batches at once. It subclasses the private SQLite storage classes and overrides `_connect`
   and `_initdb` use.

A one-run backfill records one materialization per listing date, and Dagster's SQLite event
log opens a new SQLAlchemy engine and connection for every statement group of every event
(`NullPool`) and commits each event on its own, even when Dagster hands it a batch: for the
whole history that was about 10 ms per event, more than fetching the date took. This storage
is the default one (same files, same schema, same WAL journal) except that:

- each database shard keeps one open connection, reused under the storage's own lock;
- a batch of events (Dagster batches when DAGSTER_EVENT_BATCH_SIZE is set, as `paperboard`
  does) is written in one transaction per shard; if it fails, Dagster stores the events one
  by one instead;
- commits do not wait for fsync (`synchronous=NORMAL`, SQLite's advice for WAL): a crash of
  the process loses nothing, a power cut may lose the last events but never corrupts.

`dagster_home/dagster.yaml` selects it:

    storage:
      custom:
        module: pipelines.dagster_internals
        class: PooledSqliteStorage
        config:
          base_dir: {env: DAGSTER_HOME}
"""

import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from importlib import metadata
from typing import Any

from dagster import EventLogEntry
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS, create_db_conn_string
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage
from dagster._serdes import ConfigurableClassData
from dagster_dbt import DbtCliResource
from packaging import version
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool


class InstalledDbtCliResource(DbtCliResource):
    """The dbt CLI, minus the `dbt --version` process dagster-dbt starts to learn dbt's version
    and the dbt adapter it loads in-process for metadata paperboard never fetches."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


# The index shard plus the run shards in use; a long-lived process (the UI, the daemon)
# touches many runs, and each kept shard holds a file handle.
MAX_OPEN_SHARDS = 8


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """The SQLite event log with one kept connection per shard instead of one per statement."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        # The open transactions of the batch being written, by shard; None outside a batch.
        self._batch: dict[str, Connection] | None = None
        super().__init__(base_dir, inst_data)
        # Re-entrant: a batch holds the lock for its whole length, and each event in it takes
        # the lock again through `_connect`.
        self._db_lock = threading.RLock()

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        # The storage's lock serialises every use of a shard's connection, so one connection
        # shared across threads (StaticPool, check_same_thread off) is safe.
        with self._db_lock:
            if self._batch is None:
                with self._engine_for(shard).connect() as connection, connection.begin():
                    yield connection
                return
            if shard not in self._batch:
                connection = self._engine_for(shard).connect()
                connection.begin()
                self._batch[shard] = connection
            yield self._batch[shard]

    def store_event_batch(self, events: Sequence[EventLogEntry]) -> None:
        with self._db_lock:
            self._batch = {}
            try:
                for entry in events:
                    self.store_event(entry)
                for connection in self._batch.values():
                    connection.commit()
            finally:
                for connection in self._batch.values():
                    connection.close()  # rolls back whatever was not committed
                self._batch = None

    def _engine_for(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is not None:
            self._engines.move_to_end(shard)
            return engine
        engine = create_engine(
            create_db_conn_string(self._base_dir, shard),
            poolclass=StaticPool,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
        )
        event.listen(engine, "connect", _without_fsync_per_commit)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        self._engines[shard] = engine
        while len(self._engines) > MAX_OPEN_SHARDS:
            _, evicted = self._engines.popitem(last=False)
            evicted.dispose()
        return engine

    def dispose(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()
        super().dispose()


def _without_fsync_per_commit(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class PooledSqliteStorage(DagsterSqliteStorage):
    """Dagster's default SQLite storage (runs, schedules, event log in $DAGSTER_HOME), with
    the pooled event log."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None) -> None:
        super().__init__(base_dir, inst_data)
        self._event_log_storage = PooledSqliteEventLogStorage(self._event_log_storage._base_dir)

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Any
    ) -> "PooledSqliteStorage":
        return cls.from_local(inst_data=inst_data, **config_value)
