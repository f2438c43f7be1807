"""Warm the dashboard's caches for each serving copy before anyone visits.

A page opened for the first time in a fresh server process pays for importing pandas,
PyArrow and DuckDB, for its first queries, for Altair and its Vega-Lite schema on Topics,
and on Search for its first list. `warm_caches` pays instead: it asks what each page asks
when first opened, with the page's defaults, through the same cached functions
(dashboard/ranking_queries.py, paper_queries.py), so each page finds its answers cached.

`Warmer` runs it for each serving copy it sees, in a thread of the server (dashboard/app.py):
the server waits for the first round before it takes requests, then looks at the serving
copy every `POLL_SECONDS` and warms again, in the background, when a new one appears. A
page opened while a round is running waits for the answers it needs, no longer than it
would have taken to compute them itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

THREAD_NAME = "paperboard-warm-up"
POLL_SECONDS = 2.0

_LOGGER = logging.getLogger(__name__)


def serving_copy() -> float | None:
    """Which serving copy is there: its modification time, the key of every cache."""
    from dashboard import data

    return data.serving_mtime()


def warm_caches() -> None:
    """Ask every page's first questions of the current serving copy."""
    from dashboard import charts, data, paper_queries, ranking_queries
    from pipelines.words import query_terms

    if not data.status().ready:
        return  # the pages say what to run; there is nothing to warm
    first, last = data.listing_span()
    topics = data.topics()
    # Trending (the default page): the newest week.
    window = ranking_queries.TRENDING_WINDOW
    ranking_queries.trending_papers(
        window, data.window_start(last, window), ranking_queries.TRENDING_LIMIT
    )
    # Now: ranked with the mart's own inputs.
    if (defaults := ranking_queries.trending_now_defaults()) is not None:
        ranking_queries.trending_now(defaults)
    # Topics: the shares chart, then the newest week in detail and its first topic.
    weeks = ranking_queries.topic_weeks()
    if not weeks.empty:
        shares = ranking_queries.topic_shares(ranking_queries.first_topic_grain(weeks))
        charts.topic_shares(shares, topics, hide_other=True).to_dict()
        week = weeks["week_start"].iloc[0].date()
        ranking_queries.rising_topics(week)
        ranking_queries.emerging_keywords(week)
        if topics:
            ranking_queries.topic_papers(week, topics[0], primary_only=False)
    # People: the default period, any topic.
    start, end_inclusive = ranking_queries.people_period(first, last, ranking_queries.PEOPLE_PERIOD)
    ranking_queries.top_authors(start, end_inclusive + timedelta(days=1), None)
    ranking_queries.top_organizations(start, end_inclusive + timedelta(days=1), None)
    # Paper: the list to pick from, and the first of it, shown until another is picked.
    latest = paper_queries.latest_papers()
    if not latest.empty:
        paper_id = latest["paper_id"].iloc[0]
        paper_queries.paper(paper_id)
        paper_queries.paper_authors(paper_id)
        paper_queries.paper_listings(paper_id)
        paper_queries.upvote_history(paper_id)
    # Search: the page's answer to no words, and the word folding its highlights use.
    paper_queries.search_results(
        "", paper_queries.search_filters(first, last), paper_queries.SEARCH_LIMIT
    )
    paper_queries.indexed_papers()
    query_terms("pre-training")


class _FromOtherThreads(logging.Filter):
    """Drops Streamlit's "missing ScriptRunContext" warning for the warm-up thread, which
    uses the caches outside any visitor's session on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != THREAD_NAME


_CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"
_FILTER = _FromOtherThreads()


class Warmer:
    """Calls `warm` once for each serving copy `identify` reports (None: there is none).

    `check` does one round; `start` runs a round every `poll_seconds` in a daemon thread
    until `stop`; `wait` returns once the first round is done.
    """

    def __init__(
        self,
        warm: Callable[[], None] = warm_caches,
        identify: Callable[[], object] = serving_copy,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.warm = warm
        self.identify = identify
        self.poll_seconds = poll_seconds
        self.warmed: object = None
        self._stopped = threading.Event()
        self._first_round = threading.Event()
        self._thread: threading.Thread | None = None

    def check(self) -> bool:
        """Warm when the serving copy is not the one warmed last; True when it did."""
        identity = self.identify()
        if identity is None or identity == self.warmed:
            return False
        try:
            self.warm()
        except Exception:  # the pages still answer, each paying for its own questions
            _LOGGER.exception("warming the dashboard's caches failed")
        self.warmed = identity
        return True

    def start(self) -> None:
        logging.getLogger(_CONTEXT_LOGGER).addFilter(_FILTER)
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self._thread.start()

    def wait(self, timeout_seconds: float) -> bool:
        """Wait until the first round is done; False when `timeout_seconds` passed first."""
        return self._first_round.wait(timeout_seconds)

    def stop(self) -> None:
        self._stopped.set()

    def _run(self) -> None:
        while not self._stopped.is_set():
            try:
                self.check()
            except Exception:  # `identify` failed: look again next time
                _LOGGER.exception("looking at the serving copy failed")
            self._first_round.set()
            self._stopped.wait(self.poll_seconds)
