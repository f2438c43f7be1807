"""An async HTTP client for the Hugging Face Daily Papers API.

It knows the API's paging rules, how to survive its rate limit and its occasional failures,
and nothing of Dagster: the Dagster resource in `pipelines.defs.resources` only builds it.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

import httpx
from limits import RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from pipelines import __version__

USER_AGENT = f"paperboard/{__version__} (Daily Papers warehouse; httpx)"
RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class FetchError(Exception):
    """A listing date could not be fetched; the message names the date, URL, status, attempts."""

    def __init__(self, listing_date: date, message: str) -> None:
        super().__init__(f"listing date {listing_date}: {message}")
        self.listing_date = listing_date


class BadDateError(FetchError):
    """The API answered 400: it does not accept this date."""


class _TransientError(Exception):
    """A failure worth retrying; `retry_after` carries the server's hint in seconds, if any."""

    def __init__(self, description: str, status: int | None, retry_after: float | None) -> None:
        super().__init__(description)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchedListing:
    """Every page of one date's list, byte for byte as the API sent them."""

    listing_date: date
    fetched_at: datetime
    pages: tuple[bytes, ...]
    entry_count: int
    requests: int
    retries: int


@dataclass
class FetchStats:
    """Counters shared by all requests of one run, read by progress reports."""

    requests: int = 0
    retries: int = 0
    dates_done: int = 0
    dates_failed: int = 0
    started: float = field(default_factory=time.monotonic)

    def requests_per_second(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.requests / elapsed if elapsed > 0 else 0.0


def retry_after_seconds(headers: httpx.Headers, now: datetime | None = None) -> float | None:
    """The longest wait the server asks for, from `Retry-After` or the `RateLimit` headers.

    `Retry-After` may be seconds or an HTTP date; `RateLimit-Reset` is seconds; the IETF
    `RateLimit` field carries it as `t=` (newer drafts) or `reset=` (older ones).
    """
    hints: list[float] = []
    retry_after = headers.get("retry-after")
    if retry_after:
        value = retry_after.strip()
        if value.isdigit():
            hints.append(float(value))
        else:
            try:
                moment = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                moment = None
            if moment is not None:
                current = now or datetime.now(UTC)
                hints.append(max(0.0, (moment - current).total_seconds()))
    reset = headers.get("ratelimit-reset")
    if reset and reset.strip().isdigit():
        hints.append(float(reset.strip()))
    ratelimit = headers.get("ratelimit")
    if ratelimit:
        match = re.search(r"(?:\bt|\breset)\s*=\s*(\d+)", ratelimit)
        if match:
            hints.append(float(match.group(1)))
    return max(hints) if hints else None


class _WaitForServerOrBackoff:
    """Tenacity wait: honour the server's hint when it gives one, else jittered backoff."""

    def __init__(self, backoff: Callable[[RetryCallState], float], max_wait: float) -> None:
        self._backoff = backoff
        self._max_wait = max_wait

    def __call__(self, retry_state: RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        hint = getattr(error, "retry_after", None)
        if hint is not None:
            return min(float(hint), self._max_wait)
        return self._backoff(retry_state)


class RequestBudget:
    """At most `max_requests` in any moving window of `window_seconds`, shared by a whole run.

    A moving window (not a leaky bucket) is what lets us promise the budget is never exceeded
    in any window, which is how the API counts. Waits end a little after the window frees a
    slot, so jitter in network latency cannot squeeze an extra request into a server's window.
    """

    GUARD_SECONDS = 0.1

    def __init__(self, max_requests: int, window_seconds: int) -> None:
        self._item = RateLimitItemPerSecond(max_requests, window_seconds)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    async def acquire(self) -> None:
        while not await self._limiter.hit(self._item, "daily_papers"):
            stats = await self._limiter.get_window_stats(self._item, "daily_papers")
            await asyncio.sleep(max(stats.reset_time - time.time(), 0.0) + self.GUARD_SECONDS)


@dataclass(frozen=True)
class ClientSettings:
    endpoint: str
    token: str | None = field(default=None, repr=False)
    page_size: int = 100
    timeout_seconds: float = 30.0
    max_attempts: int = 6
    backoff_initial_seconds: float = 1.0
    backoff_max_seconds: float = 60.0
    max_wait_seconds: float = 300.0
    concurrency: int = 8
    budget_requests: int = 450
    budget_window_seconds: int = 300


class DailyPapersClient:
    """Fetches listing dates concurrently, within one request budget, retrying what is transient."""

    def __init__(self, settings: ClientSettings) -> None:
        self.settings = settings
        self.stats = FetchStats()
        self._budget = RequestBudget(settings.budget_requests, settings.budget_window_seconds)
        self._retrying = dict(
            stop=stop_after_attempt(settings.max_attempts),
            wait=_WaitForServerOrBackoff(
                wait_exponential_jitter(
                    initial=settings.backoff_initial_seconds,
                    max=settings.backoff_max_seconds,
                ),
                settings.max_wait_seconds,
            ),
            retry=retry_if_exception_type(_TransientError),
            reraise=True,
        )

    def _http(self) -> httpx.AsyncClient:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self.settings.token:
            headers["Authorization"] = f"Bearer {self.settings.token}"
        limit = self.settings.concurrency
        return httpx.AsyncClient(
            base_url=self.settings.endpoint,
            headers=headers,
            timeout=httpx.Timeout(self.settings.timeout_seconds),
            limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
            follow_redirects=True,
        )

    async def fetch_many(
        self, listing_dates: Iterable[date]
    ) -> AsyncIterator[FetchedListing | FetchError]:
        """Yield each date's listing (or its error) as soon as it is done, in no fixed order."""
        gate = asyncio.Semaphore(self.settings.concurrency)
        async with self._http() as http:

            async def one(listing_date: date) -> FetchedListing | FetchError:
                async with gate:
                    try:
                        listing = await self._fetch_date(http, listing_date)
                    except FetchError as error:
                        self.stats.dates_failed += 1
                        return error
                    self.stats.dates_done += 1
                    return listing

            tasks = [asyncio.create_task(one(d)) for d in listing_dates]
            try:
                for finished in asyncio.as_completed(tasks):
                    yield await finished
            finally:
                for task in tasks:
                    task.cancel()

    async def _fetch_date(self, http: httpx.AsyncClient, listing_date: date) -> FetchedListing:
        fetched_at = datetime.now(UTC)
        pages: list[bytes] = []
        entry_count = requests = retries = 0
        page_number = 0
        while True:
            body, count, attempts = await self._fetch_page(http, listing_date, page_number)
            pages.append(body)
            entry_count += count
            requests += attempts
            retries += attempts - 1
            if count < self.settings.page_size:
                break
            page_number += 1
        return FetchedListing(
            listing_date, fetched_at, tuple(pages), entry_count, requests, retries
        )

    async def _fetch_page(
        self, http: httpx.AsyncClient, listing_date: date, page_number: int
    ) -> tuple[bytes, int, int]:
        params = {
            "date": listing_date.isoformat(),
            "limit": str(self.settings.page_size),
            "p": str(page_number),
        }
        url = f"{self.settings.endpoint}/api/daily_papers?{httpx.QueryParams(params)}"
        attempts = 0
        last_problem = "no response"
        try:
            async for attempt in AsyncRetrying(**self._retrying):
                with attempt:
                    attempts += 1
                    if attempts > 1:
                        self.stats.retries += 1
                    await self._budget.acquire()
                    self.stats.requests += 1
                    try:
                        response = await http.get("/api/daily_papers", params=params)
                        body = response.content
                    except httpx.TransportError as error:
                        last_problem = f"{type(error).__name__}: {error}".rstrip(": ")
                        raise _TransientError(last_problem, None, None) from error
                    last_problem = f"HTTP {response.status_code}"
                    if response.status_code == 400:
                        raise BadDateError(
                            listing_date,
                            f"the API rejected the date (HTTP 400 from {url}): "
                            f"{body[:200].decode('utf-8', 'replace')}",
                        )
                    if response.status_code in RETRYABLE_STATUSES:
                        raise _TransientError(
                            last_problem,
                            response.status_code,
                            retry_after_seconds(response.headers),
                        )
                    if response.status_code != 200:
                        raise FetchError(listing_date, f"{last_problem} from {url} (not retried)")
                    try:
                        count = _count_entries(body)
                    except RecursionError:
                        raise FetchError(
                            listing_date,
                            f"HTTP 200 from {url} with JSON nested too deeply to parse "
                            f"(not retried): {_excerpt(body)}",
                        ) from None
                    if count is None:
                        last_problem = (
                            "HTTP 200 with a body that is not a complete JSON array: "
                            + _excerpt(body)
                        )
                        raise _TransientError(last_problem, 200, None)
                    return body, count, attempts
        except _TransientError:
            raise FetchError(
                listing_date,
                f"gave up on {url} after {attempts} attempts; last problem: {last_problem}",
            ) from None
        raise AssertionError("unreachable: tenacity either returns or raises")


def _excerpt(body: bytes, limit: int = 80) -> str:
    """The start of a body, as a Python literal: safe to print whatever the bytes are."""
    text = repr(body[:limit])
    return text + " ..." if len(body) > limit else text


def _count_entries(body: bytes) -> int | None:
    """Entries in a page, or None if the body is not one complete JSON array."""
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return len(parsed) if isinstance(parsed, list) else None
