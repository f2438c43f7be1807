"""How paperboard reads words: one rule set for dbt and Python, and the terms search ranks by.

**Folding** is the rule set of `dbt_project/macros/normalise_term.sql` (`normalised_words`),
which the dbt models use on titles, abstracts, AI keywords and taxonomy terms: lower case,
accents removed; words split at anything that is not a letter, a digit, `+` or `#`; a word of
`joined_prefixes` written together with the next word when that starts with a letter
("pre-training", "pre training" and "pretraining" are all "pretraining"); a simple plural
stripped ("LLMs" -> "llm", "configurations" -> "configuration", "patches" -> "patch"). The
lists come from one place, the var `word_folding` of `dbt_project/dbt_project.yml`, which the
macro reads too; `fold` here does in Python what the macro does in SQL, and
tests/test_words.py runs both over the same texts and requires the same words.

**Search terms** are folded words that are not stop words, stemmed with Snowball's English
stemmer (PyStemmer): "training", "trained" and "trains" are all "train". The dbt build calls
`search_terms` through DuckDB (pipelines/dbt_plugin.py registers it as the SQL function
`search_term`) to write `marts.search_index`; a query's words are folded in SQL by the same
macro and looked up in that index (`marts.search_papers`), so papers and queries meet in one
form. The dashboard uses `folded_spans` to find, in a paper's own text, the words a query
matched, and highlight them.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import Stemmer
import yaml

from pipelines.dbt_parse import DBT_PROJECT_DIR

DBT_PROJECT_FILE = DBT_PROJECT_DIR / "dbt_project.yml"

# Words that carry no meaning on their own in an abstract, as written; they are folded like
# any word before they are compared, so "does" (folded "doe") goes too.
STOP_WORDS = (
    "a", "about", "after", "against", "all", "also", "among", "an", "and", "any", "are", "as",
    "at", "be", "because", "been", "before", "between", "both", "but", "by", "can", "could", "do",
    "does", "during", "each", "for", "from", "had", "has", "have", "he", "her", "his", "how",
    "however", "i", "if", "in", "into", "is", "it", "its", "may", "more", "most", "no", "nor",
    "not", "of", "on", "only", "or", "other", "our", "over", "she", "should", "so", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "thus", "to", "up", "upon", "us", "very", "via", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whose", "why", "will", "with", "within", "without",
    "would", "you", "your", "using", "based",
)  # fmt: skip


@dataclass(frozen=True)
class FoldingRules:
    """The lists of the var `word_folding` (dbt_project.yml)."""

    joined_prefixes: frozenset[str]
    unchanged_plurals: frozenset[str]


@cache
def folding_rules() -> FoldingRules:
    variables = yaml.safe_load(DBT_PROJECT_FILE.read_text(encoding="utf-8"))["vars"]
    rules = variables["word_folding"]
    return FoldingRules(
        joined_prefixes=frozenset(rules["joined_prefixes"]),
        unchanged_plurals=frozenset(rules["unchanged_plurals"]),
    )


@dataclass(frozen=True)
class FoldedWord:
    """A folded word and where it was written: text[start:end] (a folded compound spans
    its parts, "pre-training")."""

    word: str
    start: int
    end: int


def fold(text: str | None) -> list[str]:
    """The folded words of `text`, as the dbt macro `normalised_words` gives them."""
    return [folded.word for folded in folded_spans(text)]


def folded_spans(text: str | None) -> list[FoldedWord]:
    """The folded words of `text`, each with the span of `text` it was written in."""
    if not text:
        return []
    runs = _runs(text)
    rules = folding_rules()
    folded = []
    start: int | None = None
    prefix = ""
    for index, (word, run_start, run_end) in enumerate(runs):
        following = runs[index + 1][0] if index + 1 < len(runs) else ""
        if word in rules.joined_prefixes and following and _is_letter(following[0]):
            prefix += word
            start = run_start if start is None else start
            continue
        whole = prefix + word
        folded.append(
            FoldedWord(singularise(whole), run_start if start is None else start, run_end)
        )
        prefix, start = "", None
    return folded


def singularise(word: str) -> str:
    """The macro `singularise`: -ies -> -y; -ches, -shes, -sses, -xes lose -es; else a final
    -s goes, except in words of three letters or fewer, non-plural endings (-ss, -us, -is,
    -ics) and the words of `unchanged_plurals`."""
    if (
        len(word) <= 3
        or word.endswith(("ss", "us", "is", "ics"))
        or word in folding_rules().unchanged_plurals
    ):
        return word
    if len(word) >= 5 and word.endswith("ies"):
        return word[:-3] + "y"
    if _ES_PLURAL.search(word):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


_ES_PLURAL = re.compile(r".(ch|sh|ss|x)es$")


def search_terms(words: Iterable[str | None]) -> list[str | None]:
    """The search term of each folded word: its Snowball stem; None for a stop word (and for
    None or an empty word). What the SQL function `search_term` returns."""
    stop_words = _folded_stop_words()
    stemmer = _stemmer()
    return [None if not word or word in stop_words else stemmer.stemWord(word) for word in words]


def query_terms(text: str | None) -> list[str]:
    """The distinct search terms of a text, in order: what a query of it looks for."""
    terms = search_terms(fold(text))
    return list(dict.fromkeys(term for term in terms if term is not None))


def matched_spans(text: str | None, terms: Sequence[str]) -> list[tuple[int, int]]:
    """The spans of `text` whose folded word has one of `terms` as its search term."""
    wanted = set(terms)
    if not text or not wanted:
        return []
    spans = folded_spans(text)
    found = search_terms(span.word for span in spans)
    return [
        (span.start, span.end) for span, term in zip(spans, found, strict=True) if term in wanted
    ]


@cache
def _folded_stop_words() -> frozenset[str]:
    return frozenset(word for stop_word in STOP_WORDS for word in fold(stop_word))


_STEMMERS = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    """Snowball's English stemmer; one per thread (a stemmer is not thread-safe)."""
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = Stemmer.Stemmer("english")
    return stemmer


# Splitting, as DuckDB does it: `strip_accents(lower(text))`, then runs of letters, digits,
# `+` and `#`. Each character is looked at once, folded alone (lower case, then decomposed and
# stripped of marks, as DuckDB's strip_accents does), and classed: part of a word, nothing
# (a mark, which DuckDB removes, so the letters around it stay one word), or a separator.
_WORD, _NOTHING, _SEPARATOR = 0, 1, 2
_CLASSES: dict[str, int] = {}


def _runs(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for each word of `text`, before compounds and plurals."""
    runs = []
    start = None
    for index, char in enumerate(text):
        kind = _CLASSES.get(char)
        if kind is None:
            kind = _CLASSES[char] = _class_of(char)
        if kind == _SEPARATOR:
            if start is not None:
                runs.append((start, index))
                start = None
        elif kind == _WORD and start is None:
            start = index
    if start is not None:
        runs.append((start, len(text)))
    return [(_fold_characters(text[begin:end]), begin, end) for begin, end in runs]


def _class_of(char: str) -> int:
    folded = _fold_characters(char)
    if not folded:
        return _NOTHING
    if all(_is_word_character(part) for part in folded):
        return _WORD
    return _SEPARATOR


def _fold_characters(text: str) -> str:
    """Lower case (character by character, as DuckDB's `lower`), accents removed."""
    lowered = "".join(char.lower() for char in text)
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(char for char in decomposed if unicodedata.category(char)[0] != "M")
    return unicodedata.normalize("NFC", stripped)


def _is_word_character(char: str) -> bool:
    return char in "+#" or unicodedata.category(char)[0] in "LN"


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] == "L"
