"""The warehouse checks: the rules on literal data, then the Dagster checks in a real run."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.assets.ingest import HF_TABLES, LEDGER, daily_papers
from pipelines.defs.assets.serving import serving_copy
from pipelines.defs.checks import EMPTY_WEEKDAY_CHECK, UNIQUE_KEY_CHECK, warehouse_checks
from pipelines.defs.freshness import freshness_checks
from pipelines.listing_calendar import latest_complete_listing_date
from pipelines.warehouse import quality
from pipelines.warehouse.connection import connect
from pipelines.warehouse.contract import HF_TABLE_KEYS
from tests.factories import entry, write_listings
from tests.pipeline_helpers import materialize_range

MORNING_AFTER = datetime(2025, 11, 19, 6, 0, tzinfo=UTC)


# The rules, on literal inputs.


@pytest.mark.unit
def test_weekdays_fetched_without_listings_are_reported_but_weekends_and_unfetched_days_are_not():
    fetched = [date(2025, 11, day) for day in (14, 15, 16, 17, 18)]  # Friday to Tuesday
    listed = [date(2025, 11, 14), date(2025, 11, 18)]

    assert quality.empty_weekdays(fetched, listed) == [date(2025, 11, 17)]


_AUTHOR = "insert into hf.paper_authors values (?, ?, ?, lower(?), null, false, null)"


def test_duplicate_keys_are_found_in_each_table_and_only_there(tmp_path):
    with connect(tmp_path / "warehouse.duckdb") as connection:
        for _ in range(3):
            connection.execute(_AUTHOR, ["2511.00001", 1, "Ada", "Ada"])
        connection.execute(_AUTHOR, ["2511.00001", 2, "Bo", "Bo"])
        found = {table: quality.duplicate_keys(connection, table) for table in HF_TABLE_KEYS}

    assert found["paper_authors"].duplicated == 1
    assert found["paper_authors"].examples == ["2511.00001 / 1 (3 copies)"]
    assert [table for table, result in found.items() if result.passed] == [
        "daily_listings",
        "papers",
        "upvote_snapshots",
    ]


# The Dagster checks, run after a real load from the fake API.

LISTINGS = {
    "2025-11-14": [entry("2511.00001", upvotes=5), entry("2511.00002", upvotes=9)],  # Friday
    "2025-11-15": [],  # Saturday: often empty, fine
    "2025-11-16": [],  # Sunday
    "2025-11-17": [entry("2511.00003", upvotes=2)],  # Monday
    "2025-11-18": [entry("2511.00001", upvotes=7), entry("2511.00004")],  # Tuesday
}


@dg.multi_asset(
    specs=[dg.AssetSpec("downstream_of_papers", deps=[HF_TABLES["papers"]])],
    partitions_def=daily_papers.partitions_def,
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def downstream_of_papers() -> dg.MaterializeResult:
    """Stands in for the dbt models (slow to run) in the gating tests."""
    return dg.MaterializeResult()


def _run(base_url: str, data_dir: Path, start: str, end: str) -> dg.ExecuteInProcessResult:
    return materialize_range(
        base_url,
        data_dir,
        start,
        end,
        assets=[
            daily_papers,
            warehouse_checks,
            *freshness_checks,
            downstream_of_papers,
            serving_copy,
        ],
    )


def _outcomes(result: dg.ExecuteInProcessResult) -> dict[tuple[str, str], tuple[bool, str]]:
    return {
        (evaluation.asset_key.path[-1], evaluation.check_name): (
            evaluation.passed,
            evaluation.severity.value,
        )
        for evaluation in result.get_asset_check_evaluations()
    }


def _materialized(result: dg.ExecuteInProcessResult) -> set[str]:
    return {event.asset_key.to_user_string() for event in result.get_asset_materialization_events()}


@pytest.fixture
def api(tmp_path, serve_folder):
    with serve_folder(write_listings(tmp_path / "api", LISTINGS)) as (_, base_url):
        yield base_url


def test_every_check_passes_on_a_clean_load_of_a_whole_week(api, data_dir):
    result = _run(api, data_dir, "2025-11-14", "2025-11-18")

    assert result.success
    assert _outcomes(result) == {
        ("daily_listings", UNIQUE_KEY_CHECK): (True, "ERROR"),
        ("papers", UNIQUE_KEY_CHECK): (True, "ERROR"),
        ("paper_authors", UNIQUE_KEY_CHECK): (True, "ERROR"),
        ("upvote_snapshots", UNIQUE_KEY_CHECK): (True, "ERROR"),
        # Old dates: Dagster's freshness check says yesterday was never fetched.
        ("daily_papers", "freshness_check"): (False, "ERROR"),
        ("daily_listings", EMPTY_WEEKDAY_CHECK): (True, "WARN"),
    }
    assert {"downstream_of_papers", "serving_copy"} <= _materialized(result)


def test_a_planted_duplicate_fails_its_blocking_check_and_nothing_downstream_runs(api, data_dir):
    assert _run(api, data_dir, "2025-11-14", "2025-11-14").success
    serving_before = (data_dir / "serving.duckdb").read_bytes()
    with connect(data_dir / "warehouse.duckdb") as connection:
        # A second copy of a paper the next run does not touch (listed on another date).
        connection.execute(
            "insert into hf.papers select * from hf.papers where paper_id = '2511.00002'"
        )

    result = _run(api, data_dir, "2025-11-17", "2025-11-17")

    assert not result.success
    assert _outcomes(result)[("papers", UNIQUE_KEY_CHECK)] == (False, "ERROR")
    assert _outcomes(result)[("daily_listings", UNIQUE_KEY_CHECK)] == (True, "ERROR")
    assert _materialized(result) == {f"hf/{name}" for name in [*HF_TABLES, *LEDGER]} | {
        "raw/daily_papers"
    }
    assert (data_dir / "serving.duckdb").read_bytes() == serving_before


def test_a_weekday_fetched_empty_warns_without_failing_the_run(
    api, data_dir, serve_folder, tmp_path
):
    empty_monday = write_listings(tmp_path / "api-empty", {**LISTINGS, "2025-11-17": []})
    with serve_folder(empty_monday) as (_, base_url):
        result = _run(base_url, data_dir, "2025-11-14", "2025-11-18")

    assert result.success
    assert _outcomes(result)[("daily_listings", EMPTY_WEEKDAY_CHECK)] == (False, "WARN")
    evaluation = next(
        e for e in result.get_asset_check_evaluations() if e.check_name == EMPTY_WEEKDAY_CHECK
    )
    assert "2025-11-17" in evaluation.description
    assert "serving_copy" in _materialized(result)


def test_a_run_that_fetched_the_last_two_days_is_fresh(tmp_path, serve_folder, data_dir):
    # Before the 08:00 UTC deadline the check still asks for the day before yesterday, after
    # it for yesterday: a run fetching both is fresh at any hour the suite runs.
    yesterday = latest_complete_listing_date()
    dates = [(yesterday - timedelta(days=1)).isoformat(), yesterday.isoformat()]
    listings = {day: [entry(f"2611.0000{n}")] for n, day in enumerate(dates, start=1)}
    folder = write_listings(tmp_path / "api-today", listings)
    with serve_folder(folder) as (_, base_url):
        result = _run(base_url, data_dir, dates[0], dates[1])

    assert result.success
    assert _outcomes(result)[("daily_papers", "freshness_check")] == (True, "ERROR")


def test_a_stale_warehouse_fails_the_freshness_check_but_still_publishes(api, data_dir):
    result = _run(api, data_dir, "2025-11-14", "2025-11-18")

    assert result.success, "freshness is not blocking: older data is still worth serving"
    assert _outcomes(result)[("daily_papers", "freshness_check")] == (False, "ERROR")
    assert "serving_copy" in _materialized(result)
