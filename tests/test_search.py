"""The dashboard's search: BM25 ranking and filters on a small corpus with known answers."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.search import Paper, SearchFilters, SearchIndex, stem, tokenize

pytestmark = pytest.mark.unit

CORPUS = [
    Paper(
        paper_id="2511.00001",
        title="Diffusion Transformers for Video Generation",
        abstract="We scale diffusion models to long videos with temporal attention.",
        keywords=["video diffusion", "text-to-video"],
        topics=["video generation", "image generation"],
        first_listing_date=date(2025, 11, 3),
        last_listing_date=date(2025, 11, 4),
        upvotes=40,
        has_code=True,
    ),
    Paper(
        paper_id="2511.00002",
        title="Agents That Browse the Web",
        abstract="A web agent benchmark; agents plan tool calls. Diffusion is not involved.",
        keywords=["web agents", "tool use"],
        topics=["agents"],
        first_listing_date=date(2025, 11, 10),
        last_listing_date=date(2025, 11, 10),
        upvotes=25,
    ),
    Paper(
        paper_id="2511.00003",
        title="Reasoning With Long Chains of Thought",
        abstract="Test-time scaling of reasoning models; an agent baseline is included.",
        keywords=["chain of thought", "reasoning"],
        topics=["llm reasoning", "agents"],
        first_listing_date=date(2025, 11, 17),
        last_listing_date=date(2025, 11, 18),
        upvotes=90,
        has_code=True,
    ),
    Paper(
        paper_id="2511.00004",
        title="Café: Accent-Insensitive Retrieval for Studies of Text",
        abstract="Retrieval augmented generation over studies.",
        keywords=["RAG"],
        topics=["retrieval"],
        first_listing_date=date(2025, 11, 24),
        last_listing_date=date(2025, 11, 24),
        upvotes=5,
    ),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(CORPUS)


def ids(hits) -> list[str]:
    return [hit.paper_id for hit in hits]


def test_tokenize_folds_case_and_accents_drops_stop_words_and_strips_plurals():
    assert tokenize("The Agents of Café STUDIES, class") == ["agent", "cafe", "study", "class"]
    assert stem("process") == "process" and stem("bus") == "bus"


def test_a_title_match_outranks_an_abstract_match_of_the_same_word(index):
    hits = index.search("diffusion")
    assert ids(hits) == ["2511.00001", "2511.00002"]
    assert hits[0].score > hits[1].score > 0
    assert [hit.rank for hit in hits] == [1, 2]


def test_plurals_and_singulars_find_each_other(index):
    assert ids(index.search("agent"))[0] == "2511.00002"
    assert set(ids(index.search("agents"))) == {"2511.00002", "2511.00003"}


def test_keywords_are_searched(index):
    assert ids(index.search("RAG")) == ["2511.00004"]
    assert ids(index.search("cafe")) == ["2511.00004"]


def test_an_arxiv_id_puts_that_paper_first(index):
    assert ids(index.search("2511.00003"))[0] == "2511.00003"
    assert ids(index.search("2511.00003v2 diffusion"))[0] == "2511.00003"


def test_unknown_words_find_nothing(index):
    assert index.search("quantum chromodynamics") == []


def test_filters_narrow_the_results(index):
    agents = "agents"
    assert ids(index.search(agents, SearchFilters(has_code=True))) == ["2511.00003"]
    assert ids(index.search(agents, SearchFilters(min_upvotes=50))) == ["2511.00003"]
    assert ids(index.search(agents, SearchFilters(topics=["llm reasoning"]))) == ["2511.00003"]
    # Listing dates are a half-open window: a paper listed on any day of it matches.
    november_10_only = SearchFilters(start=date(2025, 11, 10), end=date(2025, 11, 11))
    assert ids(index.search(agents, november_10_only)) == ["2511.00002"]
    # The end is exclusive: 2511.00003, first listed on 2025-11-17, is outside.
    assert (
        index.search(agents, SearchFilters(start=date(2025, 11, 11), end=date(2025, 11, 17))) == []
    )
    assert ids(index.search("diffusion", SearchFilters(end=date(2025, 11, 4)))) == ["2511.00001"]
    assert ids(index.search("diffusion", SearchFilters(start=date(2025, 11, 5)))) == ["2511.00002"]


def test_an_empty_query_lists_the_filtered_papers_by_upvotes(index):
    assert ids(index.search("")) == ["2511.00003", "2511.00001", "2511.00002", "2511.00004"]
    assert ids(index.search("  ", SearchFilters(topics=["agents"]), limit=1)) == ["2511.00003"]


def test_an_empty_corpus_answers_nothing():
    assert SearchIndex([]).search("anything") == []
    assert SearchIndex([Paper(paper_id="1", title="the of and")]).search("the") == []
