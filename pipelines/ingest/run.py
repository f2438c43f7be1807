"""One ingestion run: fetch and land dates concurrently, then load them in batches.

The warehouse is always loaded from the landed files, never from memory, so re-processing a
range from raw (no fetching) and a normal run take the same path and give the same rows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl

from pipelines.ingest.client import DailyPapersClient, FetchedListing, FetchError
from pipelines.ingest.landing import LandedFetch, land, landed_fetches, remove_abandoned_temp_dirs
from pipelines.listing_calendar import refresh_start
from pipelines.transform.normalise import WarehouseBatch, normalise
from pipelines.transform.schema import ParsedListing, ResponseError, parse_listing
from pipelines.warehouse.connection import connect
from pipelines.warehouse.load import LoadCounts, load_batch

Log = Callable[[str], None]


@dataclass
class IngestReport:
    """What a run did, for run metadata, progress lines and benchmarks."""

    dates_requested: int = 0
    dates_fetched: int = 0
    dates_loaded: int = 0
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
        self.dates_loaded += counts.dates
        self.daily_listings += counts.daily_listings
        self.papers += counts.papers
        self.paper_authors += counts.paper_authors
        self.upvote_snapshots += counts.upvote_snapshots


class IngestError(RuntimeError):
    """Some dates failed; every other date was loaded. The message lists each failure."""


class WarehouseWriteError(RuntimeError):
    """A batch could not be written (disk full, file not writable); its transaction rolled back."""


def dates_in_window(start: date, end: date, refresh_days: int = 0) -> list[date]:
    """The dates of the half-open window [start, end), widened back by `refresh_days`
    (`refresh_start`)."""
    if end <= start:
        raise ValueError(f"empty window: start {start} is not before end {end}")
    first = refresh_start(start, refresh_days)
    return [first + timedelta(days=offset) for offset in range((end - first).days)]


class BatchLoader:
    """Parses, normalises and loads landed dates, one transaction per batch."""

    def __init__(self, raw_dir: Path, warehouse_path: Path, report: IngestReport) -> None:
        self.raw_dir = raw_dir
        self.warehouse_path = warehouse_path
        self.report = report

    def load(self, listing_dates: Sequence[date]) -> None:
        if not listing_dates:
            return
        with connect(self.warehouse_path) as connection:
            loaded = _loaded_fetch_times(connection, listing_dates)
            plan: list[tuple[list[LandedFetch], LandedFetch]] = []
            for listing_date in listing_dates:
                fetches = landed_fetches(self.raw_dir, listing_date)
                if fetches:
                    plan.append(_fetches_to_parse(fetches, loaded.get(listing_date, set())))
            if not plan:
                return
            started = time.perf_counter()
            batch = prepare_batch(plan)
            self.report.seconds_normalising += time.perf_counter() - started
            started = time.perf_counter()
            try:
                counts = load_batch(connection, batch)
            except duckdb.Error as error:
                dates = batch.listing_dates["listing_date"]
                raise WarehouseWriteError(
                    f"could not write listing dates {dates.min()}..{dates.max()} "
                    f"({dates.len()} {'date' if dates.len() == 1 else 'dates'}) to "
                    f"{self.warehouse_path}; nothing of them was written: {error}"
                ) from error
            self.report.add(counts)
            self.report.seconds_loading += time.perf_counter() - started


def prepare_batch(plan: Sequence[tuple[list[LandedFetch], LandedFetch]]) -> WarehouseBatch:
    """Parse and normalise each date's fetches: older ones still missing snapshots, the latest."""
    parsed: list[ParsedListing] = []
    for older, latest in plan:
        for fetch in older:
            # An older fetch only adds its snapshots; one that was rejected when it was the
            # latest must not block the date for ever once a good fetch lands.
            with suppress(ResponseError):
                parsed.append(_parse(fetch))
        parsed.append(_parse(latest))
    return normalise(parsed)


def _parse(fetch: LandedFetch) -> ParsedListing:
    return parse_listing(fetch.listing_date, fetch.fetched_at, fetch.read_pages())


def _fetches_to_parse(
    fetches: list[LandedFetch], loaded: set
) -> tuple[list[LandedFetch], LandedFetch]:
    """Older fetches whose snapshots are missing, and the latest fetch (it decides the listing)."""
    return [f for f in fetches[:-1] if f.fetched_at not in loaded], fetches[-1]


def _checked_dates(listing_dates: Iterable[date]) -> list[date]:
    """Listing dates as given, refusing anything but a `date` before it reaches a path or query."""
    dates = list(listing_dates)
    for listing_date in dates:
        if not isinstance(listing_date, date) or isinstance(listing_date, datetime):
            raise TypeError(f"a listing date must be a datetime.date, not {listing_date!r}")
    return dates


def _loaded_fetch_times(connection, listing_dates: Sequence[date]) -> dict[date, set]:
    wanted = pl.DataFrame({"listing_date": list(listing_dates)}, schema={"listing_date": pl.Date()})
    connection.register("wanted_dates", wanted)
    try:
        rows = connection.execute(
            """
            select distinct listing_date, fetched_at from hf.upvote_snapshots
            where listing_date in (select listing_date from wanted_dates)
            """
        ).fetchall()
    finally:
        connection.unregister("wanted_dates")
    loaded: dict[date, set] = {}
    for listing_date, fetched_at in rows:
        loaded.setdefault(listing_date, set()).add(fetched_at)
    return loaded


def reprocess(
    listing_dates: Iterable[date],
    *,
    raw_dir: Path,
    warehouse_path: Path,
    batch_size: int = 200,
    log: Log = print,
) -> IngestReport:
    """Load dates from their landed files without fetching anything."""
    dates = _checked_dates(listing_dates)
    report = IngestReport(dates_requested=len(dates))
    loader = BatchLoader(raw_dir, warehouse_path, report)
    failures = []
    for offset in range(0, len(dates), batch_size):
        chunk = dates[offset : offset + batch_size]
        try:
            loader.load(chunk)
        except ResponseError:
            failures.extend(_load_one_by_one(loader, chunk, log))
    report.failures = failures
    log(f"re-processed {report.dates_loaded} landed dates of {len(dates)} from {raw_dir}")
    _raise_if_failed(report)
    return report


def ingest(
    listing_dates: Iterable[date],
    *,
    client: DailyPapersClient,
    raw_dir: Path,
    warehouse_path: Path,
    batch_size: int = 200,
    progress_interval_seconds: float = 10.0,
    log: Log = print,
) -> IngestReport:
    """Fetch, land and load every date; fail at the end, naming every date that failed."""
    dates = sorted(set(_checked_dates(listing_dates)))
    report = IngestReport(dates_requested=len(dates))
    for removed in remove_abandoned_temp_dirs(raw_dir):
        log(f"removed an abandoned temporary folder {removed}")
    loader = BatchLoader(raw_dir, warehouse_path, report)
    asyncio.run(
        _fetch_land_load(
            dates, client, loader, raw_dir, batch_size, progress_interval_seconds, report, log
        )
    )
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
    loader: BatchLoader,
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
        try:
            await asyncio.to_thread(loader.load, chunk)
        except ResponseError:
            report.failures.extend(await asyncio.to_thread(_load_one_by_one, loader, chunk, log))

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


def _load_one_by_one(loader: BatchLoader, chunk: Sequence[date], log: Log) -> list[str]:
    """After a batch failed validation, load its dates singly so one bad date stops only itself."""
    failures = []
    for listing_date in chunk:
        try:
            loader.load([listing_date])
        except ResponseError as error:
            failures.append(str(error))
            log(f"failed: {error}")
    return failures


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
