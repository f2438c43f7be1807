"""The marts on a realistic warehouse: incremental runs, a full refresh, and docs/queries.sql.

The warehouse is the session's (tests/marts_warehouse.py): six weeks of generated listings
loaded in four batches, with dbt run after each (the incremental path: each model finds what
changed in the change ledger, no run window is passed), then the incremental models rebuilt
with `--full-refresh`, which must give identical rows. Every example query in docs/queries.sql
must then run and return rows.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import timedelta
from pathlib import Path

import duckdb
import pytest

from devtools.sample.generator import generate_listing
from pipelines.queries import ExampleQuery, load_example_queries
from tests.marts_warehouse import (
    EMPTIED_DATE,
    FIRST_DATE,
    INCREMENTAL_MODELS,
    REFETCH_FROM,
    REFETCH_LOAD_ID,
    SECOND_BATCH_FROM,
    SEED,
    BuiltWarehouse,
    run_dbt,
)

EXAMPLE_QUERIES = load_example_queries()


@pytest.fixture(scope="module")
def warehouse(marts_warehouse: BuiltWarehouse) -> BuiltWarehouse:
    return marts_warehouse


def test_the_second_batch_lists_papers_again_outside_its_own_dates(warehouse: BuiltWarehouse):
    with duckdb.connect(str(warehouse.path), read_only=True) as connection:
        relisted = connection.execute(
            """
            select count(distinct earlier.paper_id)
            from hf.daily_listings as earlier
            inner join hf.daily_listings as later on earlier.paper_id = later.paper_id
            where earlier.listing_date < ? and later.listing_date >= ?
            """,
            [SECOND_BATCH_FROM, SECOND_BATCH_FROM],
        ).fetchone()[0]
    assert relisted >= 1


def test_a_date_whose_refetch_came_back_empty_leaves_the_daily_marts(warehouse: BuiltWarehouse):
    assert generate_listing(EMPTIED_DATE, SEED), "the first fetch of the date had papers"
    for mart in ("daily_summary", "topic_daily", "author_daily", "organization_daily"):
        listing_dates = {row[0] for row in warehouse.incremental_rows[f"marts.{mart}"]}
        assert EMPTIED_DATE not in listing_dates, mart
        assert EMPTIED_DATE - timedelta(days=1) in listing_dates, mart
    emptied_weeks = {
        row[1] for row in warehouse.incremental_rows["marts.trending_papers"] if row[0] == "day"
    }
    assert EMPTIED_DATE not in emptied_weeks


def _without_load_id(rows: list[tuple], model: str, warehouse: Path) -> list[tuple]:
    """The rows without their load_id column, which says when a row was built, not what."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        columns = [column[0] for column in connection.execute(f"describe {model}").fetchall()]
    stamp = columns.index("load_id")
    return sorted(row[:stamp] + row[stamp + 1 :] for row in rows)


@pytest.mark.parametrize("model", INCREMENTAL_MODELS)
def test_incremental_runs_leave_the_same_rows_as_a_full_refresh(
    warehouse: BuiltWarehouse, model: str
):
    incremental = _without_load_id(warehouse.incremental_rows[model], model, warehouse.path)
    full_refresh = _without_load_id(warehouse.full_refresh_rows[model], model, warehouse.path)
    assert incremental
    assert set(incremental) - set(full_refresh) == set()
    assert set(full_refresh) - set(incremental) == set()
    assert incremental == full_refresh


def _windows_changed_by_load(warehouse: Path, load_id: int) -> list[tuple]:
    """What the ledger says load `load_id` changed, worked out here without the dbt models:
    the windows of the dates it loaded and of every listing of the papers it touched."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            """
            with dates as (
                select listing_date from hf.load_fetches where load_id = $load
                union
                select l.listing_date from hf.daily_listings as l
                inner join hf.load_papers as p on l.paper_id = p.paper_id and p.load_id = $load
            )
            select distinct w.length, cast(date_trunc(w.length, d.listing_date) as date)
            from dates as d
            cross join (values ('day'), ('week'), ('month')) as w (length)
            where d.listing_date in (select listing_date from hf.daily_listings)
            order by all
            """,
            {"load": load_id},
        ).fetchall()


def test_the_refetch_build_rebuilt_only_the_windows_its_load_changed(warehouse: BuiltWarehouse):
    rebuilt = warehouse.refetch_stamps["marts.trending_papers"]
    expected = _windows_changed_by_load(warehouse.path, REFETCH_LOAD_ID)
    with duckdb.connect(str(warehouse.path), read_only=True) as connection:
        (all_windows,) = connection.execute(
            'select count(distinct ("window", window_start)) from marts.trending_papers'
        ).fetchone()

    assert rebuilt == [row for row in expected if row[1] != EMPTIED_DATE or row[0] != "day"]
    assert ("day", REFETCH_FROM) in rebuilt
    assert ("day", FIRST_DATE) not in rebuilt
    assert len(rebuilt) < all_windows / 3


def test_the_refetch_build_matched_topics_and_rebuilt_papers_only_for_the_papers_it_changed(
    warehouse: BuiltWarehouse,
):
    with duckdb.connect(str(warehouse.path), read_only=True) as connection:
        touched = connection.execute(
            "select paper_id from hf.load_papers where load_id = ? "
            "and paper_id in (select paper_id from hf.papers) order by 1",
            [REFETCH_LOAD_ID],
        ).fetchall()
        (all_papers,) = connection.execute("select count(*) from hf.papers").fetchone()

    for model in (
        "intermediate.int_paper_topics_matched",
        "intermediate.int_papers_classified",
        "intermediate.int_paper_listings_collected",
        "marts.papers",
        "marts.upvote_history",
        "marts.search_index",
    ):
        rebuilt = warehouse.refetch_stamps[model]
        assert rebuilt == touched, model
        assert 0 < len(rebuilt) < all_papers / 3, model
    # Authorships and keywords: those of the touched papers that have a visible author, or
    # an AI keyword.
    for model in ("intermediate.int_author_papers", "intermediate.int_paper_keywords_normalised"):
        rebuilt = warehouse.refetch_stamps[model]
        assert set(rebuilt) <= set(touched), model
        assert len(rebuilt) >= 0.9 * len(touched), model


def test_the_refetch_build_rebuilt_only_the_days_its_load_changed_in_the_daily_leaderboards(
    warehouse: BuiltWarehouse,
):
    changed_days = {
        row[1]
        for row in _windows_changed_by_load(warehouse.path, REFETCH_LOAD_ID)
        if row[0] == "day"
    }
    for model in ("marts.author_daily", "marts.organization_daily"):
        rebuilt = {day for (day,) in warehouse.refetch_stamps[model]}
        assert REFETCH_FROM in rebuilt, model
        assert rebuilt <= changed_days, model
        assert FIRST_DATE not in rebuilt, model


def test_the_refetch_build_ran_the_incremental_branch_of_each_incremental_model(
    warehouse: BuiltWarehouse,
):
    results = json.loads((warehouse.refetch_build / "target" / "run_results.json").read_text())
    statuses = {result["unique_id"]: result["status"] for result in results["results"]}
    compiled_root = warehouse.refetch_build / "target" / "compiled" / "paperboard" / "models"
    for model in INCREMENTAL_MODELS:
        schema, name = model.split(".")
        assert statuses[f"model.paperboard.{name}"] == "success"
        compiled = next(compiled_root.rglob(f"{name}.sql")).read_text()
        newest_built = " ".join(
            ["(select coalesce(max(load_id), 0) from", f'"warehouse"."{schema}"."{name}")']
        )
        assert f"load_id > {newest_built}" in compiled, name


def test_an_edited_title_is_matched_again_by_the_incremental_run(warehouse: BuiltWarehouse):
    edited = "Speculative Decoding for Faster Inference"
    with duckdb.connect(str(warehouse.path), read_only=True) as connection:
        topics = connection.execute(
            "select list(distinct matched.topic) from intermediate.int_paper_topics_matched "
            "as matched inner join hf.papers using (paper_id) where papers.title = ?",
            [edited],
        ).fetchone()[0]
    assert "efficiency and quantisation" in topics


def test_one_rules_test_per_model_names_every_rule_a_broken_mart_breaks(
    warehouse: BuiltWarehouse, tmp_path: Path
):
    data_dir, work_dir = tmp_path / "data", tmp_path / "dbt"
    data_dir.mkdir()
    shutil.copy(warehouse.path, data_dir / "warehouse.duckdb")
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as connection:
        newest = "(select max(listing_date) from marts.daily_summary)"
        connection.execute(
            f"update marts.daily_summary set papers = null, upvotes = null where listing_date = {newest}"  # noqa: E501, S608
        )
        connection.execute(
            "insert into marts.daily_summary select * from marts.daily_summary "
            "where listing_date = (select min(listing_date) from marts.daily_summary)"
        )
    run_dbt(
        data_dir,
        work_dir,
        "test",
        "--select",
        "daily_summary_rules",
        "--store-failures",
        expect_success=False,
    )
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        (table,) = connection.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_name = 'daily_summary_rules'"
        ).fetchone()
        broken = dict(connection.execute(f"select rule, failing_rows from {table}").fetchall())  # noqa: S608

    assert broken == {"not null: papers": 1, "not null: upvotes": 1, "unique: listing_date": 1}


def test_nine_in_ten_generated_papers_get_a_real_topic(warehouse: BuiltWarehouse):
    with duckdb.connect(str(warehouse.path), read_only=True) as connection:
        covered, papers = connection.execute(
            "select count(*) filter (where primary_topic != 'other'), count(*) "
            "from marts.paper_topics"
        ).fetchone()
    assert papers > 500
    assert covered / papers >= 0.9


def test_every_example_query_has_a_unique_name_and_a_question():
    names = [query.name for query in EXAMPLE_QUERIES]
    assert len(names) >= 10
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in names)
    assert all(query.question and query.sql for query in EXAMPLE_QUERIES)


@pytest.mark.parametrize("query", EXAMPLE_QUERIES, ids=[query.name for query in EXAMPLE_QUERIES])
def test_every_example_query_returns_rows(warehouse: BuiltWarehouse, query: ExampleQuery):
    with duckdb.connect(str(warehouse.path), read_only=True) as connection:
        rows = connection.execute(query.sql).fetchall()
    assert rows, f"{query.name} ({query.question}) returned no rows"
