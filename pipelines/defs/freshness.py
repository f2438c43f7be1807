"""Freshness, the Dagster way: yesterday's listing must have been fetched by 08:00 UTC.

`build_time_partition_freshness_checks` compares the newest materialized partition of
`raw/daily_papers` with the deadline: after 08:00 UTC (two hours after the daily schedule's
default tick) the partition of the day before must exist. The check runs in every run that
fetches (it follows the raw asset in `daily_papers_job`) and, through the sensor below, on
its own every few minutes once switched on, so a schedule that stopped running or a run that
keeps failing shows up in the UI without anyone launching anything. Like the schedule, the
sensor ships stopped. A backfill of old dates makes the check fail (non-blocking): the data is
still worth serving.

Dagster 1.13 marks these builders superseded by `FreshnessPolicy`, but a policy only says how
long ago an asset was last materialized, not whether its newest time partition exists, and it
is judged by the daemon alone, never inside the run that fetched; so the checks stay, and their
supersession warning is silenced here, once.
"""

from __future__ import annotations

import warnings

import dagster as dg

from pipelines.defs.assets.ingest import RAW_DAILY_PAPERS

# Two hours after the daily schedule's default tick (06:00 UTC, PAPERBOARD_SCHEDULE_CRON).
FRESHNESS_DEADLINE_CRON = "0 8 * * *"

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=dg.SupersessionWarning)
    freshness_checks = dg.build_time_partition_freshness_checks(
        assets=[RAW_DAILY_PAPERS],
        deadline_cron=FRESHNESS_DEADLINE_CRON,
        timezone="UTC",
        severity=dg.AssetCheckSeverity.ERROR,
    )
    freshness_sensor = dg.build_sensor_for_freshness_checks(
        freshness_checks=freshness_checks,
        minimum_interval_seconds=300,
        default_status=dg.DefaultSensorStatus.STOPPED,
    )
