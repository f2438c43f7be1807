"""Time each dashboard page as a person sees it: `streamlit run` plus headless Chromium.

    PAPERBOARD_DATA_DIR=<dir> .venv/bin/python benchmarks/dashboard_pages_browser.py [rounds]

Each round starts the server as `make dashboard` does, waits until it answers its health
check (timed: the server warms its caches before it answers), then opens a fresh Chromium
(Debian's, driven by Playwright; empty profile, so nothing of Streamlit's own JavaScript is
cached) and opens each page twice: cold (its first visit since the server started) and
cached. A page counts as loaded when a text near its end, shown once it has its data, is on
screen and Streamlit shows no running, skeleton or spinner widget (Playwright's waiting, which
checks at every change of the page). With several rounds it prints each, then the median and
the worst of each time. Chromium comes from `make browser-deps`.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from tests.chromium import VIEWPORT, launch_chromium, missing_chromium, wait_until_shown  # noqa: E402

# page: (its path, a text it shows once it has its data, near its end). Trending is the
# default page, served at the root URL.
PAGES = {
    "trending": ("", "Ranked by latest upvotes"),
    "now": ("now", "Higher gravity favours newer papers"),
    "topics": ("topics", "Primary topic only"),
    "people": ("people", "Organisations"),
    "search": ("search", "indexed."),
    "paper": ("paper", "Upvote history"),
}


def one_round(port: int = 8577) -> dict[str, float]:
    """The load average, seconds to the health check, each page's cold and cached load."""
    timings: dict[str, float] = {"load": os.getloadavg()[0]}
    started = time.perf_counter()
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
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health").read()
                break
            except OSError:
                time.sleep(0.25)
        timings["server start"] = time.perf_counter() - started
        with sync_playwright() as playwright, launch_chromium(playwright) as browser:
            tab = browser.new_page(viewport=VIEWPORT)
            for page, (path, expect) in PAGES.items():
                for visit in ("cold", "cached"):
                    started = time.perf_counter()
                    tab.goto(f"{url}/{path}")
                    wait_until_shown(tab, expect, timeout_ms=60_000)
                    timings[f"{page} {visit}"] = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(10)
    return timings


def show(timings: dict[str, float]) -> None:
    print(f"  load average {timings['load']:.2f} (other work on the machine at the start)")
    print(f"  server start (to health) {timings['server start']:.2f} s")
    for page in PAGES:
        cold, cached = timings[f"{page} cold"], timings[f"{page} cached"]
        print(f"  {page:10} cold {cold:.2f} s, cached {cached:.2f} s")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    if why := missing_chromium():
        raise SystemExit(why)
    results = []
    for number in range(1, rounds + 1):
        results.append(one_round())
        print(f"round {number}:")
        show(results[-1])
    if rounds > 1:
        for name, pick in (("median", statistics.median), ("worst", max)):
            print(f"{name} of {rounds} rounds:")
            show({key: pick(result[key] for result in results) for key in results[0]})


if __name__ == "__main__":
    main()
