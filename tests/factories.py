"""Literal API entries for tests, shaped like the real `/api/daily_papers` responses."""

from __future__ import annotations

import json
import threading
import zlib
from copy import deepcopy
from datetime import date
from pathlib import Path
from typing import Any

from devtools.fake_api import GeneratedSource


def author(
    name: str,
    *,
    hidden: bool = False,
    username: str | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    result: dict[str, Any] = {"_id": f"author-{abs(hash(name)) % 10**8}", "name": name}
    if username is not None:
        result["user"] = {"_id": f"user-{username}", "user": username, "fullname": name}
        result["status"] = status or "claimed_verified"
        result["statusLastChangedAt"] = "2025-10-02T13:55:10.013Z"
    result["hidden"] = hidden
    return result


def entry(
    paper_id: str,
    *,
    title: str = "A Paper",
    listed_at: str = "2025-10-03T00:37:13.283Z",
    upvotes: int = 1,
    num_comments: int = 0,
    authors: list[dict[str, Any]] | None = None,
    listing_title: str | None = None,
    **paper_extra: Any,
) -> dict[str, Any]:
    """One entry of the list; `paper_extra` adds keys inside `paper` (githubRepo, ...)."""
    paper: dict[str, Any] = {
        "id": paper_id,
        "authors": authors if authors is not None else [author("Ada Lovelace")],
        "publishedAt": "2025-10-01T17:59:58.000Z",
        "title": title,
        "summary": "We study things.\nThey work.",
        "upvotes": upvotes,
        "discussionId": "d" + paper_id,
    }
    paper.update(paper_extra)
    return {
        "paper": paper,
        "publishedAt": listed_at,
        "title": listing_title if listing_title is not None else " ".join(title.split()),
        "summary": paper["summary"],
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{paper_id}.png",
        "numComments": num_comments,
        "submittedBy": {"_id": "u1", "name": "submitter", "fullname": "Sub Mitter"},
        "isAuthorParticipating": False,
    }


def write_listings(folder: Path, listings: dict[str, list[dict[str, Any]]]) -> Path:
    """Write `{date: entries}` as the fake API's folder of `YYYY-MM-DD.json` files."""
    folder.mkdir(parents=True, exist_ok=True)
    for listing_date, entries in listings.items():
        (folder / f"{listing_date}.json").write_text(
            json.dumps(deepcopy(entries), ensure_ascii=False), encoding="utf-8"
        )
    return folder


def page(entries: list[dict[str, Any]]) -> bytes:
    return json.dumps(entries, ensure_ascii=False).encode()


class ConsistentCounts:
    """Generated listings in which a paper has one upvote and comment count on every date."""

    def __init__(self, seed: int) -> None:
        self._generated = GeneratedSource(seed=seed)
        self._cache: dict[date, list] = {}
        self._lock = threading.Lock()

    def listing(self, listing_date: date) -> list:
        with self._lock:
            if listing_date not in self._cache:
                entries = deepcopy(self._generated.listing(listing_date))
                for item in entries:
                    checksum = zlib.crc32(item["paper"]["id"].encode())
                    item["paper"]["upvotes"] = checksum % 300
                    item["numComments"] = checksum % 7
                self._cache[listing_date] = entries
            return self._cache[listing_date]


class GatedSource:
    """A source whose answers for some dates wait until the test opens the gate: a run is
    then known to be in the middle of fetching them (`reached`) for as long as the test likes.
    """

    def __init__(self, inner: Any, gated: set[date]) -> None:
        self.inner = inner
        self.gated = gated
        self.reached = threading.Event()
        self.opened = threading.Event()

    def listing(self, listing_date: date) -> list:
        if listing_date in self.gated and not self.opened.is_set():
            self.reached.set()
            self.opened.wait(timeout=300)
        return self.inner.listing(listing_date)
