"""The paperboard code location: every asset, resource, job and schedule, in one place."""

import dagster as dg

from pipelines.defs.assets.dbt import build_dbt_resource, dbt_models
from pipelines.defs.assets.digests import digests
from pipelines.defs.assets.feeds import feeds
from pipelines.defs.assets.ingest import daily_papers
from pipelines.defs.assets.serving import serving_copy
from pipelines.defs.checks import warehouse_checks
from pipelines.defs.freshness import freshness_checks, freshness_sensor
from pipelines.defs.resources import build_resources
from pipelines.defs.schedules import daily_papers_job, daily_papers_schedule
from pipelines.settings import load_settings

defs = dg.Definitions(
    assets=[daily_papers, dbt_models, serving_copy, feeds, digests],
    asset_checks=[warehouse_checks, *freshness_checks],
    jobs=[daily_papers_job],
    schedules=[daily_papers_schedule],
    sensors=[freshness_sensor],
    resources={**build_resources(load_settings()), "dbt": build_dbt_resource()},
    # One process per run: the steps share the DuckDB file and the multiprocess executor
    # only adds start-up time here.
    executor=dg.in_process_executor,
)
