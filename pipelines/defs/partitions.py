"""The one partitions definition: a Daily Papers listing date, UTC."""

from datetime import date, timedelta

from dagster import BackfillPolicy, DailyPartitionsDefinition

from pipelines.listing_calendar import FIRST_LISTING_DATE

# The newest partition is yesterday (UTC): today's list is still growing.
daily_partitions = DailyPartitionsDefinition(start_date=FIRST_LISTING_DATE, timezone="UTC")

# Every asset takes a whole range in one run: a job backfill, or a CLI range, is one process.
single_run = BackfillPolicy.single_run()

# Only the landed raw responses are partitioned: their partitions are what was fetched. The
# `hf.*` tables, the checks, the dbt models, the serving copy and the feeds are whole tables
# built from what the change ledger says changed, so they need no partition to know their
# work. (Partitioning them too cost a whole-history backfill one event per date per asset.)


def window_between(first: str, last: str) -> tuple[date, date]:
    """The window [first, last + 1 day) of two ISO dates, checked."""
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError as error:
        raise ValueError(f"listing window {first!r}..{last!r}: {error}") from None
    if end < start:
        raise ValueError(f"listing window {first}..{last}: the last date is before the first")
    return start, end + timedelta(days=1)
