"""One ingestion run: fetch and land dates concurrently, then load them in batches.

The warehouse is always loaded from the landed fetches, never from memory, so re-processing a
range from raw (no fetching) and a normal run take the same path and give the same rows.

Each batch is one transaction that also decides what it loads: it reads the change ledger
(which landed fetches a load has read) inside the transaction that writes. On the DuckDB file
only one process writes at a time; on a lake, two processes loading at once conflict (every
load bumps `hf.load_counter`, see pipelines/warehouse/load.py), and the loser runs its whole
transaction again on a fresh snapshot, where it sees what the winner loaded: nothing is loaded
twice, and load ids follow commit order.
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
from pipelines.ingest.landing import LandedFetch, Landing, checked_date, landing_for
from pipelines.transform.normalise import WarehouseBatch, fetch_outcomes, normalise
from pipelines.transform.schema import ParsedListing, ResponseError, parse_listing
from pipelines.warehouse.connection import WarehouseTarget, connect, describe
from pipelines.warehouse.lake import is_conflict, retry_on_conflict
from pipelines.warehouse.load import LoadCounts, handled_fetches, record_rejection, write_batch

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


Plan = list[tuple[list[LandedFetch], LandedFetch]]


class BatchLoader:
    """Parses, normalises and loads landed dates, one transaction per batch.

    What a date needs is read from the ledger: its fetches that no load has read yet (older
    ones only add their snapshots; the latest decides the listing). A date with nothing new
    is skipped unless the load is forced (re-processing).
    """

    def __init__(
        self,
        landing: Landing,
        warehouse: WarehouseTarget,
        report: IngestReport,
        dagster_run_id: str | None = None,
    ) -> None:
        self.landing = landing
        self.warehouse = warehouse
        self.report = report
        self.dagster_run_id = dagster_run_id

    def load(self, listing_dates: Sequence[date], *, force: bool = False) -> None:
        if not listing_dates:
            return
        landed = self.landing.fetches(listing_dates)
        with connect(self.warehouse) as connection:
            retry_on_conflict(lambda: self._load_once(connection, listing_dates, landed, force))

    def _plan(
        self,
        listing_dates: Sequence[date],
        landed: dict[date, list[LandedFetch]],
        handled: set[tuple[date, datetime]],
        force: bool,
    ) -> Plan:
        plan: Plan = []
        for listing_date in listing_dates:
            fetches = landed.get(listing_date, [])
            unread = [f for f in fetches if f.key not in handled]
            if fetches and (force or unread):
                latest = fetches[-1]
                plan.append(([f for f in unread if f != latest], latest))
        return plan

    def _load_once(
        self,
        connection: duckdb.DuckDBPyConnection,
        listing_dates: Sequence[date],
        landed: dict[date, list[LandedFetch]],
        force: bool,
    ) -> None:
        """One transaction: what the ledger says is new, parsed, normalised and written."""
        connection.begin()
        try:
            handled = handled_fetches(connection, listing_dates)
            plan = self._plan(listing_dates, landed, handled, force)
            if not plan:
                connection.rollback()
                return
            started = time.perf_counter()
            try:
                batch = prepare_batch(plan, self.landing)
            except ResponseError as error:
                connection.rollback()
                if len(plan) == 1:
                    record_rejection(
                        connection, plan[0][1].listing_date, plan[0][1].fetched_at, str(error)
                    )
                raise
            if not force:
                batch = without_fetches(batch, handled)
            self.report.seconds_normalising += time.perf_counter() - started
            started = time.perf_counter()
            try:
                counts = write_batch(connection, batch, dagster_run_id=self.dagster_run_id)
                connection.commit()
            except duckdb.Error as error:
                if is_conflict(error):
                    raise
                dates = batch.listing_dates["listing_date"]
                raise WarehouseWriteError(
                    f"could not write listing dates {dates.min()}..{dates.max()} "
                    f"({dates.len()} {'date' if dates.len() == 1 else 'dates'}) to "
                    f"{describe(self.warehouse)}; nothing of them was written: {error}"
                ) from error
        except BaseException:
            # A failed commit (disk full, a conflict) has already ended the transaction; the
            # original error is the one worth reporting, not "no transaction is active".
            with suppress(duckdb.Error):
                connection.rollback()
            raise
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
        dates = self.landing.dates()
        if not dates:
            return []
        with connect(self.warehouse) as connection:
            handled = handled_fetches(connection, dates)
        landed = self.landing.fetches(dates)
        return [
            listing_date
            for listing_date in dates
            if any(fetch.key not in handled for fetch in landed.get(listing_date, []))
        ]


def prepare_batch(plan: Plan, landing: Landing) -> WarehouseBatch:
    """Parse and normalise each date's fetches: older ones still missing snapshots, the latest.

    The batch's `fetches` says what became of each: an older fetch the schema refuses only
    loses its snapshots (it must not block the date for ever once a good fetch lands).
    """
    pages = landing.read_pages([fetch for older, latest in plan for fetch in [*older, latest]])
    parsed: list[ParsedListing] = []
    unreadable: list[tuple[date, datetime]] = []
    for older, latest in plan:
        for fetch in older:
            try:
                parsed.append(_parse(fetch, pages))
            except ResponseError:
                unreadable.append((fetch.listing_date, fetch.fetched_at))
        parsed.append(_parse(latest, pages))
    batch = normalise(parsed)
    if not unreadable:
        return batch
    fetches = pl.concat([batch.fetches, fetch_outcomes(unreadable, "unreadable")])
    return replace(batch, fetches=fetches)


def without_fetches(batch: WarehouseBatch, handled: set[tuple[date, datetime]]) -> WarehouseBatch:
    """The batch minus the ledger entries of fetches a load has already read.

    A date's listing always comes from its latest fetch. When an older fetch lands after a
    newer one was loaded (two machines fetched the same date, and the earlier fetch landed
    later), the load reads the older one for its upvote snapshots and the newer one again for
    the listing; only the older one is new to the ledger.
    """
    read_before = [
        (listing_date, fetched_at) in handled
        for listing_date, fetched_at in batch.fetches.select("listing_date", "fetched_at").rows()
    ]
    return replace(batch, fetches=batch.fetches.filter(~pl.Series(read_before, dtype=pl.Boolean)))


def _parse(fetch: LandedFetch, pages: dict[tuple[date, datetime], list[bytes]]) -> ParsedListing:
    return parse_listing(fetch.listing_date, fetch.fetched_at, pages[fetch.key])


def _checked_dates(listing_dates: Iterable[date]) -> list[date]:
    """Listing dates as given, refusing anything but a `date` before it reaches a path or query."""
    return [checked_date(listing_date) for listing_date in listing_dates]


def reprocess(
    listing_dates: Iterable[date],
    *,
    warehouse: WarehouseTarget,
    raw_dir: Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    log: Log = print,
    dagster_run_id: str | None = None,
) -> IngestReport:
    """Load dates again from their landed fetches, read before or not, without fetching."""
    dates = sorted(set(_checked_dates(listing_dates)))
    report = IngestReport(dates_requested=len(dates))
    with landing_for(warehouse, raw_dir) as landing:
        loader = BatchLoader(landing, warehouse, report, dagster_run_id)
        report.failures = loader.load_in_batches(dates, batch_size, log, force=True)
    log(
        f"re-processed {report.dates_loaded} landed dates of {len(dates)} from {landing.describe()}"
    )
    _raise_if_failed(report)
    return report


def load_pending(
    *,
    warehouse: WarehouseTarget,
    raw_dir: Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    log: Log = print,
    dagster_run_id: str | None = None,
) -> IngestReport:
    """Load every landed fetch that no load has read yet, whoever landed it and when."""
    report = IngestReport()
    with landing_for(warehouse, raw_dir) as landing:
        loader = BatchLoader(landing, warehouse, report, dagster_run_id)
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
    warehouse: WarehouseTarget,
    raw_dir: Path | None = None,
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
    with landing_for(warehouse, raw_dir) as landing:
        for removed in landing.remove_abandoned():
            log(f"removed an abandoned temporary folder {removed}")
        loader = BatchLoader(landing, warehouse, report, dagster_run_id) if load else None
        asyncio.run(
            _fetch_land_load(
                dates, client, loader, landing, batch_size, progress_interval_seconds, report, log
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
    landing: Landing,
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
            # In a thread: landing in the lake is a transaction, and fetching goes on meanwhile.
            await asyncio.to_thread(_land, landing, outcome)
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


def _land(landing: Landing, listing: FetchedListing) -> LandedFetch:
    return landing.land(listing.listing_date, listing.fetched_at, listing.pages)


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
