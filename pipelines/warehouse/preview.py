"""A short Markdown preview of one day's top papers, for run metadata in the Dagster UI."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import duckdb

_TOP_LISTINGS_SQL = """
select
    l.position,
    l.title,
    l.upvotes,
    coalesce(p.hf_url, 'https://huggingface.co/papers/' || l.paper_id) as url
from hf.daily_listings as l
left join hf.papers as p on p.paper_id = l.paper_id
where l.listing_date = $listing_date
order by l.upvotes desc, l.position
limit $limit
"""


@dataclass(frozen=True)
class ListedPaper:
    position: int
    title: str
    upvotes: int
    url: str


def top_listings(
    connection: duckdb.DuckDBPyConnection, listing_date: date, limit: int = 10
) -> list[ListedPaper]:
    """The day's most upvoted papers (ties: their order on the list)."""
    rows = connection.execute(
        _TOP_LISTINGS_SQL, {"listing_date": listing_date, "limit": limit}
    ).fetchall()
    return [ListedPaper(*row) for row in rows]


def top_papers_markdown(listing_date: date, papers: Sequence[ListedPaper]) -> str:
    """A Markdown table of position, title, upvotes and link; a sentence when there are none."""
    if not papers:
        return f"No papers listed on {listing_date.isoformat()}."
    lines = [
        f"Top {len(papers)} papers listed on {listing_date.isoformat()}, by upvotes:",
        "",
        "| # | Title | Upvotes | Link |",
        "|---:|---|---:|---|",
    ]
    for paper in papers:
        lines.append(
            f"| {paper.position} | {_cell(paper.title)} | {paper.upvotes} "
            f"| [{_cell(_link_text(paper.url))}]({_url(paper.url)}) |"
        )
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text that cannot break out of a table cell: one line, pipes and brackets escaped."""
    flat = " ".join(text.split())
    for special in ("\\", "|", "[", "]", "<", ">", "*", "_", "`"):
        flat = flat.replace(special, "\\" + special)
    return flat


def _link_text(url: str) -> str:
    return url.removeprefix("https://").removeprefix("http://")


def _url(url: str) -> str:
    """A link target that cannot end the Markdown link early."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
