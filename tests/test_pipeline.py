"""The whole slice, end to end: fake API → landed raw → Polars → DuckDB → dbt marts."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date

import pytest

from devtools.fake_api import FolderSource
from pipelines.defs.assets.ingest import HF_TABLES
from pipelines.ingest.landing import landed_fetches
from tests.factories import author, entry, write_listings
from tests.pipeline_helpers import materialize_range, rows, served, table_checksums

LISTINGS = {
    "2025-10-01": [
        entry(
            "2510.00010",
            title="Sparse Mixtures\n  of Experts",
            upvotes=40,
            num_comments=3,
            authors=[author("José  García", username="jgarcia"), author("Li Wei", hidden=True)],
            githubRepo="https://github.com/org/smoe/tree/main/train",
            projectPage=" https://smoe.github.io/ ",
        ),
        entry("2510.00020", title="Tiny Agents", upvotes=40, num_comments=5),
        entry("2503.02130", title="Float Trap", upvotes=2, githubRepo="https://github.com/onlyorg"),
    ],
    "2025-10-02": [
        entry("2510.00030", title="Video Worlds", upvotes=7),
        entry("2510.00030", title="Video Worlds", upvotes=7),
        entry("2510.00010", title="Sparse Mixtures of Experts v2", upvotes=55, num_comments=4),
    ],
    "2025-10-03": [],
}
MARTS_AND_HF = [f"hf.{name}" for name in HF_TABLES] + ["marts.trending_papers"]


@pytest.fixture(scope="module")
def three_days(tmp_path_factory):
    folder = write_listings(tmp_path_factory.mktemp("api"), LISTINGS)
    data_dir = tmp_path_factory.mktemp("data")
    with served(FolderSource(folder)) as (api, base_url):
        first = materialize_range(base_url, data_dir, "2025-10-01", "2025-10-03", with_dbt=True)
        assert first.success
        before = table_checksums(
            data_dir / "warehouse.duckdb", MARTS_AND_HF, ("fetched_at", "load_id")
        )
        second = materialize_range(base_url, data_dir, "2025-10-01", "2025-10-03", with_dbt=True)
        assert second.success
        after = table_checksums(
            data_dir / "warehouse.duckdb", MARTS_AND_HF, ("fetched_at", "load_id")
        )
    return data_dir, before, after, api


def test_three_dates_load_exactly_the_rows_the_responses_imply(three_days):
    data_dir, *_ = three_days
    warehouse = data_dir / "warehouse.duckdb"
    assert rows(
        warehouse,
        "select listing_date, paper_id, position, title, upvotes from hf.daily_listings "
        "order by listing_date, position",
    ) == [
        (date(2025, 10, 1), "2510.00010", 1, "Sparse Mixtures of Experts", 40),
        (date(2025, 10, 1), "2510.00020", 2, "Tiny Agents", 40),
        (date(2025, 10, 1), "2503.02130", 3, "Float Trap", 2),
        (date(2025, 10, 2), "2510.00030", 1, "Video Worlds", 7),
        (date(2025, 10, 2), "2510.00010", 3, "Sparse Mixtures of Experts v2", 55),
    ]
    assert rows(
        warehouse,
        "select paper_id, title, github_repo, github_repo_raw, project_page, upvotes, "
        "first_listing_date, last_listing_date from hf.papers order by paper_id",
    ) == [
        ("2503.02130", "Float Trap", None, "https://github.com/onlyorg", None, 2,
         date(2025, 10, 1), date(2025, 10, 1)),
        ("2510.00010", "Sparse Mixtures of Experts v2", None, None, None, 55,
         date(2025, 10, 1), date(2025, 10, 2)),
        ("2510.00020", "Tiny Agents", None, None, None, 40, date(2025, 10, 1), date(2025, 10, 1)),
        ("2510.00030", "Video Worlds", None, None, None, 7, date(2025, 10, 2), date(2025, 10, 2)),
    ]  # fmt: skip
    assert rows(warehouse, "select count(*) from hf.paper_authors") == [(4,)]
    # Two runs fetched each date twice: every fetch records its counts.
    assert rows(warehouse, "select count(*) from hf.upvote_snapshots") == [(10,)]


def test_the_dbt_step_starts_from_the_prepared_parse_in_a_new_data_directory(three_days):
    """`make setup` parsed the project once: a run against a data directory dbt never saw
    re-parses only what changed since, not the whole project (about 2 s more per run)."""
    data_dir, *_ = three_days
    log = (data_dir / "dbt-target" / "dbt.log").read_text()

    assert log.count("Running with dbt") == 2
    assert "Unable to do partial parsing" not in log, "run `.venv/bin/paperboard prepare`"


def test_each_date_lands_its_raw_responses_before_loading(three_days):
    data_dir, *_ = three_days
    for day in (1, 2, 3):
        fetches = landed_fetches(data_dir / "raw", date(2025, 10, day))
        assert len(fetches) == 2  # one per run
        assert fetches[-1].read_pages()[0].startswith(b"[")


def test_the_trending_mart_ranks_papers_per_window(three_days):
    data_dir, *_ = three_days
    assert rows(
        data_dir / "warehouse.duckdb",
        """select "window", window_start, rank, paper_id, upvotes from marts.trending_papers
        where "window" in ('week', 'day') order by "window", window_start, rank""",
    ) == [
        ("day", date(2025, 10, 1), 1, "2510.00010", 55),
        ("day", date(2025, 10, 1), 2, "2510.00020", 40),
        ("day", date(2025, 10, 1), 3, "2503.02130", 2),
        ("day", date(2025, 10, 2), 1, "2510.00010", 55),
        ("day", date(2025, 10, 2), 2, "2510.00030", 7),
        ("week", date(2025, 9, 29), 1, "2510.00010", 55),
        ("week", date(2025, 9, 29), 2, "2510.00020", 40),
        ("week", date(2025, 9, 29), 3, "2510.00030", 7),
        ("week", date(2025, 9, 29), 4, "2503.02130", 2),
    ]


def test_fetching_the_same_dates_again_changes_nothing_but_the_snapshot_history(three_days):
    _, before, after, _ = three_days
    snapshots = "hf.upvote_snapshots"
    assert {k: v for k, v in before.items() if k != snapshots} == {
        k: v for k, v in after.items() if k != snapshots
    }
    assert before["hf.daily_listings"][0] == 5
    assert (before[snapshots][0], after[snapshots][0]) == (5, 10)


def test_reprocessing_from_raw_without_fetching_rebuilds_the_same_warehouse(three_days, tmp_path):
    data_dir, _, after, api = three_days
    requests_before = api.requests.count
    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(data_dir / "raw", rebuilt / "raw")
    hf_only = [HF_TABLES[name] for name in HF_TABLES]
    for _ in range(2):
        result = materialize_range(
            "http://127.0.0.1:9", rebuilt, "2025-10-01", "2025-10-03", selection=hf_only
        )
        assert result.success
    hf_tables = [f"hf.{name}" for name in HF_TABLES]
    assert table_checksums(rebuilt / "warehouse.duckdb", hf_tables, ("fetched_at",)) == {
        table: after[table] for table in hf_tables
    }
    # fetched_at included: re-processing twice from the same raw files is exactly idempotent.
    assert table_checksums(rebuilt / "warehouse.duckdb", hf_tables) == table_checksums(
        data_dir / "warehouse.duckdb", hf_tables
    )
    assert api.requests.count == requests_before


def test_the_definitions_load_on_a_fresh_interpreter():
    code = (
        "from pipelines.definitions import defs; "
        "graph = defs.resolve_asset_graph(); "
        "keys = sorted(k.to_user_string() for k in graph.get_all_asset_keys()); "
        "print(len(keys)); print('\\n'.join(keys))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    keys = completed.stdout.split()
    assert {"raw/daily_papers", "hf/daily_listings", "hf/papers", "marts/trending_papers"} <= set(
        keys
    )
