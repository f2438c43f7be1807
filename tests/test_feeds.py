"""Feeds of the top papers: valid XML and JSON, stable ids, escaped text, only web links."""

from __future__ import annotations

import json
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
    safe_url,
    topic_slug,
)
from tests.dashboard_warehouse import TITLES, build_serving_copy

ATOM = "{http://www.w3.org/2005/Atom}"
TOPIC_FILES = {
    "agents", "image-generation", "llm-reasoning", "other", "speech-and-audio", "video-generation"
}  # fmt: skip


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("data")
    serving = build_serving_copy(directory / "serving.duckdb")
    return publish_feeds(serving, directory / "feeds")


def test_feeds_are_written_overall_and_per_topic(published):
    directory = published.directory
    assert published.feeds == 1 + len(TOPIC_FILES)
    assert {path.name for path in directory.iterdir() if path.is_file()} == {
        "top.atom", "top.rss", "top.json"
    }  # fmt: skip
    assert {path.stem for path in (directory / "topics").glob("*.atom")} == TOPIC_FILES
    assert len(published.files) == 3 * published.feeds
    assert published.newest_listing_date == date(2025, 12, 2)
    assert not list(directory.glob("**/.tmp-*"))


def test_the_atom_feed_is_valid_xml_with_the_week_s_top_papers_in_order(published):
    root = ET.parse(published.directory / "top.atom").getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == "tag:paperboard,2023:feed/top"
    entries = root.findall(f"{ATOM}entry")
    # The 7 listing days up to 2025-12-02 start on 2025-11-26: 2511.00001 is older.
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        TITLES["2512.00003"], TITLES["2511.00002"], TITLES["2512.00004"]
    ]  # fmt: skip
    assert [entry.findtext(f"{ATOM}id") for entry in entries] == [
        entry_id("2512.00003"), entry_id("2511.00002"), entry_id("2512.00004")
    ]  # fmt: skip


def test_rss_and_json_feeds_hold_the_same_entries(published):
    rss = feedparser.parse((published.directory / "top.rss").read_bytes())
    assert not rss.bozo, rss.get("bozo_exception")
    assert rss.version == "rss20"
    assert [entry.id for entry in rss.entries] == [
        entry_id("2512.00003"), entry_id("2511.00002"), entry_id("2512.00004")
    ]  # fmt: skip
    document = json.loads((published.directory / "top.json").read_text(encoding="utf-8"))
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["id"] for item in document["items"]] == [entry.id for entry in rss.entries]
    assert document["items"][0]["_paperboard"]["upvotes"] == 75
    assert document["items"][0]["url"] == "https://huggingface.co/papers/2512.00003"


def test_a_topic_feed_holds_the_papers_carrying_that_topic(published):
    agents = feedparser.parse((published.directory / "topics" / "agents.atom").read_bytes())
    assert not agents.bozo
    assert [entry.title for entry in agents.entries] == [TITLES["2512.00003"], TITLES["2511.00002"]]
    assert agents.feed.id == "tag:paperboard,2023:feed/topics/agents"
    speech = feedparser.parse(
        (published.directory / "topics" / "speech-and-audio.rss").read_bytes()
    )
    assert [entry.title for entry in speech.entries] == [TITLES["2512.00004"]]
    empty = feedparser.parse((published.directory / "topics" / "other.atom").read_bytes())
    assert not empty.bozo and empty.entries == []


def test_a_javascript_link_is_never_emitted(published):
    for path in published.files:
        content = path.read_text(encoding="utf-8")
        assert "javascript:" not in content.lower(), path
    agents = feedparser.parse((published.directory / "topics" / "agents.atom").read_bytes())
    browse = agents.entries[1]
    assert browse.link == "https://huggingface.co/papers/2511.00002"
    assert "code</a>" not in browse.content[0].value  # its only code link was javascript:


@pytest.mark.unit
def test_ampersands_and_angle_brackets_are_escaped_and_read_back_intact():
    paper = FeedPaper(
        paper_id="2511.00001",
        title=TITLES["2511.00001"],
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


def test_ids_and_dates_are_stable_from_run_to_run(tmp_path):
    serving = build_serving_copy(tmp_path / "serving.duckdb")
    first = publish_feeds(serving, tmp_path / "feeds")
    contents = {path: path.read_bytes() for path in first.files}
    second = publish_feeds(serving, tmp_path / "feeds")
    assert second.files == first.files
    assert {path: path.read_bytes() for path in second.files} == contents


@pytest.mark.unit
def test_safe_url_keeps_only_absolute_web_urls():
    assert safe_url("https://github.com/a/b") == "https://github.com/a/b"
    assert safe_url("HTTP://example.org/x?y=1&z=2") == "HTTP://example.org/x?y=1&z=2"
    for bad in (
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>",
        "//evil.example/x",
        "/relative",
        "https://",
        "https://exa mple.org",
        "https://example.org/\nx",
        "",
        None,
    ):
        assert safe_url(bad) is None, bad
    assert topic_slug("3d and vision") == "3d-and-vision"


def test_the_feeds_asset_writes_the_feeds_from_the_serving_copy(tmp_path: Path):
    build_serving_copy(tmp_path / "serving.duckdb")
    result = dg.materialize(
        [feeds_asset],
        resources={"warehouse": Warehouse(data_dir=str(tmp_path))},
    )
    assert result.success
    metadata = result.asset_materializations_for_node("feeds")[0].metadata
    assert metadata["feeds"].value == 7
    assert metadata["entries"].value > 0
    assert (tmp_path / "feeds" / "top.atom").is_file()
