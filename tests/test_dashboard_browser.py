"""The dashboard in a real headless browser: `streamlit run` as `make dashboard` starts it,
over the session's dbt-built serving copy (tests/marts_warehouse.py), Debian's Chromium driven
by Playwright looking at it, and screenshots under test-output/.

Chromium is installed by `make test` (`make browser-deps`), never by a test. When
/usr/bin/chromium is missing these tests fail, saying how to install it, rather than skip:
a skipped browser test would let CI pass without ever looking at the dashboard.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from dashboard.paper_queries import SEARCH_LIMIT
from pipelines.settings import REPO_ROOT
from pipelines.warehouse.serving import open_serving
from tests.chromium import (
    VIEWPORT,
    grid_cell,
    launch_chromium,
    missing_chromium,
    wait_until_shown,
)
from tests.marts_warehouse import HOSTILE_PAPER_ID, HOSTILE_TITLE, BuiltWarehouse

OUTPUT = REPO_ROOT / "test-output"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if why := missing_chromium():
        pytest.fail(why, pytrace=False)
    expect.set_options(timeout=20_000)  # for every check: CI shares 2 cores with other work
    with sync_playwright() as playwright, launch_chromium(playwright) as chromium:
        yield chromium


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh tab with an empty profile (its own browser context)."""
    with browser.new_context(viewport=VIEWPORT) as context:
        yield context.new_page()


@pytest.fixture(scope="module")
def serving(marts_warehouse: BuiltWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's serving copy, in a data directory of its own (for the server's log)."""
    data_dir = tmp_path_factory.mktemp("data")
    shutil.copy(marts_warehouse.serving_path, data_dir / "serving.duckdb")
    return data_dir / "serving.duckdb"


@pytest.fixture(scope="module")
def newest_listing_date(serving: Path) -> str:
    with open_serving(serving) as connection:
        (newest,) = connection.execute(
            "select max(listing_date) from marts.daily_summary"
        ).fetchone()
    return str(newest)


@pytest.fixture(scope="module")
def dashboard_url(serving: Path) -> Iterator[str]:
    """The dashboard served by `streamlit run` over the serving copy, on loopback."""
    data_dir = serving.parent
    port = free_port()
    log = (data_dir / "streamlit.log").open("wb")
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("streamlit")),
            "run",
            str(REPO_ROOT / "dashboard" / "app.py"),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--client.toolbarMode",
            "viewer",
            "--server.fileWatcherType",
            "none",
        ],
        env=dict(os.environ, PAPERBOARD_DATA_DIR=str(data_dir)),
        cwd=REPO_ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=1).text == "ok":
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{(data_dir / 'streamlit.log').read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def card(page: Page, paper_id: str) -> Locator:
    """A paper's card in a list of papers (dashboard/listing.py)."""
    return page.locator(f'article.pb-paper[data-paper-id="{paper_id}"]')


def test_a_browser_sees_the_trending_papers_and_a_paper_page(
    page, dashboard_url, newest_listing_date, serving
):
    OUTPUT.mkdir(exist_ok=True)
    sidebar = page.get_by_test_id("stSidebar")
    page.goto(f"{dashboard_url}/")
    wait_until_shown(page, "Trending papers")
    expect(sidebar).to_contain_text(f"Listings up to {newest_listing_date}")
    expect(page.locator("article.pb-paper")).to_have_count(25)
    png = page.screenshot(path=OUTPUT / "dashboard-trending.png")
    assert png.startswith(b"\x89PNG")

    # The newest week's most upvoted paper, whose title holds `&`, `<` and `>`.
    hostile = card(page, HOSTILE_PAPER_ID)
    expect(hostile).to_be_visible()
    with open_serving(serving) as connection:
        upvotes, comments, abstract = connection.execute(
            "select upvotes, num_comments, abstract from marts.papers where paper_id = $id",
            {"id": HOSTILE_PAPER_ID},
        ).fetchone()
    # What the papers page shows: title (as written), authors, date, upvotes, abstract.
    title = hostile.locator("a.pb-title")
    expect(title).to_have_text(HOSTILE_TITLE)
    expect(hostile.locator(".pb-meta")).to_contain_text(
        f"2 authors · Published Nov 3, 2025 · ▲ {upvotes} upvotes · {comments} comments"
    )
    expect(hostile.locator(".pb-abstract")).to_have_text(abstract)
    # And ours: topics, links (arXiv, PDF, HF; its code link was `javascript:`), history.
    expect(hostile.locator(".pb-topic").first).to_be_visible()
    expect(hostile.locator(".pb-links a")).to_have_text(["arXiv", "PDF", "HF"])
    expect(hostile.locator(".pb-spark")).to_have_text("▁█")
    assert "javascript:" not in page.content().lower()
    assert page.locator("article.pb-paper script").count() == 0
    # A long abstract shows its first lines, and opens to the whole of it.
    long = page.locator("details.pb-abstract").first
    expect(long.locator(".pb-lead")).to_be_visible()
    long.locator("summary").click()
    expect(long.locator(".pb-lead")).to_be_hidden()
    expect(long).to_have_attribute("open", "")

    # The title links to the paper's own page.
    title.click()
    wait_until_shown(page, "Upvote history")
    expect(page).to_have_url(re.compile(rf"/paper\?id={re.escape(HOSTILE_PAPER_ID)}$"))
    # The title holds `&`, `<` and `>`: shown as text, not read as HTML.
    expect(page.get_by_role("heading", name=HOSTILE_TITLE)).to_be_visible()
    expect(grid_cell(page, "Ada Lovelace")).to_be_attached()
    page.screenshot(path=OUTPUT / "dashboard-paper.png")
    # Its code and project links were `javascript:` URLs.
    assert "javascript:" not in page.content().lower()


def papers_found(serving: Path, words: str) -> int:
    """How many papers the Search page lists for `words` with its default filters (every
    listing date): the matches of marts.search_papers, up to the page's limit."""
    with open_serving(serving) as connection:
        (matches,) = connection.execute(
            "select count(*) from marts.search_papers($words)", {"words": words}
        ).fetchone()
    return min(matches, SEARCH_LIMIT)


def test_pages_opened_by_address_say_how_fresh_the_data_is_and_a_search_is_a_link(
    page, dashboard_url, serving, newest_listing_date
):
    # Each page runs after the app's main script (navigation, status, staleness warning),
    # also when its address is opened directly, as a bookmark or a shared link.
    sidebar = page.get_by_test_id("stSidebar")
    for path, heading in (("topics", "Rising topics"), ("search", "Search papers")):
        page.goto(f"{dashboard_url}/{path}")
        wait_until_shown(page, heading)
        expect(sidebar).to_contain_text(f"Listings up to {newest_listing_date}")
        expect(sidebar).to_contain_text("days old")
        expect(page.locator("body")).not_to_contain_text("Page not found")
    # A search is a link: its words come from the address and go back to it.
    page.goto(f"{dashboard_url}/search?q=agents")
    wait_until_shown(page, "papers for")
    found = papers_found(serving, "agents")
    assert found > 2
    expect(page.get_by_test_id("stMain")).to_contain_text(f"{found} papers for agents")
    search_box = page.get_by_role("textbox", name="Search titles, abstracts and keywords")
    search_box.fill("diffusion")
    search_box.press("Enter")  # Streamlit commits a text input on Enter
    wait_until_shown(page, "papers for diffusion")
    expect(page).to_have_url(re.compile(r"/search\?q=diffusion$"))
    # Each result lists the paper's fields, the matched words highlighted, text as written.
    hostile = card(page, HOSTILE_PAPER_ID)
    expect(hostile.locator("a.pb-title")).to_have_text(HOSTILE_TITLE)
    expect(hostile.locator("a.pb-title mark")).to_have_text(["Diffusion"])
    expect(hostile.locator(".pb-snippet mark")).to_have_text(["diffusion"])
    expect(hostile.locator(".pb-meta")).to_contain_text("2 authors · Published Nov 3, 2025")
    expect(hostile.locator(".pb-links a")).to_have_text(["arXiv", "PDF", "HF"])
    assert page.locator("article.pb-paper script").count() == 0
    # Every form of a word finds the same papers: "pre-training" and "pre training".
    for words in ("pre-training", "pre training"):
        search_box.fill(words)
        search_box.press("Enter")
        wait_until_shown(page, f"papers for {words}")
        for paper_id in ("2510.99101", "2510.99102", "2510.99103"):  # WORD_FORM_PAPERS
            expect(card(page, paper_id).locator("mark").first).to_be_visible()
    page.screenshot(path=OUTPUT / "dashboard-search.png")
