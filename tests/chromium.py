"""Debian's Chromium driven by Playwright, for the dashboard's browser test and benchmark.

The browser is Debian's `chromium` package at /usr/bin/chromium, which `make test` installs
(`make browser-deps`, apt-get as root) before any test runs; no test installs anything.
`playwright install` would download a browser build from outside the package registries,
which these machines cannot reach, so Playwright launches the system one instead.

Playwright itself starts Chromium with the switches this machine needs: `--headless`,
`--no-sandbox` (as root Chromium refuses to start without it), `--no-first-run`,
`--disable-background-networking`, `--disable-component-update` and `--disable-sync` (Debian's
/usr/bin/chromium wrapper adds `--disable-background-networking` too). Checked with a network
log: even so, Chromium 156 asks for update.googleapis.com, accounts.google.com and
content-autofill.googleapis.com, and without those switches also for clients2.google.com and
a spell-check dictionary. Every such request fails at once on the name look-up here, so none
slows a page down (the cold Trending page: 1.24 s with no switch at all, 1.28 s with them).
There is no GPU, hence `--disable-gpu`.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, Playwright, expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--disable-gpu"]
VIEWPORT = {"width": 1400, "height": 1000}

# Streamlit shows one of these while a page's script runs or waits for its data.
BUSY = '[data-testid="stStatusWidget"], [data-testid="stSkeleton"], [data-testid="stSpinner"]'


def missing_chromium() -> str | None:
    """Why Chromium cannot start here, or None when it is installed."""
    if CHROMIUM.exists():
        return None
    return (
        f"{CHROMIUM} is missing: `make browser-deps` installs Debian's chromium "
        "(apt-get install --no-install-recommends chromium, as root); `make test` runs it first."
    )


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless."""
    if why := missing_chromium():
        raise FileNotFoundError(why)
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def wait_until_shown(page: Page, text: str, *, timeout_ms: float = 20_000) -> None:
    """Wait until the page's main area shows `text` and Streamlit has stopped running it."""
    expect(page.get_by_test_id("stMain")).to_contain_text(text, timeout=timeout_ms)
    expect(page.locator(BUSY)).to_have_count(0, timeout=timeout_ms)


def grid_cell(page: Page, text: str) -> Locator:
    """A cell of a data grid. The grid draws on a canvas and keeps its cells in the DOM as
    the canvas's fallback content, which is outside the accessibility tree: hence hidden."""
    return page.get_by_role("gridcell", name=text, exact=True, include_hidden=True)
