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

Each page asks its questions through functions of its own module (dashboard/
ranking_queries.py, paper_queries.py) that call `query` here, so the warm-up (dashboard/
warmup.py) can ask the same ones, with the same defaults, before anyone visits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
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
