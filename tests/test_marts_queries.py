"""The marts on a realistic warehouse: incremental runs, a full refresh, and docs/queries.sql.

Six weeks of generated listings are loaded the way Dagster loads them, in batches, with `dbt`
run after each batch (the incremental path: each model finds what changed in the change
ledger, no run window is passed), then the incremental marts are rebuilt with
`--full-refresh` and must come out identical. Every example query in docs/queries.sql must
then run and return rows.

The batches are chosen so the incremental path has real work to do: the second batch lists
papers again that the first one listed (2510.04581 and 2510.07442, first listed on 2025-10-10,
are listed again on 2025-10-16), which changes their latest upvotes in windows the run's own
dates do not touch; the third batch re-fetches the last week with higher counts, which gives
recent papers a second upvote snapshot (trending_now's velocity), except for one date whose
re-fetch comes back empty, so its rows must leave the daily marts. A fourth batch re-fetches
two dates again and is built marts first, before the topic matcher they read (as when a user
materialises one mart alone): the marts must catch up once the matcher is built.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from devtools.sample.generator import generate_listing, listing_json
from pipelines.queries import ExampleQuery, load_example_queries
from pipelines.transform.normalise import normalise
from pipelines.transform.schema import parse_listing
from pipelines.warehouse.connection import connect
from pipelines.warehouse.load import load_batch

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT = str(Path(sys.executable).with_name("dbt"))
SEED = 0

FIRST_DATE = date(2025, 9, 29)  # a Monday
SECOND_BATCH_FROM = date(2025, 10, 16)
REFETCH_FROM = date(2025, 11, 3)
EMPTIED_DATE = date(2025, 11, 7)  # a Friday whose re-fetch comes back empty
END_DATE = date(2025, 11, 10)  # exclusive, a Monday
# The incremental models, as schema.name: the marts, and the topic matcher they read.
INCREMENTAL_MODELS = (
    "marts.trending_papers",
    "marts.topic_daily",
    "marts.daily_summary",
    "intermediate.int_paper_topics_matched",
)
# The third load: the last week fetched again, like a daily run's refresh.
REFETCH_LOAD_ID = 3
LATE_REFETCH_FROM = date(2025, 11, 8)


EXAMPLE_QUERIES = load_example_queries()


def _dates(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days)]


def _fetched(listing_date: date, days_later: int) -> datetime:
    return datetime(listing_date.year, listing_date.month, listing_date.day, 6, tzinfo=UTC) + (
        timedelta(days=days_later)
    )


def _with_more_upvotes(listing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same list fetched days later: every paper has gained a few upvotes, and the first
    paper's title was edited (so its topics must be matched again)."""
    later = json.loads(json.dumps(listing))
    for position, entry in enumerate(later):
        entry["paper"]["upvotes"] += 3 + position % 7
    if later:
        later[0]["paper"]["title"] = "Speculative Decoding for Faster Inference"
        later[0]["title"] = later[0]["paper"]["title"]
    return later


def load_fetches(warehouse: Path, fetches: list[tuple[date, datetime, list[dict]]]) -> int:
    """Parse, normalise and load fetches as one batch, as the ingest asset does; the load id."""
    parsed = [
        parse_listing(listing_date, fetched_at, [listing_json(listing)])
        for listing_date, fetched_at, listing in fetches
    ]
    with connect(warehouse) as connection:
        return load_batch(connection, normalise(parsed)).load_id


def run_dbt(data_dir: Path, work_dir: Path, *args: str, expect_success: bool = True) -> str:
    """Run dbt on the warehouse in data_dir, keeping its target and logs out of the project."""
    command = [
        DBT,
        *args,
        "--profiles-dir",
        ".",
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    result = subprocess.run(
        command,
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, "PAPERBOARD_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode == 0) == expect_success, f"{' '.join(args)}:\n{result.stdout[-6000:]}"
    return result.stdout


def mart_rows(warehouse: Path, relation: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(f"select * from {relation} order by all").fetchall()  # noqa: S608
    # Lists (matched terms) as tuples, so rows can be compared as sets.
    return [tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in rows]


@dataclass(frozen=True)
class BuiltWarehouse:
    path: Path
    incremental_rows: dict[str, list[tuple]]
    full_refresh_rows: dict[str, list[tuple]]
    refetch_build: Path
    """dbt's target folder of the build after the refetch (its run results, compiled SQL)."""
    refetch_stamps: dict[str, list[tuple]]
    """Per incremental model, the keys of the rows the refetch build wrote (load_id = 3)."""


# The keys of each incremental model's rows, to see which rows a build rewrote.
MODEL_KEYS = {
    "marts.trending_papers": '"window", window_start',
    "marts.topic_daily": "listing_date",
    "marts.daily_summary": "listing_date",
    "intermediate.int_paper_topics_matched": "paper_id",
}


def keys_stamped(warehouse: Path, model: str, load_id: int) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            f"select distinct {MODEL_KEYS[model]} from {model} where load_id = ? order by all",  # noqa: S608
            [load_id],
        ).fetchall()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> BuiltWarehouse:
    data_dir = tmp_path_factory.mktemp("data")
    work_dir = tmp_path_factory.mktemp("dbt")
    path = data_dir / "warehouse.duckdb"
    listings = {day: generate_listing(day, SEED) for day in _dates(FIRST_DATE, END_DATE)}

    def first_fetches(start: date, end: date) -> list[tuple[date, datetime, list[dict]]]:
        return [(day, _fetched(day, 1), listings[day]) for day in _dates(start, end)]

    def refetches(start: date, end: date) -> list[tuple[date, datetime, list[dict]]]:
        later = {day: _with_more_upvotes(listings[day]) for day in _dates(start, end)}
        later[EMPTIED_DATE] = []
        return [(day, _fetched(day, 3), later[day]) for day in _dates(start, end)]

    # 1. The first weeks, then a build of everything, seed included.
    load_fetches(path, first_fetches(FIRST_DATE, SECOND_BATCH_FROM))
    run_dbt(data_dir, work_dir, "build")
    # 2. The following weeks.
    load_fetches(path, first_fetches(SECOND_BATCH_FROM, END_DATE))
    run_dbt(data_dir, work_dir, "run")
    # 3. The last week fetched again with more upvotes (one date now empty), built and tested
    # like a daily run.
    assert load_fetches(path, refetches(REFETCH_FROM, END_DATE)) == REFETCH_LOAD_ID
    refetch_build = tmp_path_factory.mktemp("refetch-build")
    run_dbt(data_dir, refetch_build, "build")
    refetch_stamps = {
        model: keys_stamped(path, model, REFETCH_LOAD_ID) for model in INCREMENTAL_MODELS
    }
    # 4. Two dates fetched again; the marts are built before the topic matcher they read.
    later = [
        (day, _fetched(day, 4), _with_more_upvotes(_with_more_upvotes(listings[day])))
        for day in _dates(LATE_REFETCH_FROM, END_DATE)
    ]
    load_fetches(path, later)
    run_dbt(data_dir, work_dir, "run", "--select", "trending_papers", "topic_daily")
    run_dbt(data_dir, work_dir, "run")
    incremental_rows = {model: mart_rows(path, model) for model in INCREMENTAL_MODELS}

    names = [model.split(".")[1] for model in INCREMENTAL_MODELS]
    run_dbt(data_dir, work_dir, "run", "--full-refresh", "--select", *names)
    full_refresh_rows = {model: mart_rows(path, model) for model in INCREMENTAL_MODELS}
    return BuiltWarehouse(path, incremental_rows, full_refresh_rows, refetch_build, refetch_stamps)


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
    for mart in ("daily_summary", "topic_daily"):
        listing_dates = {row[0] for row in warehouse.incremental_rows[f"marts.{mart}"]}
        assert EMPTIED_DATE not in listing_dates
        assert EMPTIED_DATE - timedelta(days=1) in listing_dates
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


def test_the_refetch_build_matched_topics_again_only_for_the_papers_its_load_changed(
    warehouse: BuiltWarehouse,
):
    with duckdb.connect(str(warehouse.path), read_only=True) as connection:
        touched = connection.execute(
            "select paper_id from hf.load_papers where load_id = ? "
            "and paper_id in (select paper_id from hf.papers) order by 1",
            [REFETCH_LOAD_ID],
        ).fetchall()
        (all_papers,) = connection.execute("select count(*) from hf.papers").fetchone()

    rematched = warehouse.refetch_stamps["intermediate.int_paper_topics_matched"]
    assert rematched == touched
    assert 0 < len(rematched) < all_papers / 3


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


def test_one_not_null_test_per_model_names_each_column_holding_nulls(
    warehouse: BuiltWarehouse, tmp_path: Path
):
    data_dir, work_dir = tmp_path / "data", tmp_path / "dbt"
    data_dir.mkdir()
    shutil.copy(warehouse.path, data_dir / "warehouse.duckdb")
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as connection:
        connection.execute(
            "update marts.daily_summary set papers = null, upvotes = null "
            "where listing_date = (select min(listing_date) from marts.daily_summary)"
        )
    output = run_dbt(
        data_dir,
        work_dir,
        "test",
        "--select",
        "daily_summary,test_name:not_null_columns",
        expect_success=False,
    )
    assert "Got 2 results, configured to fail if != 0" in output


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
