"""The example queries of `docs/queries.sql`: one file that people read, the CLI runs and the
tests execute against a realistic warehouse, so the examples cannot rot."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.settings import REPO_ROOT

EXAMPLE_QUERIES_PATH = REPO_ROOT / "docs" / "queries.sql"


@dataclass(frozen=True)
class ExampleQuery:
    name: str
    question: str
    sql: str


def example_queries(text: str) -> list[ExampleQuery]:
    """Split a file at its `-- name:` lines; each block has a `-- question:` line."""
    queries = []
    for block in re.split(r"^-- name: ", text, flags=re.MULTILINE)[1:]:
        name, _, body = block.partition("\n")
        question = re.search(r"^-- question: (.+)$", body, flags=re.MULTILINE)
        sql = "\n".join(line for line in body.splitlines() if not line.startswith("--"))
        queries.append(
            ExampleQuery(name.strip(), question.group(1) if question else "", sql.strip())
        )
    return queries


def load_example_queries() -> list[ExampleQuery]:
    return example_queries(EXAMPLE_QUERIES_PATH.read_text(encoding="utf-8"))
