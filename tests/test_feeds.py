"""Feeds of the top papers: valid XML and JSON, stable ids, escaped text, only web links.

The feeds are written from the session's dbt-built serving copy (tests/marts_warehouse.py):
what each feed should hold is worked out here from the papers themselves (marts.papers), so
the tests check the feed marts as well as the files.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import feedparser
import pytest

from pipelines.defs.assets.feeds import feeds as feeds_asset
from pipelines.defs.resources import Warehouse
from pipelines.publish.feeds import (
    Feed,
    FeedPaper,
    atom_bytes,
    entry_id,
    json_feed_bytes,
    publish_feeds,
    rss_bytes,
)
from tests.marts_warehouse import HOSTILE_PAPER_ID, HOSTILE_TITLE

ATOM = "{http://www.w3.org/2005/Atom}"

# What a feed should hold, worked out from marts.papers: the 30 most upvoted papers last
# listed in the 7 listing days up to the newest (on the topic, when there is one).
FEED_BY_HAND = """
select paper_id, title, upvotes
from marts.papers
where last_listing_date > (select max(last_listing_date) from marts.papers) - 7
    and ($topic is null or list_contains(topics, $topic))
order by upvotes desc, num_comments desc, first_listing_date, paper_id
limit 30
"""


@pytest.fixture(scope="module")
def published(serving: Path, tmp_path_factory: pytest.TempPathFactory):
    return publish_feeds(serving, tmp_path_factory.mktemp("data") / "feeds")


def test_feeds_are_written_overall_and_per_topic(published, mart):
    directory = published.directory
    topics = [topic for (topic,) in mart("select topic from marts.topics")]
    assert published.feeds == 1 + len(topics) == 23
    assert {path.name for path in directory.iterdir() if path.is_file()} == {
        "top.atom", "top.rss", "top.json"
    }  # fmt: skip
    stems = {path.stem for path in (directory / "topics").glob("*.atom")}
    assert len(stems) == len(topics)
    assert {"3d-and-vision", "llm-reasoning", "other"} <= stems  # topic names as file names
    assert len(published.files) == 3 * published.feeds
    assert (
        published.newest_listing_date
        == mart("select max(listing_date) from marts.daily_summary")[0][0]
    )
    assert not list(directory.glob("**/.tmp-*"))


def test_the_atom_feed_is_valid_xml_with_the_week_s_top_papers_in_order(published, mart):
    root = ET.parse(published.directory / "top.atom").getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == "tag:paperboard,2023:feed/top"
    entries = root.findall(f"{ATOM}entry")
    expected = mart(FEED_BY_HAND, topic=None)
    assert len(expected) == 30
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [row[1] for row in expected]
    assert [entry.findtext(f"{ATOM}id") for entry in entries] == [
        entry_id(row[0]) for row in expected
    ]
    # The newest week's most upvoted paper leads it; its title was escaped and read back.
    assert entries[0].findtext(f"{ATOM}title") == HOSTILE_TITLE


def test_every_entry_is_dated_midnight_utc_of_its_first_listing(published, mart):
    rss = feedparser.parse((published.directory / "top.rss").read_bytes())
    first_listed = dict(mart("select paper_id, first_listing_date from marts.papers"))
    for entry in rss.entries:
        paper_id = entry.id.removeprefix("tag:paperboard,2023:paper/")
        published_at = datetime(*entry.published_parsed[:6], tzinfo=UTC)
        assert published_at == datetime.combine(
            first_listed[paper_id], datetime.min.time(), tzinfo=UTC
        )


def test_rss_and_json_feeds_hold_the_same_entries(published, mart):
    rss = feedparser.parse((published.directory / "top.rss").read_bytes())
    assert not rss.bozo, rss.get("bozo_exception")
    assert rss.version == "rss20"
    expected = mart(FEED_BY_HAND, topic=None)
    assert [entry.id for entry in rss.entries] == [entry_id(row[0]) for row in expected]
    document = json.loads((published.directory / "top.json").read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["id"] for item in document["items"]] == [entry.id for entry in rss.entries]
    assert document["items"][0]["_paperboard"]["upvotes"] == expected[0][2]
    assert document["items"][0]["url"] == f"https://huggingface.co/papers/{expected[0][0]}"


def test_a_topic_feed_holds_the_papers_carrying_that_topic(published, mart):
    agents = feedparser.parse((published.directory / "topics" / "agents.atom").read_bytes())
    assert not agents.bozo
    expected = mart(FEED_BY_HAND, topic="agents")
    assert [entry.title for entry in agents.entries] == [row[1] for row in expected]
    primary = {paper_id for (paper_id,) in mart(
        "select paper_id from marts.papers where primary_topic = 'agents'"
    )}  # fmt: skip
    assert any(row[0] not in primary for row in expected)  # a secondary topic counts too
    assert agents.feed.id == "tag:paperboard,2023:feed/topics/agents"
    for feed, entries in mart(
        "select f.feed, count(i.paper_id) from marts.feeds as f "
        "left join marts.feed_items as i using (feed) group by f.feed"
    ):
        parsed = feedparser.parse((published.directory / f"{feed}.atom").read_bytes())
        assert not parsed.bozo, feed
        assert len(parsed.entries) == entries, feed


def test_a_feed_with_no_paper_is_still_a_valid_feed():
    feed = Feed(
        key="topics/other",
        title="paperboard: top Daily Papers on other",
        description="d",
        updated=datetime(2025, 12, 3, tzinfo=UTC),
    )
    for raw in (atom_bytes(feed), rss_bytes(feed)):
        parsed = feedparser.parse(raw)
        assert not parsed.bozo and parsed.entries == []
    assert json.loads(json_feed_bytes(feed))["items"] == []


def test_a_javascript_link_is_never_emitted(published):
    for path in published.files:
        content = path.read_text(encoding="utf-8")
        assert "javascript:" not in content.lower(), path
    top = feedparser.parse((published.directory / "top.atom").read_bytes())
    hostile = next(entry for entry in top.entries if entry.id == entry_id(HOSTILE_PAPER_ID))
    assert hostile.link == f"https://huggingface.co/papers/{HOSTILE_PAPER_ID}"
    # Its code and project links were `javascript:` URLs: no code link at all.
    assert "code</a>" not in hostile.content[0].value
    assert "&lt;script&gt;" in hostile.content[0].value  # its summary, escaped


@pytest.mark.unit
def test_ampersands_and_angle_brackets_are_escaped_and_read_back_intact():
    paper = FeedPaper(
        paper_id="2511.00001",
        title=HOSTILE_TITLE,
        upvotes=120,
        first_listing_date=date(2025, 11, 24),
        summary="Results: 3 < 4 & 5 > 2. <script>alert(1)</script>",
        topics=("video generation",),
        hf_url="https://huggingface.co/papers/2511.00001?a=1&b=2",
        github_repo="javascript:alert(1)",
    )
    feed = Feed(
        key="top",
        title="Top & <best>",
        description="d",
        updated=datetime(2025, 12, 3, tzinfo=UTC),
        papers=(paper,),
    )
    atom, rss = atom_bytes(feed), rss_bytes(feed)
    assert b"Diffusion &amp; &lt;Video&gt; Generation" in atom
    assert b"<script>" not in atom and b"<script>" not in rss
    for raw in (atom, rss):
        parsed = feedparser.parse(raw)
        assert not parsed.bozo
        assert parsed.feed.title == "Top & <best>"
        assert parsed.entries[0].title == "Diffusion & <Video> Generation at Scale"
        assert parsed.entries[0].link == "https://huggingface.co/papers/2511.00001?a=1&b=2"
    document = json.loads(json_feed_bytes(feed))
    assert document["items"][0]["title"] == "Diffusion & <Video> Generation at Scale"
    assert "&lt;script&gt;" in document["items"][0]["content_html"]
    assert "javascript" not in json_feed_bytes(feed).decode()


def test_ids_and_dates_are_stable_from_run_to_run(serving, published, tmp_path):
    first = publish_feeds(serving, tmp_path / "feeds")
    contents = {path: path.read_bytes() for path in first.files}
    second = publish_feeds(serving, tmp_path / "feeds")
    assert second.files == first.files
    assert {path: path.read_bytes() for path in second.files} == contents
    assert (
        contents[tmp_path / "feeds" / "top.atom"] == (published.directory / "top.atom").read_bytes()
    )


def test_the_feeds_asset_writes_the_feeds_from_the_serving_copy(serving, mart, tmp_path: Path):
    shutil.copy(serving, tmp_path / "serving.duckdb")
    result = dg.materialize(
        [feeds_asset],
        resources={"warehouse": Warehouse(data_dir=str(tmp_path))},
    )
    assert result.success
    metadata = result.asset_materializations_for_node("feeds")[0].metadata
    assert metadata["feeds"].value == mart("select count(*) from marts.feeds")[0][0]
    assert metadata["entries"].value == mart("select count(*) from marts.feed_items")[0][0]
    assert (tmp_path / "feeds" / "top.atom").is_file()
