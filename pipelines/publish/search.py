"""Full-text search over the papers, as every reader asks it: one query of the marts.

The ranking is the warehouse's table function `marts.search_papers(query_text)` (dbt:
macros/search.sql over marts.search_index), so the dashboard's Search page, `paperboard
search` and any SQL client get the same papers in the same order for the same words:

    select hits.rank, hits.score, papers.title
    from marts.search_papers('pre-training of LLMs') as hits
    inner join marts.papers using (paper_id)
    order by hits.rank

Readers write a word in several forms; the papers and the query are folded alike first
(pipelines/words.py): "pre-training", "pretraining" and "pre training" find the same papers,
and so do "configurations" and "configuration", "LLMs" and "LLM".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

SEARCH_LIMIT = 20

# What `paperboard search` prints: the ranked table.
SEARCH_SQL = """
select
    hits.rank,
    round(hits.score, 4) as score,
    papers.paper_id,
    papers.title,
    papers.upvotes,
    papers.first_listing_date as listed
from marts.search_papers($query) as hits
inner join marts.papers as papers on hits.paper_id = papers.paper_id
order by hits.rank
limit $limit
"""


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float
    paper_id: str
    title: str
    upvotes: int
    listed: date


def search(
    connection: duckdb.DuckDBPyConnection, query: str, limit: int = SEARCH_LIMIT
) -> list[Hit]:
    """The best `limit` papers for `query`, best first (none for a query of no words)."""
    rows = connection.execute(SEARCH_SQL, {"query": query, "limit": limit}).fetchall()
    return [Hit(*row) for row in rows]
