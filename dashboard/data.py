"""Everything the dashboard reads, from the serving copy only, read-only and cached.

The pipeline publishes `$PAPERBOARD_DATA_DIR/serving.duckdb` atomically after each
successful run and never opens it, so the dashboard holding it never blocks a run. Every
query here opens it read-only, attached as `warehouse` so the dbt views resolve, and its
result is cached under the file's modification time: a new serving copy means new answers,
without restarting the app.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from dashboard.search import Paper, SearchIndex

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


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("set TimeZone = 'UTC'")
    connection.execute("attach $path as warehouse (read_only)", {"path": str(path)})
    connection.execute("use warehouse")
    return connection


@st.cache_data(show_spinner=False, max_entries=512)
def _query(sql: str, params: dict[str, Any], path: str, mtime: float) -> pd.DataFrame:
    del mtime  # part of the cache key only
    connection = connect(Path(path))
    try:
        return connection.execute(sql, params).df()
    finally:
        connection.close()


def query(sql: str, **params: Any) -> pd.DataFrame:
    """The result of a read-only query of the serving copy (cached per serving copy)."""
    path = serving_path()
    mtime = _mtime(path)
    if mtime is None:
        raise FileNotFoundError(path)
    return _query(sql, params, str(path), mtime)


@dataclass(frozen=True)
class Status:
    """What the dashboard can say about the serving copy before showing anything."""

    path: Path
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
    path = serving_path()
    mtime = _mtime(path)
    if mtime is None:
        return Status(path=path, exists=False)
    written_at = datetime.fromtimestamp(mtime, UTC)
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
    del mtime  # part of the cache key only
    connection = connect(Path(path))
    try:
        rows = connection.execute(SEARCH_CORPUS_SQL).fetchall()
    finally:
        connection.close()
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
    path = serving_path()
    mtime = _mtime(path)
    if mtime is None:
        raise FileNotFoundError(path)
    return _search_index(str(path), mtime)


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


def details_links(paper_ids: pd.Series) -> pd.Series:
    """Links to the dashboard's own Paper page."""
    return "paper?id=" + paper_ids.astype(str)
