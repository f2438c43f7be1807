"""Ranked full-text search over papers: BM25 (bm25s) on titles, AI keywords and abstracts.

Pure: no Streamlit, no DuckDB, no clock. The dashboard builds one `SearchIndex` per serving
copy (keyed by the file's modification time) and asks it many queries.

Ranking. Each paper is one BM25 document made of its title three times, its keywords twice
and its abstract once, so a word in the title weighs more than the same word in the abstract
(a common stand-in for BM25F). Text is case-folded, accents removed, split on anything that
is not a letter or a digit, English stop words dropped and simple plurals stripped, the same
way for papers and queries. A query that is an arXiv id of a paper puts that paper first.
Ties: more upvotes, then paper_id.

Filters (listing dates, topics, code, upvotes) are applied to the scores of every paper, so
they never hide a better match behind the result limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN

TITLE_WEIGHT = 3
KEYWORD_WEIGHT = 2
ABSTRACT_WEIGHT = 1

_STOPWORDS = frozenset(STOPWORDS_EN) | {"we", "our", "via", "using", "based"}
_WORD = re.compile(r"[a-z0-9]+")
_ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}(v\d+)?")


@dataclass(frozen=True)
class Paper:
    """What search needs to know about one paper."""

    paper_id: str
    title: str
    abstract: str | None = None
    keywords: Sequence[str] = ()
    topics: Sequence[str] = ()
    first_listing_date: date | None = None
    last_listing_date: date | None = None
    upvotes: int = 0
    has_code: bool = False


@dataclass(frozen=True)
class SearchFilters:
    """Listing dates form the half-open window [start, end): a paper matches when it was
    listed on any day of it. `topics` matches a paper carrying any of them."""

    start: date | None = None
    end: date | None = None
    topics: Sequence[str] = ()
    has_code: bool = False
    min_upvotes: int = 0


@dataclass(frozen=True)
class Hit:
    paper_id: str
    score: float
    rank: int


def stem(token: str) -> str:
    """Strip simple English plurals: 'agents' -> 'agent', 'studies' -> 'study'."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


# word -> its term (None for a stop word): tokenising a corpus meets the same words again and
# again, and a dictionary look-up is far cheaper than stemming each time.
_TERMS: dict[str, str | None] = {}
_UNSEEN = object()


def tokenize(text: str | None) -> list[str]:
    """Case-folded, accent-free words, stop words dropped, plurals stripped."""
    if not text:
        return []
    folded = text.casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFKD", folded)
        folded = "".join(char for char in folded if not unicodedata.combining(char))
    terms = _TERMS
    tokens = []
    for word in _WORD.findall(folded):
        term = terms.get(word, _UNSEEN)
        if term is _UNSEEN:
            term = terms[word] = None if word in _STOPWORDS else stem(word)
        if term is not None:
            tokens.append(term)
    return tokens


def document_tokens(paper: Paper) -> list[str]:
    title = tokenize(paper.title)
    keywords = [token for keyword in paper.keywords for token in tokenize(keyword)]
    return title * TITLE_WEIGHT + keywords * KEYWORD_WEIGHT + tokenize(paper.abstract)


@dataclass
class SearchIndex:
    """A BM25 index over `papers`, built once; `search` is read-only and thread-safe."""

    papers: Sequence[Paper]
    _retriever: bm25s.BM25 | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self.papers = list(self.papers)
        self._position = {paper.paper_id: index for index, paper in enumerate(self.papers)}
        self._upvotes = np.array([paper.upvotes or 0 for paper in self.papers], dtype=np.int64)
        self._has_code = np.array([paper.has_code for paper in self.papers], dtype=bool)
        far_past, far_future = date.min.toordinal(), date.max.toordinal()
        self._first = np.array(
            [p.first_listing_date.toordinal() if p.first_listing_date else far_future
             for p in self.papers],
            dtype=np.int64,
        )  # fmt: skip
        self._last = np.array(
            [p.last_listing_date.toordinal() if p.last_listing_date else far_past
             for p in self.papers],
            dtype=np.int64,
        )  # fmt: skip
        # Tie-break order: more upvotes first, then paper_id.
        by_id = np.argsort(np.array([paper.paper_id for paper in self.papers], dtype=object))
        self._id_rank = np.empty(len(self.papers), dtype=np.int64)
        self._id_rank[by_id] = np.arange(len(self.papers))
        corpus = [document_tokens(paper) for paper in self.papers]
        if any(corpus):
            retriever = bm25s.BM25()
            retriever.index(corpus, show_progress=False)
            self._retriever = retriever

    def __len__(self) -> int:
        return len(self.papers)

    def _mask(self, filters: SearchFilters) -> np.ndarray:
        mask = np.ones(len(self.papers), dtype=bool)
        if filters.start is not None:
            mask &= self._last >= filters.start.toordinal()
        if filters.end is not None:
            mask &= self._first < filters.end.toordinal()
        if filters.has_code:
            mask &= self._has_code
        if filters.min_upvotes:
            mask &= self._upvotes >= filters.min_upvotes
        if filters.topics:
            wanted = set(filters.topics)
            mask &= np.array([bool(wanted.intersection(p.topics)) for p in self.papers], bool)
        return mask

    def scores(self, query: str) -> np.ndarray:
        """The BM25 score of every paper for `query` (0 where no query word occurs)."""
        scores = np.zeros(len(self.papers), dtype=np.float64)
        tokens = list(dict.fromkeys(tokenize(query)))
        if self._retriever is not None:
            ids = self._retriever.get_tokens_ids(tokens)
            if ids:
                scores += self._retriever.get_scores_from_ids(ids)
        for match in _ARXIV_ID.finditer(query):
            position = self._position.get(match.group(0).split("v")[0])
            if position is not None:
                scores[position] = scores.max(initial=0.0) + 1000.0
        return scores

    def search(
        self, query: str, filters: SearchFilters | None = None, limit: int = 50
    ) -> list[Hit]:
        """The best `limit` papers for `query` that pass `filters`, best first.

        An empty query lists the papers that pass the filters by upvotes (score 0).
        """
        if not self.papers:
            return []
        mask = self._mask(filters or SearchFilters())
        if query.strip():
            scores = self.scores(query)
            mask &= scores > 0
        else:
            scores = np.zeros(len(self.papers), dtype=np.float64)
        candidates = np.flatnonzero(mask)
        order = np.lexsort(
            (self._id_rank[candidates], -self._upvotes[candidates], -scores[candidates])
        )
        best = candidates[order[:limit]]
        return [
            Hit(paper_id=self.papers[index].paper_id, score=float(scores[index]), rank=rank)
            for rank, index in enumerate(best, start=1)
        ]
