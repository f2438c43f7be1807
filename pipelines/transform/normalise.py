"""Normalisation rules: text, names, links, and the shape of the warehouse tables.

Every function here is pure Polars (DataFrame or expression in, DataFrame or expression out),
so each rule can be tested on a literal input and reused by the loader and the tests alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from pipelines.transform.schema import UTC_TIMESTAMP, ParsedListing
from pipelines.urls import web_url

_CONTROL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\u200B-\u200D\u2060\uFEFF]"
_GITHUB_REPO = (
    r"^(?i:https?://)?(?i:www\.)?(?i:github\.com)/"
    r"([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/"
    r"([A-Za-z0-9._-]+?)(?i:\.git)*/*(?:[/?#].*)?$"
)


def clean_text(text: pl.Expr) -> pl.Expr:
    """Drop control characters; collapse whitespace runs (arXiv line wraps) to one space; trim."""
    return text.str.replace_all(_CONTROL, "").str.replace_all(r"\s+", " ").str.strip_chars()


def clean_name(name: pl.Expr) -> pl.Expr:
    """An author's display name: Unicode NFC with whitespace collapsed.

    NFC comes last: dropping a control character can bring a letter and its accent together.
    """
    return clean_text(name).str.normalize("NFC")


def name_key(name: pl.Expr) -> pl.Expr:
    """A key that matches the same person across papers: case-folded, accents removed.

    Lower-casing can create accents (`İ` → `i̇`) and decomposing can create capitals (black-letter
    H → `H`), so both happen before the accents go; the key of a key is the key itself.
    """
    return clean_text(
        name.str.normalize("NFKD")
        .str.to_lowercase()
        .str.normalize("NFKD")
        .str.replace_all(r"\p{M}", "")
        .str.replace_all("ß", "ss")
    )


def canonical_github_repo(raw: pl.Expr) -> pl.Expr:
    """`https://github.com/{owner}/{repo}`, or null when the link names no repository.

    Whitespace (even inside the URL) goes, `http`/`www.` are normalised, and `.git` suffixes or
    anything after owner/repo (`/tree/...`, `/blob/...`, query, fragment) is dropped.
    """
    compact = raw.str.replace_all(r"\s+", "").str.replace_all(_CONTROL, "")
    owner = compact.str.extract(_GITHUB_REPO, 1)
    repo = compact.str.extract(_GITHUB_REPO, 2)
    usable = repo.is_not_null() & ~repo.is_in([".", ".."])
    return pl.when(usable).then(pl.format("https://github.com/{}/{}", owner, repo))


def canonical_project_page(raw: pl.Expr) -> pl.Expr:
    """The project page trimmed, or null unless it is a safe http(s) URL (never `javascript:`):
    the one link rule, `pipelines.urls.web_url`."""
    return raw.map_elements(web_url, return_dtype=pl.String(), skip_nulls=True)


def _unless_empty(text: pl.Expr) -> pl.Expr:
    return pl.when(text != "").then(text)


@dataclass(frozen=True)
class WarehouseBatch:
    """Frames shaped exactly like the `hf.*` tables, for the dates of one batch."""

    listing_dates: pl.DataFrame
    daily_listings: pl.DataFrame
    papers: pl.DataFrame
    paper_authors: pl.DataFrame
    upvote_snapshots: pl.DataFrame
    fetches: pl.DataFrame
    """Every fetch the batch read, shaped like `hf.load_fetches` without the load's id."""


FETCH_OUTCOMES = ("listing", "snapshots", "unreadable")


def fetch_outcomes(fetches: Sequence[tuple[date, datetime]], outcome: str) -> pl.DataFrame:
    """(listing_date, fetched_at, outcome) rows for the given fetches, all with one outcome."""
    if outcome not in FETCH_OUTCOMES:
        raise ValueError(f"a fetch outcome is one of {FETCH_OUTCOMES}, not {outcome!r}")
    return pl.DataFrame(
        {
            "listing_date": [listing_date for listing_date, _ in fetches],
            "fetched_at": [fetched_at for _, fetched_at in fetches],
            "outcome": [outcome] * len(fetches),
        },
        schema={
            "listing_date": pl.Date(),
            "fetched_at": UTC_TIMESTAMP,
            "outcome": pl.String(),
        },
    )


def normalise(parsed: Sequence[ParsedListing]) -> WarehouseBatch:
    """Turn parsed fetches into warehouse rows.

    `daily_listings` come from the latest fetch of each date; `upvote_snapshots` from every
    fetch; `papers` and `paper_authors` from each paper's latest listing date in the batch
    (ties: latest fetch). A paper listed twice in one fetch counts once, at its first position.
    """
    if not parsed:
        raise ValueError("normalise needs at least one parsed listing")
    entries = (
        pl.concat([listing.entries for listing in parsed])
        .with_columns((pl.col("entry_index") + 1).alias("position"))
        .unique(["listing_date", "fetched_at", "paper_id"], keep="first", maintain_order=True)
    )
    authors = pl.concat([listing.authors for listing in parsed])

    latest_fetch = pl.col("fetched_at") == pl.col("fetched_at").max().over("listing_date")
    listing_dates = (
        pl.DataFrame(
            {
                "listing_date": [listing.listing_date for listing in parsed],
                "fetched_at": [listing.fetched_at for listing in parsed],
            },
            schema={"listing_date": pl.Date(), "fetched_at": entries.schema["fetched_at"]},
        )
        .filter(latest_fetch)
        .unique("listing_date")
        .sort("listing_date")
    )
    latest = entries.filter(latest_fetch)

    daily_listings = latest.select(
        "listing_date",
        "paper_id",
        pl.col("position").cast(pl.Int32()),
        "listed_at",
        # An empty listing title (seen in old lists) falls back to the paper's title.
        pl.coalesce(
            _unless_empty(clean_text(pl.col("listing_title"))), clean_text(pl.col("paper_title"))
        ).alias("title"),
        "submitted_by",
        pl.col("upvotes").cast(pl.Int32()),
        pl.col("num_comments").cast(pl.Int32()),
        pl.coalesce("organization", "paper_organization").alias("organization"),
        pl.coalesce("thumbnail_url", "media_url").alias("thumbnail_url"),
        "fetched_at",
    ).sort("listing_date", "position")

    versions = latest.sort(["listing_date", "fetched_at"], descending=True).unique(
        "paper_id", keep="first", maintain_order=True
    )
    paper_id = pl.col("paper_id")
    papers = versions.select(
        "paper_id",
        clean_text(pl.col("paper_title")).alias("title"),
        clean_text(pl.col("abstract")).alias("abstract"),
        "published_at",
        "submitted_at",
        pl.format("https://arxiv.org/abs/{}", paper_id).alias("arxiv_url"),
        pl.format("https://arxiv.org/pdf/{}", paper_id).alias("pdf_url"),
        pl.format("https://huggingface.co/papers/{}", paper_id).alias("hf_url"),
        canonical_github_repo(pl.col("github_repo_raw")).alias("github_repo"),
        "github_repo_raw",
        pl.col("github_stars").cast(pl.Int32()),
        canonical_project_page(pl.col("project_page_raw")).alias("project_page"),
        "project_page_raw",
        clean_text(pl.col("ai_summary")).alias("ai_summary"),
        pl.col("ai_keywords").list.eval(clean_text(pl.element())).alias("ai_keywords"),
        pl.coalesce("paper_organization", "organization").alias("organization"),
        pl.coalesce("paper_organization_name", "organization_name").alias("organization_name"),
        pl.col("upvotes").cast(pl.Int32()),
        pl.col("num_comments").cast(pl.Int32()),
        pl.col("listing_date").alias("first_listing_date"),
        pl.col("listing_date").alias("last_listing_date"),
        pl.col("listing_date").alias("source_listing_date"),
        "fetched_at",
    ).sort("paper_id")

    paper_authors = (
        authors.join(
            versions.select("listing_date", "fetched_at", "entry_index", "paper_id"),
            on=["listing_date", "fetched_at", "entry_index"],
            how="inner",
        )
        .select(
            "paper_id",
            pl.col("author_position").alias("position"),
            clean_name(pl.col("name")).alias("name"),
            name_key(pl.col("name")).alias("name_key"),
            clean_text(pl.col("hf_username")).alias("hf_username"),
            pl.col("is_hidden").fill_null(False),
            "status",
        )
        .sort("paper_id", "position")
    )

    upvote_snapshots = entries.select(
        "paper_id",
        "fetched_at",
        "listing_date",
        pl.col("upvotes").cast(pl.Int32()),
        pl.col("num_comments").cast(pl.Int32()),
    ).sort("listing_date", "fetched_at", "paper_id")

    listing_fetches = set(listing_dates.select("listing_date", "fetched_at").iter_rows())
    read = [(listing.listing_date, listing.fetched_at) for listing in parsed]
    fetches = pl.concat(
        [
            fetch_outcomes([fetch for fetch in read if fetch in listing_fetches], "listing"),
            fetch_outcomes([fetch for fetch in read if fetch not in listing_fetches], "snapshots"),
        ]
    ).unique(["listing_date", "fetched_at"], maintain_order=True)

    return WarehouseBatch(
        listing_dates=listing_dates,
        daily_listings=daily_listings,
        papers=papers,
        paper_authors=paper_authors,
        upvote_snapshots=upvote_snapshots,
        fetches=fetches,
    )
