"""The pooled SQLite storage writes what Dagster's default storage reads, in the same files."""

import inspect
import shutil
from pathlib import Path

import dagster as dg
import pytest

from pipelines.dagster_internals import MAX_OPEN_SHARDS, PooledSqliteEventLogStorage
from pipelines.settings import REPO_ROOT
from tests.pipeline_helpers import range_tags

days = dg.DailyPartitionsDefinition(start_date="2025-01-01", end_date="2025-01-31")


@dg.asset(partitions_def=days, backfill_policy=dg.BackfillPolicy.single_run())
def landed(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"dates": len(context.partition_keys)})


def _instance(home: Path, checked_in: bool) -> dg.DagsterInstance:
    if checked_in:
        shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    else:
        (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        return dg.DagsterInstance.from_config(str(home))


def test_a_range_run_recorded_by_the_pooled_storage_reads_back_with_dagsters_default(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", "1000")  # as `paperboard` runs set it
    with _instance(tmp_path, checked_in=True) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        result = dg.materialize(
            [landed],
            instance=instance,
            tags=range_tags("2025-01-01", "2025-01-30"),
        )
        assert result.success
        run_id = result.run_id

    with _instance(tmp_path, checked_in=False) as plain:
        assert type(plain.event_log_storage).__name__ == "SqliteEventLogStorage"
        assert plain.get_materialized_partitions(landed.key) == set(days.get_partition_keys()[:30])
        assert plain.get_run_by_id(run_id).is_success
        records = plain.fetch_materializations(landed.key, limit=1).records
        assert records[0].asset_materialization.metadata["dates"].value == 30


def test_the_pooled_storage_keeps_a_bounded_number_of_shards_open(tmp_path):
    with _instance(tmp_path, checked_in=True) as instance:
        storage = instance.event_log_storage
        run_ids = []
        for _ in range(MAX_OPEN_SHARDS + 3):
            result = dg.materialize([landed], instance=instance, partition_key="2025-01-01")
            assert result.success
            run_ids.append(result.run_id)
        assert len(storage._engines) == MAX_OPEN_SHARDS
        # A shard that was closed opens again on demand, with its events intact.
        first_run_events = instance.all_logs(run_ids[0])
        assert any(event.dagster_event_type == dg.DagsterEventType.RUN_SUCCESS
                   for event in first_run_events)  # fmt: skip


def _materializations_of_a_range_run(home: Path) -> list[dg.EventLogEntry]:
    with _instance(home, checked_in=True) as instance:
        result = dg.materialize(
            [landed],
            instance=instance,
            tags=range_tags("2025-01-01", "2025-01-05"),
        )
        return [
            entry
            for entry in instance.all_logs(result.run_id)
            if entry.dagster_event_type == dg.DagsterEventType.ASSET_MATERIALIZATION
        ]


def test_a_batch_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    (tmp_path / "recorded").mkdir()
    (tmp_path / "replayed").mkdir()
    entries = _materializations_of_a_range_run(tmp_path / "recorded")
    assert len(entries) == 5

    with _instance(tmp_path / "replayed", checked_in=True) as instance:
        storage = instance.event_log_storage
        original = storage._store_asset_event
        stored = []

        def fail_on_the_fourth(connection, entry, event_id):
            if len(stored) == 3:
                raise RuntimeError("disk full")
            stored.append(entry)
            original(connection, entry, event_id)

        monkeypatch.setattr(storage, "_store_asset_event", fail_on_the_fourth)
        with pytest.raises(RuntimeError, match="disk full"):
            storage.store_event_batch(entries)
        assert instance.get_materialized_partitions(landed.key) == set()
        assert instance.all_logs(entries[0].run_id) == []

        monkeypatch.setattr(storage, "_store_asset_event", original)
        storage.store_event_batch(entries)
        assert instance.get_materialized_partitions(landed.key) == {
            f"2025-01-0{day}" for day in range(1, 6)
        }
        assert len(instance.all_logs(entries[0].run_id)) == 5


# The fence: what pipelines/dagster_internals.py takes from private Dagster code. When an
# upgrade changes one of these, the test says which and why it matters.

FENCE = "pipelines/dagster_internals.py"


def _still_there(condition: bool, what: str) -> None:
    assert condition, (
        f"a Dagster upgrade changed {what}, which {FENCE} relies on: check the override still "
        "does what its docstring says, re-measure what it saves "
        "(benchmarks/dagster_internals.py), and fix it or drop it"
    )


def test_the_private_sqlite_storage_the_pooled_storage_extends_is_unchanged(tmp_path):
    try:
        from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
            SqliteEventLogStorage,
        )
        from dagster._core.storage.sql import create_engine
        from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS, create_db_conn_string
        from dagster._core.storage.sqlite_storage import DagsterSqliteStorage
        from dagster._serdes import ConfigurableClassData
    except ImportError as error:
        _still_there(False, f"the private SQLite storage modules ({error})")
        return

    connect = inspect.signature(SqliteEventLogStorage._connect)
    _still_there(list(connect.parameters) == ["self", "shard"], "SqliteEventLogStorage._connect")
    _still_there(
        list(inspect.signature(SqliteEventLogStorage._initdb).parameters)[:2] == ["self", "engine"],
        "SqliteEventLogStorage._initdb",
    )
    _still_there(
        callable(create_engine)
        and callable(create_db_conn_string)
        and isinstance(SQLITE_BUSY_TIMEOUT_SECONDS, int | float),
        "storage helpers (create_engine, create_db_conn_string, SQLITE_BUSY_TIMEOUT_SECONDS)",
    )
    _still_there(
        list(inspect.signature(ConfigurableClassData).parameters)[:3]
        == ["module_name", "class_name", "config_yaml"],
        "ConfigurableClassData(module_name, class_name, config_yaml)",
    )
    storage = DagsterSqliteStorage.from_local(str(tmp_path))
    try:
        _still_there(
            isinstance(storage._event_log_storage, SqliteEventLogStorage),
            "DagsterSqliteStorage._event_log_storage",
        )
        _still_there(
            isinstance(storage._event_log_storage._initialized_dbs, set)
            and storage._event_log_storage._base_dir == str(tmp_path / "history" / "runs"),
            "SqliteEventLogStorage._initialized_dbs / _base_dir",
        )
    finally:
        storage.dispose()


def test_dagster_dbt_still_learns_dbts_version_through_the_private_cli_version():
    from functools import cached_property

    from dagster_dbt import DbtCliResource

    _still_there(
        isinstance(inspect.getattr_static(DbtCliResource, "_cli_version", None), cached_property),
        "DbtCliResource._cli_version (a cached property)",
    )
    _still_there(
        "self._cli_version" in inspect.getsource(DbtCliResource.cli),
        "DbtCliResource.cli's use of _cli_version",
    )


def test_the_dbt_resource_knows_dbts_version_without_starting_dbt(monkeypatch):
    from importlib import metadata

    import dagster_dbt.core.resource

    from pipelines.defs.assets.dbt import build_dbt_resource

    def no_process(*args, **kwargs):
        raise AssertionError(f"started a process to learn dbt's version: {args}")

    monkeypatch.setattr(dagster_dbt.core.resource, "check_output", no_process)

    assert str(build_dbt_resource()._cli_version) == metadata.version("dbt-core")


def test_dagster_dbt_still_loads_its_dbt_adapter_through_the_private_initialiser():
    from dagster_dbt import DbtCliResource

    initialiser = inspect.getattr_static(DbtCliResource, "_initialize_dbt_core_adapter", None)
    parameters = list(inspect.signature(initialiser).parameters) if callable(initialiser) else []
    _still_there(
        parameters == ["self", "args"],
        "DbtCliResource._initialize_dbt_core_adapter(self, args)",
    )
    _still_there(
        "self._initialize_dbt_core_adapter(" in inspect.getsource(DbtCliResource.cli),
        "DbtCliResource.cli's use of _initialize_dbt_core_adapter",
    )


def test_starting_dbt_loads_no_dbt_adapter_in_the_runs_process(monkeypatch, tmp_path):
    import dbt.adapters.factory

    from pipelines.defs.assets.dbt import build_dbt_resource

    registered = []
    monkeypatch.setattr(
        dbt.adapters.factory, "register_adapter", lambda *args, **kwargs: registered.append(args)
    )

    invocation = build_dbt_resource().cli(["--version"], target_path=tmp_path)

    assert invocation.wait().is_successful()
    assert invocation.adapter is None
    assert registered == []
