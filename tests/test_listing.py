"""How the dashboard lists papers (dashboard/listing.py): the fields of each card, the search
snippet and its highlights, and that nothing a paper holds becomes markup or a link."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from dashboard.listing import highlight, lead, listing_html, paper_card, published_on, snippet
from pipelines.words import query_terms

pytestmark = pytest.mark.unit

ABSTRACT = (
    "We study how <b>bold</b> claims & pre-training interact. Large language models (LLMs) "
    "are pre trained on web text; our pretraining recipe halves the cost. "
    + "Filler. " * 40
    + "In the end, LLM pretraining is cheaper."
)
PAPER = {
    "paper_id": "2511.00001",
    "rank": 3,
    "title": "Pre-Training <script>alert(1)</script> & LLMs",
    "abstract": ABSTRACT,
    "authors": 7,
    "published_at": pd.Timestamp(datetime(2025, 9, 24, 17, 0, tzinfo=UTC)),
    "first_listing_date": pd.Timestamp(date(2025, 9, 26)),
    "upvotes": 123,
    "num_comments": 4,
    "topics": ["training and scaling", "llm <reasoning>"],
    "arxiv_url": "https://arxiv.org/abs/2511.00001",
    "pdf_url": "https://arxiv.org/pdf/2511.00001",
    "hf_url": "https://huggingface.co/papers/2511.00001",
    "github_repo": "javascript:alert(2)",
    "upvote_history": [100, 110, 123],
}


def test_a_card_shows_what_the_papers_page_shows_and_our_additions():
    card = paper_card(PAPER)
    assert '<a class="pb-title" href="paper?id=2511.00001" target="_self">' in card
    assert "#3" in card
    assert "7 authors" in card
    assert "Published Sep 24, 2025" in card
    assert "▲ 123 upvotes" in card and "4 comments" in card
    assert '<span class="pb-topic">training and scaling</span>' in card
    assert '<span class="pb-topic">llm &lt;reasoning&gt;</span>' in card
    assert 'href="https://arxiv.org/abs/2511.00001"' in card and ">arXiv</a>" in card
    assert 'href="https://arxiv.org/pdf/2511.00001"' in card and ">PDF</a>" in card
    assert ">HF</a>" in card
    assert "javascript" not in card and ">code</a>" not in card  # not a web link
    assert '<span class="pb-spark" title="upvotes at each fetch: 100, 110, 123">▁▄█</span>' in card


def test_the_abstract_shows_its_first_lines_and_opens_to_the_whole():
    card = paper_card(PAPER)
    first, rest = lead(ABSTRACT)
    assert rest and len(first) <= 240 and ABSTRACT.startswith(first)
    assert '<details class="pb-abstract">' in card
    assert f'<span class="pb-lead">{html.escape(first)}… </span>' in card
    assert "In the end, LLM pretraining is cheaper." in card  # the whole abstract, inside
    short = paper_card({**PAPER, "abstract": "Short."})
    assert '<p class="pb-abstract">Short.</p>' in short


def test_without_a_publication_date_the_card_says_when_it_was_listed():
    card = paper_card({**PAPER, "published_at": pd.NaT, "authors": 1})
    assert "Listed Sep 26, 2025" in card and "1 author<" in card
    assert published_on(None) is None and published_on(float("nan")) is None


def test_text_is_escaped_everywhere():
    page = listing_html([PAPER], query_terms("pre-training"))
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; LLMs" in page
    assert "&lt;b&gt;bold&lt;/b&gt; claims &amp;" in page
    tags = set(re.findall(r"</?([a-z0-9]+)", page))
    allowed = {"style", "div", "article", "span", "a", "p", "details", "summary", "mark"}
    assert tags <= allowed


def test_a_search_snippet_highlights_every_form_of_the_query_s_words():
    terms = query_terms("pre-training LLMs")
    found = snippet(ABSTRACT, terms)
    assert found is not None and found.endswith("…") and not found.startswith("…")
    marked = re.findall(r"<mark>(.*?)</mark>", found)
    assert marked == ["pre-training", "LLMs", "pre trained", "pretraining"]
    assert "&lt;b&gt;bold&lt;/b&gt;" in found  # escaped, around the highlights
    title = highlight(PAPER["title"], terms)
    assert title == (
        "<mark>Pre-Training</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; <mark>LLMs</mark>"
    )


def test_a_snippet_starts_near_the_first_match_and_says_where_it_was_cut():
    text = "Filler words here. " * 20 + "Then configurations appear. " + "More filler. " * 30
    found = snippet(text, query_terms("configuration"))
    assert found.startswith("…") and found.endswith("…")
    assert "<mark>configurations</mark>" in found
    assert len(re.sub(r"</?mark>", "", found)) <= 282
    assert snippet(text, query_terms("diffusion")) is None


def test_on_search_the_card_shows_the_snippet_then_the_whole_abstract():
    card = paper_card(PAPER, query_terms("cheaper"))
    assert '<p class="pb-snippet">…' in card
    assert "<mark>cheaper</mark>" in card
    assert '<details class="pb-abstract pb-full">' in card
    short = paper_card({**PAPER, "abstract": "Cheaper, and short."}, query_terms("cheaper"))
    assert '<p class="pb-snippet"><mark>Cheaper</mark>, and short.</p>' in short
    assert "<details" not in short
    no_match = paper_card(PAPER, query_terms("diffusion"))
    assert "pb-snippet" not in no_match and "pb-lead" in no_match
