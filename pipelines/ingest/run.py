"""One ingestion run: fetch and land dates concurrently, then load them in batches.

The warehouse is always loaded from the landed files, never from memory, so re-processing a
range from raw (no fetching) and a normal run take the same path and give the same rows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.client import DailyPapersClient, FetchedListing, FetchError
from pipelines.ingest.landing import (
    LandedFetch,
    land,
    landed_dates,
    landed_fetches,
    remove_abandoned_temp_dirs,
)
from pipelines.transform.normalise import WarehouseBatch, fetch_outcomes, normalise
from pipelines.transform.schema import ParsedListing, ResponseError, parse_listing
from pipelines.warehouse.connection import connect
from pipelines.warehouse.load import LoadCounts, handled_fetches, load_batch, record_rejection

Log = Callable[[str], None]

# Dates written per transaction: large enough that a whole-history run is a few transactions,
# small enough that one batch's frames stay well under the memory of a small worker.
DEFAULT_BATCH_SIZE = 200


@dataclass
class IngestReport:
    """What a run did, for run metadata, progress lines and benchmarks."""

    dates_requested: int = 0
    dates_fetched: int = 0
    dates_loaded: int = 0
    loads: int = 0
    requests: int = 0
    retries: int = 0
    daily_listings: int = 0
    papers: int = 0
    paper_authors: int = 0
    upvote_snapshots: int = 0
    failures: list[str] = field(default_factory=list)
    seconds_fetching: float = 0.0
    seconds_normalising: float = 0.0
    seconds_loading: float = 0.0

    def add(self, counts: LoadCounts) -> None:
        self.loads += 1
        self.dates_loaded += counts.dates
        self.daily_listings += counts.daily_listings
        self.papers += counts.papers
        self.paper_authors += counts.paper_authors
        self.upvote_snapshots += counts.upvote_snapshots


class IngestError(RuntimeError):
    """Some dates failed; every other date was loaded. The message lists each failure."""


class WarehouseWriteError(RuntimeError):
    """A batch could not be written (disk full, file not writable); its transaction rolled back."""


class BatchLoader:
    """Parses, normalises and loads landed dates, one transaction per batch.

    What a date needs is read from the ledger: its fetches that no load has read yet (older
    ones only add their snapshots; the latest decides the listing). A date with nothing new
    is skipped unless the load is forced (re-processing).
    """

    def __init__(
        self,
        raw_dir: Path,
        warehouse_path: Path,
        report: IngestReport,
        dagster_run_id: str | None = None,
    ) -> None:
        self.raw_dir = raw_dir
        self.warehouse_path = warehouse_path
        self.report = report
        self.dagster_run_id = dagster_run_id

    def load(self, listing_dates: Sequence[date], *, force: bool = False) -> None:
        if not listing_dates:
            return
        with connect(self.warehouse_path) as connection:
            handled = handled_fetches(connection, listing_dates)
            plan: list[tuple[list[LandedFetch], LandedFetch]] = []
            for listing_date in listing_dates:
                fetches = landed_fetches(self.raw_dir, listing_date)
                unread = [f for f in fetches if (f.listing_date, f.fetched_at) not in handled]
                if fetches and (force or unread):
                    latest = fetches[-1]
                    plan.append(([f for f in unread if f != latest], latest))
            if not plan:
                return
            started = time.perf_counter()
            try:
                batch = prepare_batch(plan)
            except ResponseError as error:
                if len(plan) == 1:
                    record_rejection(
                        connection, plan[0][1].listing_date, plan[0][1].fetched_at, str(error)
                    )
                raise
            self.report.seconds_normalising += time.perf_counter() - started
            started = time.perf_counter()
            try:
                counts = load_batch(connection, batch, dagster_run_id=self.dagster_run_id)
            except duckdb.Error as error:
                dates = batch.listing_dates["listing_date"]
                raise WarehouseWriteError(
                    f"could not write listing dates {dates.min()}..{dates.max()} "
                    f"({dates.len()} {'date' if dates.len() == 1 else 'dates'}) to "
                    f"{self.warehouse_path}; nothing of them was written: {error}"
                ) from error
            self.report.add(counts)
            self.report.seconds_loading += time.perf_counter() - started

    def load_in_batches(
        self, listing_dates: Sequence[date], batch_size: int, log: Log, *, force: bool = False
    ) -> list[str]:
        """Load dates `batch_size` at a time; a batch refused by the schema is loaded again
        date by date, so one bad date stops only itself. Returns the failures."""
        failures = []
        for offset in range(0, len(listing_dates), batch_size):
            chunk = listing_dates[offset : offset + batch_size]
            try:
                self.load(chunk, force=force)
            except ResponseError:
                failures.extend(self.load_one_by_one(chunk, log, force=force))
        return failures

    def load_one_by_one(self, chunk: Sequence[date], log: Log, *, force: bool = False) -> list[str]:
        failures = []
        for listing_date in chunk:
            try:
                self.load([listing_date], force=force)
            except ResponseError as error:
                failures.append(str(error))
                log(f"failed: {error}")
        return failures

    def pending_dates(self) -> list[date]:
        """Every landed date with a fetch no load has read (nor refused) yet."""
        dates = landed_dates(self.raw_dir)
        if not dates:
            return []
        with connect(self.warehouse_path) as connection:
            handled = handled_fetches(connection, dates)
        return [
            listing_date
            for listing_date in dates
            if any(
                (fetch.listing_date, fetch.fetched_at) not in handled
                for fetch in landed_fetches(self.raw_dir, listing_date)
            )
        ]


def prepare_batch(plan: Sequence[tuple[list[LandedFetch], LandedFetch]]) -> WarehouseBatch:
    """Parse and normalise each date's fetches: older ones still missing snapshots, the latest.

    The batch's `fetches` says what became of each: an older fetch the schema refuses only
    loses its snapshots (it must not block the date for ever once a good fetch lands).
    """
    parsed: list[ParsedListing] = []
    unreadable: list[tuple[date, datetime]] = []
    for older, latest in plan:
        for fetch in older:
            try:
                parsed.append(_parse(fetch))
            except ResponseError:
                unreadable.append((fetch.listing_date, fetch.fetched_at))
        parsed.append(_parse(latest))
    batch = normalise(parsed)
    if not unreadable:
        return batch
    fetches = pl.concat([batch.fetches, fetch_outcomes(unreadable, "unreadable")])
    return replace(batch, fetches=fetches)


def _parse(fetch: LandedFetch) -> ParsedListing:
    return parse_listing(fetch.listing_date, fetch.fetched_at, fetch.read_pages())


def _checked_dates(listing_dates: Iterable[date]) -> list[date]:
    """Listing dates as given, refusing anything but a `date` before it reaches a path or query."""
    dates = list(listing_dates)
    for listing_date in dates:
        if not isinstance(listing_date, date) or isinstance(listing_date, datetime):
            raise TypeError(f"a listing date must be a datetime.date, not {listing_date!r}")
    return dates


def reprocess(
    listing_dates: Iterable[date],
    *,
    raw_dir: Path,
    warehouse_path: Path,
    batch_size: int = DEFAULT_BATCH_SIZE,
    log: Log = print,
    dagster_run_id: str | None = None,
) -> IngestReport:
    """Load dates again from their landed files, read before or not, without fetching."""
    dates = sorted(set(_checked_dates(listing_dates)))
    report = IngestReport(dates_requested=len(dates))
    loader = BatchLoader(raw_dir, warehouse_path, report, dagster_run_id)
    report.failures = loader.load_in_batches(dates, batch_size, log, force=True)
    log(f"re-processed {report.dates_loaded} landed dates of {len(dates)} from {raw_dir}")
    _raise_if_failed(report)
    return report


def load_pending(
    *,
    raw_dir: Path,
    warehouse_path: Path,
    batch_size: int = DEFAULT_BATCH_SIZE,
    log: Log = print,
    dagster_run_id: str | None = None,
) -> IngestReport:
    """Load every landed fetch that no load has read yet, whoever landed it and when."""
    report = IngestReport()
    loader = BatchLoader(raw_dir, warehouse_path, report, dagster_run_id)
    dates = loader.pending_dates()
    report.dates_requested = len(dates)
    report.failures = loader.load_in_batches(dates, batch_size, log)
    log(f"loaded {report.dates_loaded} landed dates with fetches not loaded before")
    _raise_if_failed(report)
    return report


def ingest(
    listing_dates: Iterable[date],
    *,
    client: DailyPapersClient,
    raw_dir: Path,
    warehouse_path: Path,
    load: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress_interval_seconds: float = 10.0,
    log: Log = print,
    dagster_run_id: str | None = None,
) -> IngestReport:
    """Fetch and land every date and, with `load`, load each batch as it lands, then any
    other landed fetch not loaded yet (left by a run that died); fail at the end, naming
    every date that failed."""
    dates = sorted(set(_checked_dates(listing_dates)))
    report = IngestReport(dates_requested=len(dates))
    for removed in remove_abandoned_temp_dirs(raw_dir):
        log(f"removed an abandoned temporary folder {removed}")
    loader = BatchLoader(raw_dir, warehouse_path, report, dagster_run_id) if load else None
    asyncio.run(
        _fetch_land_load(
            dates, client, loader, raw_dir, batch_size, progress_interval_seconds, report, log
        )
    )
    if loader is not None:
        report.failures += loader.load_in_batches(loader.pending_dates(), batch_size, log)
    report.requests = client.stats.requests
    report.retries = client.stats.retries
    log(
        f"fetched {report.dates_fetched}/{len(dates)} dates with {report.requests} requests "
        f"({report.retries} retries); loaded {report.daily_listings} listings, "
        f"{report.papers} papers, {report.paper_authors} authors"
    )
    _raise_if_failed(report)
    return report


async def _fetch_land_load(
    dates: list[date],
    client: DailyPapersClient,
    loader: BatchLoader | None,
    raw_dir: Path,
    batch_size: int,
    progress_interval_seconds: float,
    report: IngestReport,
    log: Log,
) -> None:
    pending: list[date] = []
    loading: asyncio.Task | None = None
    started = time.perf_counter()
    progress = asyncio.create_task(
        _report_progress(client, len(dates), progress_interval_seconds, log)
    )

    async def load(chunk: list[date]) -> None:
        if loader is not None:
            failures = await asyncio.to_thread(loader.load_in_batches, chunk, len(chunk), log)
            report.failures.extend(failures)

    try:
        async for outcome in client.fetch_many(dates):
            if isinstance(outcome, FetchError):
                report.failures.append(str(outcome))
                log(f"failed: {outcome}")
                continue
            _land(raw_dir, outcome)
            report.dates_fetched += 1
            pending.append(outcome.listing_date)
            if len(pending) >= batch_size:
                # One batch loads in a thread while the next lands; batches load one at a time.
                if loading is not None:
                    await loading
                loading = asyncio.create_task(load(sorted(pending)))
                pending = []
        report.seconds_fetching = time.perf_counter() - started
        if loading is not None:
            await loading
        if pending:
            await load(sorted(pending))
    finally:
        progress.cancel()
        if loading is not None and not loading.done():
            # A failure elsewhere: let the batch being written finish (its transaction is all
            # or nothing either way) rather than abandon a thread holding the warehouse.
            with suppress(Exception):
                await loading


def _land(raw_dir: Path, listing: FetchedListing) -> LandedFetch:
    return land(raw_dir, listing.listing_date, listing.fetched_at, listing.pages)


async def _report_progress(
    client: DailyPapersClient, total: int, interval_seconds: float, log: Log
) -> None:
    while True:
        await asyncio.sleep(interval_seconds)
        stats = client.stats
        log(
            f"progress: {stats.dates_done}/{total} dates fetched ({stats.dates_failed} failed), "
            f"{stats.requests} requests, {stats.retries} retries, "
            f"{stats.requests_per_second():.1f} requests/s"
        )


def _raise_if_failed(report: IngestReport) -> None:
    if report.failures:
        listed = "\n".join(f"- {failure}" for failure in sorted(report.failures))
        raise IngestError(
            f"{len(report.failures)} of {report.dates_requested} dates failed; "
            f"every other date was loaded:\n{listed}"
        )
