"""The dashboard in a real headless browser: `streamlit run` as `make dashboard` starts it,
Debian's Chromium looking at it, and screenshots under test-output/ to look at.

Chromium is installed by the test set-up (apt-get, as root) when missing; the test skips,
saying why, only when that is impossible (not root, no apt-get, or no registry).
"""

from __future__ import annotations

import html
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from pipelines.settings import REPO_ROOT
from tests.browser import Browser, ensure_chromium
from tests.dashboard_warehouse import TITLES, build_serving_copy

OUTPUT = REPO_ROOT / "test-output"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def chromium() -> str:
    path = ensure_chromium()
    if path is None:
        pytest.skip("no chromium, and apt-get cannot install Debian's (not root, or no registry)")
    return path


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard served by `streamlit run` over a small serving copy, on loopback."""
    data_dir = tmp_path_factory.mktemp("data")
    build_serving_copy(data_dir / "serving.duckdb")
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


def test_a_browser_sees_the_trending_papers_and_a_paper_page(chromium, dashboard_url):
    OUTPUT.mkdir(exist_ok=True)
    with Browser(chromium) as browser:
        trending = browser.render(f"{dashboard_url}/", expect="Trending papers")
        (OUTPUT / "dashboard-trending.png").write_bytes(trending.png)
        assert "Listings up to 2025-12-02" in trending.text
        # The data grid draws on a canvas, and keeps its cells in the DOM for accessibility.
        assert TITLES["2512.00003"] in trending.dom
        assert trending.png.startswith(b"\x89PNG")

        paper = browser.render(f"{dashboard_url}/paper?id=2511.00001", expect="Upvote history")
        (OUTPUT / "dashboard-paper.png").write_bytes(paper.png)
        assert TITLES["2511.00001"] in paper.text
        assert "Ada Lovelace" in paper.dom
        assert "javascript:" not in paper.dom.lower()


def test_pages_opened_by_address_say_how_fresh_the_data_is_and_a_search_is_a_link(
    chromium, dashboard_url
):
    # Each page runs after the app's main script (navigation, status, staleness warning),
    # also when its address is opened directly, as a bookmark or a shared link.
    with Browser(chromium) as browser:
        for path, expect in (("topics", "Rising topics"), ("search", "Search papers")):
            page = browser.render(f"{dashboard_url}/{path}", expect=expect)
            assert "Listings up to 2025-12-02" in page.text
            assert "days old" in page.text
            assert "Page not found" not in page.text
        # A search is a link: its words come from the address and go back to it.
        shared = browser.render(f"{dashboard_url}/search?q=agents", expect="papers for")
        assert "2 papers for agents" in shared.text
        browser.type_and_enter(
            'input[aria-label="Search titles, abstracts and keywords"]', "diffusion"
        )
        typed = browser.look("papers for diffusion")
        assert html.escape(TITLES["2511.00001"], quote=False) in typed.dom
        assert browser.location().endswith("/search?q=diffusion")
