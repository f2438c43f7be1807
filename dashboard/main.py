"""The dashboard's pages: what each visitor's session runs (`dashboard/app.py` serves it).

It reads only `$PAPERBOARD_DATA_DIR/serving.duckdb`, the read-only copy each successful
pipeline run publishes, so it never blocks a run and never sees a half-written warehouse.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import data, lake_snapshots
from pipelines.settings import load_settings

# Not `pages/`: Streamlit would run a script found there by itself when its URL is opened
# directly, skipping this one (no status, no staleness warning, no navigation).
SCREENS = Path(__file__).parent / "screens"
STALE_AFTER_DAYS = 2

st.set_page_config(page_title="paperboard", page_icon=":material/newspaper:", layout="wide")

navigation = st.navigation(
    [
        st.Page(
            SCREENS / "trending.py",
            title="Trending",
            icon=":material/trending_up:",
            url_path="trending",
            default=True,
        ),
        st.Page(SCREENS / "now.py", title="Now", icon=":material/bolt:", url_path="now"),
        st.Page(
            SCREENS / "topics.py", title="Topics", icon=":material/category:", url_path="topics"
        ),
        st.Page(SCREENS / "people.py", title="People", icon=":material/groups:", url_path="people"),
        st.Page(SCREENS / "find.py", title="Search", icon=":material/search:", url_path="search"),
        st.Page(SCREENS / "paper.py", title="Paper", icon=":material/article:", url_path="paper"),
    ]
)


def show_status() -> bool:
    """Say where the data comes from and how fresh it is; False when there is nothing to show."""
    status = data.status()
    if not status.exists:
        st.error(
            f"No serving copy at `{status.path}` yet. Each successful pipeline run publishes "
            "one: run `make demo` (offline sample) or `make run`, then reload this page."
        )
        return False
    if status.error is not None:
        st.error(f"The serving copy `{status.path}` does not open: {status.error}")
        return False
    if status.listing_dates == 0 or not status.has_marts:
        st.warning(
            f"The serving copy `{status.path}` holds no listings or no marts yet: run the "
            "pipeline (`make demo`, `make run` or `make backfill`) to fill it."
        )
        return False
    written = f"{status.written_at:%Y-%m-%d %H:%M} UTC" if status.written_at else "?"
    what = "serving copy written" if lake_snapshots.lake() is None else "lake snapshot of"
    st.sidebar.caption(
        f"Listings up to **{status.newest_listing_date}** ({status.listing_dates} days) · "
        f"{what} {written}"
    )
    if lake_snapshots.lake() is not None:
        show_time_travel()
    behind = status.days_behind(datetime.now(UTC).date())
    if behind is not None and behind > STALE_AFTER_DAYS:
        st.sidebar.warning(
            f"The newest listing is {behind} days old: run `make run` to bring it up to date."
        )
    feeds = load_settings().feeds_dir
    if feeds.is_dir():
        show_feeds(feeds)
    return True


def show_time_travel() -> None:
    """On a lake: read every page as an earlier snapshot saw it (the newest by default)."""
    times = dict(lake_snapshots.snapshots(limit=1000))
    choices = [None, *times]
    st.sidebar.selectbox(
        "As of snapshot",
        choices,
        key="as_of_snapshot",
        format_func=lambda choice: (
            "newest" if choice is None else f"{choice} · {times[choice]:%Y-%m-%d %H:%M:%S} UTC"
        ),
        help="The lake keeps every snapshot: see the pages as a past run left them.",
    )


FEEDS = (
    ("top.atom", "application/atom+xml"),
    ("top.rss", "application/rss+xml"),
    ("top.json", "application/feed+json"),
)


def show_feeds(feeds: Path) -> None:
    """The feeds to download, in a sidebar expander whose content runs only when it is
    open: closed, it costs the page nothing (no files read, no buttons drawn)."""
    expander = st.sidebar.expander("Feeds", key="feeds", on_change="rerun")
    if not expander.open:
        return
    with expander:
        for name, mime in FEEDS:
            feed = feeds / name
            if feed.is_file():
                st.download_button(
                    name,
                    feed.read_bytes(),
                    file_name=name,
                    mime=mime,
                    key=f"feed-{name}",
                    on_click="ignore",
                )
        per_topic = sorted((feeds / "topics").glob("*.atom"))
        if per_topic:
            chosen = st.selectbox("Per topic (Atom)", per_topic, format_func=lambda path: path.stem)
            st.download_button(
                f"{chosen.stem}.atom",
                chosen.read_bytes(),
                file_name=f"paperboard-{chosen.name}",
                mime="application/atom+xml",
                key="feed-topic",
                on_click="ignore",
            )
        st.caption(f"All feeds (Atom, RSS, JSON): `{feeds}`")


if show_status():
    navigation.run()
