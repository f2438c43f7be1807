"""Loading a normalised batch: delete-and-insert the batch's dates in one transaction.

Running the same batch twice, or batches in any order, leaves the same rows: listings are
replaced per date, snapshots are keyed by (paper_id, fetched_at), and a paper's attributes
are replaced only by a version from a later listing date (ties: a later fetch).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass

import duckdb

from pipelines.transform.normalise import WarehouseBatch


@dataclass(frozen=True)
class LoadCounts:
    dates: int
    daily_listings: int
    papers: int
    paper_authors: int
    upvote_snapshots: int


_LOAD_SQL = """
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

create or replace temp table touched_papers as
select paper_id from batch_papers
union
select paper_id from hf.papers
where first_listing_date <= (select max(listing_date) from batch_listing_dates)
    and last_listing_date >= (select min(listing_date) from batch_listing_dates);

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

drop table newer_versions;
drop table touched_papers;
"""


def load_batch(connection: duckdb.DuckDBPyConnection, batch: WarehouseBatch) -> LoadCounts:
    """Write one batch in one transaction: all of it lands, or none of it."""
    frames = {
        "batch_listing_dates": batch.listing_dates,
        "batch_daily_listings": batch.daily_listings,
        "batch_papers": batch.papers,
        "batch_paper_authors": batch.paper_authors,
        "batch_upvote_snapshots": batch.upvote_snapshots,
    }
    connection.begin()
    try:
        for name, frame in frames.items():
            connection.register(name, frame)
        connection.execute(_LOAD_SQL)
        connection.commit()
    except BaseException:
        # A failed commit (disk full) has already ended the transaction; the original error
        # is the one worth reporting, not "no transaction is active".
        with suppress(duckdb.Error):
            connection.rollback()
        raise
    finally:
        for name in frames:
            connection.unregister(name)
    return LoadCounts(
        dates=batch.listing_dates.height,
        daily_listings=batch.daily_listings.height,
        papers=batch.papers.height,
        paper_authors=batch.paper_authors.height,
        upvote_snapshots=batch.upvote_snapshots.height,
    )
