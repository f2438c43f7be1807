"""Concurrent writers on the lake, as several machines would be: three `paperboard backfill`
processes started at the same moment against one DuckLake (catalog in a real PostgreSQL,
files on moto's S3 server), with Dagster's instance in the same PostgreSQL, configured by the
checked-in deploy/dagster-postgres.yaml. The first two ranges are different, the third
overlaps both; the lake must equal the warehouse that running the same ranges one after the
other gives.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from devtools.fake_api import FakeDailyPapersApi
from pipelines.settings import REPO_ROOT
from pipelines.warehouse.connection import connect
from pipelines.warehouse.lake import Lake
from tests.factories import ConsistentCounts
from tests.lake_servers import PostgresServer, S3Server, new_lake, postgres_server, s3_server
from tests.pipeline_helpers import materialize_range, rows, warehouse_checksums

PAPERBOARD = str(Path(sys.executable).with_name("paperboard"))
# The first two are different ranges, the third overlaps both.
RANGES = (("2025-06-02", "2025-06-04"), ("2025-06-05", "2025-06-07"), ("2025-06-04", "2025-06-08"))
SNAPSHOT_SET = (
    "select distinct paper_id, listing_date, upvotes, num_comments from hf.upvote_snapshots "
    "order by all"
)
DAGSTER_PASSWORD = "planted-dagster-password-77d2"


@dataclass
class Team:
    postgres: PostgresServer
    s3: S3Server
    dagster_home: Path
    base_url: str

    def new_lake(self, name: str) -> Lake:
        return new_lake(self.postgres, self.s3, name)


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    """PostgreSQL, S3, the fake API and a DAGSTER_HOME holding the checked-in instance config,
    its database created."""
    dagster_home = tmp_path_factory.mktemp("dagster_home")
    shutil.copyfile(REPO_ROOT / "deploy" / "dagster-postgres.yaml", dagster_home / "dagster.yaml")
    with (
        postgres_server() as postgres,
        s3_server() as s3,
        FakeDailyPapersApi(ConsistentCounts(seed=9)).serve() as base_url,
        pytest.MonkeyPatch.context() as patch,
    ):
        postgres.create_database("dagster")
        environment = {
            **s3.environment(),
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_PORT": str(postgres.port),
            "DAGSTER_PG_DB": "dagster",
            "DAGSTER_PG_USER": "postgres",
            # Trust authentication ignores it; planted to be looked for in the run's records.
            "DAGSTER_PG_PASSWORD": DAGSTER_PASSWORD,
        }
        for name, value in environment.items():
            patch.setenv(name, value)
        yield Team(postgres, s3, dagster_home, base_url)


def test_the_checked_in_dagster_instance_runs_on_postgres_with_a_queue_of_several_runs(
    team: Team,
):
    from dagster import DagsterInstance
    from dagster._core.run_coordinator import QueuedRunCoordinator
    from dagster_postgres import (
        PostgresEventLogStorage,
        PostgresRunStorage,
        PostgresScheduleStorage,
    )

    instance = DagsterInstance.from_config(str(team.dagster_home))
    try:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
        assert isinstance(instance.run_coordinator, QueuedRunCoordinator)
        config = instance.get_concurrency_config()
        assert config.run_queue_config.max_concurrent_runs == 4
        assert config.pool_config.default_pool_limit == 4
        assert instance.run_monitoring_enabled
        assert instance.get_runs() == []
        # Two runs' writing steps hold the pool at once here (one at a time on the file).
        storage = instance.event_log_storage
        storage.initialize_concurrency_limit_to_default("duckdb")
        assert storage.claim_concurrency_slot("duckdb", "run-a", "daily_papers").is_claimed
        assert storage.claim_concurrency_slot("duckdb", "run-b", "daily_papers").is_claimed
        storage.free_concurrency_slot_for_step("run-a", "daily_papers")
        storage.free_concurrency_slot_for_step("run-b", "daily_papers")
    finally:
        instance.dispose()


def _backfill_environment(team: Team, lake: Lake, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PAPERBOARD_WAREHOUSE": lake.attach_path,
        "PAPERBOARD_LAKE_DATA_PATH": lake.data_path or "",
        "PAPERBOARD_DATA_DIR": str(data_dir),
        "HF_ENDPOINT": team.base_url,
        "DAGSTER_HOME": str(team.dagster_home),
    }


def _backfills_at_once(ranges, environment: dict[str, str]) -> list[subprocess.CompletedProcess]:
    """Start one `paperboard backfill` per range at the same moment; wait for all of them."""
    processes = [
        subprocess.Popen(
            [PAPERBOARD, "backfill", first, last],
            env=environment,
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for first, last in ranges
    ]
    outputs = [process.communicate(timeout=600)[0] for process in processes]
    return [
        subprocess.CompletedProcess(process.args, process.returncode, output)
        for process, output in zip(processes, outputs, strict=True)
    ]


@pytest.fixture(scope="module")
def together(team: Team, tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, list]:
    """One lake, written by three backfills at once: two of different ranges, and one
    overlapping both."""
    lake = team.new_lake("together")
    with connect(lake):  # the first connection creates the lake, before anyone races for it
        pass
    environment = _backfill_environment(team, lake, tmp_path_factory.mktemp("data"))
    return lake, _backfills_at_once(RANGES, environment)


@pytest.fixture(scope="module")
def one_after_the_other(team: Team, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same ranges, in order, one at a time, into a DuckDB file (dbt once at the end:
    the incremental models catch up with every load since their last build). A file, because
    tests/test_lake.py shows the lake holds what the file holds for the same inputs, and a file
    builds in a fraction of a lake's time."""
    data_dir = tmp_path_factory.mktemp("sequential")
    for position, (first, last) in enumerate(RANGES):
        result = materialize_range(
            team.base_url, data_dir, first, last, with_dbt=position == len(RANGES) - 1
        )
        assert result.success
    return data_dir / "warehouse.duckdb"


def test_backfills_started_at_once_all_succeed(together):
    _lake, results = together
    for result in results:
        assert result.returncode == 0, result.stdout[-3000:]


def test_the_lake_written_at_once_equals_the_warehouse_written_one_range_after_the_other(
    together, one_after_the_other: Path
):
    lake, _results = together
    assert warehouse_checksums(lake) == warehouse_checksums(one_after_the_other)
    assert rows(lake, SNAPSHOT_SET) == rows(one_after_the_other, SNAPSHOT_SET)
    assert rows(lake, "select count(*) from hf.daily_listings")[0][0] > 50


def test_load_ids_follow_commit_order_and_no_fetch_is_loaded_twice(together):
    lake, _results = together
    loads = rows(lake, "select load_id, loaded_at from hf.loads order by load_id")
    assert [load_id for load_id, _ in loads] == list(range(1, len(loads) + 1))
    # A load that lost a conflict ran again later, so its id and its start time both come
    # after the winner's: ids are in the order the loads committed.
    times = [loaded_at for _, loaded_at in loads]
    assert times == sorted(times)
    assert rows(lake, "select max(last_load_id) from hf.load_counter") == [(len(loads),)]
    assert (
        rows(
            lake,
            "select listing_date, fetched_at from hf.load_fetches group by all having count(*) > 1",
        )
        == []
    )


def test_no_password_reaches_the_runs_records(together, team: Team):
    _lake, results = together
    for result in results:
        assert DAGSTER_PASSWORD not in result.stdout
    dump = subprocess.run(
        [str(team.postgres.bin / "pg_dump"), "-h", "127.0.0.1", "-p", str(team.postgres.port),
         "-U", "postgres", "dagster"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    assert b"event_logs" in dump
    assert DAGSTER_PASSWORD.encode() not in dump
    assert team.s3.environment()["AWS_SECRET_ACCESS_KEY"].encode() not in dump
