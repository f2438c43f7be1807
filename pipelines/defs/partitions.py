"""The one partitions definition: a Daily Papers listing date, UTC."""

from dagster import BackfillPolicy, DailyPartitionsDefinition

from pipelines.listing_calendar import FIRST_LISTING_DATE

# The newest partition is yesterday (UTC): today's list is still growing.
daily_partitions = DailyPartitionsDefinition(start_date=FIRST_LISTING_DATE, timezone="UTC")

# Every partitioned asset takes a whole range in one run: a backfill is one process.
single_run = BackfillPolicy.single_run()
