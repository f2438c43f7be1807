"""The one partitions definition: a Daily Papers listing date, UTC."""

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from dagster import BackfillPolicy, DailyPartitionsDefinition

from pipelines.listing_calendar import FIRST_LISTING_DATE, INGEST_OP, refresh_start

# The newest partition is yesterday (UTC): today's list is still growing.
daily_partitions = DailyPartitionsDefinition(start_date=FIRST_LISTING_DATE, timezone="UTC")

# Every partitioned asset takes a whole range in one run: a backfill is one process.
single_run = BackfillPolicy.single_run()

# Only the landed raw responses are partitioned. Dagster records one event per partition per
# asset of a run, each a SQLite commit: with the dbt models partitioned too, a full-history
# backfill spent minutes writing events. The assets downstream of ingestion (checks, dbt,
# the serving copy, the feeds) and the `hf.*` tables are built once per run over the whole
# warehouse, so they are unpartitioned, keep the single-run policy (a range stays one run)
# and read the run's window with `run_window`.
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
PARTITION_TAG = "dagster/partition"


def run_window(
    tags: Mapping[str, str], run_config: Mapping[str, Any] | None = None
) -> tuple[date, date] | None:
    """The half-open window [start, end) of listing dates a run loads: its partitions (from
    its tags) or, for a re-processing run, which selects no partition, the dates its config
    gives the ingestion op; widened by the dates it re-fetches before them (`refresh_days`),
    whose upvotes and so whose marts change too."""
    ingest_config = (run_config or {}).get("ops", {}).get(INGEST_OP, {}).get("config", {})
    if RANGE_START_TAG in tags and RANGE_END_TAG in tags:
        first, last = tags[RANGE_START_TAG], tags[RANGE_END_TAG]
    elif PARTITION_TAG in tags:
        first = last = tags[PARTITION_TAG]
    else:
        first, last = ingest_config.get("first_date"), ingest_config.get("last_date")
        if first is None or last is None:
            return None
    start, end = window_between(first, last)
    return refresh_start(start, int(ingest_config.get("refresh_days", 0))), end


def window_between(first: str, last: str) -> tuple[date, date]:
    """The window [first, last + 1 day) of two ISO dates, checked."""
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError as error:
        raise ValueError(f"listing window {first!r}..{last!r}: {error}") from None
    if end < start:
        raise ValueError(f"listing window {first}..{last}: the last date is before the first")
    return start, end + timedelta(days=1)
