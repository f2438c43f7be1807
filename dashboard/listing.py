"""How the dashboard lists papers (Trending, Search): one card per paper, as the Hugging Face
papers page shows them, and what paperboard adds.

Each card holds the title (a link to the dashboard's Paper page), the number of authors, the
publication date ("Sep 24, 2025", arXiv's; the first listing date when there is none), the
upvotes and comments, the topics, the arXiv, PDF, code and Hugging Face links, and the
abstract: its first lines, which open to the whole of it; on Search, a snippet around the
words the query matched instead, those words highlighted (<mark>), in the title too.

Pure: HTML from rows. Every text is escaped (`html.escape`), every link goes through the one
link rule (pipelines/urls.py), and the page shows the HTML with `st.html`, which also
sanitises it; nothing a paper holds can become markup or a script.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import pandas as pd

from pipelines.urls import web_url
from pipelines.words import matched_spans

LEAD_CHARACTERS = 240  # the abstract's first lines, before "more"
SNIPPET_CHARACTERS = 280  # a search snippet: about three lines
SNIPPET_BEFORE = 80  # of which, before the first matched word

STYLE = """
<style>
.pb-list { display: flex; flex-direction: column; gap: 0.75rem; }
.pb-paper { border: 1px solid rgba(128, 128, 128, 0.3); border-radius: 0.5rem;
  padding: 0.7rem 0.9rem; }
.pb-head { display: flex; gap: 0.6rem; align-items: baseline; }
.pb-rank { color: rgba(128, 128, 128, 0.9); font-variant-numeric: tabular-nums; }
.pb-title { font-size: 1.08rem; font-weight: 600; line-height: 1.35; text-decoration: none; }
.pb-title:hover { text-decoration: underline; }
.pb-meta, .pb-links { font-size: 0.85rem; color: rgba(128, 128, 128, 1); margin: 0.25rem 0; }
.pb-links a { text-decoration: none; }
.pb-links a:hover { text-decoration: underline; }
.pb-topic { display: inline-block; font-size: 0.75rem; padding: 0 0.45rem; margin: 0 0.3rem 0 0;
  border-radius: 0.6rem; background: rgba(28, 131, 225, 0.12); }
.pb-abstract, .pb-snippet { font-size: 0.92rem; line-height: 1.45; margin: 0.35rem 0 0; }
.pb-abstract summary { cursor: pointer; list-style: none; }
.pb-abstract summary::-webkit-details-marker { display: none; }
.pb-more, .pb-toggle { color: rgb(28, 131, 225); white-space: nowrap; }
.pb-abstract[open] .pb-lead { display: none; }
.pb-abstract[open] .pb-more::after { content: " less"; }
.pb-abstract:not([open]) .pb-more::after { content: " more"; }
.pb-spark { letter-spacing: 1px; }
.pb-paper mark { background: rgba(255, 196, 0, 0.45); color: inherit; padding: 0 0.1em; }
</style>
"""


def listing_html(
    papers: Iterable[Mapping[str, Any]], terms: Sequence[str] = (), *, ranked: bool = True
) -> str:
    """The cards of `papers` in order, with the page's style. With `terms` (a query's search
    terms), the words they match are highlighted and the abstract shows as a snippet."""
    cards = "".join(paper_card(paper, terms, ranked=ranked) for paper in papers)
    return f'{STYLE}<div class="pb-list">{cards}</div>'


def paper_card(paper: Mapping[str, Any], terms: Sequence[str] = (), *, ranked: bool = True) -> str:
    paper_id = str(paper["paper_id"])
    title = _text(paper.get("title")) or paper_id
    rank = _number(paper.get("rank"))
    head = [f'<span class="pb-rank">#{rank}</span>'] if ranked and rank is not None else []
    head.append(
        f'<a class="pb-title" href="paper?id={html.escape(quote(paper_id), quote=True)}" '
        f'target="_self">{highlight(title, terms)}</a>'
    )
    parts = [
        f'<article class="pb-paper" data-paper-id="{html.escape(paper_id, quote=True)}">',
        f'<div class="pb-head">{"".join(head)}</div>',
        f'<p class="pb-meta">{_meta(paper)}</p>',
    ]
    topics = _strings(paper.get("topics"))
    if topics:
        chips = "".join(f'<span class="pb-topic">{html.escape(topic)}</span>' for topic in topics)
        parts.append(f'<div class="pb-topics">{chips}</div>')
    abstract = _text(paper.get("abstract")) or _text(paper.get("ai_summary"))
    if abstract:
        parts.append(_abstract(abstract, terms))
    links = _links(paper)
    if links:
        parts.append(f'<p class="pb-links">{links}</p>')
    parts.append("</article>")
    return "".join(parts)


def highlight(text: str, terms: Sequence[str], start: int = 0, end: int | None = None) -> str:
    """text[start:end] escaped, the words matching `terms` (pipelines/words.py) in <mark>."""
    end = len(text) if end is None else end
    pieces = []
    position = start
    for match_start, match_end in matched_spans(text, terms):
        if match_end <= start or match_start >= end:
            continue
        match_start, match_end = max(match_start, start), min(match_end, end)
        pieces.append(html.escape(text[position:match_start]))
        pieces.append(f"<mark>{html.escape(text[match_start:match_end])}</mark>")
        position = match_end
    pieces.append(html.escape(text[position:end]))
    return "".join(pieces)


def snippet(text: str, terms: Sequence[str], characters: int = SNIPPET_CHARACTERS) -> str | None:
    """About `characters` of `text` around the first word matching `terms`, escaped, the
    matching words in <mark>, with "…" where it was cut; None when no word matches."""
    spans = matched_spans(text, terms)
    if not spans:
        return None
    start = _word_start(text, max(0, spans[0][0] - SNIPPET_BEFORE))
    end = _word_end(text, min(len(text), start + characters))
    before = "…" if start > 0 else ""
    after = "…" if end < len(text) else ""
    return before + highlight(text, terms, start, end) + after


def lead(text: str, characters: int = LEAD_CHARACTERS) -> tuple[str, str]:
    """`text` cut at a word boundary near `characters`: (first lines, the rest)."""
    if len(text) <= characters:
        return text, ""
    end = _word_end(text, characters)
    return text[:end].rstrip(), text[end:]


def published_on(value: Any) -> str | None:
    """A date as the Hugging Face papers page writes it: "Sep 24, 2025"."""
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime | date):
        return f"{value:%b} {value.day}, {value.year}"
    return None


def _abstract(abstract: str, terms: Sequence[str]) -> str:
    if terms and (found := snippet(abstract, terms)) is not None:
        if not found.startswith("…") and not found.endswith("…"):
            return f'<p class="pb-snippet">{found}</p>'  # the whole abstract already
        return (
            f'<p class="pb-snippet">{found}</p>'
            '<details class="pb-abstract pb-full"><summary><span class="pb-toggle">'
            f"Whole abstract</span></summary>{highlight(abstract, terms)}</details>"
        )
    first, rest = lead(abstract)
    if not rest:
        return f'<p class="pb-abstract">{highlight(abstract, terms)}</p>'
    return (
        '<details class="pb-abstract"><summary>'
        f'<span class="pb-lead">{highlight(first, terms)}… </span>'
        '<span class="pb-more"></span></summary>'
        f"{highlight(abstract, terms)}</details>"
    )


def _meta(paper: Mapping[str, Any]) -> str:
    items = []
    authors = _number(paper.get("authors"))
    if authors is not None:
        items.append(_count(authors, "author"))
    published = published_on(paper.get("published_at"))
    if published is not None:
        items.append(f"Published {published}")
    elif (listed := published_on(paper.get("first_listing_date"))) is not None:
        items.append(f"Listed {listed}")
    upvotes = _number(paper.get("upvotes")) or 0
    items.append(f"▲ {_count(upvotes, 'upvote')}")
    comments = _number(paper.get("num_comments"))
    if comments:
        items.append(_count(comments, "comment"))
    history = [int(value) for value in _numbers(paper.get("upvote_history"))]
    if len(history) > 1:
        items.append(sparkline(history))
    score = paper.get("score")
    if isinstance(score, float) and score > 0:
        items.append(f"score {score:.2f}")
    return " · ".join(f"<span>{item}</span>" for item in items)


_BARS = "▁▂▃▄▅▆▇█"


def sparkline(values: Sequence[int]) -> str:
    """The upvotes at each fetch as a line of bars ("▁▄█"), drawn from numbers only (the
    page's HTML sanitiser keeps no SVG)."""
    low, high = min(values), max(values)
    spread = (high - low) or 1
    bars = "".join(_BARS[round((value - low) / spread * (len(_BARS) - 1))] for value in values)
    label = ", ".join(map(str, values))
    return f'<span class="pb-spark" title="upvotes at each fetch: {label}">{bars}</span>'


LINKS = (("arXiv", "arxiv_url"), ("PDF", "pdf_url"), ("code", "github_repo"), ("HF", "hf_url"))


def _links(paper: Mapping[str, Any]) -> str:
    anchors = []
    for name, column in LINKS:
        url = web_url(paper.get(column))
        if url is not None:
            anchors.append(
                f'<a href="{html.escape(url, quote=True)}" target="_blank" '
                f'rel="noopener noreferrer">{name}</a>'
            )
    return " · ".join(anchors)


def _word_start(text: str, index: int) -> int:
    """`index` moved forward to the start of a word (unless it is at 0)."""
    if index == 0:
        return 0
    space = text.find(" ", index)
    return index if space == -1 else space + 1


def _word_end(text: str, index: int) -> int:
    """`index` moved back to the end of a word (unless it is at the end)."""
    if index >= len(text):
        return len(text)
    space = text.rfind(" ", 0, index)
    return index if space <= 0 else space


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> int | None:
    if value is None or isinstance(value, str):
        return None
    try:
        if math.isnan(value):
            return None
    except TypeError:
        return None
    return int(value)


def _numbers(value: Any) -> list[float]:
    if value is None or isinstance(value, str | float):
        return []
    return [item for item in value if item is not None]


def _strings(value: Any) -> list[str]:
    if value is None or isinstance(value, str | float):
        return []
    return [item for item in value if isinstance(item, str)]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
