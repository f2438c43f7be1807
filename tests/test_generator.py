"""The synthetic Daily Papers generator: deterministic, era-faithful, messy on purpose."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from devtools.sample.generator import (
    FEED_START,
    SAMPLE_DIR,
    SAMPLE_END,
    SAMPLE_START,
    generate_listing,
    listing_json,
    write_sample,
)

pytestmark = pytest.mark.unit

BENCHMARK_START = date(2023, 5, 4)
BENCHMARK_END = date(2025, 10, 19)
PAPER_ID = re.compile(r"^\d{4}\.\d{5}$")


def days(start: date, end: date) -> Iterator[date]:
    """Every date from `start` to `end`, both included."""
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


@cache
def listings(start: date, end: date) -> dict[date, list[dict[str, Any]]]:
    return {day: generate_listing(day) for day in days(start, end)}


def benchmark_listings() -> dict[date, list[dict[str, Any]]]:
    return listings(BENCHMARK_START, BENCHMARK_END)


def walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from walk(child, f"{path}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from walk(child, f"{path}[{index}]")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def github_form(url: str) -> str:
    """Which of the messy forms a `githubRepo` value is written in."""
    if "\n" in url:
        return "embedded_newline"
    if " " in url:
        return "embedded_space"
    if url.startswith("http://www."):
        return "http_www"
    if "github.com" not in url:
        return "other_host"
    if "/tree/" in url:
        return "tree_path"
    if "/blob/" in url:
        return "blob_path"
    if url.endswith(".git"):
        return "dot_git"
    if "?" in url or "#" in url:
        return "query_fragment"
    if url.endswith("/"):
        return "trailing_slash"
    if url.count("/") == 3:
        return "owner_only"
    return "canonical"


ALL_GITHUB_FORMS = {
    "canonical",
    "trailing_slash",
    "dot_git",
    "tree_path",
    "blob_path",
    "http_www",
    "owner_only",
    "other_host",
    "embedded_newline",
    "embedded_space",
    "query_fragment",
}


# --- determinism ------------------------------------------------------------------------------


def test_the_same_seed_and_date_give_identical_listings():
    day = date(2025, 6, 25)
    assert generate_listing(day, seed=3) == generate_listing(day, seed=3)
    assert listing_json(generate_listing(day, seed=3)) == listing_json(generate_listing(day, 3))


def test_different_seeds_give_different_listings():
    day = date(2025, 6, 25)
    assert generate_listing(day, seed=0) != generate_listing(day, seed=1)


def test_a_listing_does_not_depend_on_which_other_dates_were_generated_before():
    day = date(2025, 3, 17)
    script = (
        "import sys, datetime; from devtools.sample.generator import generate_listing, "
        "listing_json; sys.stdout.buffer.write(listing_json(generate_listing("
        "datetime.date(2025, 3, 17), 7)))"
    )
    repo_root = Path(__file__).resolve().parents[1]
    fresh = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, cwd=repo_root
    ).stdout
    for other in days(date(2025, 3, 1), date(2025, 4, 10)):  # neighbours, in this process
        generate_listing(other, 7)
    assert listing_json(generate_listing(day, 7)) == fresh


# --- calendar and volume -----------------------------------------------------------------------


def test_weekends_are_empty_lists():
    for day in days(date(2024, 1, 1), date(2025, 12, 31)):
        if day.weekday() >= 5:
            assert generate_listing(day) == [], day


def test_christmas_new_year_and_dates_before_the_feed_started_are_empty():
    assert generate_listing(date(2024, 12, 25)) == []
    assert generate_listing(date(2025, 1, 1)) == []
    assert generate_listing(FEED_START - timedelta(days=1)) == []
    assert generate_listing(FEED_START) != []


def test_weekday_counts_grow_like_the_real_feed():
    by_year: dict[int, list[int]] = {}
    for day, listing in benchmark_listings().items():
        if listing:
            by_year.setdefault(day.year, []).append(len(listing))
    assert 8 <= statistics.median(by_year[2023]) <= 15
    assert 10 <= statistics.median(by_year[2024]) <= 25
    assert 15 <= statistics.median(by_year[2025]) <= 45
    assert max(by_year[2023]) <= 18  # 15, plus a re-listed paper or an in-day duplicate
    assert statistics.median(by_year[2023]) < statistics.median(by_year[2025])


def test_the_benchmark_range_has_days_past_the_page_sizes_of_50_and_100():
    counts = [len(listing) for listing in benchmark_listings().values()]
    assert sum(count > 50 for count in counts) >= 5
    assert any(count > 100 for count in counts)


def test_entries_come_most_upvoted_first():
    listing = generate_listing(date(2025, 10, 3))
    upvotes = [entry["paper"]["upvotes"] for entry in listing]
    assert upvotes == sorted(upvotes, reverse=True)


# --- schema eras ------------------------------------------------------------------------------

# (where the key lives, key, first listing date that has it)
ERA_KEYS = [
    ("top", "thumbnail", date(2024, 6, 1)),
    ("top", "submittedBy", date(2024, 6, 1)),
    ("paper", "discussionId", date(2024, 8, 1)),
    ("paper", "submittedOnDailyAt", date(2025, 3, 1)),
    ("paper", "submittedOnDailyBy", date(2025, 3, 1)),
    ("paper", "githubRepo", date(2025, 3, 1)),
    ("paper", "projectPage", date(2025, 3, 1)),
    ("paper", "ai_keywords", date(2025, 3, 1)),
    ("top", "summary", date(2025, 3, 1)),
    ("top", "isAuthorParticipating", date(2025, 3, 1)),
    ("paper", "ai_summary", date(2025, 5, 1)),
    ("paper", "githubStars", date(2025, 6, 1)),
    ("paper", "organization", date(2025, 10, 1)),
    ("top", "organization", date(2025, 10, 1)),
    ("paper", "githubRepoAddedBy", date(2025, 12, 1)),
    ("paper", "ai_summary_model", date(2026, 6, 1)),
]


def keys_between(start: date, end: date, where: str) -> Counter[str]:
    found: Counter[str] = Counter()
    for day in days(start, end):
        for entry in generate_listing(day):
            found.update(list(entry["paper"] if where == "paper" else entry))
    return found


@pytest.mark.parametrize(
    ("where", "key", "since"), ERA_KEYS, ids=[f"{w}.{k}" for w, k, _ in ERA_KEYS]
)
def test_a_key_appears_only_from_its_era_on(where: str, key: str, since: date):
    assert keys_between(since - timedelta(days=21), since - timedelta(days=1), where)[key] == 0
    assert keys_between(since, since + timedelta(days=21), where)[key] > 0


def test_media_url_exists_only_before_2024_06():
    assert keys_between(date(2024, 5, 10), date(2024, 5, 31), "top")["mediaUrl"] > 0
    assert keys_between(date(2024, 6, 1), date(2024, 6, 21), "top")["mediaUrl"] == 0


def test_an_organization_is_the_same_object_at_the_top_level_and_in_the_paper():
    for listing in listings(date(2025, 10, 1), date(2025, 10, 31)).values():
        for entry in listing:
            assert entry.get("organization") == entry["paper"].get("organization")


def test_early_entries_have_the_keys_in_the_order_the_api_sent_them():
    entry = generate_listing(date(2024, 3, 12))[0]
    assert list(entry) == ["paper", "publishedAt", "title", "mediaUrl", "numComments"]
    assert list(entry["paper"]) == ["id", "authors", "publishedAt", "title", "summary", "upvotes"]


# --- values -----------------------------------------------------------------------------------


def test_no_value_anywhere_is_null():
    sampled = [date(2023, 5, 4) + timedelta(days=9 * n) for n in range(140)]
    for day in sampled:
        for path, value in walk(generate_listing(day)):
            assert value is not None, f"{day} {path}"


def test_paper_ids_are_strings_like_2503_02130_and_some_end_in_zero():
    ids = [e["paper"]["id"] for listing in benchmark_listings().values() for e in listing]
    assert all(isinstance(paper_id, str) and PAPER_ID.match(paper_id) for paper_id in ids)
    assert sum(paper_id.endswith("0") for paper_id in ids) > len(ids) // 20


def test_papers_were_published_on_arxiv_0_to_14_days_before_the_listing_in_that_month():
    for day, listing in listings(date(2025, 2, 20), date(2025, 3, 20)).items():
        for entry in listing:
            published = parse_time(entry["paper"]["publishedAt"])
            assert 0 <= (day - published.date()).days <= 14
            assert entry["paper"]["id"][:4] == published.strftime("%y%m")


def test_top_level_published_at_is_the_listing_time_until_2025_02():
    for day, listing in listings(date(2024, 6, 3), date(2024, 6, 28)).items():
        for entry in listing:
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["publishedAt"])
            listed = parse_time(entry["publishedAt"]).date()
            # Mostly the listing date; the evening before (UTC), or days before in a backlog.
            assert day - timedelta(days=5) <= listed <= day
            assert parse_time(entry["paper"]["publishedAt"]) < parse_time(entry["publishedAt"])


def test_from_2025_03_the_top_level_published_at_is_the_arxiv_time_in_us_eastern():
    entry = generate_listing(date(2025, 10, 3))[0]
    arxiv = parse_time(entry["paper"]["publishedAt"])
    shifted = parse_time(entry["publishedAt"])
    assert arxiv - shifted == timedelta(hours=4)  # October: daylight time
    assert parse_time(entry["paper"]["submittedOnDailyAt"]).date() <= date(2025, 10, 3)


def test_before_2025_11_the_paper_title_keeps_arxiv_wraps_and_the_top_title_is_unwrapped():
    listing = generate_listing(date(2024, 12, 2)) + generate_listing(date(2024, 12, 3))
    wrapped = [e for e in listing if "\n  " in e["paper"]["title"]]
    assert wrapped
    assert all("\n" not in e["title"] for e in listing)
    # The top-level title is the unwrapped one, unless the submitter edited it (a few percent).
    same = [e for e in wrapped if e["title"] == e["paper"]["title"].replace("\n  ", " ")]
    assert len(same) >= 0.8 * len(wrapped)
    assert all("\n" in e["paper"]["summary"] for e in listing)


def test_authors_carry_hub_users_with_a_status_and_a_username_under_user():
    authors = [
        author
        for listing in listings(date(2025, 6, 2), date(2025, 6, 27)).values()
        for entry in listing
        for author in entry["paper"]["authors"]
    ]
    linked = [a for a in authors if "user" in a]
    assert 0.1 < len(linked) / len(authors) < 0.25
    assert {a["status"] for a in linked} == {
        "claimed_verified",
        "admin_assigned",
        "extracted_pending",
        "extracted_confirmed",
    }
    assert all(isinstance(a["user"]["user"], str) and a["user"]["user"] for a in linked)
    assert any(a["hidden"] for a in authors)


def test_counts_are_long_tailed_and_stars_stay_within_5000():
    entries = [e for listing in benchmark_listings().values() for e in listing]
    upvotes = [e["paper"]["upvotes"] for e in entries]
    assert statistics.median(upvotes) <= 30
    assert max(upvotes) >= 100
    assert statistics.median(e["numComments"] for e in entries) <= 3
    stars = [e["paper"]["githubStars"] for e in entries if "githubStars" in e["paper"]]
    assert stars
    assert all(0 <= s <= 5000 for s in stars)


def test_late_fill_rates_look_like_the_real_feed():
    entries = [
        e for listing in listings(date(2025, 10, 1), date(2025, 12, 31)).values() for e in listing
    ]

    def rate(key: str) -> float:
        return sum(key in e["paper"] for e in entries) / len(entries)

    assert 0.35 < rate("githubRepo") < 0.6
    assert 0.2 < rate("projectPage") < 0.4
    assert 0.35 < rate("organization") < 0.55
    assert 0.9 < rate("ai_keywords") < 0.99


def test_a_paper_listed_again_keeps_its_id_title_and_authors():
    seen: dict[str, dict[str, Any]] = {}
    relisted = 0
    for listing in benchmark_listings().values():
        for entry in {e["paper"]["id"]: e for e in listing}.values():
            paper = entry["paper"]
            if paper["id"] in seen:
                relisted += 1
                first = seen[paper["id"]]
                assert paper["title"].replace("\n  ", " ") == first["title"].replace("\n  ", " ")
                assert [a["name"] for a in paper["authors"]] == [
                    a["name"] for a in first["authors"]
                ]
            else:
                seen[paper["id"]] = paper
    total = sum(len(listing) for listing in benchmark_listings().values())
    assert 0.01 < relisted / total < 0.04


def test_the_same_id_twice_in_one_list_happens_on_a_few_days():
    days_with_duplicates = sum(
        len({e["paper"]["id"] for e in listing}) < len(listing)
        for listing in benchmark_listings().values()
        if listing
    )
    listing_days = sum(bool(listing) for listing in benchmark_listings().values())
    assert 0.01 < days_with_duplicates / listing_days < 0.08


def test_any_two_full_weeks_show_every_messy_github_form():
    for start in (date(2025, 3, 3), date(2025, 7, 14), date(2026, 2, 2)):
        forms = {
            github_form(e["paper"]["githubRepo"])
            for listing in listings(start, start + timedelta(days=13)).values()
            for e in listing
            if "githubRepo" in e["paper"]
        }
        assert forms == ALL_GITHUB_FORMS, start


def test_nine_hundred_dates_generate():
    listed = benchmark_listings()
    assert len(listed) == (BENCHMARK_END - BENCHMARK_START).days + 1 >= 900
    assert sum(len(listing) for listing in listed.values()) > 10_000


# --- writing and the bundled sample -----------------------------------------------------------


def test_write_sample_writes_one_compact_utf8_file_per_date_with_a_list(tmp_path: Path):
    written = write_sample(date(2025, 11, 28), date(2025, 12, 1), tmp_path, seed=0)
    assert [p.name for p in written] == ["2025-11-28.json", "2025-12-01.json"]  # end included
    body = written[0].read_bytes()
    assert body == listing_json(generate_listing(date(2025, 11, 28)))
    assert b'","' in body and b'", "' not in body[:200]
    assert json.loads(body.decode("utf-8")) == generate_listing(date(2025, 11, 28))


def test_the_bundled_sample_is_exactly_what_the_generator_writes(tmp_path: Path):
    regenerated = write_sample(SAMPLE_START, SAMPLE_END, tmp_path, seed=0)
    bundled = sorted(SAMPLE_DIR.glob("*.json"))
    assert [p.name for p in bundled] == [p.name for p in regenerated]
    for fresh in regenerated:
        assert (SAMPLE_DIR / fresh.name).read_bytes() == fresh.read_bytes(), fresh.name


def test_the_bundled_sample_exercises_every_quirk_a_loader_must_survive():
    sample = {p.stem: json.loads(p.read_bytes()) for p in sorted(SAMPLE_DIR.glob("*.json"))}
    entries = [e for listing in sample.values() for e in listing]
    assert len(sample) == 10
    assert any(len(listing) > 50 for listing in sample.values())
    assert any(
        len({e["paper"]["id"] for e in listing}) < len(listing) for listing in sample.values()
    )
    dates_by_id: dict[str, set[str]] = {}
    for day, listing in sample.items():
        for entry in listing:
            dates_by_id.setdefault(entry["paper"]["id"], set()).add(day)
    assert any(len(listed_on) > 1 for listed_on in dates_by_id.values())
    authors = [a for e in entries for a in e["paper"]["authors"]]
    assert any(a["hidden"] for a in authors)
    assert any(set(a["name"]) & set("éöñłüçå") for a in authors)
    forms = {github_form(e["paper"]["githubRepo"]) for e in entries if "githubRepo" in e["paper"]}
    assert forms == ALL_GITHUB_FORMS
    assert any(e["paper"]["id"].endswith("0") for e in entries)
