"""Everything the dashboard reads, from the serving copy only, read-only and cached.

The pipeline publishes `$PAPERBOARD_DATA_DIR/serving.duckdb` atomically after each
successful run and never opens it, so the dashboard holding it never blocks a run. Every
query here opens it read-only, attached as `warehouse` so the dbt views resolve, and its
result is cached under the file's modification time: a new serving copy means new answers,
without restarting the app.

On a lake (PAPERBOARD_WAREHOUSE) there is no serving copy: the dashboard reads the lake
itself, pinned to one snapshot, and the snapshot id takes the modification time's place as
the cache key: the newest snapshot, or the one picked in the sidebar (time travel).

Each page asks its questions through the functions below, so the warm-up
(dashboard/warmup.py) can ask the same ones, with the same defaults, before anyone visits.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from dashboard.search import Hit, Paper, SearchFilters, SearchIndex
from pipelines.settings import load_settings
from pipelines.warehouse.connection import attach_statement, open_connection
from pipelines.warehouse.lake import Lake, Snapshot

REPO_ROOT = Path(__file__).resolve().parent.parent
WINDOWS = ("day", "week", "month")


def data_dir() -> Path:
    """`$PAPERBOARD_DATA_DIR` (default `data/`), relative paths from the repository root."""
    path = Path(os.environ.get("PAPERBOARD_DATA_DIR") or "data")
    return path if path.is_absolute() else REPO_ROOT / path


def serving_path() -> Path:
    return data_dir() / "serving.duckdb"


def feeds_dir() -> Path:
    return data_dir() / "feeds"


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


# The "path" of every cache key when the dashboard reads a lake; the "mtime" is then the
# snapshot id it reads.
LAKE_SOURCE = "ducklake"


def lake() -> Lake | None:
    return load_settings().lake


@st.cache_resource(show_spinner=False, max_entries=1)
def _lake_probe(attach_path: str) -> duckdb.DuckDBPyConnection:
    """One connection to the lake's newest state, to ask which snapshots it has."""
    target = lake()
    assert target is not None and target.attach_path == attach_path
    return open_connection(target, read_only=True)


def snapshots(limit: int = 50) -> list[tuple[int, datetime]]:
    """The lake's newest snapshots: (id, time), newest first."""
    target = lake()
    if target is None:
        return []
    cursor = _lake_probe(target.attach_path).cursor()
    try:
        return cursor.execute(
            "select snapshot_id, snapshot_time from ducklake_snapshots('warehouse') "
            "order by snapshot_id desc limit $limit",
            {"limit": limit},
        ).fetchall()
    finally:
        cursor.close()


def chosen_snapshot() -> int | None:
    """The snapshot picked in the sidebar; None for the newest (and outside a session)."""
    try:
        return st.session_state.get("as_of_snapshot")
    except Exception:  # a warm-up thread has no session
        return None


def _source() -> tuple[str, float] | None:
    """What the dashboard reads and which version: the serving copy's path and modification
    time, or the lake and the snapshot id; None when there is nothing to read."""
    if lake() is not None:
        version = chosen_snapshot()
        if version is None:
            newest = snapshots(limit=1)
            version = newest[0][0] if newest else None
        return None if version is None else (LAKE_SOURCE, float(version))
    path = serving_path()
    mtime = _mtime(path)
    return None if mtime is None else (str(path), mtime)


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("set global TimeZone = 'UTC'")
    connection.execute(attach_statement(str(path), "warehouse", read_only=True))
    connection.execute("use warehouse")
    return connection


@st.cache_resource(show_spinner=False, max_entries=2)
def _database(path: str, mtime: float) -> duckdb.DuckDBPyConnection:
    """One read-only DuckDB per serving copy, shared by every query: its catalogue and the
    blocks it has read stay in memory. When a newer copy evicts it, queries still running
    on it finish (their cursors hold it) and the file closes after the last one."""
    if path == LAKE_SOURCE:
        target = lake()
        assert target is not None
        return open_connection(target, read_only=True, snapshot=Snapshot(version=int(mtime)))
    del mtime  # part of the cache key only
    return connect(Path(path))


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


STATUS_SQL = """
select
    (select max(listing_date) from hf.daily_listings) as newest_listing_date,
    (select count(distinct listing_date) from hf.daily_listings) as listing_dates,
    (
        select count(*) from information_schema.tables
        where table_catalog = 'warehouse' and table_schema = 'marts'
            and table_name in ('trending_papers', 'paper_topics', 'topic_trends')
    ) as marts
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
        row = query(STATUS_SQL).iloc[0]
    except duckdb.Error as error:
        return Status(path=path, exists=True, written_at=written_at, error=str(error))
    newest = row["newest_listing_date"]
    return Status(
        path=path,
        exists=True,
        written_at=written_at,
        newest_listing_date=None if pd.isna(newest) else pd.Timestamp(newest).date(),
        listing_dates=int(row["listing_dates"]),
        has_marts=int(row["marts"]) == 3,
    )


SEARCH_CORPUS_SQL = """
select
    p.paper_id,
    p.title,
    p.abstract,
    coalesce(p.ai_keywords, []) as keywords,
    coalesce(pt.topics, ['other']) as topics,
    p.first_listing_date,
    p.last_listing_date,
    p.upvotes,
    coalesce(regexp_matches(p.github_repo, '^https?://'), false) as has_code
from hf.papers as p
left join marts.paper_topics as pt on p.paper_id = pt.paper_id
order by p.paper_id
"""


@st.cache_resource(show_spinner="Indexing papers for search…", max_entries=2)
def _search_index(path: str, mtime: float) -> SearchIndex:
    cursor = _cursor(path, mtime)
    try:
        rows = cursor.execute(SEARCH_CORPUS_SQL).fetchall()
    finally:
        cursor.close()
    return SearchIndex(
        [
            Paper(
                paper_id=paper_id,
                title=title,
                abstract=abstract,
                keywords=tuple(keywords),
                topics=tuple(topics),
                first_listing_date=first,
                last_listing_date=last,
                upvotes=upvotes,
                has_code=has_code,
            )
            for (
                paper_id,
                title,
                abstract,
                keywords,
                topics,
                first,
                last,
                upvotes,
                has_code,
            ) in rows
        ]
    )


def search_index() -> SearchIndex:
    """One BM25 index per serving copy, built on first use and shared by every session."""
    source = _source()
    if source is None:
        raise FileNotFoundError(serving_path())
    return _search_index(*source)


def topics() -> list[str]:
    frame = query("select topic from seeds.topic_taxonomy order by topic = 'other', topic")
    return frame["topic"].tolist()


def listing_span() -> tuple[date, date]:
    frame = query(
        "select min(listing_date) as first, max(listing_date) as last from hf.daily_listings"
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
        select
            tp.rank,
            tp.title,
            tp.upvotes,
            tp.num_comments,
            coalesce(pt.topics, [tp.primary_topic]) as topics,
            (
                select list(s.upvotes order by s.fetched_at)
                from hf.upvote_snapshots as s
                where s.paper_id = tp.paper_id
            ) as upvote_history,
            tp.first_listed_on,
            tp.organization,
            tp.arxiv_url,
            tp.pdf_url,
            tp.hf_url,
            tp.github_repo,
            tp.paper_id
        from marts.trending_papers as tp
        left join marts.paper_topics as pt on tp.paper_id = pt.paper_id
        where tp."window" = $window and tp.window_start = $start
        order by tp.rank
        limit $limit
        """,
        window=window,
        start=start,
        limit=limit,
    )


# Now.
def trending_now() -> pd.DataFrame:
    return query(
        """
        select
            rank as mart_rank, paper_id, title, upvotes, num_comments, age_hours, gravity,
            score as mart_score, upvote_velocity, previous_upvotes, first_listing_date,
            scored_at, hf_url, arxiv_url, github_repo
        from marts.trending_now
        order by rank
        """
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
            pt.topics, tp.arxiv_url, tp.hf_url, tp.github_repo, tp.paper_id
        from marts.trending_papers as tp
        left join marts.paper_topics as pt on tp.paper_id = pt.paper_id
        where tp."window" = 'week' and tp.window_start = $week
            and (
                tp.primary_topic = $topic
                or (not $primary_only and list_contains(pt.topics, $topic))
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

# A paper counts when it was listed on a day of [start, end).
_PERIOD_AND_TOPIC = """
    p.last_listing_date >= $start and p.first_listing_date < $end
    and ($topic is null or list_contains(pt.topics, $topic))
"""


def people_period(first: date, last: date, period: str) -> tuple[date, date]:
    """The first and last listing day of a named period, counted back from `last`."""
    days = PEOPLE_PERIODS[period]
    return (first if days is None else max(first, last - timedelta(days=days - 1))), last


def top_authors(start: date, end: date, topic: str | None) -> pd.DataFrame:
    """The 100 most upvoted authors of the papers listed in [start, end) (on `topic`)."""
    return query(
        f"""
        select
            ap.name_key,
            mode(ap.author_name) as author,
            max(ap.hf_username) as hf_username,
            count(*) as papers,
            sum(ap.upvotes) as upvotes,
            arg_max(ap.title, ap.upvotes) as best_paper,
            max(ap.last_listing_date) as last_listed
        from marts.author_papers as ap
        inner join hf.papers as p on ap.paper_id = p.paper_id
        left join marts.paper_topics as pt on ap.paper_id = pt.paper_id
        where {_PERIOD_AND_TOPIC}
        group by ap.name_key
        order by upvotes desc, papers desc, ap.name_key
        limit 100
        """,  # noqa: S608 - a constant fragment, values are bound
        start=start,
        end=end,
        topic=topic,
    )


def top_organizations(start: date, end: date, topic: str | None) -> pd.DataFrame:
    """The 100 most upvoted organisations of the papers listed in [start, end) (on `topic`)."""
    return query(
        f"""
        select
            p.organization,
            max(p.organization_name) as name,
            count(*) as papers,
            sum(p.upvotes) as upvotes,
            mode(pt.primary_topic) as top_topic,
            arg_max(p.title, p.upvotes) as best_paper
        from hf.papers as p
        left join marts.paper_topics as pt on p.paper_id = pt.paper_id
        where p.organization is not null and {_PERIOD_AND_TOPIC}
        group by p.organization
        order by upvotes desc, papers desc, p.organization
        limit 100
        """,  # noqa: S608 - a constant fragment, values are bound
        start=start,
        end=end,
        topic=topic,
    )


# Search.
SEARCH_LIMIT = 100


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


def search_results(hits: Sequence[Hit]) -> pd.DataFrame:
    """The papers of `hits`, best first, with their score and rank."""
    scores = {hit.paper_id: hit.score for hit in hits}
    results = query(
        """
        select
            p.paper_id, p.title, p.upvotes, pt.topics, p.first_listing_date, p.ai_summary,
            p.arxiv_url, p.pdf_url, p.hf_url, p.github_repo
        from hf.papers as p
        left join marts.paper_topics as pt on p.paper_id = pt.paper_id
        where list_contains($ids, p.paper_id)
        """,
        ids=sorted(scores),
    )
    results["score"] = results["paper_id"].map(scores)
    results["rank"] = results["paper_id"].map({hit.paper_id: hit.rank for hit in hits})
    return results.sort_values("rank")


# Paper.
def latest_papers() -> pd.DataFrame:
    """The 200 most recently listed papers, to pick one from."""
    return query(
        """
        select paper_id, title, upvotes from hf.papers
        order by last_listing_date desc, upvotes desc, paper_id
        limit 200
        """
    )


def paper(paper_id: str) -> pd.DataFrame:
    """One paper with its topics (no row when there is no such paper)."""
    return query(
        """
        select p.*, pt.primary_topic, pt.topics, pt.matched_terms
        from hf.papers as p
        left join marts.paper_topics as pt on p.paper_id = pt.paper_id
        where p.paper_id = $paper_id
        """,
        paper_id=paper_id,
    )


def paper_authors(paper_id: str) -> pd.DataFrame:
    return query(
        """
        select position, name, hf_username, status
        from hf.paper_authors
        where paper_id = $paper_id and not is_hidden
        order by position
        """,
        paper_id=paper_id,
    )


def paper_listings(paper_id: str) -> pd.DataFrame:
    return query(
        """
        select listing_date, position, upvotes, num_comments, organization
        from hf.daily_listings
        where paper_id = $paper_id
        order by listing_date
        """,
        paper_id=paper_id,
    )


def upvote_history(paper_id: str) -> pd.DataFrame:
    return query(
        """
        select fetched_at, upvotes, num_comments
        from hf.upvote_snapshots
        where paper_id = $paper_id
        order by fetched_at
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


_WEB_URL = re.compile(r"^https?://[^\s\x00-\x1f]+$", re.IGNORECASE)
LINK_COLUMNS = ("arxiv_url", "pdf_url", "hf_url", "github_repo", "project_page", "hf_profile")


def web_url(value: object) -> str | None:
    """`value` when it is an http(s) URL; None for anything else (`javascript:`, blanks)."""
    return value if isinstance(value, str) and _WEB_URL.match(value) else None


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
