"""Each normalisation rule, on small literal inputs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from pipelines.transform.normalise import (
    canonical_github_repo,
    canonical_project_page,
    clean_name,
    clean_text,
    name_key,
    normalise,
)
from pipelines.transform.schema import parse_listing
from tests.factories import author, entry, page

pytestmark = pytest.mark.unit

FETCHED = datetime(2025, 10, 4, 6, 0, tzinfo=UTC)


def apply(expression, values: list[str | None]) -> list[str | None]:
    return (
        pl.DataFrame({"value": values}, schema={"value": pl.String()})
        .select(expression(pl.col("value")))["value"]
        .to_list()
    )


def batch_of(*listings: tuple[date, datetime, list[dict]]):
    return normalise([parse_listing(d, f, [page(e)]) for d, f, e in listings])


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("https://github.com/owner/repo", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo.git", "https://github.com/owner/repo"),
        ("http://www.github.com/owner/repo", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/tree/main/sub/dir", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo/blob/main/README.md", "https://github.com/owner/repo"),
        ("https://github.com/owner/repo?tab=readme#usage", "https://github.com/owner/repo"),
        ("https://github.com/owner/re\npo", "https://github.com/owner/repo"),
        ("  https://github.com/ owner/repo  ", "https://github.com/owner/repo"),
        ("github.com/owner/repo", "https://github.com/owner/repo"),
        ("HTTPS://GitHub.com/Owner/Repo.Git", "https://github.com/Owner/Repo"),
        ("https://github.com/owner/my.repo", "https://github.com/owner/my.repo"),
        ("https://github.com/owner", None),
        ("https://github.com/owner/", None),
        ("https://gitlab.com/owner/repo", None),
        ("https://github.com.evil.example/owner/repo", None),
        ("javascript:alert(1)//github.com/owner/repo", None),
        ("", None),
        (None, None),
    ],
)
def test_github_links_become_canonical_owner_repo_urls_or_null(raw, canonical):
    assert apply(canonical_github_repo, [raw]) == [canonical]


@pytest.mark.parametrize(
    ("raw", "page_url"),
    [
        ("  https://example.github.io/project/  ", "https://example.github.io/project/"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("example.org", None),
        ("https://exa mple.org", None),
        ("https://example.org/\x07bell", None),
        (None, None),
    ],
)
def test_project_pages_are_trimmed_and_only_http_links_survive(raw, page_url):
    assert apply(canonical_project_page, [raw]) == [page_url]


def test_arxiv_line_wraps_and_whitespace_runs_collapse_in_titles():
    assert apply(clean_text, ["Scaling Laws for\n  Sparse   Models ", "\tTabs\r\nand\x00nul"]) == [
        "Scaling Laws for Sparse Models",
        "Tabs andnul",
    ]


def test_author_names_are_nfc_and_keys_fold_case_and_accents():
    decomposed = "Stéphane  Lathuilière "  # e + combining acute
    assert apply(clean_name, [decomposed]) == ["Stéphane Lathuilière"]
    assert apply(name_key, [decomposed, "STRAUß  Jürgen", "Benoît Sagot"]) == [
        "stephane lathuiliere",
        "strauss jurgen",
        "benoit sagot",
    ]


def test_paper_ids_stay_text_exactly_as_sent():
    batch = batch_of((date(2025, 3, 4), FETCHED, [entry("2503.02130")]))
    assert batch.papers["paper_id"].to_list() == ["2503.02130"]
    assert batch.papers["arxiv_url"].to_list() == ["https://arxiv.org/abs/2503.02130"]
    assert batch.papers["pdf_url"].to_list() == ["https://arxiv.org/pdf/2503.02130"]
    assert batch.papers["hf_url"].to_list() == ["https://huggingface.co/papers/2503.02130"]


def test_authors_keep_their_order_and_linked_accounts():
    authors = [
        author("Zoë  Zimmer", username="zoez", status="claimed_verified"),
        author("Ann Hidden", hidden=True),
        author("Bob Builder"),
    ]
    batch = batch_of((date(2025, 10, 3), FETCHED, [entry("2510.00001", authors=authors)]))
    rows = batch.paper_authors.select("position", "name", "name_key", "hf_username", "is_hidden")
    assert rows.rows() == [
        (1, "Zoë Zimmer", "zoe zimmer", "zoez", False),
        (2, "Ann Hidden", "ann hidden", None, True),
        (3, "Bob Builder", "bob builder", None, False),
    ]


def test_a_paper_listed_twice_in_one_day_is_one_listing_at_its_first_position():
    entries = [
        entry("2510.00001", upvotes=5),
        entry("2510.00002", upvotes=9),
        entry("2510.00001", upvotes=7, title="A different title"),
    ]
    batch = batch_of((date(2025, 10, 3), FETCHED, entries))
    assert batch.daily_listings.select("paper_id", "position", "upvotes").rows() == [
        ("2510.00001", 1, 5),
        ("2510.00002", 2, 9),
    ]
    assert batch.upvote_snapshots.height == 2


def test_timestamps_are_utc_and_missing_optional_keys_are_null():
    listed = entry("2510.00001", listed_at="2025-10-03T02:00:00+02:00")
    batch = batch_of((date(2025, 10, 3), FETCHED, [listed]))
    assert batch.daily_listings["listed_at"].to_list() == [datetime(2025, 10, 3, tzinfo=UTC)]
    paper = batch.papers.row(0, named=True)
    assert paper["submitted_at"] is None
    assert paper["github_repo"] is None
    assert paper["ai_keywords"] is None
    assert paper["organization"] is None
    assert paper["published_at"] == datetime(2025, 10, 1, 17, 59, 58, tzinfo=UTC)


def test_unknown_keys_never_break_a_load():
    odd = entry("2510.00001", brandNewKey={"deep": [{"deeper": [1, 2, {"x": None}]}]})
    odd["anotherTopLevelKey"] = "whatever"
    batch = batch_of((date(2025, 10, 3), FETCHED, [odd]))
    assert batch.papers["paper_id"].to_list() == ["2510.00001"]


def test_the_latest_listing_date_in_a_batch_decides_a_papers_attributes():
    older = entry("2510.00001", title="Old title", upvotes=3)
    newer = entry("2510.00001", title="New title", upvotes=8, githubRepo="https://github.com/a/b")
    batch = batch_of(
        (date(2025, 10, 9), FETCHED, [newer]),
        (date(2025, 10, 3), FETCHED, [older]),
    )
    paper = batch.papers.row(0, named=True)
    assert (paper["title"], paper["source_listing_date"]) == ("New title", date(2025, 10, 9))
    assert paper["github_repo"] == "https://github.com/a/b"
    assert batch.daily_listings.height == 2


def test_listings_come_from_the_latest_fetch_and_snapshots_from_every_fetch():
    earlier = datetime(2025, 10, 3, 8, tzinfo=UTC)
    later = datetime(2025, 10, 3, 20, tzinfo=UTC)
    batch = batch_of(
        (date(2025, 10, 3), earlier, [entry("2510.00001", upvotes=2)]),
        (date(2025, 10, 3), later, [entry("2510.00001", upvotes=11), entry("2510.00002")]),
    )
    assert batch.daily_listings.select("paper_id", "upvotes").rows() == [
        ("2510.00001", 11),
        ("2510.00002", 1),
    ]
    assert batch.upvote_snapshots.select("fetched_at", "upvotes").rows()[:2] == [
        (earlier, 2),
        (later, 11),
    ]


def test_organization_and_keywords_are_carried_through():
    listed = entry(
        "2510.00001",
        ai_keywords=["Large Language\n Models", "RL"],
        organization={
            "_id": "o1",
            "name": "Stanford-University",
            "fullname": "Stanford University",
        },
    )
    batch = batch_of((date(2025, 10, 3), FETCHED, [listed]))
    paper = batch.papers.row(0, named=True)
    assert paper["ai_keywords"] == ["Large Language Models", "RL"]
    assert (paper["organization"], paper["organization_name"]) == (
        "Stanford-University",
        "Stanford University",
    )
