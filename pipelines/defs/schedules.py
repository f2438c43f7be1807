"""The jobs and the daily schedule.

`daily_papers_job` is every asset (fetch, load, checks, dbt, serving copy, feeds, digests)
over the daily partitions; since every asset takes a whole range in one run, a backfill of
this job from the UI is also one run. The schedule runs it each morning for the newest
complete listing date (yesterday, UTC) and re-fetches the 14 dates before it, because upvotes
keep moving for about two weeks after a listing.

The schedule ships STOPPED: it calls the live API, so switching it on is a deliberate step
(the UI's Automation page, or `dagster schedule start daily_papers_schedule -w workspace.yaml`
with `DAGSTER_HOME=dagster_home`), and it needs `dagster dev` (or the daemon) running.
"""

from __future__ import annotations

import dagster as dg

from pipelines.defs.partitions import daily_partitions
from pipelines.listing_calendar import daily_run_config

# 06:00 UTC: yesterday's list is complete, and the run is done before Europe's working day.
DAILY_CRON = "0 6 * * *"

daily_papers_job = dg.define_asset_job(
    "daily_papers_job",
    selection=dg.AssetSelection.all(),
    partitions_def=daily_partitions,
    description="Fetch, load, check and model the Daily Papers, then publish the serving copy, "
    "the feeds and the digests.",
)


@dg.schedule(
    job=daily_papers_job,
    cron_schedule=DAILY_CRON,
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Every day at 06:00 UTC: yesterday's listing, plus a 14-day upvote refresh.",
)
def daily_papers_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    # The newest complete partition at the tick is yesterday's date (UTC).
    with dg.partition_loading_context(effective_dt=context.scheduled_execution_time):
        partition_key = daily_partitions.get_last_partition_key()
    if partition_key is None:
        raise ValueError(f"no complete listing date at {context.scheduled_execution_time}")
    return dg.RunRequest(
        run_key=partition_key,
        partition_key=partition_key,
        run_config=daily_run_config(),
    )
