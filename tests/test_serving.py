"""The serving copy: readers query a snapshot that each run replaces atomically."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.defs.assets.ingest import daily_papers
from pipelines.defs.assets.serving import SERVING_COPY, serving_copy
from pipelines.warehouse import serving
from pipelines.warehouse.connection import connect
from pipelines.warehouse.serving import ServingCopyError, open_serving, publish_serving_copy
from tests.factories import entry, write_listings
from tests.pipeline_helpers import materialize_range


def _warehouse_with_papers(path: Path, *paper_ids: str) -> Path:
    """A warehouse whose hf.papers holds these ids, and a view over it written the way dbt does."""
    with connect(path) as connection:
        connection.execute("create schema if not exists staging")
        connection.execute(
            'create or replace view staging.paper_ids as select paper_id from "warehouse".hf.papers'
        )
        for paper_id in paper_ids:
            _insert_paper(connection, paper_id)
    return path


def _insert_paper(connection: duckdb.DuckDBPyConnection, paper_id: str) -> None:
    connection.execute(
        """
        insert into hf.papers (paper_id, title, arxiv_url, pdf_url, hf_url, upvotes,
            num_comments, first_listing_date, last_listing_date, source_listing_date, fetched_at)
        values ($id, 'A Paper', 'a', 'p', 'h', 1, 0, date '2025-11-20', date '2025-11-20',
            date '2025-11-20', timestamptz '2025-11-21 06:00:00+00')
        """,
        {"id": paper_id},
    )


def _paper_ids(serving_path: Path) -> list[str]:
    with open_serving(serving_path) as connection:
        return [
            row[0] for row in connection.sql("select paper_id from hf.papers order by 1").fetchall()
        ]


def test_the_serving_copy_holds_the_warehouse_tables_and_its_dbt_views(tmp_path):
    warehouse = _warehouse_with_papers(tmp_path / "warehouse.duckdb", "2511.00001", "2511.00002")

    published = publish_serving_copy(warehouse, tmp_path / "serving.duckdb")

    # The hf tables and their ledger (with its load counter), and the digests' subscriptions
    # and sent ledger.
    assert (published.tables, published.views) == (11, 1)
    with open_serving(published.path) as connection:
        assert connection.sql("select count(*) from staging.paper_ids").fetchall() == [(2,)]
        with pytest.raises(duckdb.Error, match="read-only"):
            connection.execute("delete from hf.papers")


def test_publishing_swaps_in_a_new_file_and_leaves_no_temporary_file(tmp_path):
    warehouse = _warehouse_with_papers(tmp_path / "warehouse.duckdb", "2511.00001")
    serving_path = tmp_path / "serving.duckdb"
    publish_serving_copy(warehouse, serving_path)
    old_inode = serving_path.stat().st_ino
    with connect(warehouse) as connection:
        _insert_paper(connection, "2511.00002")

    publish_serving_copy(warehouse, serving_path)

    assert serving_path.stat().st_ino != old_inode, "replaced by rename, never rewritten in place"
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "serving.duckdb",
        "warehouse.duckdb",
    ]
    assert _paper_ids(serving_path) == ["2511.00001", "2511.00002"]


def test_a_copy_that_does_not_open_leaves_the_previous_serving_copy_in_place(tmp_path, monkeypatch):
    warehouse = _warehouse_with_papers(tmp_path / "warehouse.duckdb", "2511.00001")
    serving_path = tmp_path / "serving.duckdb"
    publish_serving_copy(warehouse, serving_path)
    with connect(warehouse) as connection:
        _insert_paper(connection, "2511.00002")

    def corrupt(path: Path) -> tuple[int, int]:
        raise ServingCopyError(f"the copy {path} does not open")

    monkeypatch.setattr(serving, "_count_relations", corrupt)
    with pytest.raises(ServingCopyError):
        publish_serving_copy(warehouse, serving_path)

    assert _paper_ids(serving_path) == ["2511.00001"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "serving.duckdb",
        "warehouse.duckdb",
    ]


def test_a_temporary_copy_left_by_a_killed_run_is_removed_by_the_next(tmp_path):
    warehouse = _warehouse_with_papers(tmp_path / "warehouse.duckdb", "2511.00001")
    leftover = tmp_path / ".tmp-999999-serving.duckdb"
    leftover.write_bytes(b"half a database")

    publish_serving_copy(warehouse, tmp_path / "serving.duckdb")

    assert not leftover.exists()


# A reader in its own process, like a dashboard: it opens the serving copy once, prints a
# count, then re-runs the query on the SAME connection for every line it reads on stdin.
_READER = """
import sys, duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
query = "select count(*), count(distinct listing_date) from hf.daily_listings"
print(*connection.execute(query).fetchone(), flush=True)
for _ in sys.stdin:
    print(*connection.execute(query).fetchone(), flush=True)
"""


def _run_pipeline(base_url: str, data_dir: Path, start: str, end: str) -> dg.ExecuteInProcessResult:
    """Ingest and publish [start, end] in one in-process run (dbt is left out: it is slow)."""
    return materialize_range(
        base_url, data_dir, start, end, assets=[daily_papers, serving_copy], raise_on_error=True
    )


def test_a_reader_holding_the_serving_copy_through_a_run_keeps_its_snapshot(
    tmp_path, data_dir, serve_folder
):
    folder = write_listings(
        tmp_path / "api",
        {
            "2025-11-17": [entry("2511.00001"), entry("2511.00002")],
            "2025-11-18": [entry("2511.00003"), entry("2511.00004"), entry("2511.00005")],
        },
    )
    serving_path = data_dir / "serving.duckdb"
    with serve_folder(folder) as (_, base_url):
        _run_pipeline(base_url, data_dir, "2025-11-17", "2025-11-17")
        reader = subprocess.Popen(
            [sys.executable, "-c", _READER, str(serving_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert reader.stdout.readline().split() == ["2", "1"]

            second = _run_pipeline(base_url, data_dir, "2025-11-18", "2025-11-18")

            assert second.success
            assert second.asset_materializations_for_node("serving_copy")[0].asset_key == (
                SERVING_COPY
            )
            reader.stdin.write("again\n")
            reader.stdin.flush()
            assert reader.stdout.readline().split() == ["2", "1"], "the old, consistent state"
        finally:
            reader.stdin.close()
            reader.wait(timeout=30)
        assert reader.returncode == 0
    with open_serving(serving_path) as connection:
        assert connection.sql("select count(*) from hf.daily_listings").fetchall() == [(5,)]


def test_paperboard_sql_reads_the_serving_copy_while_a_writer_holds_the_warehouse(data_dir):
    warehouse = _warehouse_with_papers(data_dir / "warehouse.duckdb", "2511.00001")
    publish_serving_copy(warehouse, data_dir / "serving.duckdb")

    with connect(warehouse) as writer:
        _insert_paper(writer, "2511.00002")
        result = CliRunner().invoke(app, ["sql", "select count(*) as papers from hf.papers"])

    assert result.exit_code == 0, result.output
    assert _single_value(result.stdout) == "1", "the published copy, not the newer warehouse"


def test_paperboard_sql_falls_back_to_the_warehouse_with_a_note_before_the_first_copy(data_dir):
    _warehouse_with_papers(data_dir / "warehouse.duckdb", "2511.00001", "2511.00002")

    result = CliRunner().invoke(app, ["sql", "select count(*) as papers from hf.papers"])

    assert result.exit_code == 0, result.output
    assert "no serving copy" in result.stderr
    assert _single_value(result.stdout) == "2"


def _single_value(table: str) -> str:
    """The one value of a one-row, one-column table as DuckDB prints it."""
    value_line = [line for line in table.splitlines() if line.startswith("│")][-1]
    return value_line.strip("│ ")
