"""The one partitions definition: a Daily Papers listing date, UTC."""

from collections.abc import Mapping
from datetime import date, timedelta

from dagster import BackfillPolicy, DailyPartitionsDefinition

from pipelines.listing_calendar import FIRST_LISTING_DATE

# The newest partition is yesterday (UTC): today's list is still growing.
daily_partitions = DailyPartitionsDefinition(start_date=FIRST_LISTING_DATE, timezone="UTC")

# Every partitioned asset takes a whole range in one run: a backfill is one process.
single_run = BackfillPolicy.single_run()

# Only the ingestion assets are partitioned. Dagster records one event per partition per
# asset of a run, each a SQLite commit: with the dbt models partitioned too, a full-history
# backfill spent minutes writing events. The assets downstream of ingestion (checks, dbt,
# the serving copy, the feeds) are built once per run over the whole warehouse, so they are
# unpartitioned, keep the single-run policy (a range stays one run) and read the run's
# window from its tags.
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
PARTITION_TAG = "dagster/partition"


def run_window(tags: Mapping[str, str]) -> tuple[date, date] | None:
    """The half-open window [start, end) of listing dates a run covers, from its tags."""
    if RANGE_START_TAG in tags and RANGE_END_TAG in tags:
        first, last = tags[RANGE_START_TAG], tags[RANGE_END_TAG]
    elif PARTITION_TAG in tags:
        first = last = tags[PARTITION_TAG]
    else:
        return None
    return date.fromisoformat(first), date.fromisoformat(last) + timedelta(days=1)
