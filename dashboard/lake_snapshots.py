"""The dashboard on a lake (PAPERBOARD_WAREHOUSE): which snapshots it keeps, which one a
visitor picked, and a connection pinned to one of them.

On a lake there is no serving copy: every page reads the lake itself at one snapshot, whose id
is the cache key the serving copy's modification time is otherwise (dashboard/data.py). The
newest snapshot is the default; the sidebar's "As of snapshot" picks an earlier one (time
travel), for the visitor's session only.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import streamlit as st

from pipelines.settings import load_settings
from pipelines.warehouse.connection import open_connection
from pipelines.warehouse.lake import Lake, Snapshot

# The "path" of every cache key when the dashboard reads a lake; the "mtime" is then the
# snapshot id it reads.
LAKE_SOURCE = "ducklake"

# The lake's own catalog, not a mart: which snapshots there are to travel back to.
SNAPSHOTS_SQL = """
select snapshot_id, snapshot_time from ducklake_snapshots('warehouse')
order by snapshot_id desc limit $limit
"""


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
        return cursor.execute(SNAPSHOTS_SQL, {"limit": limit}).fetchall()
    finally:
        cursor.close()


def chosen_snapshot() -> int | None:
    """The snapshot picked in the sidebar; None for the newest (and outside a session)."""
    try:
        return st.session_state.get("as_of_snapshot")
    except Exception:  # a warm-up thread has no session
        return None


def current_version() -> int | None:
    """The snapshot the pages read: the chosen one, else the newest; None without any."""
    version = chosen_snapshot()
    if version is None:
        newest = snapshots(limit=1)
        version = newest[0][0] if newest else None
    return version


def open_at(version: int) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the lake as snapshot `version` left it."""
    target = lake()
    assert target is not None
    return open_connection(target, read_only=True, snapshot=Snapshot(version=version))
