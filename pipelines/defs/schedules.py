"""The jobs and the daily schedule.

`daily_papers_job` is every asset (fetch, load, checks, dbt, serving copy, feeds, digests)
over the daily partitions; since every asset takes a whole range in one run, a backfill of
this job from the UI is also one run. The schedule runs it each morning for the newest
complete listing date (yesterday, UTC) and re-fetches the 14 dates before it, because upvotes
keep moving for about two weeks after a listing.

The tick time is a setting (PAPERBOARD_SCHEDULE_CRON, default 06:00 UTC). The schedule ships
STOPPED: it calls the live API, so switching it on is a deliberate step
(the UI's Automation page, or `dagster schedule start daily_papers_schedule -w workspace.yaml`
with `DAGSTER_HOME=dagster_home`), and it needs `dagster dev` (or the daemon) running.
"""

from __future__ import annotations

import dagster as dg

from pipelines.defs.partitions import daily_partitions
from pipelines.listing_calendar import daily_run_config
from pipelines.settings import load_settings

daily_papers_job = dg.define_asset_job(
    "daily_papers_job",
    selection=dg.AssetSelection.all(),
    partitions_def=daily_partitions,
    description="Fetch, load, check and model the Daily Papers, then publish the serving copy, "
    "the feeds and the digests.",
)


def _daily_papers_schedule(cron: str) -> dg.ScheduleDefinition:
    @dg.schedule(
        name="daily_papers_schedule",
        job=daily_papers_job,
        cron_schedule=cron,
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description=f"At {cron!r} (UTC; PAPERBOARD_SCHEDULE_CRON, by default every day at "
        "06:00): yesterday's listing, plus a 14-day upvote refresh.",
    )
    def schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        # The newest complete partition at the tick is yesterday's date (UTC).
        with dg.partition_loading_context(effective_dt=context.scheduled_execution_time):
            partition_key = daily_partitions.get_last_partition_key()
        if partition_key is None:
            raise ValueError(f"no complete listing date at {context.scheduled_execution_time}")
        return dg.RunRequest(
            run_key=partition_key, partition_key=partition_key, run_config=daily_run_config()
        )

    return schedule


def _schedule_from_settings() -> dg.ScheduleDefinition:
    cron = load_settings().schedule_cron
    try:
        return _daily_papers_schedule(cron)
    except dg.DagsterInvalidDefinitionError as error:
        raise ValueError(
            f"PAPERBOARD_SCHEDULE_CRON={cron!r} is not a cron expression of five fields "
            f"(minute hour day month weekday, UTC): {error}"
        ) from None


daily_papers_schedule = _schedule_from_settings()
