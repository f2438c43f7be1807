"""Search: one ranking (marts.search_papers over marts.search_index, built by dbt) that the
dashboard, `paperboard search` and SQL share, on the session's dbt-built serving copy
(tests/marts_warehouse.py), whose generated papers include a few that each write a word in
one of its forms (WORD_FORM_PAPERS)."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import paper_queries
from pipelines.publish.search import search
from pipelines.warehouse.serving import open_serving
from tests.marts_warehouse import (
    HOSTILE_PAPER_ID,
    WORD_FORM_PAPERS,
    WORD_FORMS,
)

PAPERBOARD = str(Path(sys.executable).with_name("paperboard"))


def found(mart, words: str) -> list[str]:
    """The paper ids `marts.search_papers` ranks for `words`, best first."""
    return [
        paper_id
        for (paper_id,) in mart(
            "select paper_id from marts.search_papers($words) order by rank", words=words
        )
    ]


@pytest.mark.parametrize("forms", WORD_FORMS, ids=lambda forms: forms[0])
def test_every_form_of_a_word_finds_the_same_papers(mart, forms):
    results = {form: found(mart, form) for form in forms}
    first = results[forms[0]]
    assert all(result == first for result in results.values()), results
    # Among them, each paper written with one of the forms (and it ranks them the same way).
    written = {
        paper_id
        for paper_id, (title, abstract) in WORD_FORM_PAPERS.items()
        if any(form.lower() in f"{title} {abstract}".lower() for form in forms)
    }
    assert len(written) >= 2
    assert written <= set(first)


def test_the_three_spellings_of_pre_training_are_each_written_by_a_paper():
    titles = [title for title, _ in WORD_FORM_PAPERS.values()]
    assert any("Pre-training" in title for title in titles)
    assert any("Pretraining" in title for title in titles)
    assert any("Pre training" in title for title in titles)


def test_the_score_is_the_documented_bm25_over_the_index(mart):
    words = "video diffusion agents"
    ((papers, total_length),) = mart(
        "select count(distinct paper_id), sum(weight) from marts.search_index"
    )
    average_length = total_length / papers
    terms = [term for (term,) in mart(
        "select distinct term from marts.search_index where word in ('video', 'diffusion', 'agent')"
    )]  # fmt: skip
    assert sorted(terms) == ["agent", "diffus", "video"]
    postings = mart(
        "select paper_id, term, sum(weight), any_value(document_length) "
        "from marts.search_index where list_contains($terms, term) group by all",
        terms=terms,
    )
    frequencies = {term: sum(1 for row in postings if row[1] == term) for term in terms}
    expected: dict[str, float] = {}
    for paper_id, term, frequency, length in postings:
        idf = math.log(1 + (papers - frequencies[term] + 0.5) / (frequencies[term] + 0.5))
        norm = frequency + 1.5 * (1 - 0.75 + 0.75 * length / average_length)
        expected[paper_id] = expected.get(paper_id, 0.0) + idf * frequency / norm
    scored = dict(mart("select paper_id, score from marts.search_papers($words)", words=words))
    assert scored.keys() == expected.keys()
    for paper_id, score in scored.items():
        assert score == pytest.approx(expected[paper_id], rel=1e-9)


def test_ties_go_to_more_upvotes_then_paper_id_and_ranks_have_no_gaps(mart):
    ranked = mart(
        "select hits.rank, hits.score, papers.upvotes, hits.paper_id "
        "from marts.search_papers('agents') as hits join marts.papers using (paper_id) "
        "order by hits.rank"
    )
    assert len(ranked) > 10
    assert [row[0] for row in ranked] == list(range(1, len(ranked) + 1))
    keys = [(-score, -upvotes, paper_id) for _, score, upvotes, paper_id in ranked]
    assert keys == sorted(keys)


def test_an_arxiv_id_puts_its_paper_first_and_words_nobody_wrote_find_nothing(mart):
    assert found(mart, f"{HOSTILE_PAPER_ID}v2 agents")[0] == HOSTILE_PAPER_ID
    assert found(mart, HOSTILE_PAPER_ID) == [HOSTILE_PAPER_ID]
    assert found(mart, "zyxwvut qqqq") == []
    assert found(mart, "the of and") == []  # stop words only
    assert found(mart, "") == []


def cli_search(serving: Path, words: str, limit: int = 30) -> tuple[list[str], str]:
    """`paperboard search WORDS` as a user types it: the paper ids of its table, in order."""
    completed = subprocess.run(
        [PAPERBOARD, "search", words, "--limit", str(limit)],
        env={**os.environ, "PAPERBOARD_DATA_DIR": str(serving.parent)},
        capture_output=True,
        text=True,
        check=True,
    )
    rows = [line for line in completed.stdout.splitlines() if re.search(r"\d{4}\.\d{5}", line)]
    return [re.search(r"\d{4}\.\d{5}", row).group(0) for row in rows], completed.stdout


def test_the_cli_prints_the_ranked_table(serving, mart):
    ids, table = cli_search(serving, "pre training", limit=5)
    for column in ("rank", "score", "paper_id", "title", "upvotes", "listed"):
        assert column in table
    everything = found(mart, "pre training")
    assert ids == everything[:5]
    assert len(ids) == min(5, len(everything)) >= 3


QUERIES = ("video diffusion", "pre-training", "LLMs", "reinforcement learning agents", "robot")


@pytest.mark.parametrize("words", QUERIES)
def test_the_dashboard_the_cli_and_sql_rank_alike(serving, mart, words, monkeypatch):
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(serving.parent))
    in_sql = found(mart, words)[:30]
    assert len(in_sql) >= 3
    in_cli, _ = cli_search(serving, words, limit=30)
    page = paper_queries.search_results(words, paper_queries.SearchFilters(), limit=30)
    with open_serving(serving) as connection:
        in_python = [hit.paper_id for hit in search(connection, words, limit=30)]
    assert page["paper_id"].tolist() == in_cli == in_python == in_sql
    assert page["rank"].tolist() == page["match_rank"].tolist() == list(range(1, len(in_sql) + 1))
