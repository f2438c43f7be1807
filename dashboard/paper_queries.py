"""The Search and Paper pages' questions, asked of the marts through dashboard/data.py's
cached `query`: the ranked matches of `marts.search_papers` (the ranking `paperboard search`
and SQL get too), the newest papers, and one paper's authors, listings and upvote history.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from dashboard.data import query

# Search.
SEARCH_LIMIT = 100


@dataclass(frozen=True)
class SearchFilters:
    """Listing dates form the half-open window [start, end): a paper matches when it was
    listed on a day of it (its first and last listing dates overlap the window). `topics`
    matches a paper carrying any of them."""

    start: date | None = None
    end: date | None = None
    topics: tuple[str, ...] = ()
    has_code: bool = False
    min_upvotes: int = 0


def search_filters(
    start: date, end_inclusive: date, topics: Sequence[str] = (), has_code: bool = False,
    min_upvotes: int = 0,
) -> SearchFilters:  # fmt: skip
    """The search page's filters: papers listed on a day of [start, end_inclusive]."""
    return SearchFilters(
        start=start,
        end=end_inclusive + timedelta(days=1),
        topics=tuple(topics),
        has_code=has_code,
        min_upvotes=int(min_upvotes),
    )


# The ranking is the warehouse's own, marts.search_papers (pipelines/publish/search.py): the
# page keeps its order and applies the filters to every match, so they never hide a better
# match behind the result limit. `rank` counts the papers shown; `match_rank` is the rank
# among all matches, as `paperboard search` and SQL give it.
SEARCH_SQL = """
with hits as (
    select * from marts.search_papers($query)
)

select
    row_number() over (order by hits.rank) as rank,
    hits.rank as match_rank,
    hits.score,
    papers.paper_id,
    papers.title,
    papers.abstract,
    papers.ai_summary,
    coalesce(len(papers.authors), 0) as authors,
    papers.published_at,
    papers.first_listing_date,
    papers.upvotes,
    papers.num_comments,
    papers.topics,
    papers.arxiv_url,
    papers.pdf_url,
    papers.hf_url,
    papers.github_repo
from hits
inner join marts.papers as papers on hits.paper_id = papers.paper_id
where
    ($start is null or papers.last_listing_date >= $start)
    and ($end is null or papers.first_listing_date < $end)
    and (not $has_code or papers.has_code)
    and papers.upvotes >= $min_upvotes
    and (len($topics::varchar[]) = 0 or list_has_any(papers.topics, $topics::varchar[]))
order by hits.rank
limit $limit
"""

# No words: the papers that pass the filters, by upvotes.
BROWSE_SQL = """
select
    row_number() over (order by papers.upvotes desc, papers.paper_id) as rank,
    cast(null as bigint) as match_rank,
    cast(0 as double) as score,
    papers.paper_id,
    papers.title,
    papers.abstract,
    papers.ai_summary,
    coalesce(len(papers.authors), 0) as authors,
    papers.published_at,
    papers.first_listing_date,
    papers.upvotes,
    papers.num_comments,
    papers.topics,
    papers.arxiv_url,
    papers.pdf_url,
    papers.hf_url,
    papers.github_repo
from marts.papers as papers
where
    ($start is null or papers.last_listing_date >= $start)
    and ($end is null or papers.first_listing_date < $end)
    and (not $has_code or papers.has_code)
    and papers.upvotes >= $min_upvotes
    and (len($topics::varchar[]) = 0 or list_has_any(papers.topics, $topics::varchar[]))
order by rank
limit $limit
"""


def search_results(
    words: str, filters: SearchFilters | None = None, limit: int = SEARCH_LIMIT
) -> pd.DataFrame:
    """The best `limit` papers for `words` that pass `filters`, best first; without words,
    the papers that pass them by upvotes."""
    filters = filters or SearchFilters()
    params = {
        "start": filters.start,
        "end": filters.end,
        "has_code": filters.has_code,
        "min_upvotes": filters.min_upvotes,
        "topics": list(filters.topics),
        "limit": limit,
    }
    if not words.strip():
        return query(BROWSE_SQL, **params)
    return query(SEARCH_SQL, query=words, **params)


def indexed_papers() -> int:
    """How many papers search looks through."""
    return int(query("select count(*) as papers from marts.papers")["papers"].iloc[0])


# Paper.
def latest_papers() -> pd.DataFrame:
    """The 200 most recently listed papers, to pick one from."""
    return query(
        """
        select paper_id, title, upvotes from marts.papers
        order by last_listing_date desc, upvotes desc, paper_id
        limit 200
        """
    )


def paper(paper_id: str) -> pd.DataFrame:
    """One paper of `marts.papers` (no row when there is no such paper)."""
    return query("select * from marts.papers where paper_id = $paper_id", paper_id=paper_id)


def paper_authors(paper_id: str) -> pd.DataFrame:
    """The paper's visible authors in order: position, name, hf_username, status."""
    return query(
        """
        select author.position, author.name, author.hf_username, author.status
        from (select unnest(authors) as author from marts.papers where paper_id = $paper_id)
        order by author.position
        """,
        paper_id=paper_id,
    )


def paper_listings(paper_id: str) -> pd.DataFrame:
    """The days the paper was listed on: listing_date, position, upvotes, num_comments."""
    return query(
        """
        select listing.listing_date, listing.position, listing.upvotes, listing.num_comments
        from (select unnest(listings) as listing from marts.papers where paper_id = $paper_id)
        order by listing.listing_date
        """,
        paper_id=paper_id,
    )


def upvote_history(paper_id: str) -> pd.DataFrame:
    return query(
        """
        select fetched_at, upvotes, num_comments, upvotes_gained
        from marts.upvote_history
        where paper_id = $paper_id
        order by snapshot_number
        """,
        paper_id=paper_id,
    )
