"""The marts are the only serving contract: the dashboard and the feeds read `marts.*` alone,
and the Now page's re-ranking uses the trending score the mart was computed with.

Every SQL text in dashboard/ and pipelines/publish/feeds.py is found by reading the modules'
syntax trees (string constants that are queries), and DuckDB names the relations each reads
(`get_table_names`, which resolves CTEs and subqueries): each must be in the `marts` schema.
The queries the dashboard runs are checked the same way as it runs them (its warm-up asks every
page's first questions).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import streamlit as st

from dashboard import data, lake_snapshots, ranking_queries
from dashboard.warmup import warm_caches
from pipelines.settings import REPO_ROOT
from pipelines.warehouse.serving import open_serving
from tests.marts_warehouse import BuiltWarehouse

SERVING_MODULES = [
    *sorted((REPO_ROOT / "dashboard").rglob("*.py")),
    REPO_ROOT / "pipelines" / "publish" / "feeds.py",
]
_QUERY = re.compile(r"^\s*(with|select)\b", re.IGNORECASE)
_SCHEMA_REFERENCE = re.compile(
    r"\b(hf|staging|intermediate|seeds|main|information_schema|warehouse)\s*\.\s*[a-z_]",
    re.IGNORECASE,
)
# The catalog look-ups allowed (dashboard/data.py): which marts the serving copy holds, and on
# a lake which snapshots it keeps (time travel).
CATALOG_LOOKUPS = {data.MARTS_SQL, lake_snapshots.SNAPSHOTS_SQL}


def queries_in(module: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every string constant of `module` that is a SQL query. A query built
    with an f-string fails here: relations must be written out, values bound as parameters."""
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                part.value
                for part in node.values
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            assert not _QUERY.match(text), f"{module}:{node.lineno}: a query in an f-string"
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _QUERY.match(node.value)
        ):
            yield node.lineno, node.value


def relations(connection: duckdb.DuckDBPyConnection, sql: str) -> set[str]:
    """The tables and views `sql` reads, schema-qualified (parameters bound to null)."""
    names = connection.get_table_names(re.sub(r"\$\w+", "null", sql), qualified=True)
    return {re.sub(r"\s+as\s+\w+$", "", name, flags=re.IGNORECASE) for name in names}


@pytest.fixture(scope="module")
def serving(marts_warehouse: BuiltWarehouse) -> Iterator[duckdb.DuckDBPyConnection]:
    """The session's serving copy, opened as readers open it (its functions resolve)."""
    with open_serving(marts_warehouse.serving_path) as connection:
        yield connection


def test_the_dashboard_and_the_feeds_query_only_the_marts(serving):
    found = []
    for module in SERVING_MODULES:
        for line, sql in queries_in(module):
            where = f"{module.relative_to(REPO_ROOT)}:{line}"
            found.append(where)
            if sql in CATALOG_LOOKUPS:
                continue
            read = relations(serving, sql)
            assert read, f"{where}: reads no relation?\n{sql}"
            assert all(name.startswith("marts.") for name in read), f"{where}: reads {read}"
            assert not _SCHEMA_REFERENCE.search(sql), f"{where}: names another schema\n{sql}"
    # Every page's queries and both of the feeds' were found, not a few of them.
    assert len(found) >= 20, found
    assert any(where.startswith("pipelines/publish/feeds.py") for where in found)


def test_the_relation_check_catches_a_query_of_the_warehouse_tables(serving):
    sql = "select m.title from marts.papers as m join hf.papers as h on m.paper_id = h.paper_id"
    assert relations(serving, sql) == {"marts.papers", "hf.papers"}
    assert relations(serving, "select * from seeds.topic_taxonomy") == {"seeds.topic_taxonomy"}
    assert _SCHEMA_REFERENCE.search("from staging.stg_hf__papers")


def test_every_query_the_pages_run_reads_only_the_marts(marts_warehouse, monkeypatch):
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(marts_warehouse.serving_path.parent))
    st.cache_data.clear()
    st.cache_resource.clear()
    ran: list[str] = []
    query = data._query

    def recording_query(sql, params, path, mtime):
        ran.append(sql)
        return query(sql, params, path, mtime)

    monkeypatch.setattr(data, "_query", recording_query)
    warm_caches()
    st.cache_data.clear()
    assert len(ran) >= 12
    with open_serving(marts_warehouse.serving_path) as connection:
        for sql in ran:
            if sql in CATALOG_LOOKUPS:
                continue
            read = relations(connection, sql)
            assert read and all(name.startswith("marts.") for name in read), (read, sql)


def test_the_now_page_with_the_mart_s_inputs_gives_the_mart_s_scores_and_ranks(
    marts_warehouse, monkeypatch
):
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(marts_warehouse.serving_path.parent))
    defaults = ranking_queries.trending_now_defaults()
    assert defaults == ranking_queries.ScoreInputs(
        gravity=1.5, age_offset_hours=2.0
    )  # the dbt vars
    ranked = ranking_queries.trending_now(defaults)
    with open_serving(marts_warehouse.serving_path) as connection:
        mart = connection.execute(
            "select paper_id, score, rank from marts.trending_now order by rank"
        ).fetchall()
    assert len(mart) > 50
    assert list(ranked[["paper_id", "score", "rank"]].itertuples(index=False, name=None)) == mart
    assert (ranked["rank"] == ranked["mart_rank"]).all()


def test_the_trending_score_function_is_the_documented_formula(marts_warehouse):
    with open_serving(marts_warehouse.serving_path) as connection:
        rows = connection.execute(
            "select upvotes, age_hours, marts.trending_score(upvotes, age_hours, 12.0, 0.8) "
            "from marts.trending_now"
        ).fetchall()
    for upvotes, age_hours, score in rows:
        assert score == pytest.approx(upvotes / (age_hours + 12.0) ** 0.8, rel=1e-12)
