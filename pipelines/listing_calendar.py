"""The Daily Papers calendar: when lists began, which date is complete, how far to refresh.

Kept free of Dagster so the command line (and `make sql`) starts without importing it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

# The first Daily Papers list.
FIRST_LISTING_DATE = "2023-05-04"

# Re-fetch this many listing dates before the run's own, so their upvote counts stay current.
REFRESH_DAYS = 14

# The op that fetches and loads: run config for the ingestion step goes under its name.
INGEST_OP = "daily_papers"


def latest_complete_listing_date(now: datetime | None = None) -> date:
    """Yesterday, UTC: today's list is still growing."""
    return ((now or datetime.now(UTC)) - timedelta(days=1)).date()


def refresh_start(start: date, refresh_days: int) -> date:
    """The first date a window starting on `start` fetches, `refresh_days` re-fetched before it.

    Upvotes keep moving for about two weeks after a listing, so a daily run re-fetches the
    dates before its own window.
    """
    if refresh_days < 0:
        raise ValueError(f"refresh_days must be zero or more, not {refresh_days}")
    return start - timedelta(days=refresh_days)


def dates_in_window(start: date, end: date, refresh_days: int = 0) -> list[date]:
    """The dates of the half-open window [start, end), widened back by `refresh_days`
    (`refresh_start`).."""
    if end <= start:
        raise ValueError(f"empty window: start {start} is not before end {end}")
    first = refresh_start(start, refresh_days)
    return [first + timedelta(days=offset) for offset in range((end - first).days)]


def daily_run_config(refresh_days: int = REFRESH_DAYS) -> dict[str, Any]:
    """Run config for the ingestion step: re-fetch `refresh_days` dates before the window."""
    return {"ops": {INGEST_OP: {"config": {"refresh_days": refresh_days}}}}


def reprocess_run_config(first: date, last: date) -> dict[str, Any]:
    """Run config for re-processing the landed files of [first, last] without fetching: such a
    run selects no partitioned asset, so its dates travel in the ingestion step's config."""
    window = {"first_date": first.isoformat(), "last_date": last.isoformat()}
    return {"ops": {INGEST_OP: {"config": window}}}
