"""The paperboard code location: every asset, resource, job and schedule, in one place."""

import dagster as dg

from pipelines.defs.assets.dbt import build_dbt_resource, dbt_models
from pipelines.defs.assets.ingest import daily_papers
from pipelines.defs.resources import build_resources
from pipelines.settings import load_settings

defs = dg.Definitions(
    assets=[daily_papers, dbt_models],
    resources={**build_resources(load_settings()), "dbt": build_dbt_resource()},
    # One process per run: the steps share the DuckDB file and the multiprocess executor
    # only adds start-up time here.
    executor=dg.in_process_executor,
)
