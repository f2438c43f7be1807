"""The dbt models as Dagster assets, downstream of the `hf.*` tables they read."""

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines.dagster_internals import InstalledDbtCliResource
from pipelines.dbt_cli import DBT_EXECUTABLE
from pipelines.dbt_parse import DBT_GLOBAL_FLAGS, dbt_environment, dbt_target_path
from pipelines.dbt_project import dbt_project
from pipelines.defs.partitions import single_run
from pipelines.defs.resources import Warehouse
from pipelines.warehouse.lake import exclusive

# Unit tests check the models' SQL, not the data: they run in the test suite (`make test`),
# as dbt advises, and each pipeline run skips them (about 2 s and 30 events).
PIPELINE_BUILD_ARGS = ["build", "--exclude-resource-type", "unit_test"]


class LayeredTranslator(DagsterDbtTranslator):
    """Groups dbt assets by their layer folder (staging, intermediate, marts) or as seeds, so
    the UI's lineage reads in the same layers as the dbt project."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        folders = dbt_resource_props["fqn"][1:-1]
        return folders[0] if folders else None


@dbt_assets(
    manifest=dbt_project().manifest_path,
    project=dbt_project(),
    dagster_dbt_translator=LayeredTranslator(),
    backfill_policy=single_run,
    pool="duckdb",
)
def dbt_models(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: Warehouse
) -> Iterator[Any]:
    # What to rebuild is in the warehouse (the change ledger), not in this run: each
    # incremental model rebuilds what the loads since its own last build changed. On a lake,
    # builds from several machines take turns (an advisory lock in its catalog): two at once
    # would conflict on the same models.
    data_dir = Path(warehouse.data_dir)
    target_path = dbt_target_path(data_dir)
    with (
        dbt_environ(dbt_environment(data_dir, warehouse.lake)),
        exclusive(warehouse.lake_target, "dbt"),
    ):
        yield from dbt.cli(PIPELINE_BUILD_ARGS, context=context, target_path=target_path).stream()


@contextmanager
def dbt_environ(values: dict[str, str]) -> Iterator[None]:
    """dagster-dbt hands dbt this process's environment: set dbt's settings for the step, and
    put back what was there, so a later step (or test) in the process sees its own."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def build_dbt_resource() -> DbtCliResource:
    return InstalledDbtCliResource(
        project_dir=dbt_project(),
        dbt_executable=str(DBT_EXECUTABLE),
        global_config_flags=DBT_GLOBAL_FLAGS,
    )
