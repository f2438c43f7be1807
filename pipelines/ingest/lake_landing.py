"""The landing zone of the team profile: landed pages in the lake, not on one machine's disk.

A fetch's pages are one insert into `raw.daily_papers_pages`, one DuckLake transaction: any
worker sees every page of a fetch or none of it (the same all-or-nothing as the embedded
profile's atomically renamed folders), and can re-process what another worker landed. The
bodies are kept byte for byte (as blobs; Parquet compresses them) in the lake's data path,
the object store in a team deployment: the table opts out of DuckLake's data inlining, which
would otherwise keep small inserts in the PostgreSQL catalog. A writer killed mid-landing
leaves nothing, since its transaction never committed, so there is nothing to clean up.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

import duckdb
import polars as pl

from pipelines.ingest.landing import LandedFetch, LandingError, checked_date
from pipelines.warehouse.connection import connect
from pipelines.warehouse.lake import Lake, retry_on_conflict, unavailable

RAW_PAGES_TABLE = "raw.daily_papers_pages"

_DDL = """
create schema if not exists raw;
create table if not exists raw.daily_papers_pages (
    listing_date date not null,          -- the Daily Papers day asked for
    fetched_at timestamptz not null,     -- when paperboard fetched it (one fetch, many pages)
    page integer not null,               -- 0-based page number
    body blob not null                   -- the response body exactly as received
);
"""
_NO_INLINING_SQL = """
call warehouse.set_option(
    'data_inlining_row_limit', 0, schema => 'raw', table_name => 'daily_papers_pages'
)
"""

_FETCHES_SQL = """
select distinct listing_date, fetched_at from raw.daily_papers_pages
where listing_date in (select listing_date from wanted_dates)
order by listing_date, fetched_at
"""

_DATES_SQL = "select distinct listing_date from raw.daily_papers_pages order by listing_date"

_PAGES_SQL = """
select p.listing_date, p.fetched_at, p.page, p.body
from raw.daily_papers_pages as p
semi join wanted_fetches as w on p.listing_date = w.listing_date and p.fetched_at = w.fetched_at
order by p.listing_date, p.fetched_at, p.page
"""

_LAND_SQL = "insert into raw.daily_papers_pages by name select * from fetch_pages"


class LakeLanding:
    """Landed fetches as rows of `raw.daily_papers_pages`, written one transaction a fetch."""

    def __init__(self, lake: Lake) -> None:
        self.lake = lake
        # One connection for the run (opening one costs about half a second: extensions, the
        # catalog), used by the fetching loop and the loading thread in turn.
        self._lock = threading.Lock()
        self._opened = None
        self._connection: duckdb.DuckDBPyConnection | None = None

    def describe(self) -> str:
        return f"{RAW_PAGES_TABLE} in the {self.lake.describe()}"

    def _open(self) -> duckdb.DuckDBPyConnection:
        """The run's connection, the table created on first use."""
        if self._connection is None:
            opened = connect(self.lake)
            connection = opened.__enter__()
            try:
                retry_on_conflict(lambda: connection.execute(_DDL))
                retry_on_conflict(lambda: connection.execute(_NO_INLINING_SQL))
            except BaseException:
                opened.__exit__(None, None, None)
                raise
            self._opened, self._connection = opened, connection
        return self._connection

    def close(self) -> None:
        with self._lock:
            if self._opened is not None:
                self._opened.__exit__(None, None, None)
            self._opened, self._connection = None, None

    def land(self, listing_date: date, fetched_at: datetime, pages: Iterable[bytes]) -> LandedFetch:
        """Insert every page of one fetch in one transaction; nothing lands on failure."""
        listing_date = checked_date(listing_date)
        fetched_at = fetched_at.astimezone(UTC)
        bodies = list(pages)
        frame = pl.DataFrame(
            {
                "listing_date": [listing_date] * len(bodies),
                "fetched_at": [fetched_at] * len(bodies),
                "page": list(range(len(bodies))),
                "body": bodies,
            },
            schema={
                "listing_date": pl.Date(),
                "fetched_at": pl.Datetime("us", "UTC"),
                "page": pl.Int32(),
                "body": pl.Binary(),
            },
        )
        try:
            with self._lock:
                connection = self._open()
                connection.register("fetch_pages", frame)
                try:
                    retry_on_conflict(lambda: connection.execute(_LAND_SQL))
                finally:
                    connection.unregister("fetch_pages")
        except duckdb.Error as error:
            raise LandingError(
                f"listing date {listing_date}: could not land the fetch in {RAW_PAGES_TABLE}: "
                f"{unavailable(self.lake, error)}"
            ) from error
        return LandedFetch(listing_date, fetched_at)

    def fetches(self, listing_dates: Sequence[date]) -> dict[date, list[LandedFetch]]:
        """Every landed fetch of the dates, oldest first."""
        found: dict[date, list[LandedFetch]] = defaultdict(list)
        if not listing_dates:
            return found
        wanted = pl.DataFrame(
            {"listing_date": [checked_date(day) for day in listing_dates]},
            schema={"listing_date": pl.Date()},
        )
        with self._lock:
            connection = self._open()
            connection.register("wanted_dates", wanted)
            try:
                rows = connection.execute(_FETCHES_SQL).fetchall()
            finally:
                connection.unregister("wanted_dates")
        for listing_date, fetched_at in rows:
            found[listing_date].append(LandedFetch(listing_date, fetched_at.astimezone(UTC)))
        return found

    def dates(self) -> list[date]:
        with self._lock:
            return [row[0] for row in self._open().execute(_DATES_SQL).fetchall()]

    def read_pages(
        self, fetches: Sequence[LandedFetch]
    ) -> dict[tuple[date, datetime], list[bytes]]:
        """The pages of many fetches in one query, in page order."""
        pages: dict[tuple[date, datetime], list[bytes]] = defaultdict(list)
        if not fetches:
            return pages
        wanted = pl.DataFrame(
            {
                "listing_date": [fetch.listing_date for fetch in fetches],
                "fetched_at": [fetch.fetched_at for fetch in fetches],
            },
            schema={"listing_date": pl.Date(), "fetched_at": pl.Datetime("us", "UTC")},
        )
        with self._lock:
            connection = self._open()
            connection.register("wanted_fetches", wanted)
            try:
                rows = connection.execute(_PAGES_SQL).fetchall()
            finally:
                connection.unregister("wanted_fetches")
        for listing_date, fetched_at, _page, body in rows:
            pages[(listing_date, fetched_at.astimezone(UTC))].append(bytes(body))
        return pages

    def remove_abandoned(self) -> list[str]:
        """Nothing to remove: a fetch whose writer died never committed."""
        return []
