"""A loopback HTTP server that answers `/api/daily_papers` like Hugging Face does.

It pages like the real API (default limit 50, `limit`, zero-based `p`), answers `[]` for a
date it has no list for and 400 for a malformed date, and can inject the faults the real API
shows (429 with Retry-After, 5xx, dropped connections, truncated bodies, slow answers), so
the client's retries are tested over real sockets. It counts every request it answers.
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class FolderSource:
    """Serves `YYYY-MM-DD.json` files from a folder (a file is one date's full list)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._cache: dict[date, list[Any]] = {}
        self._lock = threading.Lock()

    def listing(self, listing_date: date) -> list[Any]:
        with self._lock:
            if listing_date not in self._cache:
                path = self.folder / f"{listing_date.isoformat()}.json"
                self._cache[listing_date] = json.loads(path.read_bytes()) if path.is_file() else []
            return self._cache[listing_date]

    def replace(self, listing_date: date, entries: list[Any]) -> None:
        """Change what a date returns from now on (a list that grew, upvotes that moved)."""
        with self._lock:
            self._cache[listing_date] = entries


class GeneratedSource:
    """Serves generated listings for any date, deterministic from a seed (scale mode).

    `copies` > 1 lists that many times the papers a day: each date's list is the generated
    lists of seeds seed, seed + 1, ... one after the other, the arXiv number of copy k's papers
    moved up by k x 33,000 (the generator numbers below 33,000 a month), so a warehouse several
    times today's size can be built for benchmarks.
    """

    def __init__(self, seed: int = 0, copies: int = 1) -> None:
        from devtools.sample.generator import generate_listing

        if copies < 1:
            raise ValueError(f"copies must be at least 1, not {copies}")
        self._generate = generate_listing
        self.seed = seed
        self.copies = copies
        self._cache: dict[date, list[Any]] = {}
        self._lock = threading.Lock()

    def listing(self, listing_date: date) -> list[Any]:
        with self._lock:
            if listing_date not in self._cache:
                self._cache[listing_date] = [
                    entry
                    for copy in range(self.copies)
                    for entry in _renamed(self._generate(listing_date, self.seed + copy), copy)
                ]
            return self._cache[listing_date]


COPY_ID_OFFSET = 33_000


def _renamed(entries: list[Any], copy: int) -> list[Any]:
    """The entries of copy `copy` of a list, their arXiv ids distinct from every other copy's."""
    if copy == 0:
        return entries
    for entry in entries:
        month, number = entry["paper"]["id"].split(".")
        entry["paper"]["id"] = f"{month}.{int(number) + copy * COPY_ID_OFFSET:05d}"
    return entries


@dataclass
class FaultPlan:
    """Which share of requests fail and how. Deterministic for a given seed.

    `fail_dates` fail on every request, to test a date whose faults outlast the retries.
    """

    rate_limited: float = 0.0
    server_error: float = 0.0
    unavailable: float = 0.0
    dropped: float = 0.0
    truncated: float = 0.0
    slow: float = 0.0
    slow_seconds: float = 0.2
    retry_after_seconds: int = 0
    fail_dates: frozenset[date] = frozenset()
    seed: int = 0
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(init=False, repr=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    @classmethod
    def uniform(cls, share: float, seed: int = 0, **overrides: Any) -> FaultPlan:
        """`share` of requests fail, spread evenly over every kind of fault."""
        kinds = ("rate_limited", "server_error", "unavailable", "dropped", "truncated", "slow")
        return cls(**{kind: share / len(kinds) for kind in kinds}, seed=seed, **overrides)

    def draw(self, listing_date: date | None) -> str | None:
        if listing_date is not None and listing_date in self.fail_dates:
            return "unavailable"
        with self._lock:
            roll = self._rng.random()
        for kind in ("rate_limited", "server_error", "unavailable", "dropped", "truncated", "slow"):
            share = getattr(self, kind)
            if roll < share:
                return kind
            roll -= share
        return None


@dataclass
class RequestLog:
    """Every request the fake answered: when (monotonic seconds) and for which date and page."""

    times: list[float] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, path: str) -> None:
        with self._lock:
            self.times.append(time.monotonic())
            self.paths.append(path)

    @property
    def count(self) -> int:
        return len(self.times)

    def summary(self, reset: bool = False) -> dict[str, float | int | None]:
        """Count and wall-clock span of the requests so far (for benchmarks), optionally reset."""
        to_wall = time.time() - time.monotonic()
        with self._lock:
            times = sorted(self.times)
            if reset:
                self.times.clear()
                self.paths.clear()
        return {
            "requests": len(times),
            "first_request_at": times[0] + to_wall if times else None,
            "last_request_at": times[-1] + to_wall if times else None,
        }

    def max_in_any_window(self, window_seconds: float) -> int:
        """The most requests seen in any moving window of this length."""
        times = sorted(self.times)
        best = start = 0
        for end, moment in enumerate(times):
            while moment - times[start] >= window_seconds:
                start += 1
            best = max(best, end - start + 1)
        return best


class FakeDailyPapersApi:
    """The fake API. Use `with api.serve() as base_url:` or `serve_forever()`."""

    def __init__(
        self,
        source: FolderSource | GeneratedSource,
        *,
        faults: FaultPlan | None = None,
        latency_seconds: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.source = source
        self.faults = faults or FaultPlan()
        self.latency_seconds = latency_seconds
        self.requests = RequestLog()
        self._server = ThreadingHTTPServer((host, port), _handler_for(self))
        self._server.daemon_threads = True

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @contextmanager
    def serve(self) -> Iterator[str]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self.base_url
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join()

    def serve_forever(self) -> None:
        try:
            self._server.serve_forever()
        finally:
            self._server.server_close()

    def answer(self, query: dict[str, list[str]]) -> tuple[int, bytes, date | None]:
        """Status and body for a query, before faults: the API's own rules."""
        raw_date = (query.get("date") or [""])[0]
        try:
            listing_date = date.fromisoformat(raw_date) if len(raw_date) == 10 else None
        except ValueError:
            listing_date = None
        if listing_date is None:
            body = {"error": f'Invalid date "{raw_date}": expected YYYY-MM-DD'}
            return 400, json.dumps(body).encode(), None
        try:
            limit = int((query.get("limit") or [DEFAULT_LIMIT])[0])
            page = int((query.get("p") or [0])[0])
        except ValueError:
            return 400, b'{"error":"limit and p must be integers"}', listing_date
        limit = max(1, min(limit, MAX_LIMIT))
        entries = self.source.listing(listing_date)[page * limit : (page + 1) * limit]
        return (
            200,
            json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode(),
            (listing_date),
        )


def _handler_for(api: FakeDailyPapersApi) -> Callable[..., BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes; without this, Nagle's algorithm and
        # delayed ACKs add ~40 ms to every keep-alive response.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: tests and benchmarks read the request log instead."""

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/_stats":
                reset = parse_qs(url.query).get("reset") == ["1"]
                self._send(200, json.dumps(api.requests.summary(reset)).encode())
                return
            if url.path != "/api/daily_papers":
                self._send(404, b'{"error":"Not Found"}')
                return
            api.requests.record(self.path)
            if api.latency_seconds:
                time.sleep(api.latency_seconds)
            status, body, listing_date = api.answer(parse_qs(url.query))
            fault = api.faults.draw(listing_date) if status == 200 else None
            if fault == "rate_limited":
                headers = {"Retry-After": str(api.faults.retry_after_seconds)}
                self._send(429, b'{"error":"Too Many Requests"}', headers)
            elif fault == "server_error":
                self._send(500, b"Internal Server Error", content_type="text/plain")
            elif fault == "unavailable":
                self._send(
                    503, b"<html><body>Service Unavailable</body></html>", content_type="text/html"
                )
            elif fault == "dropped":
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            elif fault == "truncated":
                self._send(200, body[: max(1, len(body) // 2)])
            else:
                if fault == "slow":
                    time.sleep(api.faults.slow_seconds)
                self._send(status, body)

        def _send(
            self,
            status: int,
            body: bytes,
            headers: dict[str, str] | None = None,
            content_type: str = "application/json; charset=utf-8",
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler
