"""Time each dashboard page as a person sees it: `streamlit run` plus headless Chromium.

    PAPERBOARD_DATA_DIR=<dir> .venv/bin/python benchmarks/dashboard_pages_browser.py

A page counts as loaded when its text is on screen and Streamlit shows no running or skeleton
widget (polled every 0.25 s). Each page is opened twice on a freshly started server: cold and
cached.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.browser import Browser, ensure_chromium  # noqa: E402

PAGES = {
    "trending": "Trending papers",
    "now": "Trending now",
    "topics": "Topics",
    "people": "People",
    "search?q=diffusion": "Search papers",
    "paper": "Paper",
}
SETTLE_SECONDS = 1.0  # Browser.render waits this long after the page is idle


def main() -> None:
    port = 8577
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("streamlit")), "run",
         str(REPO_ROOT / "dashboard" / "app.py"), "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.fileWatcherType", "none"],
        env=dict(os.environ), cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health").read()
                break
            except OSError:
                time.sleep(0.25)
        with Browser(ensure_chromium()) as browser:
            for path, expect in PAGES.items():
                timings = []
                for _ in range(2):
                    started = time.perf_counter()
                    browser.render(f"{url}/{path}", expect=expect, timeout_seconds=60)
                    timings.append(time.perf_counter() - started - SETTLE_SECONDS)
                print(f"{path:22} cold {timings[0]:.2f} s, cached {timings[1]:.2f} s")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
