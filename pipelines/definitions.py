"""The paperboard code location: every asset, check, resource, job, schedule and sensor.

Where each behaviour lives, in the order the data moves:

- fetch and land: `defs/assets/ingest.py` (the asset) over `ingest/client.py` (httpx, paging,
  retries, request budget), `ingest/landing.py` (atomic raw folders) and `ingest/run.py` (one
  run: fetch, land, load in batches; what to load comes from the change ledger);
- parse and normalise: `transform/schema.py` (the declared schema), `transform/normalise.py`
  (pure Polars rules);
- load: `warehouse/load.py` (one transaction per batch, with its ledger entry),
  `warehouse/connection.py` (opening the file), `warehouse/ddl.sql` and `warehouse/contract.py`
  (the tables), `warehouse/ledger.py` (what a run loaded);
- check: `defs/checks.py` over `warehouse/quality.py`; freshness in `defs/freshness.py`;
- model: `defs/assets/dbt.py` over `dbt_project/` (staging, intermediate, marts; incremental
  models driven by the ledger in `dbt_project/macros/incremental_changes.sql`);
- publish: `defs/assets/serving.py` (`warehouse/serving.py`), `defs/assets/feeds.py`
  (`publish/feeds.py`), `defs/assets/digests.py` (`publish/digests.py`, `publish/smtp.py`);
- run: `defs/partitions.py`, `defs/schedules.py`, `defs/resources.py` (from `settings.py`), and
  the command line in `cli.py`; private Dagster code only in `dagster_internals.py`; each
  process's imports kept out of the garbage collector's way in `startup.py` (here, and for dbt
  in `dbt_cli.py`, the `paperboard-dbt` every dbt step runs).
"""

from pipelines.startup import frozen_imports

# Every Dagster process that runs paperboard (a run, a code server, `dagster asset materialize`)
# loads this module: what it imports stays for the process's life (pipelines/startup.py).
with frozen_imports():
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
