"""Every way a Dagster user starts work gives the warehouse of one clean `paperboard backfill`.

The real `dagster dev` (webserver, daemon, code server) runs over a temporary DAGSTER_HOME with
the checked-in `dagster.yaml`, against the loopback fake API, and the work is started through
the GraphQL calls the UI makes (tests/dagster_ui.py), all queued at once as a busy user would:

- the asset graph's Materialize all over a partition range (an asset backfill, which Dagster
  splits into several runs: the raw partitions, the seed, then everything downstream);
- two job backfills of `daily_papers_job` over overlapping ranges, launched together; the
  run of the second is killed with SIGKILL while it fetches, then re-executed from failure;
- the schedule, switched on in the UI and ticked by the daemon (every minute here, through
  PAPERBOARD_SCHEDULE_CRON), with its 14-day refresh;
- then, once those are done, `raw/daily_papers` alone for one date (fetch and land, nothing
  loaded), Materialize of everything downstream without partitions, which loads what was
  landed, two dbt models of two layers materialised in one run without the rest, and
  `paperboard backfill --from-raw` on the command line, re-processing landed files into the
  same instance and warehouse.

Each run that loads also loads whatever else was landed and not loaded yet, so which of the
queued runs loads a date depends on their order; what every order must give is the same
warehouse.

The reference is one `paperboard backfill` of the whole span from the command line, into its
own data directory. "The same warehouse" is the README's Guarantees definition: every hf.*
contract table and every mart has the same checksum over all columns but `fetched_at` (when
we asked) and `load_id` (which load a row was last built from), and the upvote snapshots hold
the same (paper_id, listing_date, upvotes, num_comments).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from devtools.fake_api import FakeDailyPapersApi
from pipelines.listing_calendar import (
    REFRESH_DAYS,
    dates_in_window,
    latest_complete_listing_date,
)
from pipelines.settings import REPO_ROOT
from pipelines.warehouse.contract import HF_TABLES
from tests.dagster_ui import DagsterUI, Run, dagster_dev
from tests.factories import ConsistentCounts, GatedSource
from tests.pipeline_helpers import RUN_DEPENDENT_COLUMNS, table_checksums

SEED = 5
RAW = ["raw", "daily_papers"]
JOB = "daily_papers_job"
# One row per fetch, so a re-fetch adds rows: compared as the set of counts they saw.
SNAPSHOT_SETS = {
    "hf.upvote_snapshots": "select distinct paper_id, listing_date, upvotes, num_comments "
    "from hf.upvote_snapshots order by all",
    "marts.upvote_history": "select distinct paper_id, listing_date, upvotes, num_comments "
    "from marts.upvote_history order by all",
}


def _span(first: date, last: date) -> list[str]:
    return [day.isoformat() for day in dates_in_window(first, last + timedelta(days=1))]


@dataclass(frozen=True)
class Plan:
    """Contiguous ranges ending yesterday, so their union is one clean backfill."""

    newest: date

    def days_back(self, first: int, last: int) -> list[str]:
        return _span(self.newest - timedelta(days=first), self.newest - timedelta(days=last))

    @property
    def asset_backfill(self) -> list[str]:
        return self.days_back(29, 27)

    @property
    def job_backfill(self) -> list[str]:
        return self.days_back(26, 22)

    @property
    def killed_backfill(self) -> list[str]:
        return self.days_back(23, 16)

    @property
    def gated_date(self) -> date:
        return self.newest - timedelta(days=19)

    @property
    def landed_only(self) -> str:
        return self.days_back(15, 15)[0]

    @property
    def scheduled(self) -> list[str]:
        return self.days_back(REFRESH_DAYS, 0)

    @property
    def everything(self) -> tuple[str, str]:
        return self.days_back(29, 29)[0], self.newest.isoformat()


@dataclass(frozen=True)
class Outcome:
    plan: Plan
    warehouse: Path
    reference: Path
    asset_backfill_runs: list[Run]
    job_backfill_runs: list[Run]
    killed_run: Run
    reexecution: Run
    landed_only_run: Run
    load_run: Run
    scheduled_run: Run
    single_models_run: Run
    single_models_built: list[list[str]]
    dates_loaded_by_run: dict[str, list[str]]
    reprocessed_by_the_cli: list[str]


def _dates_loaded_by_run(warehouse: Path) -> dict[str, list[str]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select l.dagster_run_id, list(distinct f.listing_date::varchar order by "
            "f.listing_date::varchar) from hf.loads as l inner join hf.load_fetches as f "
            "using (load_id) group by 1"
        ).fetchall()
    return dict(rows)


def _dates_of_the_newest_load(warehouse: Path) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select distinct listing_date::varchar from hf.load_fetches "
            "where load_id = (select max(load_id) from hf.loads) order by 1"
        ).fetchall()
    return [row[0] for row in rows]


def _paperboard(arguments: list[str], environment: dict[str, str]) -> None:
    """The `paperboard` command as a user types it."""
    completed = subprocess.run(
        [str(Path(sys.executable).with_name("paperboard")), *arguments],
        cwd=REPO_ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]


def _kill_run_worker(ui: DagsterUI, run_id: str) -> None:
    """SIGKILL the process executing a run, found the way a user finds it: the pid the run's
    log announces."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for message in ui.messages(run_id):
            found = re.search(r"Started process for run \(pid: (\d+)\)", message)
            if found:
                os.kill(int(found.group(1)), signal.SIGKILL)
                return
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} never said which process executes it")


def _the_run(ui: DagsterUI, tags: dict[str, str], timeout: float = 240.0) -> Run:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = ui.runs(tags)
        if runs:
            return runs[0]
        time.sleep(0.5)
    raise AssertionError(f"no run tagged {tags} after {timeout:.0f} s")


def _reference_backfill(base_url: str, root: Path, first: str, last: str) -> subprocess.Popen:
    """`paperboard backfill FIRST LAST`, as a user types it, into its own data directory."""
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("paperboard")), "backfill", first, last],
        cwd=REPO_ROOT,
        env={
            **os.environ,
            "HF_ENDPOINT": base_url,
            "PAPERBOARD_DATA_DIR": str(root / "data"),
            "DAGSTER_HOME": str(root / "dagster"),
        },
        stdout=subprocess.DEVNULL,
        stderr=(root / "backfill.log").open("wb"),
    )


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    plan = Plan(newest=latest_complete_listing_date())
    root = tmp_path_factory.mktemp("launch-paths")
    (root / "reference" / "dagster").mkdir(parents=True)
    gated = GatedSource(ConsistentCounts(SEED), {plan.gated_date})
    ui_api, reference_api = FakeDailyPapersApi(gated), FakeDailyPapersApi(ConsistentCounts(SEED))
    environment = {
        "PAPERBOARD_DATA_DIR": str(root / "data"),
        # The daemon ticks the schedule at the next minute instead of at 06:00.
        "PAPERBOARD_SCHEDULE_CRON": "* * * * *",
        "DAGSTER_EVENT_BATCH_SIZE": "1000",
    }
    with ui_api.serve() as ui_url, reference_api.serve() as reference_url:
        reference = _reference_backfill(reference_url, root / "reference", *plan.everything)
        with dagster_dev(root / "dagster", {**environment, "HF_ENDPOINT": ui_url}) as ui:
            schedule = ui.start_schedule("daily_papers_schedule")
            asset_backfill = ui.launch_asset_backfill(ui.asset_keys(), plan.asset_backfill)
            job_backfill = ui.launch_job_backfill(JOB, plan.job_backfill)
            killed_backfill = ui.launch_job_backfill(JOB, plan.killed_backfill)

            assert gated.reached.wait(timeout=300), "the second job backfill never fetched"
            killed = _the_run(ui, {"dagster/backfill": killed_backfill})
            _kill_run_worker(ui, killed.run_id)
            gated.opened.set()
            killed = ui.wait_for_run(killed.run_id, timeout=60)
            # Without run monitoring freeing the dead run's slot of the `duckdb` pool, this
            # run, and every run queued behind it, would wait for ever.
            reexecution_id = ui.reexecute_from_failure(killed.run_id)
            scheduled = _the_run(ui, {"dagster/schedule_name": "daily_papers_schedule"})
            ui.stop_schedule(schedule)  # one tick is the test; the next would be a minute on

            asset_backfill_runs = ui.wait_for_backfill(asset_backfill)
            job_backfill_runs = ui.wait_for_backfill(job_backfill)
            reexecution = ui.wait_for_run(reexecution_id)
            scheduled = ui.wait_for_run(scheduled.run_id)

            partition = {"dagster/partition": plan.landed_only}
            landed_only_run = ui.wait_for_run(ui.launch_assets([RAW], tags=partition))
            everything_but_raw = [key for key in ui.asset_keys() if key != RAW]
            load_run = ui.wait_for_run(ui.launch_assets(everything_but_raw))
            single_models = [
                ["marts", "trending_papers"],
                ["intermediate", "int_paper_topics_matched"],
            ]
            single_models_run = ui.wait_for_run(ui.launch_assets(single_models))
            single_models_built = ui.materialized(single_models_run.run_id)
            first, last = plan.asset_backfill[0], plan.asset_backfill[-1]
            _paperboard(
                ["backfill", first, last, "--from-raw"],
                {**environment, "DAGSTER_HOME": str(root / "dagster")},
            )
        assert reference.wait(timeout=300) == 0, (root / "reference" / "backfill.log").read_text()
    warehouse = root / "data" / "warehouse.duckdb"
    return Outcome(
        plan=plan,
        warehouse=warehouse,
        reference=root / "reference" / "data" / "warehouse.duckdb",
        asset_backfill_runs=asset_backfill_runs,
        job_backfill_runs=job_backfill_runs,
        killed_run=killed,
        reexecution=reexecution,
        landed_only_run=landed_only_run,
        load_run=load_run,
        scheduled_run=scheduled,
        single_models_run=single_models_run,
        single_models_built=single_models_built,
        dates_loaded_by_run=_dates_loaded_by_run(warehouse),
        reprocessed_by_the_cli=_dates_of_the_newest_load(warehouse),
    )


def _checksums(warehouse: Path) -> dict[str, tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        marts = [
            f"marts.{name}"
            for (name,) in connection.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' "
                "order by 1"
            ).fetchall()
            if f"marts.{name}" not in SNAPSHOT_SETS
        ]
    contract = [f"hf.{name}" for name in HF_TABLES if name != "upvote_snapshots"]
    return table_checksums(warehouse, contract + marts, exclude=RUN_DEPENDENT_COLUMNS)


def _rows(warehouse: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(query).fetchall()


def test_every_launch_path_together_gives_the_warehouse_of_one_clean_backfill(outcome: Outcome):
    built, reference = _checksums(outcome.warehouse), _checksums(outcome.reference)

    assert len(built) >= 13, "the hf contract tables and every mart"
    assert {table: value for table, value in built.items() if value != reference[table]} == {}
    for query in SNAPSHOT_SETS.values():
        assert _rows(outcome.warehouse, query) == _rows(outcome.reference, query)
    listed = _rows(outcome.warehouse, "select count(distinct listing_date) from hf.daily_listings")
    assert listed[0][0] >= 20


def _loaded_dates(outcome: Outcome) -> set[str]:
    return {day for days in outcome.dates_loaded_by_run.values() for day in days}


def test_the_asset_graphs_backfill_runs_in_several_runs_that_all_succeed(outcome: Outcome):
    runs = outcome.asset_backfill_runs

    assert len(runs) >= 2
    assert [run.status for run in runs] == ["SUCCESS"] * len(runs)
    assert set(outcome.plan.asset_backfill) <= _loaded_dates(outcome)


def test_a_job_backfill_is_one_run(outcome: Outcome):
    (run,) = outcome.job_backfill_runs

    assert run.status == "SUCCESS"
    assert set(outcome.plan.job_backfill) <= set(outcome.dates_loaded_by_run[run.run_id])


def test_a_run_killed_mid_backfill_is_re_executed_from_failure_without_waiting_for_its_slot(
    outcome: Outcome,
):
    assert outcome.killed_run.status == "FAILURE"
    assert outcome.reexecution.status == "SUCCESS"
    assert outcome.reexecution.tags["dagster/parent_run_id"] == outcome.killed_run.run_id
    reloaded = set(outcome.dates_loaded_by_run[outcome.reexecution.run_id])
    assert set(outcome.plan.killed_backfill) <= reloaded
    assert outcome.killed_run.run_id not in outcome.dates_loaded_by_run


def test_the_raw_partition_alone_only_lands_and_the_tables_then_load_what_was_landed(
    outcome: Outcome,
):
    assert outcome.landed_only_run.status == "SUCCESS"
    assert outcome.landed_only_run.run_id not in outcome.dates_loaded_by_run
    assert outcome.load_run.status == "SUCCESS"
    assert outcome.dates_loaded_by_run[outcome.load_run.run_id] == [outcome.plan.landed_only]


def test_the_schedules_tick_runs_yesterday_with_the_refresh(outcome: Outcome):
    run = outcome.scheduled_run

    assert run.status == "SUCCESS"
    assert run.tags["dagster/partition"] == outcome.plan.newest.isoformat()
    assert set(outcome.plan.scheduled) <= set(outcome.dates_loaded_by_run[run.run_id])


def test_single_dbt_models_materialise_on_their_own(outcome: Outcome):
    assert outcome.single_models_run.status == "SUCCESS"
    assert sorted(outcome.single_models_built) == [
        ["intermediate", "int_paper_topics_matched"],
        ["marts", "trending_papers"],
    ]


def test_re_processing_from_the_command_line_reloads_the_landed_files_of_its_range(
    outcome: Outcome,
):
    assert outcome.reprocessed_by_the_cli == outcome.plan.asset_backfill
