"""Everything the dashboard reads, from the serving copy only, read-only and cached.

The pipeline publishes `$PAPERBOARD_DATA_DIR/serving.duckdb` atomically after each
successful run and never opens it, so the dashboard holding it never blocks a run. Every
query here opens it read-only, attached as `warehouse` so the dbt views resolve, and its
result is cached under the file's modification time: a new serving copy means new answers,
without restarting the app.

On a lake (PAPERBOARD_WAREHOUSE) there is no serving copy: the dashboard reads the lake
itself, pinned to one snapshot, and the snapshot id takes the modification time's place as
the cache key: the newest snapshot, or the one picked in the sidebar (time travel).

The queries read the dbt marts (`marts.*`) and nothing else: the marts are the contract the
pipeline serves, and what ranks or aggregates is defined there, once (tests/
test_serving_contract.py fails on any other relation). What is left here is choosing rows,
summing a leaderboard mart over the period a visitor picks, and the Now page's re-ranking,
which calls the mart's own score function (`marts.trending_score`).

Each page asks its questions through the functions below, so the warm-up
(dashboard/warmup.py) can ask the same ones, with the same defaults, before anyone visits.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from dashboard.lake_snapshots import LAKE_SOURCE, current_version, lake, open_at, snapshots
from pipelines.settings import load_settings
from pipelines.urls import web_url
from pipelines.warehouse.serving import serving_connection

WINDOWS = ("day", "week", "month")


def serving_path() -> Path:
    return load_settings().serving_path


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return None


def serving_mtime() -> float | None:
    """The serving copy's modification time, or the lake's newest snapshot (None when there
    is none): what every cache here is keyed on, so a new copy is a new key."""
    source = _source()
    return None if source is None else source[1]


def _source() -> tuple[str, float] | None:
    """What the dashboard reads and which version: the serving copy's path and modification
    time, or the lake and the snapshot id; None when there is nothing to read."""
    if lake() is not None:
        version = current_version()
        return None if version is None else (LAKE_SOURCE, float(version))
    path = serving_path()
    mtime = _mtime(path)
    return None if mtime is None else (str(path), mtime)


@st.cache_resource(show_spinner=False, max_entries=2)
def _database(path: str, mtime: float) -> duckdb.DuckDBPyConnection:
    """One read-only DuckDB per serving copy, shared by every query: its catalogue and the
    blocks it has read stay in memory. When a newer copy evicts it, queries still running
    on it finish (their cursors hold it) and the file closes after the last one."""
    if path == LAKE_SOURCE:
        return open_at(int(mtime))
    del mtime  # part of the cache key only
    return serving_connection(Path(path))


def _cursor(path: str, mtime: float) -> duckdb.DuckDBPyConnection:
    """A connection of its own (thread-safe) to the serving copy's shared database."""
    cursor = _database(path, mtime).cursor()
    cursor.execute("use warehouse")
    return cursor


@st.cache_data(show_spinner=False, max_entries=512)
def _query(sql: str, params: dict[str, Any], path: str, mtime: float) -> pd.DataFrame:
    cursor = _cursor(path, mtime)
    try:
        return cursor.execute(sql, params).df()
    finally:
        cursor.close()


def query(sql: str, **params: Any) -> pd.DataFrame:
    """The result of a read-only query of the serving copy (cached per serving copy)."""
    source = _source()
    if source is None:
        raise FileNotFoundError(serving_path())
    return _query(sql, params, *source)


@dataclass(frozen=True)
class Status:
    """What the dashboard can say about the serving copy before showing anything."""

    path: Path | str
    exists: bool
    written_at: datetime | None = None
    newest_listing_date: date | None = None
    listing_dates: int = 0
    has_marts: bool = False
    error: str | None = None

    @property
    def ready(self) -> bool:
        return self.exists and self.error is None and self.has_marts and self.listing_dates > 0

    def days_behind(self, today: date) -> int | None:
        if self.newest_listing_date is None:
            return None
        return (today - self.newest_listing_date).days


# The marts the pages read: a serving copy without all of them (the pipeline has not built
# them yet, or an older version built it) shows what to run instead of failing a page.
MARTS = (
    "daily_summary", "emerging_keywords", "papers", "topics", "topic_daily", "topic_trends",
    "trending_now", "trending_papers", "upvote_history", "author_daily", "author_leaderboard",
    "organization_daily", "organization_leaderboard", "search_index",
)  # fmt: skip

MARTS_SQL = """
select count(*) as marts
from information_schema.tables
where table_catalog = 'warehouse' and table_schema = 'marts' and list_contains($marts, table_name)
"""

LISTINGS_SQL = """
select max(listing_date) as newest_listing_date, count(*) as listing_dates
from marts.daily_summary
"""


def status() -> Status:
    target = lake()
    path: Path | str = serving_path() if target is None else target.describe()
    try:
        source = _source()
    except (duckdb.Error, RuntimeError) as error:
        return Status(path=path, exists=True, error=str(error))
    if source is None:
        return Status(path=path, exists=False)
    if target is None:
        written_at = datetime.fromtimestamp(source[1], UTC)
    else:
        written_at = dict(snapshots(limit=1000)).get(int(source[1]))
    try:
        has_marts = int(query(MARTS_SQL, marts=list(MARTS))["marts"].iloc[0]) == len(MARTS)
        if not has_marts:
            return Status(path=path, exists=True, written_at=written_at)
        row = query(LISTINGS_SQL).iloc[0]
    except duckdb.Error as error:
        return Status(path=path, exists=True, written_at=written_at, error=str(error))
    newest = row["newest_listing_date"]
    return Status(
        path=path,
        exists=True,
        written_at=written_at,
        newest_listing_date=None if pd.isna(newest) else pd.Timestamp(newest).date(),
        listing_dates=int(row["listing_dates"]),
        has_marts=True,
    )


def topics() -> list[str]:
    """The taxonomy's topics by name, the fallback (`other`) last."""
    frame = query("select topic from marts.topics order by is_fallback, topic")
    return frame["topic"].tolist()


def listing_span() -> tuple[date, date]:
    frame = query(
        "select min(listing_date) as first, max(listing_date) as last from marts.daily_summary"
    )
    return frame["first"].iloc[0].date(), frame["last"].iloc[0].date()


def window_start(day: date, window: str) -> date:
    """The first day of the day, week (from Monday) or month containing `day`."""
    if window == "week":
        return date.fromordinal(day.toordinal() - day.weekday())
    if window == "month":
        return day.replace(day=1)
    return day


# Trending.
TRENDING_WINDOW = "week"  # what the page shows first: the newest week's 25 best
TRENDING_LIMIT = 25


def trending_papers(window: str, start: date, limit: int) -> pd.DataFrame:
    """The `limit` best papers of the window starting on `start`, with their upvote history."""
    return query(
        """
        with ranked as (
            select * from marts.trending_papers
            where "window" = $window and window_start = $start
            order by rank
            limit $limit
        )

        select
            ranked.rank,
            ranked.title,
            ranked.upvotes,
            ranked.num_comments,
            coalesce(papers.topics, [ranked.primary_topic]) as topics,
            (
                select list(history.upvotes order by history.snapshot_number)
                from marts.upvote_history as history
                where history.paper_id = ranked.paper_id
            ) as upvote_history,
            ranked.first_listed_on,
            ranked.organization,
            ranked.arxiv_url,
            ranked.pdf_url,
            ranked.hf_url,
            ranked.github_repo,
            ranked.paper_id,
            papers.abstract,
            papers.ai_summary,
            coalesce(len(papers.authors), 0) as authors,
            papers.published_at,
            papers.first_listing_date
        from ranked
        left join marts.papers as papers on ranked.paper_id = papers.paper_id
        order by ranked.rank
        """,
        window=window,
        start=start,
        limit=limit,
    )


# Now.
@dataclass(frozen=True)
class ScoreInputs:
    """What the Now page lets a visitor change in the trending score (macros/
    trending_score.sql): score = upvotes / (age_hours + age_offset_hours) ^ gravity."""

    gravity: float
    age_offset_hours: float
    min_upvotes: int = 0


def trending_now_defaults() -> ScoreInputs | None:
    """The inputs `marts.trending_now` was scored with (its dbt vars): the page's defaults.
    None when the mart holds no paper."""
    frame = query("select gravity, age_offset_hours from marts.trending_now limit 1")
    if frame.empty:
        return None
    return ScoreInputs(
        gravity=float(frame["gravity"].iloc[0]),
        age_offset_hours=float(frame["age_offset_hours"].iloc[0]),
    )


def trending_now(inputs: ScoreInputs) -> pd.DataFrame:
    """`marts.trending_now` scored and ranked again with `inputs`, through the function the
    mart was scored with (`marts.trending_score`), with the mart's tie-breaks; with the
    mart's own inputs it gives the mart's scores and ranks."""
    return query(
        """
        with rescored as (
            select
                *,
                marts.trending_score(upvotes, age_hours, $age_offset_hours, $gravity)
                    as new_score
            from marts.trending_now
            where upvotes >= $min_upvotes
        )

        select
            row_number() over (
                order by new_score desc, upvotes desc, first_listed_at asc, paper_id asc
            ) as rank,
            new_score as score,
            rank as mart_rank, paper_id, title, upvotes, num_comments, age_hours, gravity,
            score as mart_score, upvote_velocity, previous_upvotes, first_listing_date,
            scored_at, hf_url, arxiv_url, github_repo
        from rescored
        order by rank
        """,
        gravity=inputs.gravity,
        age_offset_hours=inputs.age_offset_hours,
        min_upvotes=inputs.min_upvotes,
    )


# Topics.
TOPIC_GRAINS = ("week", "day")


def first_topic_grain(weeks: pd.DataFrame) -> str:
    """What the topic shares are shown per at first: weeks once there are four."""
    return "week" if len(weeks) >= 4 else "day"


def topic_weeks() -> pd.DataFrame:
    """The weeks with topic counts, newest first."""
    return query("select distinct week_start from marts.topic_trends order by week_start desc")


def topic_shares(grain: str) -> pd.DataFrame:
    """Each topic's share of the papers per week or per day."""
    if grain == "week":
        return query(
            "select week_start as period, topic, share_of_papers, papers from marts.topic_trends "
            "order by period, topic"
        )
    return query(
        "select listing_date as period, topic, share_of_papers, papers from marts.topic_daily "
        "order by period, topic"
    )


def rising_topics(week: date) -> pd.DataFrame:
    return query(
        """
        select
            topic, papers, papers_change, share_of_papers, trailing_mean_share,
            share_z_score, trailing_weeks_observed
        from marts.topic_trends
        where week_start = $week and papers > 0
        order by share_z_score desc nulls last, papers desc, topic
        """,
        week=week,
    )


def emerging_keywords(week: date) -> pd.DataFrame:
    return query(
        """
        select rank, keyword, papers, trailing_mean_papers, lift, is_new, spellings
        from marts.emerging_keywords
        where week_start = $week
        order by rank
        limit 25
        """,
        week=week,
    )


def topic_papers(week: date, topic: str, primary_only: bool) -> pd.DataFrame:
    """The week's 20 best papers on `topic` (as their primary topic, or any of theirs)."""
    return query(
        """
        select
            tp.rank as week_rank, tp.title, tp.upvotes, tp.num_comments, tp.primary_topic,
            papers.topics, tp.arxiv_url, tp.hf_url, tp.github_repo, tp.paper_id
        from marts.trending_papers as tp
        left join marts.papers as papers on tp.paper_id = papers.paper_id
        where tp."window" = 'week' and tp.window_start = $week
            and (
                tp.primary_topic = $topic
                or (not $primary_only and list_contains(papers.topics, $topic))
            )
        order by tp.rank
        limit 20
        """,
        week=week,
        topic=topic,
        primary_only=primary_only,
    )


# People.
PEOPLE_PERIODS = {"last 7 days": 7, "last 30 days": 30, "last 365 days": 365, "all time": None}
PEOPLE_PERIOD = "last 30 days"  # what the page shows first


def people_period(first: date, last: date, period: str) -> tuple[date, date]:
    """The first and last listing day of a named period, counted back from `last`."""
    days = PEOPLE_PERIODS[period]
    return (first if days is None else max(first, last - timedelta(days=days - 1))), last


# The leaderboards are sums over marts.author_daily and marts.organization_daily, whose rows
# are (first listing date, topic, author or organisation): a paper counts in the period of its
# first listing, once. Without a topic, `papers` and `upvotes` (each paper under its primary
# topic) add up over every row; with one, `papers_tagged` and `upvotes_tagged` over its rows.
TOP_AUTHORS_SQL = """
with period as (
    select
        name_key,
        sum(case when $topic is null then papers else papers_tagged end) as papers,
        sum(case when $topic is null then upvotes else upvotes_tagged end) as upvotes,
        first(best_paper_title order by best_paper_upvotes desc, first_listing_date, best_paper_id)
            as best_paper,
        max(last_listing_date) as last_listed
    from marts.author_daily
    where first_listing_date >= $start and first_listing_date < $end
        and ($topic is null or topic = $topic)
    group by name_key
)

select
    period.name_key,
    leaderboard.display_name as author,
    leaderboard.hf_username,
    period.papers,
    period.upvotes,
    period.best_paper,
    period.last_listed
from period
inner join marts.author_leaderboard as leaderboard on period.name_key = leaderboard.name_key
order by period.upvotes desc, period.papers desc, period.name_key
limit 100
"""

TOP_ORGANIZATIONS_SQL = """
with rows_in_period as (
    select * from marts.organization_daily
    where first_listing_date >= $start and first_listing_date < $end
),

period as (
    select
        organization,
        sum(case when $topic is null then papers else papers_tagged end) as papers,
        sum(case when $topic is null then upvotes else upvotes_tagged end) as upvotes,
        first(best_paper_title order by best_paper_upvotes desc, first_listing_date, best_paper_id)
            as best_paper
    from rows_in_period
    where $topic is null or topic = $topic
    group by organization
),

-- The topic most of the organisation's papers of the period have as their primary one.
top_topics as (
    select organization, first(topic order by papers desc, topic) as top_topic
    from (
        select organization, topic, sum(papers) as papers
        from rows_in_period
        group by organization, topic
    )
    group by organization
)

select
    period.organization,
    leaderboard.organization_name as name,
    period.papers,
    period.upvotes,
    top_topics.top_topic,
    period.best_paper
from period
inner join marts.organization_leaderboard as leaderboard
    on period.organization = leaderboard.organization
inner join top_topics on period.organization = top_topics.organization
where period.papers > 0
order by period.upvotes desc, period.papers desc, period.organization
limit 100
"""


def top_authors(start: date, end: date, topic: str | None) -> pd.DataFrame:
    """The 100 most upvoted authors of the papers first listed in [start, end) (on `topic`)."""
    return query(TOP_AUTHORS_SQL, start=start, end=end, topic=topic)


def top_organizations(start: date, end: date, topic: str | None) -> pd.DataFrame:
    """The 100 most upvoted organisations of the papers first listed in [start, end) (on
    `topic`), with the primary topic most of their papers of the period have."""
    return query(TOP_ORGANIZATIONS_SQL, start=start, end=end, topic=topic)


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


PAPER_LINKS = {
    "arxiv_url": st.column_config.LinkColumn("arXiv", display_text="abs", width=50),
    "pdf_url": st.column_config.LinkColumn("PDF", display_text="pdf", width=50),
    "hf_url": st.column_config.LinkColumn("HF", display_text="page", width=50),
    "github_repo": st.column_config.LinkColumn(
        "code", display_text=r"https://github\.com/(.*)", width=140
    ),
    "details": st.column_config.LinkColumn("details", display_text="open", width=60),
}


LINK_COLUMNS = ("arxiv_url", "pdf_url", "hf_url", "github_repo", "project_page", "hf_profile")


def safe_links(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every link column holding only http(s) URLs, so no other scheme is
    ever rendered as a link."""
    for column in LINK_COLUMNS:
        if column in frame.columns:
            frame[column] = frame[column].map(web_url)
    return frame


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$<>&:])")


def plain(text: object) -> str:
    """`text` escaped for Streamlit markdown: shown as written, never as links, math or HTML."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


HF_PROFILE_LINK = {
    "hf_profile": st.column_config.LinkColumn("HF", display_text=r"https://huggingface\.co/(.*)")
}


def hf_profiles(usernames: pd.Series) -> pd.Series:
    """Each author's Hugging Face profile (for `HF_PROFILE_LINK`); None without a username."""
    profiles = [
        web_url(f"https://huggingface.co/{name}") if isinstance(name, str) and name else None
        for name in usernames
    ]
    return pd.Series(profiles, index=usernames.index, dtype=object)


def details_links(paper_ids: pd.Series) -> pd.Series:
    """Links to the dashboard's own Paper page."""
    return "paper?id=" + paper_ids.astype(str)
