"""Ingestion under the real API's conditions: faults, failing dates, refreshes, load order."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from devtools.fake_api import FaultPlan, FolderSource, GeneratedSource
from pipelines.ingest.landing import landed_fetches
from pipelines.ingest.run import IngestError, ingest
from pipelines.listing_calendar import dates_in_window
from tests.factories import entry, write_listings
from tests.pipeline_helpers import fast_client, rows, served, table_checksums

HF = ["hf.daily_listings", "hf.papers", "hf.paper_authors", "hf.upvote_snapshots"]


def run_ingest(base_url: str, data_dir: Path, dates: list[date], **client_overrides):
    return ingest(
        dates,
        client=fast_client(base_url, **({"max_attempts": 12} | client_overrides)),
        raw_dir=data_dir / "raw",
        warehouse=data_dir / "warehouse.duckdb",
        batch_size=50,
        log=lambda message: None,
    )


@pytest.mark.unit
def test_a_window_is_half_open_and_widened_back_by_the_refresh_days():
    assert dates_in_window(date(2025, 10, 3), date(2025, 10, 4)) == [date(2025, 10, 3)]
    assert dates_in_window(date(2025, 10, 3), date(2025, 10, 4), refresh_days=2) == [
        date(2025, 10, 1),
        date(2025, 10, 2),
        date(2025, 10, 3),
    ]
    with pytest.raises(ValueError, match="empty window"):
        dates_in_window(date(2025, 10, 3), date(2025, 10, 3))


def test_a_200_date_backfill_with_20_percent_faults_loads_the_same_rows_as_a_clean_one(tmp_path):
    dates = [date(2025, 3, 1) + timedelta(days=offset) for offset in range(200)]
    source = GeneratedSource(seed=7)
    with served(source) as (_, base_url):
        clean = run_ingest(base_url, tmp_path / "clean", dates)
    faults = FaultPlan.uniform(0.2, seed=11, slow_seconds=0.05)
    with served(source, faults=faults) as (api, base_url):
        faulty = run_ingest(base_url, tmp_path / "faulty", dates)

    assert faulty.dates_fetched == clean.dates_fetched == 200
    assert faulty.retries > 0
    assert api.requests.count == faulty.requests == clean.requests + faulty.retries
    assert clean.daily_listings > 2000
    checksums = [
        table_checksums(tmp_path / run / "warehouse.duckdb", HF, exclude=("fetched_at",))
        for run in ("clean", "faulty")
    ]
    assert checksums[0] == checksums[1]
    # Exactly once: one landed fetch per date.
    assert all(len(landed_fetches(tmp_path / "faulty" / "raw", day)) == 1 for day in dates)


def test_a_date_that_keeps_failing_fails_alone_and_writes_nothing(tmp_path):
    folder = write_listings(
        tmp_path / "api",
        {f"2025-10-0{day}": [entry(f"2510.0000{day}")] for day in (1, 2, 3)},
    )
    bad_day = date(2025, 10, 2)
    faults = FaultPlan(fail_dates=frozenset({bad_day}))
    dates = [date(2025, 10, d) for d in (1, 2, 3)]
    with (
        served(FolderSource(folder), faults=faults) as (_, base_url),
        pytest.raises(IngestError) as raised,
    ):
        run_ingest(base_url, tmp_path, dates, max_attempts=3)
    message = str(raised.value)
    assert message.startswith("1 of 3 dates failed; every other date was loaded:")
    assert "listing date 2025-10-02: gave up on" in message
    assert "after 3 attempts; last problem: HTTP 503" in message
    warehouse = tmp_path / "warehouse.duckdb"
    assert rows(warehouse, "select listing_date from hf.daily_listings order by 1") == [
        (date(2025, 10, 1),),
        (date(2025, 10, 3),),
    ]
    assert landed_fetches(tmp_path / "raw", bad_day) == []


def test_a_response_that_breaks_the_schema_fails_its_date_and_leaves_its_rows(tmp_path):
    listings = {f"2025-10-0{day}": [entry(f"2510.0000{day}", upvotes=day)] for day in (1, 2, 3)}
    folder = write_listings(tmp_path / "api", listings)
    source = FolderSource(folder)
    dates = [date(2025, 10, d) for d in (1, 2, 3)]
    with served(source) as (_, base_url):
        run_ingest(base_url, tmp_path, dates)
        broken = entry("2510.00002", upvotes=2)
        broken["paper"]["upvotes"] = "12"
        source.replace(date(2025, 10, 2), [broken])
        source.replace(date(2025, 10, 3), [entry("2510.00003", upvotes=30)])
        with pytest.raises(IngestError) as raised:
            run_ingest(base_url, tmp_path, dates)
    assert "listing date 2025-10-02: field paper.upvotes of entry 0 has value '12'" in str(
        raised.value
    )
    assert rows(
        tmp_path / "warehouse.duckdb",
        "select listing_date, upvotes from hf.daily_listings order by 1",
    ) == [(date(2025, 10, 1), 1), (date(2025, 10, 2), 2), (date(2025, 10, 3), 30)]


def test_a_refresh_records_new_snapshots_and_moves_the_latest_counts(tmp_path):
    days = [date(2025, 10, d) for d in range(1, 5)]
    folder = write_listings(
        tmp_path / "api",
        {day.isoformat(): [entry(f"2510.0000{day.day}", upvotes=1)] for day in days},
    )
    source = FolderSource(folder)
    with served(source) as (_, base_url):
        run_ingest(base_url, tmp_path, days)
        source.replace(days[1], [entry("2510.00002", upvotes=25, num_comments=4)])
        refresh = dates_in_window(days[-1], days[-1] + timedelta(days=1), refresh_days=3)
        run_ingest(base_url, tmp_path, refresh)
    warehouse = tmp_path / "warehouse.duckdb"
    assert rows(
        warehouse,
        "select upvotes from hf.upvote_snapshots where paper_id = '2510.00002' order by fetched_at",
    ) == [(1,), (25,)]
    assert rows(warehouse, "select count(*) from hf.upvote_snapshots") == [(8,)]
    assert rows(
        warehouse,
        "select d.upvotes, d.num_comments, p.upvotes from hf.daily_listings as d "
        "join hf.papers as p using (paper_id) where paper_id = '2510.00002'",
    ) == [(25, 4, 25)]


def test_backfilling_older_dates_after_newer_ones_keeps_the_newer_attributes(tmp_path):
    folder = write_listings(
        tmp_path / "api",
        {
            "2024-05-06": [entry("2405.00001", title="Old title", upvotes=3)],
            "2025-05-06": [entry("2405.00001", title="New title", upvotes=9)],
        },
    )
    with served(FolderSource(folder)) as (_, base_url):
        run_ingest(base_url, tmp_path / "new-first", [date(2025, 5, 6)])
        run_ingest(base_url, tmp_path / "new-first", [date(2024, 5, 6)])
        run_ingest(base_url, tmp_path / "in-order", [date(2024, 5, 6), date(2025, 5, 6)])
    for run in ("new-first", "in-order"):
        assert rows(
            tmp_path / run / "warehouse.duckdb",
            "select title, first_listing_date, last_listing_date from hf.papers",
        ) == [("New title", date(2024, 5, 6), date(2025, 5, 6))]


def test_a_backfill_logs_progress_at_a_steady_interval(tmp_path):
    dates = [date(2025, 3, 3) + timedelta(days=offset) for offset in range(12)]
    lines: list[str] = []
    with served(GeneratedSource(seed=1), latency_seconds=0.05) as (_, base_url):
        ingest(
            dates,
            client=fast_client(base_url, concurrency=2),
            raw_dir=tmp_path / "raw",
            warehouse=tmp_path / "warehouse.duckdb",
            progress_interval_seconds=0.1,
            log=lines.append,
        )
    progress = [line for line in lines if line.startswith("progress: ")]
    assert len(progress) >= 2
    assert "dates fetched (0 failed)" in progress[-1]
    assert "requests/s" in progress[-1]
    assert lines[-1].startswith("fetched 12/12 dates with ")


def test_an_older_fetch_landed_after_a_newer_one_was_loaded_adds_its_snapshot_and_nothing_twice(
    tmp_path: Path,
):
    """Two machines fetch the same date; the earlier fetch lands after the later one was
    loaded. The next load reads the earlier fetch for its counts, keeps the later fetch's
    listing, and records no fetch in the ledger twice."""
    import json
    from datetime import UTC, datetime

    from pipelines.ingest.landing import land
    from pipelines.ingest.run import load_pending

    day, raw, warehouse = date(2025, 10, 1), tmp_path / "raw", tmp_path / "warehouse.duckdb"
    earlier, later = datetime(2025, 10, 2, 8, tzinfo=UTC), datetime(2025, 10, 2, 9, tzinfo=UTC)
    pages = {
        earlier: [json.dumps([entry("2510.00001", upvotes=5)]).encode()],
        later: [json.dumps([entry("2510.00001", upvotes=9)]).encode()],
    }
    land(raw, day, later, pages[later])
    load_pending(warehouse=warehouse, raw_dir=raw, log=lambda message: None)
    land(raw, day, earlier, pages[earlier])
    load_pending(warehouse=warehouse, raw_dir=raw, log=lambda message: None)

    ledger = "select load_id, fetched_at from hf.load_fetches order by load_id"
    assert rows(warehouse, ledger) == [(1, later), (2, earlier)]
    assert rows(warehouse, "select upvotes from hf.daily_listings") == [(9,)]
    assert rows(warehouse, "select upvotes from hf.papers") == [(9,)]
    snapshots = "select fetched_at, upvotes from hf.upvote_snapshots order by fetched_at"
    assert rows(warehouse, snapshots) == [(earlier, 5), (later, 9)]
