"""Time the dashboard's search over a serving copy.

    PAPERBOARD_DATA_DIR=<dir with serving.duckdb> .venv/bin/python benchmarks/search_latency.py

The issue asks for results "well under a second over the whole history". A search on the
page is one query of the serving copy, timed here through the function the page calls
(`paper_queries.search_results`: the warehouse's ranking, marts.search_papers, BM25 over
marts.search_index, then the filters and the listing's columns), with the query cache emptied
first, so every search is a new one. Each query runs under four filter sets (none; the last
30 days; one topic; has code and at least 20 upvotes), REPEATS times each. Results are
printed and written to benchmarks/search_results.md.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from dashboard import data, paper_queries  # noqa: E402

QUERIES = (
    "",  # no words: every paper that passes the filters, by upvotes
    "video diffusion",
    "test-time scaling for reasoning models",
    "mixture of experts",
    "reinforcement learning from human feedback",
    "multimodal large language model benchmark",
    "speech",
    "efficient attention long context",
    "agents tool use web navigation",
    "quantum chemistry",  # hardly any match
)
REPEATS = 5
OUTPUT = REPO_ROOT / "benchmarks" / "search_results.md"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    papers = paper_queries.indexed_papers()
    first, last = data.listing_span()
    topic = data.topics()[0]
    filter_sets = {
        "none": paper_queries.search_filters(first, last),
        "last 30 days": paper_queries.search_filters(last - timedelta(days=29), last),
        f"topic {topic!r}": paper_queries.search_filters(first, last, [topic]),
        "code, >= 20 upvotes": paper_queries.search_filters(
            first, last, has_code=True, min_upvotes=20
        ),
    }
    whole: list[float] = []
    for query in QUERIES:
        for filters in filter_sets.values():
            for _ in range(REPEATS):
                data._query.clear()  # a new search: not cached yet
                started = time.perf_counter()
                paper_queries.search_results(query, filters, limit=paper_queries.SEARCH_LIMIT)
                whole.append(time.perf_counter() - started)

    def row(name: str, values: list[float]) -> str:
        milliseconds = [value * 1000 for value in values]
        return (
            f"| {name} | {statistics.median(milliseconds):.1f} | "
            f"{percentile(milliseconds, 0.95):.1f} | {max(milliseconds):.1f} |"
        )

    report = "\n".join(
        [
            "# Search latency",
            "",
            f"`benchmarks/search_latency.py` over {papers:,} papers listed {first} … {last}"
            f" ({os.cpu_count()} cores, Python {platform.python_version()}).",
            "The index is built by dbt (marts.search_index); the page asks the serving copy.",
            f"{len(QUERIES)} queries x {len(filter_sets)} filter sets"
            f" ({', '.join(filter_sets)}) x {REPEATS} repeats = {len(whole)} searches,"
            f" up to {paper_queries.SEARCH_LIMIT} results each.",
            "",
            "| step | median ms | p95 ms | max ms |",
            "| --- | ---: | ---: | ---: |",
            row("rank (BM25), filter and read the result rows", whole),
            "",
        ]
    )
    OUTPUT.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
