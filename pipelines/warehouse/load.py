"""Loading a normalised batch: delete-and-insert the batch's dates in one transaction.

Running the same batch twice, or batches in any order, leaves the same rows: listings are
replaced per date, snapshots are keyed by (paper_id, fetched_at), and a paper's attributes
are replaced only by a version from a later listing date (ties: a later fetch).

The same transaction writes the change ledger (`hf.loads`, `hf.load_fetches`,
`hf.load_papers`): which fetches the load read and which papers it may have changed. The
steps after loading read their work from it, so the ledger and the rows never disagree.

Load ids follow commit order, on a lake too. An incremental dbt model rebuilds what the loads
after its newest `load_id` changed, so a load that committed after one with a higher id would
be skipped for ever. `max(load_id) + 1` alone does not prevent it on DuckLake, where two
transactions that only insert into `hf.loads` both commit (each had read the same max). So
every load also updates the one row of `hf.load_counter` and takes its id from it: two loads
that overlap in time then both delete that row's old version, DuckLake refuses the second
commit as a conflict, and the loser runs again on a snapshot that holds the winner's load
(pipelines/ingest/run.py), taking the next id. A load therefore never commits while another
one that started before it commits with a higher id. On the DuckDB file one process writes at
a time and the counter only mirrors `max(load_id)`.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import polars as pl

from pipelines.transform.normalise import WarehouseBatch


@dataclass(frozen=True)
class LoadCounts:
    load_id: int
    dates: int
    daily_listings: int
    papers: int
    paper_authors: int
    upvote_snapshots: int


# The shared row every load updates (see the module's docstring), then reads its id from.
_BUMP_LOAD_COUNTER_SQL = "update hf.load_counter set last_load_id = last_load_id + 1"

_NEXT_LOAD_SQL = """
create or replace temp table this_load as
select max(last_load_id) as load_id, $dagster_run_id::varchar as dagster_run_id
from hf.load_counter
"""

_LOAD_SQL = """
-- Every paper whose row this load may change: listed in the batch, or listed on the batch's
-- dates until now (a re-fetch may have dropped it).
create or replace temp table touched_papers as
select paper_id from batch_papers
union
select paper_id from hf.daily_listings
where listing_date in (select listing_date from batch_listing_dates);

delete from hf.daily_listings
where listing_date in (select listing_date from batch_listing_dates);

insert into hf.daily_listings by name
select * from batch_daily_listings;

insert into hf.upvote_snapshots by name
select s.* from batch_upvote_snapshots as s
where not exists (
    select 1 from hf.upvote_snapshots as existing
    where existing.paper_id = s.paper_id and existing.fetched_at = s.fetched_at
);

create or replace temp table newer_versions as
select b.* from batch_papers as b
left join hf.papers as p on p.paper_id = b.paper_id
where p.paper_id is null
    or b.source_listing_date > p.source_listing_date
    or (b.source_listing_date = p.source_listing_date and b.fetched_at >= p.fetched_at);

delete from hf.papers where paper_id in (select paper_id from newer_versions);
insert into hf.papers by name select * from newer_versions;

delete from hf.paper_authors where paper_id in (select paper_id from newer_versions);
insert into hf.paper_authors by name
select a.* from batch_paper_authors as a
where a.paper_id in (select paper_id from newer_versions);

-- A paper that no longer appears on any list (a re-fetch dropped it) leaves the warehouse.
delete from hf.paper_authors
where paper_id in (select paper_id from touched_papers)
    and paper_id not in (select paper_id from hf.daily_listings);
delete from hf.papers
where paper_id in (select paper_id from touched_papers)
    and paper_id not in (select paper_id from hf.daily_listings);

update hf.papers as p
set first_listing_date = span.first_listing_date, last_listing_date = span.last_listing_date
from (
    select paper_id, min(listing_date) as first_listing_date, max(listing_date) as last_listing_date
    from hf.daily_listings
    where paper_id in (select paper_id from touched_papers)
    group by paper_id
) as span
where p.paper_id = span.paper_id;

-- Counts are the latest any fetch saw, whichever date that fetch was for.
update hf.papers as p
set upvotes = latest.upvotes, num_comments = latest.num_comments
from (
    select paper_id, arg_max(upvotes, fetched_at) as upvotes,
        arg_max(num_comments, fetched_at) as num_comments
    from hf.upvote_snapshots
    where paper_id in (select paper_id from touched_papers)
    group by paper_id
) as latest
where p.paper_id = latest.paper_id;

insert into hf.loads
select
    load_id,
    now() as loaded_at,
    dagster_run_id,
    (select count(*) from batch_listing_dates) as listing_dates,
    (select count(*) from touched_papers) as papers
from this_load;

insert into hf.load_fetches by name
select this_load.load_id, f.listing_date, f.fetched_at, f.outcome
from batch_fetches as f cross join this_load;

insert into hf.load_papers by name
select this_load.load_id, t.paper_id
from touched_papers as t cross join this_load;

drop table newer_versions;
drop table touched_papers;
"""


def load_batch(
    connection: duckdb.DuckDBPyConnection,
    batch: WarehouseBatch,
    *,
    dagster_run_id: str | None = None,
) -> LoadCounts:
    """Write one batch and its ledger entry in one transaction: all of it lands, or none."""
    connection.begin()
    try:
        counts = write_batch(connection, batch, dagster_run_id=dagster_run_id)
        connection.commit()
    except BaseException:
        # A failed commit (disk full) has already ended the transaction; the original error
        # is the one worth reporting, not "no transaction is active".
        with suppress(duckdb.Error):
            connection.rollback()
        raise
    return counts


def write_batch(
    connection: duckdb.DuckDBPyConnection,
    batch: WarehouseBatch,
    *,
    dagster_run_id: str | None = None,
) -> LoadCounts:
    """Write one batch and its ledger entry inside the caller's transaction."""
    frames = {
        "batch_fetches": batch.fetches,
        "batch_listing_dates": batch.listing_dates,
        "batch_daily_listings": batch.daily_listings,
        "batch_papers": batch.papers,
        "batch_paper_authors": batch.paper_authors,
        "batch_upvote_snapshots": batch.upvote_snapshots,
    }
    try:
        for name, frame in frames.items():
            connection.register(name, frame)
        connection.execute(_BUMP_LOAD_COUNTER_SQL)
        connection.execute(_NEXT_LOAD_SQL, {"dagster_run_id": dagster_run_id})
        connection.execute(_LOAD_SQL)
        (load_id,) = connection.execute("select load_id from this_load").fetchone()
        connection.execute("drop table this_load")
    finally:
        for name in frames:
            connection.unregister(name)
    return LoadCounts(
        load_id=load_id,
        dates=batch.listing_dates.height,
        daily_listings=batch.daily_listings.height,
        papers=batch.papers.height,
        paper_authors=batch.paper_authors.height,
        upvote_snapshots=batch.upvote_snapshots.height,
    )


def record_rejection(
    connection: duckdb.DuckDBPyConnection, listing_date: date, fetched_at: datetime, error: str
) -> None:
    """Remember that a date's latest fetch was refused, so later runs do not try it again."""
    connection.execute(
        """
        insert into hf.rejected_fetches
        select $listing_date, $fetched_at, now(), $error
        where not exists (
            select 1 from hf.rejected_fetches
            where listing_date = $listing_date and fetched_at = $fetched_at
        )
        """,
        {"listing_date": listing_date, "fetched_at": fetched_at, "error": error},
    )


def handled_fetches(
    connection: duckdb.DuckDBPyConnection, listing_dates: Sequence[date]
) -> set[tuple[date, datetime]]:
    """The (listing_date, fetched_at) of the given dates' fetches that a load has read or
    refused: what the ledger says needs no loading."""
    wanted = pl.DataFrame({"listing_date": list(listing_dates)}, schema={"listing_date": pl.Date()})
    connection.register("wanted_dates", wanted)
    try:
        rows = connection.execute(
            """
            select listing_date, fetched_at from hf.load_fetches
            where listing_date in (select listing_date from wanted_dates)
            union
            select listing_date, fetched_at from hf.rejected_fetches
            where listing_date in (select listing_date from wanted_dates)
            """
        ).fetchall()
    finally:
        connection.unregister("wanted_dates")
    return {(listing_date, fetched_at) for listing_date, fetched_at in rows}
