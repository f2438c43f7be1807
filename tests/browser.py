"""A headless Chromium driven over the DevTools protocol, to look at the dashboard for real.

Streamlit draws its pages after the first page load, over a websocket, so Chromium's own
`--screenshot`/`--dump-dom` would catch only the loading skeleton. `Browser.render` instead
loads a URL, waits until the page's text contains what the caller expects (and Streamlit
has stopped running the script), then returns the text, the DOM and a PNG screenshot.

Chromium is Debian's `chromium` package (`ensure_chromium` installs it with apt-get when it
is missing and this is root); the protocol client is `websockets`, which Streamlit brings.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from websockets.sync.client import connect

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--window-size=1400,1000",
]


def ensure_chromium() -> str | None:
    """The path of a Chromium, installing Debian's when missing; None when that is impossible."""
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None
    environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for command in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
    ):
        completed = subprocess.run(command, env=environment, capture_output=True, timeout=600)
        if completed.returncode != 0:
            return None
    return shutil.which("chromium")


@dataclass(frozen=True)
class Page:
    text: str
    dom: str
    png: bytes


class Browser:
    """One headless Chromium process with one tab; use as a context manager."""

    def __init__(self, executable: str, *, width: int = 1400, height: int = 1000) -> None:
        self.executable = executable
        self.width, self.height = width, height
        self._ids = itertools.count(1)

    def __enter__(self) -> Browser:
        self._profile = tempfile.TemporaryDirectory(
            prefix="paperboard-chromium-", ignore_cleanup_errors=True
        )
        profile = Path(self._profile.name)
        self._process = subprocess.Popen(
            [
                self.executable,
                *CHROMIUM_FLAGS,
                f"--window-size={self.width},{self.height}",
                f"--user-data-dir={profile}",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: its helpers stop with it
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 20
        while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
            if time.monotonic() > deadline or self._process.poll() is not None:
                self.__exit__(None, None, None)
                raise RuntimeError("chromium did not open its DevTools port")
            time.sleep(0.05)
        port = int(port_file.read_text().splitlines()[0])
        targets = httpx.get(f"http://127.0.0.1:{port}/json/list", timeout=10).json()
        page = next(target for target in targets if target["type"] == "page")
        self._socket = connect(page["webSocketDebuggerUrl"], max_size=None, open_timeout=10)
        self._call("Page.enable")
        self._call("Runtime.enable")
        return self

    def __exit__(self, *exc_info) -> None:
        if getattr(self, "_socket", None) is not None:
            self._socket.close()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._process.pid, sig)
            try:
                self._process.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue
        self._profile.cleanup()

    def _call(self, method: str, **params) -> dict:
        call_id = next(self._ids)
        self._socket.send(json.dumps({"id": call_id, "method": method, "params": params}))
        while True:
            message = json.loads(self._socket.recv(timeout=30))
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def _evaluate(self, expression: str):
        result = self._call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def render(self, url: str, expect: str, *, timeout_seconds: float = 20.0) -> Page:
        """Load `url`, wait until its text contains `expect` and the app is idle (no running,
        skeleton or spinner widget), then look."""
        self._call("Page.navigate", url=url)
        return self.look(expect, timeout_seconds=timeout_seconds, what=url)

    def type_and_enter(self, selector: str, text: str) -> None:
        """Replace the text of the input at `selector` with `text` as a user would, then
        press Enter (Streamlit commits a text input on Enter)."""
        found = self._evaluate(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            " if (!el) return false; el.focus(); el.select(); return true; })()"
        )
        if not found:
            raise LookupError(f"no element matches {selector!r}")
        self._call("Input.insertText", text=text)
        for kind in ("keyDown", "keyUp"):
            self._call(
                "Input.dispatchKeyEvent",
                type=kind,
                key="Enter",
                code="Enter",
                windowsVirtualKeyCode=13,
                **({"text": "\r"} if kind == "keyDown" else {}),
            )

    def location(self) -> str:
        """The address the tab shows now (Streamlit rewrites it as widgets change)."""
        return self._evaluate("location.href") or ""

    def look(self, expect: str, *, timeout_seconds: float = 20.0, what: str = "the page") -> Page:
        """Wait until the tab's text contains `expect` and the app is idle, then look."""
        deadline = time.monotonic() + timeout_seconds
        text = ""
        while time.monotonic() < deadline:
            text = self._evaluate("document.body ? document.body.innerText : ''") or ""
            running = self._evaluate(
                "!!document.querySelector('[data-testid=\"stStatusWidget\"]') || "
                "!!document.querySelector('[data-testid=\"stSkeleton\"]') || "
                "!!document.querySelector('[data-testid=\"stSpinner\"]')"
            )
            if expect in text and not running:
                break
            time.sleep(0.25)
        else:
            raise TimeoutError(f"{what} never showed {expect!r}; it showed:\n{text[:2000]}")
        time.sleep(1.0)  # let charts and the data grid finish drawing
        dom = self._evaluate("document.documentElement.outerHTML") or ""
        shot = self._call("Page.captureScreenshot", format="png")
        return Page(text=text, dom=dom, png=base64.b64decode(shot["data"]))
