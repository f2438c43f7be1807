"""paperboard's dashboard: the marts in front of people.

    make dashboard        # or: streamlit run dashboard/app.py

`streamlit run` finds `app` below, an `st.App`, and serves dashboard/main.py (the pages) to
each visitor. Before it takes its first request the server warms its caches for the
serving copy, every page's first queries (dashboard/warmup.py), so the first visitor does not
wait for them. It warms them again, in the background, when a new serving copy appears.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the repository root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.warmup import Warmer

# Take requests after this long even if the first warm-up has not finished (a huge serving
# copy, a slow disk): the pages then answer on their own.
STARTUP_WARM_UP_SECONDS = 30.0


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    warmer = Warmer()
    warmer.start()
    await asyncio.to_thread(warmer.wait, STARTUP_WARM_UP_SECONDS)
    try:
        yield
    finally:
        warmer.stop()


app = st.App("main.py", lifespan=lifespan)
