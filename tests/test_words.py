"""One rule set for words: the dbt macro `normalised_words` (run by DuckDB, as the dbt models
run it) and `pipelines.words.fold` give the same words for the same texts; search terms stem
those words with Snowball."""

from __future__ import annotations

import random
from functools import cache

import duckdb
import jinja2
import pytest
import yaml

from pipelines.dbt_parse import DBT_PROJECT_DIR
from pipelines.words import (
    fold,
    folded_spans,
    folding_rules,
    matched_spans,
    query_terms,
    search_terms,
    singularise,
)

pytestmark = pytest.mark.unit

MACROS = DBT_PROJECT_DIR / "macros" / "normalise_term.sql"


@cache
def dbt_macros():
    """dbt_project/macros/normalise_term.sql as dbt renders it: Jinja, with `var()` reading
    the project's vars."""
    variables = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    environment.globals["var"] = variables.__getitem__
    return environment.from_string(MACROS.read_text(encoding="utf-8")).module


def dbt_fold(texts: list[str | None]) -> list[list[str]]:
    """Each text's words as the dbt models fold them: the macro's SQL, run by DuckDB."""
    sql = (
        f"select {dbt_macros().normalised_words('text')} as words "  # noqa: S608
        "from unnest($texts::varchar[]) with ordinality as texts (text, number) order by number"
    )
    with duckdb.connect() as connection:
        return [words for (words,) in connection.execute(sql, {"texts": texts}).fetchall()]


TEXTS = [
    "Pre-training, pre training and PRETRAINING",
    "Fine-Tuning LLMs: fine tuning vs finetuning",
    "Configurations of a configuration",
    "LLMs and an LLM",
    "Vision-Transformers over time_series of memories and patches",
    "non-self-supervised pre- and post-training; multi-agent, multi agent, multiagent",
    "pre 3D and pre-2024 and a pre",
    "self | supervised",
    "Café, naïve re\u0301sume\u0301, İSTANBUL, ΣΟΦΟΣ, Straße, ﬁne",
    "C++ and C# in GPT-4o (o1/o3) -- 1.5B params, 2,000 steps",
    "analysis analyses series species bias lens news studies boxes matches classes buses",
    "ies cries ties s ss ics physics",
    "日本語のテキスト and 中文 and हिन्दी",
    "emoji 🤖 robots, math x² and ½ and Ⅻ",
    "",
]


def test_python_folds_every_text_exactly_as_the_dbt_macro_does():
    assert dbt_fold(TEXTS) == [fold(text) for text in TEXTS]
    assert dbt_fold([None]) == [None] and fold(None) == []


PIECES = [
    "pre", "Pre", "post", "multi", "non", "self", "fine", "re", "co", "cross", "training",
    "tuning", "Agents", "LLMs", "studies", "boxes", "class", "bus", "series", "café", "naïve",
    "e\u0301", "İ", "Σ", "ß", "ﬁ", "C++", "C#", "3D", "x²", "日本", "हिन्दी", "🤖", "_", "-",
    "--", " ", "  ", "/", ".", ",", ";", "|", "(", ")", "'", '"', "\t", "\n", "\u200b", "\u00a0",
]  # fmt: skip


def test_python_folds_random_texts_exactly_as_the_dbt_macro_does():
    generator = random.Random(16)
    texts = [
        "".join(generator.choice(PIECES) for _ in range(generator.randint(1, 12)))
        for _ in range(2000)
    ]
    for text, words in zip(texts, dbt_fold(texts), strict=True):
        assert fold(text) == words, text


def test_the_rules_are_the_project_s_word_folding_var():
    rules = folding_rules()
    assert {"pre", "post", "multi", "fine", "self"} <= rules.joined_prefixes
    assert "series" in rules.unchanged_plurals
    assert "pre" in str(dbt_macros().normalised_words("text"))


@pytest.mark.parametrize(
    ("word", "singular"),
    [
        ("patches", "patch"),
        ("studies", "study"),
        ("boxes", "box"),
        ("classes", "class"),
        ("agents", "agent"),
        ("llms", "llm"),
        ("configurations", "configuration"),
        ("analysis", "analysis"),
        ("series", "series"),
        ("physics", "physics"),
        ("bus", "bus"),
        ("ies", "ies"),
    ],
)
def test_singularise_agrees_with_the_macro(word, singular):
    assert singularise(word) == singular
    assert dbt_fold([word]) == [[singular]]


@pytest.mark.parametrize(
    "forms",
    [
        ("pre-training", "pretraining", "pre training", "Pre-Training", "pre-trained"),
        ("configurations", "configuration", "configured"),
        ("LLMs", "LLM", "llm"),
        ("fine-tuning", "finetuning", "fine tuning", "fine-tuned"),
        ("multi-agent", "multiagent", "multi agent"),
        ("agents", "agent"),
        ("studies", "study", "studied"),
    ],
)
def test_every_form_of_a_word_has_one_search_term(forms):
    terms = {tuple(query_terms(form)) for form in forms}
    assert len(terms) == 1, terms
    (term,) = terms.pop()
    assert term


def test_stop_words_have_no_search_term_and_nothing_else_is_lost():
    assert query_terms("The agents of the web and their tools") == ["agent", "web", "tool"]
    assert search_terms(["does", fold("does")[0], "", None, "diffusion"]) == [
        "doe",
        None,
        None,
        None,
        "diffus",
    ]


def test_a_folded_word_knows_where_it_was_written():
    text = "We Pre-Train LLMs (pre training) on Café data."
    spans = {span.word: text[span.start : span.end] for span in folded_spans(text)}
    assert spans["pretrain"] == "Pre-Train"
    assert spans["pretraining"] == "pre training"
    assert spans["llm"] == "LLMs"
    assert spans["cafe"] == "Café"
    matched = matched_spans(text, query_terms("pretrained llm"))
    assert [text[start:end] for start, end in matched] == ["Pre-Train", "LLMs", "pre training"]
