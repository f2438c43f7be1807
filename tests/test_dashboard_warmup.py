"""The dashboard's warm-up: each serving copy's caches filled before anyone visits.

`Warmer` is tested with stand-in callables; `warm_caches` over the session's dbt-built
serving copy (tests/marts_warehouse.py), published the way the pipeline publishes it (a new
file renamed over the old one), then every page opened with Streamlit's AppTest.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import data, paper_queries
from dashboard.warmup import Warmer, warm_caches
from pipelines.settings import REPO_ROOT
from pipelines.warehouse.serving import open_serving
from tests.marts_warehouse import BuiltWarehouse, write_warehouse_without_marts

MAIN = REPO_ROOT / "dashboard" / "main.py"
SCREENS = [None, "screens/now.py", "screens/topics.py", "screens/people.py",
           "screens/find.py", "screens/paper.py"]  # fmt: skip


def test_the_warmer_warms_each_serving_copy_once_and_again_when_it_changes():
    copies = iter([None, 1.0, 1.0, 2.0, 2.0, None])  # None: no serving copy (yet, or now)
    seen: dict[str, float | None] = {}

    def identify():
        seen["copy"] = next(copies)
        return seen["copy"]

    warmed = []
    warmer = Warmer(warm=lambda: warmed.append(seen["copy"]), identify=identify)
    assert [warmer.check() for _ in range(6)] == [False, True, False, True, False, False]
    assert warmed == [1.0, 2.0]
    assert warmer.warmed == 2.0


def test_a_warm_up_that_fails_is_not_repeated_for_the_same_copy(caplog):
    calls = []

    def fail():
        calls.append("warm")
        raise RuntimeError("disk on fire")

    warmer = Warmer(warm=fail, identify=lambda: 1.0)
    assert warmer.check() is True
    assert warmer.check() is False
    assert calls == ["warm"]
    assert "warming the dashboard's caches failed" in caplog.text


def test_the_server_waits_for_the_first_round_then_warms_new_copies_in_the_background():
    current = {"copy": 1.0}
    warmed: list[float] = []
    second_copy_warmed = threading.Event()

    def warm():
        warmed.append(current["copy"])
        if current["copy"] == 2.0:
            second_copy_warmed.set()

    warmer = Warmer(warm=warm, identify=lambda: current["copy"], poll_seconds=0.01)
    warmer.start()
    try:
        assert warmer.wait(timeout_seconds=10)
        assert warmed[0] == 1.0
        current["copy"] = 2.0  # the pipeline publishes a new serving copy
        assert second_copy_warmed.wait(timeout=10)
    finally:
        warmer.stop()
    assert warmed == [1.0, 2.0]


@pytest.fixture
def publish(marts_warehouse: BuiltWarehouse):
    """Publish a serving copy as the pipeline does (write a new file, rename it over): the
    session's built one, or one from before the first dbt build (no marts)."""

    def publish_copy(serving: Path, *, with_marts: bool, mtime: float) -> None:
        fresh = serving.with_name("serving.duckdb.tmp")
        if with_marts:
            shutil.copy(marts_warehouse.serving_path, fresh)
        else:
            write_warehouse_without_marts(fresh)
        os.utime(fresh, (mtime, mtime))
        os.replace(fresh, serving)

    return publish_copy


@pytest.fixture
def serving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(tmp_path))
    st.cache_data.clear()
    st.cache_resource.clear()
    return tmp_path / "serving.duckdb"


def newest_week_titles(serving: Path) -> list[str]:
    with open_serving(serving) as connection:
        rows = connection.execute(
            """
            select title from marts.trending_papers
            where "window" = 'week' and window_start = (
                select max(window_start) from marts.trending_papers where "window" = 'week'
            )
            order by rank
            limit 25
            """
        ).fetchall()
    return [title for (title,) in rows]


@pytest.fixture
def queries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every query that reaches the serving copy (not answered from a cache)."""
    ran: list[str] = []
    cursor = data._cursor

    def counting_cursor(path: str, mtime: float):
        opened = cursor(path, mtime)
        execute = opened.execute

        class Counting:
            def execute(self, sql, *args):
                if sql != "use warehouse":
                    ran.append(" ".join(sql.split()))
                return execute(sql, *args)

            def close(self):
                opened.close()

        return Counting()

    monkeypatch.setattr(data, "_cursor", counting_cursor)
    return ran


def open_every_page() -> list[AppTest]:
    opened = []
    for screen in SCREENS:
        test = AppTest.from_file(str(MAIN), default_timeout=60).run()
        if screen is not None:
            test.switch_page(screen).run()
        assert not test.exception, [exception.value for exception in test.exception]
        opened.append(test)
    return opened


def test_after_the_warm_up_every_page_opens_without_querying_the_serving_copy(
    serving, publish, queries
):
    publish(serving, with_marts=True, mtime=1_700_000_000)
    warm_caches()
    assert len(queries) >= 12  # every page's first questions, Search's among them
    assert any(paper_queries.BROWSE_SQL.split() == sql.split() for sql in queries)

    queries.clear()
    pages = open_every_page()
    assert queries == []
    trending = "".join(element.proto.body for element in pages[0].get("html"))
    shown = re.findall(r'class="pb-title"[^>]*>(.*?)</a>', trending)
    assert [html.unescape(title) for title in shown] == newest_week_titles(serving)
    with open_serving(serving) as connection:
        (papers,) = connection.execute("select count(*) from marts.papers").fetchone()
    assert f"{papers} indexed" in pages[4].caption[0].value


def test_a_new_serving_copy_is_warmed_again_and_its_answers_are_shown(serving, publish, queries):
    publish(serving, with_marts=False, mtime=1_700_000_000)
    warmer = Warmer()
    assert warmer.check() is True
    assert len(queries) == 1  # the status only: a copy without marts has nothing to warm
    empty = AppTest.from_file(str(MAIN), default_timeout=60).run()
    assert "holds no listings or no marts" in empty.warning[0].value

    publish(serving, with_marts=True, mtime=1_700_000_600)
    assert warmer.check() is True
    assert warmer.check() is False
    queries.clear()
    pages = open_every_page()
    assert queries == []
    with open_serving(serving) as connection:
        newest, days = connection.execute(
            "select max(listing_date), count(*) from marts.daily_summary"
        ).fetchone()
    assert f"Listings up to **{newest}** ({days} days)" in pages[0].sidebar.caption[0].value
