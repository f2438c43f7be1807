"""The one declared schema of a Daily Papers response, and the parser that enforces it.

The API's keys drift over time (see the README's "Source" section), so the schema names only
the fields the warehouse uses. A missing optional key (or a JSON null) becomes null; a key we
do not know is ignored here and survives in the landed raw file; a value of the wrong type in a
field we use fails the whole date with a message naming the date, the field and the value.

Hand-written rather than pydantic or msgspec (both tried on the real samples): they report the
field path of the first error but not the offending value or our wording, and coerce or refuse
differently per type, so each error would need a second pass over the raw JSON to explain
itself; here the fields are declared once, as data, and decode straight into Polars columns.
Decoding is not what a run waits for: it runs in a thread behind the fetch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import polars as pl

# Each field: output column, path in an entry, Polars dtype, required?
# Timestamps are ISO 8601 strings with a zone in the API and Datetime(UTC) here.
UTC_TIMESTAMP = pl.Datetime("us", "UTC")


@dataclass(frozen=True)
class Field:
    column: str
    path: tuple[str, ...]
    dtype: pl.DataType
    required: bool = False

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


ENTRY_FIELDS: tuple[Field, ...] = (
    Field("paper_id", ("paper", "id"), pl.String(), required=True),
    Field("paper_title", ("paper", "title"), pl.String(), required=True),
    Field("abstract", ("paper", "summary"), pl.String()),
    Field("published_at", ("paper", "publishedAt"), UTC_TIMESTAMP),
    Field("submitted_at", ("paper", "submittedOnDailyAt"), UTC_TIMESTAMP),
    Field("upvotes", ("paper", "upvotes"), pl.Int64(), required=True),
    Field("github_repo_raw", ("paper", "githubRepo"), pl.String()),
    Field("github_stars", ("paper", "githubStars"), pl.Int64()),
    Field("project_page_raw", ("paper", "projectPage"), pl.String()),
    Field("ai_summary", ("paper", "ai_summary"), pl.String()),
    Field("ai_keywords", ("paper", "ai_keywords"), pl.List(pl.String())),
    Field("paper_organization", ("paper", "organization", "name"), pl.String()),
    Field("paper_organization_name", ("paper", "organization", "fullname"), pl.String()),
    Field("listed_at", ("publishedAt",), UTC_TIMESTAMP, required=True),
    Field("listing_title", ("title",), pl.String()),
    Field("num_comments", ("numComments",), pl.Int64(), required=True),
    Field("submitted_by", ("submittedBy", "name"), pl.String()),
    Field("organization", ("organization", "name"), pl.String()),
    Field("organization_name", ("organization", "fullname"), pl.String()),
    Field("thumbnail_url", ("thumbnail",), pl.String()),
    Field("media_url", ("mediaUrl",), pl.String()),
)
AUTHORS_PATH = ("paper", "authors")
AUTHOR_FIELDS: tuple[Field, ...] = (
    Field("name", ("name",), pl.String(), required=True),
    Field("is_hidden", ("hidden",), pl.Boolean()),
    Field("status", ("status",), pl.String()),
    Field("hf_username", ("user", "user"), pl.String()),
)
NON_NEGATIVE = frozenset({"upvotes", "num_comments", "github_stars"})
# Counts are `integer` (32-bit) columns in the warehouse.
MAX_COUNT = 2**31 - 1
PAPER_ID = re.compile(r"\d{4}\.\d{4,5}")

ENTRY_SCHEMA = pl.Schema(
    {"listing_date": pl.Date(), "fetched_at": UTC_TIMESTAMP, "entry_index": pl.Int32()}
    | {field.column: field.dtype for field in ENTRY_FIELDS}
)
AUTHOR_SCHEMA = pl.Schema(
    {
        "listing_date": pl.Date(),
        "fetched_at": UTC_TIMESTAMP,
        "entry_index": pl.Int32(),
        "author_position": pl.Int32(),
    }
    | {field.column: field.dtype for field in AUTHOR_FIELDS}
)


class ResponseError(ValueError):
    """A response that does not fit the declared schema; the message says where and why."""

    def __init__(self, listing_date: date, problem: str) -> None:
        super().__init__(f"listing date {listing_date}: {problem}")
        self.listing_date = listing_date


@dataclass(frozen=True)
class ParsedListing:
    """One fetch of one date as two flat frames: entries, and their authors in order."""

    listing_date: date
    fetched_at: datetime
    entries: pl.DataFrame
    authors: pl.DataFrame


def parse_listing(
    listing_date: date, fetched_at: datetime, pages: Sequence[bytes]
) -> ParsedListing:
    """Decode and validate every page of one fetch into flat, typed frames."""
    entries: list[Any] = []
    for number, body in enumerate(pages):
        try:
            page = json.loads(body)
        except RecursionError:
            raise ResponseError(
                listing_date,
                f"page {number} is JSON nested too deeply to parse: {_show(body[:80])}",
            ) from None
        except UnicodeDecodeError as error:
            raise ResponseError(
                listing_date, f"page {number} is not valid UTF-8 ({error})"
            ) from None
        except json.JSONDecodeError as error:
            raise ResponseError(
                listing_date, f"page {number} is not JSON ({error}): {_show(body[:80])}"
            ) from None
        if not isinstance(page, list):
            raise ResponseError(
                listing_date,
                f"page {number} is a JSON {type(page).__name__}, not an array: {_show(body[:80])}",
            )
        entries.extend(page)

    entry_columns: dict[str, list[Any]] = {field.column: [] for field in ENTRY_FIELDS}
    author_columns: dict[str, list[Any]] = {
        "entry_index": [],
        "author_position": [],
    } | {field.column: [] for field in AUTHOR_FIELDS}
    for index, entry in enumerate(entries):
        where = f"entry {index}"
        if not isinstance(entry, dict):
            raise ResponseError(listing_date, f"{where} is a {type(entry).__name__}, not an object")
        for field in ENTRY_FIELDS:
            entry_columns[field.column].append(_value(listing_date, where, entry, field))
        paper_id = entry_columns["paper_id"][-1]
        if not PAPER_ID.fullmatch(paper_id):
            raise ResponseError(
                listing_date,
                f"field paper.id of {where} has value {_show(paper_id)}: "
                "not an arXiv id like 2503.02130",
            )
        authors = _lookup(listing_date, where, entry, AUTHORS_PATH)
        if authors is None:
            authors = []
        if not isinstance(authors, list):
            raise ResponseError(
                listing_date,
                f"field paper.authors of {where} (paper {paper_id}) has value {_show(authors)}: "
                "expected a list",
            )
        for position, author in enumerate(authors, start=1):
            author_where = f"{where} (paper {paper_id}) author {position}"
            if not isinstance(author, dict):
                raise ResponseError(
                    listing_date,
                    f"field paper.authors of {author_where} has value {_show(author)}: "
                    "expected an object",
                )
            author_columns["entry_index"].append(index)
            author_columns["author_position"].append(position)
            for field in AUTHOR_FIELDS:
                value = _value(listing_date, author_where, author, field, prefix="paper.authors.")
                author_columns[field.column].append(value)

    # The fetch's date and time as plain columns of the one frame built: no per-fetch
    # expressions (literals and a select per fetch were a third of a backfill's parsing).
    fetched_at_utc = fetched_at.astimezone(UTC)
    entries_frame = pl.DataFrame(
        {
            "listing_date": [listing_date] * len(entries),
            "fetched_at": [fetched_at_utc] * len(entries),
            "entry_index": list(range(len(entries))),
        }
        | entry_columns,
        schema=ENTRY_SCHEMA,
    )
    authored = len(author_columns["entry_index"])
    authors_frame = pl.DataFrame(
        {"listing_date": [listing_date] * authored, "fetched_at": [fetched_at_utc] * authored}
        | author_columns,
        schema=AUTHOR_SCHEMA,
    )
    return ParsedListing(listing_date, fetched_at, entries_frame, authors_frame)


def _lookup(
    listing_date: date, where: str, entry: dict[str, Any], path: tuple[str, ...], prefix: str = ""
) -> Any:
    """The value at `path`, or None if any key on the way is missing or null.

    A value on the way that is not an object (`"organization": "acme"`) is a wrong type and
    fails the date, rather than silently reading as missing.
    """
    value: Any = entry
    for depth, key in enumerate(path):
        if not isinstance(value, dict):
            name = prefix + ".".join(path[:depth])
            raise ResponseError(
                listing_date,
                f"field {name} of {where} has value {_show(value)}: expected an object",
            )
        value = value.get(key)
        if value is None:
            return None
    return value


def _is_text(value: str) -> bool:
    """False for a string holding a lone surrogate (`"\\ud800"` in JSON): not Unicode text."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _value(
    listing_date: date, where: str, entry: dict[str, Any], field: Field, prefix: str = ""
) -> Any:
    value = _lookup(listing_date, where, entry, field.path, prefix)
    name = prefix + field.dotted

    def fail(expected: str) -> ResponseError:
        return ResponseError(
            listing_date, f"field {name} of {where} has value {_show(value)}: expected {expected}"
        )

    if value is None:
        if field.required:
            raise ResponseError(listing_date, f"field {name} of {where} is missing")
        return None
    dtype = field.dtype
    if dtype == pl.String():
        if not isinstance(value, str):
            raise fail("a string")
        if not _is_text(value):
            raise fail("valid Unicode text")
        if field.required and not value.strip():
            raise fail("a non-empty string")
        return value
    if dtype == pl.Int64():
        if not isinstance(value, int) or isinstance(value, bool):
            raise fail("an integer")
        if field.column in NON_NEGATIVE and value < 0:
            raise fail("a count of zero or more")
        if value > MAX_COUNT:
            raise fail(f"a count of at most {MAX_COUNT}")
        return value
    if dtype == pl.Boolean():
        if not isinstance(value, bool):
            raise fail("true or false")
        return value
    if dtype == UTC_TIMESTAMP:
        if not isinstance(value, str):
            raise fail("an ISO 8601 timestamp with a zone")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise fail("an ISO 8601 timestamp with a zone") from None
        if moment.tzinfo is None or "T" not in value:
            raise fail("an ISO 8601 timestamp with a zone")
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise fail("a timestamp between the years 1 and 9999 in UTC") from None
    if dtype == pl.List(pl.String()):
        if not isinstance(value, list) or not all(
            isinstance(item, str) and _is_text(item) for item in value
        ):
            raise fail("a list of strings")
        return value
    raise AssertionError(f"no validator for {dtype}")


def _show(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
