"""Feeds of the top papers: Atom, RSS and JSON Feed, read from the serving copy's marts.

After each successful run the `feeds` asset writes, under `$PAPERBOARD_DATA_DIR/feeds/`:

    top.atom  top.rss  top.json                     the most upvoted papers of the last week
    topics/<topic>.atom  .rss  .json                the same, one set per taxonomy topic

What each feed holds is decided in dbt, not here: `marts.feeds` has one row per feed (its key,
id, span and update time, also for a topic with no paper this week) and `marts.feed_items`
its entries, ranked (dbt vars `feed_days` and `feed_size`: the 30 most upvoted papers of the
7 listing days up to the newest listing date in the data, not the clock, so a backfill of old
dates still makes sensible feeds; a paper belongs to a topic's feed when the topic is any of
its topics). This module only writes them out.

Readers and aggregators rely on three properties, all tested:
- Stable ids: an entry's id is `tag:paperboard,2023:paper/<arXiv id>` and its date is
  midnight UTC of the paper's first listing date, both from the mart, so a paper keeps its id
  and date from run to run and a reader never shows it twice; a feed's id names the feed,
  never a path or a time.
- Valid XML, escaped: feedgen (lxml) writes the XML, so `&`, `<` and `>` in titles and
  abstracts are escaped; the HTML content is built with `html.escape`.
- Only web links: every URL goes through the one link rule,
  `pipelines.urls.web_url`, which keeps http(s) URLs with a host and drops anything else
  (`javascript:`, `data:`, relative or malformed), so a bad link in the source never reaches a
  reader.
Files are replaced atomically (written aside, then renamed), so a reader never fetches half
a feed.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

import duckdb
from feedgen.feed import FeedGenerator

from pipelines.atomic_files import replaced_atomically
from pipelines.listing_calendar import FIRST_LISTING_DATE
from pipelines.urls import web_url
from pipelines.warehouse.lake import Lake
from pipelines.warehouse.serving import open_reader

TAG_PREFIX = "tag:paperboard,2023:"
SITE_URL = "https://huggingface.co/papers"
# XML 1.0 forbids most control characters, even escaped; drop them from text.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class FeedPaper:
    paper_id: str
    title: str
    upvotes: int
    first_listing_date: date
    # From marts.feed_items; feeds built without the mart derive them the same way.
    entry_id: str | None = None  # tag:paperboard,2023:paper/<paper_id>
    entry_date: datetime | None = None  # midnight UTC of first_listing_date
    summary: str | None = None
    num_comments: int = 0
    topics: Sequence[str] = ()
    hf_url: str | None = None
    arxiv_url: str | None = None
    pdf_url: str | None = None
    github_repo: str | None = None


@dataclass(frozen=True)
class Feed:
    key: str  # "top" or "topics/<slug>": marts.feeds.feed
    title: str
    description: str
    updated: datetime
    papers: Sequence[FeedPaper] = field(default_factory=tuple)
    id: str | None = None  # marts.feeds.feed_id

    @property
    def feed_id(self) -> str:
        return self.id or f"{TAG_PREFIX}feed/{self.key}"


@dataclass(frozen=True)
class PublishedFeeds:
    directory: Path
    files: tuple[Path, ...]
    feeds: int
    entries: int
    newest_listing_date: date | None


def clean_text(text: str | None) -> str:
    return _XML_INVALID.sub("", text or "")


def entry_id(paper_id: str) -> str:
    return f"{TAG_PREFIX}paper/{paper_id}"


def _entry_id(paper: FeedPaper) -> str:
    return paper.entry_id or entry_id(paper.paper_id)


def _listed_at(paper: FeedPaper) -> datetime:
    if paper.entry_date is not None:
        return paper.entry_date
    return datetime.combine(paper.first_listing_date, time(0, 0), tzinfo=UTC)


def _links(paper: FeedPaper) -> list[tuple[str, str]]:
    candidates = [
        ("Hugging Face", paper.hf_url),
        ("arXiv", paper.arxiv_url),
        ("PDF", paper.pdf_url),
        ("code", paper.github_repo),
    ]
    return [(name, checked) for name, url in candidates if (checked := web_url(url))]


def entry_html(paper: FeedPaper) -> str:
    """The entry's HTML body; every value is escaped, every link checked by `web_url`."""
    parts = [
        f"<p><strong>{paper.upvotes}</strong> upvotes · {paper.num_comments} comments · "
        f"listed {paper.first_listing_date.isoformat()}</p>"
    ]
    if paper.topics:
        parts.append(f"<p>Topics: {html.escape(', '.join(paper.topics))}</p>")
    if paper.summary:
        parts.append(f"<p>{html.escape(clean_text(paper.summary))}</p>")
    links = " · ".join(
        f'<a href="{html.escape(url, quote=True)}">{html.escape(name)}</a>'
        for name, url in _links(paper)
    )
    if links:
        parts.append(f"<p>{links}</p>")
    return "\n".join(parts)


def _generator(feed: Feed) -> FeedGenerator:
    generator = FeedGenerator()
    generator.id(feed.feed_id)
    generator.title(clean_text(feed.title))
    generator.subtitle(clean_text(feed.description))
    generator.link(href=SITE_URL, rel="alternate")
    generator.language("en")
    generator.generator("paperboard")
    generator.updated(feed.updated)
    generator.lastBuildDate(feed.updated)
    for paper in feed.papers:
        entry = generator.add_entry(order="append")
        entry.id(_entry_id(paper))
        entry.guid(_entry_id(paper), permalink=False)
        entry.title(clean_text(paper.title))
        link = web_url(paper.hf_url) or web_url(paper.arxiv_url)
        if link:
            entry.link(href=link, rel="alternate")
        entry.published(_listed_at(paper))
        entry.updated(_listed_at(paper))
        for topic in paper.topics:
            entry.category(term=clean_text(topic))
        if paper.summary:
            entry.summary(clean_text(paper.summary))
        entry.content(entry_html(paper), type="html")
    return generator


def atom_bytes(feed: Feed) -> bytes:
    return _generator(feed).atom_str(pretty=True)


def rss_bytes(feed: Feed) -> bytes:
    return _generator(feed).rss_str(pretty=True)


def json_feed_bytes(feed: Feed) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1); `_paperboard` holds the counts."""
    items = []
    for paper in feed.papers:
        item: dict = {
            "id": _entry_id(paper),
            "title": clean_text(paper.title),
            "content_html": entry_html(paper),
            "date_published": _listed_at(paper).isoformat(),
            "tags": list(paper.topics),
            "_paperboard": {
                "paper_id": paper.paper_id,
                "upvotes": paper.upvotes,
                "num_comments": paper.num_comments,
            },
        }
        if url := web_url(paper.hf_url) or web_url(paper.arxiv_url):
            item["url"] = url
        if external := web_url(paper.arxiv_url):
            item["external_url"] = external
        if paper.summary:
            item["summary"] = clean_text(paper.summary)
        items.append(item)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": SITE_URL,
        "description": feed.description,
        "language": "en",
        "items": items,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


FEEDS_SQL = """
select feed, feed_id, topic, listing_days, feed_size, newest_listing_date, updated_at
from marts.feeds
order by topic nulls first
"""

FEED_ITEMS_SQL = """
select
    feed, paper_id, entry_id, entry_date, title, entry_summary, upvotes, num_comments,
    first_listing_date, topics, hf_url, arxiv_url, pdf_url, github_repo
from marts.feed_items
order by feed, rank
"""

# When the warehouse has no listing yet, feeds still need an update time: the day the Daily
# Papers list started.
NO_DATA_UPDATED = datetime.combine(date.fromisoformat(FIRST_LISTING_DATE), time(), tzinfo=UTC)


def read_feeds(connection: duckdb.DuckDBPyConnection) -> list[Feed]:
    """Every feed of `marts.feeds` with its entries from `marts.feed_items`, from an open
    serving-copy connection: the overall feed first, then one per topic by name."""
    entries: dict[str, list[FeedPaper]] = {}
    for (
        feed, paper_id, item_id, entry_date, title, summary, upvotes, num_comments,
        first_listing_date, topics, hf_url, arxiv_url, pdf_url, github_repo,
    ) in connection.execute(FEED_ITEMS_SQL).fetchall():  # fmt: skip
        entries.setdefault(feed, []).append(
            FeedPaper(
                paper_id=paper_id,
                title=title,
                upvotes=upvotes,
                num_comments=num_comments,
                first_listing_date=first_listing_date,
                entry_id=item_id,
                entry_date=entry_date,
                summary=summary,
                topics=tuple(topics),
                hf_url=hf_url,
                arxiv_url=arxiv_url,
                pdf_url=pdf_url,
                github_repo=github_repo,
            )
        )

    feeds = []
    rows = connection.execute(FEEDS_SQL).fetchall()
    for feed, feed_id, topic, days, size, newest, updated in rows:
        span = f"the {days} listing days up to {newest}" if newest else "no listings yet"
        on_topic = f" on {topic}" if topic else ""
        feeds.append(
            Feed(
                key=feed,
                id=feed_id,
                title=f"paperboard: top Daily Papers{on_topic}",
                description=f"The {size} most upvoted Hugging Face Daily Papers{on_topic} "
                f"of {span}.",
                updated=updated or NO_DATA_UPDATED,
                papers=tuple(entries.get(feed, ())),
            )
        )
    return feeds


def write_feeds(feeds: Sequence[Feed], directory: Path) -> list[Path]:
    """Write each feed as .atom, .rss and .json under `directory`, each file atomically.

    Files of feeds that are gone (a topic removed from the taxonomy) are removed.
    """
    written: list[Path] = []
    for feed in feeds:
        for suffix, render in (
            (".atom", atom_bytes),
            (".rss", rss_bytes),
            (".json", json_feed_bytes),
        ):
            path = directory / f"{feed.key}{suffix}"
            with replaced_atomically(path) as temp:
                temp.write_bytes(render(feed))
            written.append(path)
    keep = set(written)
    for leftover in directory.glob("**/*"):
        if (
            leftover.is_file()
            and leftover.suffix in (".atom", ".rss", ".json")
            and leftover not in keep
        ):
            leftover.unlink()
    return written


def publish_feeds(source: Path | Lake, directory: Path) -> PublishedFeeds:
    """Read the serving copy's (or the lake's) feed marts and (re)write every feed under
    `directory`."""
    with open_reader(source) as connection:
        feeds = read_feeds(connection)
        newest = connection.execute("select max(newest_listing_date) from marts.feeds").fetchall()
    files = write_feeds(feeds, directory)
    return PublishedFeeds(
        directory=directory,
        files=tuple(files),
        feeds=len(feeds),
        entries=sum(len(feed.papers) for feed in feeds),
        newest_listing_date=newest[0][0],
    )
