"""The API client against the loopback fake API: paging, empty dates, bad dates, faults."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import httpx
import pytest

from devtools.fake_api import FaultPlan
from pipelines.ingest.client import (
    BadDateError,
    DailyPapersClient,
    FetchedListing,
    FetchError,
    retry_after_seconds,
)
from tests.factories import entry, write_listings
from tests.pipeline_helpers import fast_client

DAY = date(2025, 10, 3)


def fetch_all(client: DailyPapersClient, dates: list[date]) -> list:
    async def collect():
        return [outcome async for outcome in client.fetch_many(dates)]

    return asyncio.run(collect())


def fetch_one(client: DailyPapersClient, listing_date: date) -> FetchedListing:
    """One date through `fetch_many`, as a run fetches it; its error raised."""

    async def first() -> FetchedListing | FetchError:
        async for outcome in client.fetch_many([listing_date]):
            return outcome
        raise AssertionError("fetch_many yielded nothing")

    outcome = asyncio.run(first())
    if isinstance(outcome, FetchError):
        raise outcome
    return outcome


@pytest.fixture
def busy_day(tmp_path):
    entries = [entry(f"2510.{number:05d}") for number in range(1, 231)]
    return write_listings(tmp_path / "api", {DAY.isoformat(): entries})


def test_a_busy_day_is_paged_past_the_apis_default_of_fifty(busy_day, serve_folder):
    with serve_folder(busy_day) as (api, base_url):
        listing = fetch_one(fast_client(base_url), DAY)
    assert listing.entry_count == 230
    assert len(listing.pages) == 3
    assert api.requests.paths == [
        "/api/daily_papers?date=2025-10-03&limit=100&p=0",
        "/api/daily_papers?date=2025-10-03&limit=100&p=1",
        "/api/daily_papers?date=2025-10-03&limit=100&p=2",
    ]


def test_a_full_last_page_is_followed_by_an_empty_one(tmp_path, serve_folder):
    folder = write_listings(tmp_path / "api", {DAY.isoformat(): [entry("2510.00001")] * 100})
    with serve_folder(folder) as (_api, base_url):
        listing = fetch_one(fast_client(base_url), DAY)
    assert (listing.entry_count, len(listing.pages), listing.pages[-1]) == (100, 2, b"[]")


def test_the_fake_api_defaults_to_fifty_entries_without_a_limit(busy_day, serve_folder):
    with serve_folder(busy_day) as (_, base_url):
        body = httpx.get(f"{base_url}/api/daily_papers", params={"date": "2025-10-03"}).json()
    assert len(body) == 50


def test_a_date_without_a_list_is_an_empty_array(busy_day, serve_folder):
    with serve_folder(busy_day) as (_, base_url):
        listing = fetch_one(fast_client(base_url), date(2025, 10, 4))
    assert (listing.entry_count, listing.pages) == (0, (b"[]",))


def test_http_400_fails_with_a_message_naming_the_date(busy_day, serve_folder):
    with serve_folder(busy_day) as (api, base_url):
        with pytest.raises(BadDateError, match=r"listing date 2025-10-03: .*HTTP 400"):
            api.answer = lambda query: (400, b'{"error":"bad date"}', None)
            fetch_one(fast_client(base_url), DAY)
        assert api.requests.count == 1


def test_the_fake_api_answers_400_for_a_malformed_date(busy_day, serve_folder):
    with serve_folder(busy_day) as (_, base_url):
        response = httpx.get(f"{base_url}/api/daily_papers", params={"date": "2025-13-45"})
    assert response.status_code == 400


def test_transient_faults_are_retried_until_the_page_arrives(busy_day, serve_folder):
    faults = FaultPlan(rate_limited=0.2, server_error=0.2, dropped=0.1, truncated=0.1, seed=3)
    with serve_folder(busy_day, faults=faults) as (api, base_url):
        client = fast_client(base_url, max_attempts=20)
        listing = fetch_one(client, DAY)
    assert listing.entry_count == 230
    assert listing.retries > 0
    assert api.requests.count == listing.requests == 3 + listing.retries


def test_a_date_whose_faults_outlast_the_retries_fails_alone(tmp_path, serve_folder):
    listings = {f"2025-10-0{day}": [entry(f"2510.0000{day}")] for day in (1, 2, 3)}
    folder = write_listings(tmp_path / "api", listings)
    faults = FaultPlan(fail_dates=frozenset({date(2025, 10, 2)}))
    with serve_folder(folder, faults=faults) as (_, base_url):
        outcomes = fetch_all(
            fast_client(base_url, max_attempts=3), [date(2025, 10, d) for d in (1, 2, 3)]
        )
    failures = [o for o in outcomes if isinstance(o, FetchError)]
    fetched = sorted(o.listing_date for o in outcomes if not isinstance(o, FetchError))
    assert fetched == [date(2025, 10, 1), date(2025, 10, 3)]
    assert len(failures) == 1
    message = str(failures[0])
    assert message.startswith("listing date 2025-10-02: gave up on http://127.0.0.1:")
    assert "/api/daily_papers?date=2025-10-02&limit=100&p=0 after 3 attempts" in message
    assert message.endswith("last problem: HTTP 503")


def test_requests_never_exceed_the_budget_in_any_window(tmp_path, serve_folder):
    listings = {f"2025-10-{day:02d}": [entry("2510.00001")] for day in range(1, 13)}
    folder = write_listings(tmp_path / "api", listings)
    with serve_folder(folder) as (api, base_url):
        client = fast_client(base_url, budget_requests=5, budget_window_seconds=1)
        outcomes = fetch_all(client, [date(2025, 10, day) for day in range(1, 13)])
    assert len(outcomes) == 12
    assert api.requests.count == 12
    assert api.requests.max_in_any_window(1.0) <= 5


def test_the_token_is_sent_as_a_bearer_header(busy_day, serve_folder):
    seen = {}
    with serve_folder(busy_day) as (api, base_url):
        original = api.answer

        def spy(query):
            return original(query)

        api.answer = spy
        client = fast_client(base_url, token="hf_secret")
        request = client._http().build_request("GET", "/api/daily_papers")
        seen.update(request.headers)
    assert seen["authorization"] == "Bearer hf_secret"
    assert seen["user-agent"].startswith("paperboard/")
    assert "hf_secret" not in repr(client.settings.endpoint)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "7"}, 7.0),
        ({"Retry-After": "Sat, 03 Oct 2025 00:00:30 GMT"}, 30.0),
        ({"RateLimit-Reset": "12"}, 12.0),
        ({"RateLimit": '"api";r=0;t=42'}, 42.0),
        ({"RateLimit": "limit=500, remaining=0, reset=9"}, 9.0),
        ({"Retry-After": "3", "RateLimit-Reset": "20"}, 20.0),
        ({}, None),
        ({"Retry-After": "soon"}, None),
    ],
)
def test_server_wait_hints_are_read_from_retry_after_and_ratelimit(headers, seconds):
    now = datetime(2025, 10, 3, tzinfo=UTC)
    assert retry_after_seconds(httpx.Headers(headers), now=now) == seconds
