"""Orchestration: the asset graph, the daily schedule, one-run backfills, the writer pool and
the run metadata.

The asset graph is compared with tests/snapshots/asset_graph.json so that lineage changes are
reviewed. After an intended change, rewrite the snapshot and review its diff:

    PAPERBOARD_UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_orchestration.py -k snapshot
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import pytest
import yaml

from devtools.fake_api import FolderSource
from pipelines.cli import materialize_command
from pipelines.definitions import defs
from pipelines.defs.assets.ingest import HF_TABLES, RAW_DAILY_PAPERS
from pipelines.defs.partitions import window_between
from pipelines.defs.schedules import daily_papers_job, daily_papers_schedule, daily_run_config
from pipelines.settings import REPO_ROOT
from pipelines.warehouse.preview import ListedPaper, top_papers_markdown
from tests.factories import entry, write_listings
from tests.pipeline_helpers import materialize_range, served, table_checksums

SNAPSHOT = Path(__file__).parent / "snapshots" / "asset_graph.json"
CHECKED_IN_INSTANCE = REPO_ROOT / "dagster_home" / "dagster.yaml"


# The asset graph.


def describe_definitions(definitions: dg.Definitions) -> dict:
    """Every asset (key, deps, group, partitions, pools, kinds, checks), job and schedule."""
    graph = definitions.resolve_asset_graph()
    checks: dict[dg.AssetKey, dict[str, str]] = {}
    for check_key in graph.asset_check_keys:
        blocking = graph.get(check_key).blocking
        checks.setdefault(check_key.asset_key, {})[check_key.name] = (
            "blocking" if blocking else "non-blocking"
        )
    assets = {}
    for key in sorted(graph.get_all_asset_keys()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(parent.to_user_string() for parent in node.parent_keys),
            "partitions": str(node.partitions_def) if node.partitions_def else None,
            "backfill_policy": str(node.backfill_policy) if node.backfill_policy else None,
            "pools": sorted(node.pools or []),
            "kinds": sorted(node.kinds),
            "checks": dict(sorted(checks.get(key, {}).items())),
        }
    schedules = {
        schedule.name: {
            "job": schedule.job_name,
            "cron": schedule.cron_schedule,
            "timezone": schedule.execution_timezone,
            "default_status": schedule.default_status.value,
        }
        for schedule in definitions.schedules or []
    }
    return {"assets": assets, "schedules": schedules}


@pytest.mark.unit
def test_the_asset_graph_matches_the_reviewed_snapshot():
    current = describe_definitions(defs)
    if os.environ.get("PAPERBOARD_UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    if current != expected:
        diff = difflib.unified_diff(
            json.dumps(expected, indent=2).splitlines(),
            json.dumps(current, indent=2).splitlines(),
            "snapshot",
            "definitions",
            lineterm="",
        )
        pytest.fail(
            "the asset graph changed; if intended, run PAPERBOARD_UPDATE_SNAPSHOTS=1 "
            ".venv/bin/pytest tests/test_orchestration.py -k snapshot and review the diff of "
            "tests/snapshots/asset_graph.json\n" + "\n".join(diff),
            pytrace=False,
        )


@pytest.mark.unit
def test_the_dbt_models_and_the_serving_copy_wait_for_the_blocking_key_checks():
    job = defs.resolve_job_def(daily_papers_job.name)
    structure = job.graph.dependency_structure

    def upstream(node_name: str) -> set[str]:
        return {
            output.node_name
            for outputs in structure.input_to_upstream_outputs_for_node(node_name).values()
            for output in outputs
        }

    assert upstream("warehouse_checks") == {"daily_papers"}
    assert upstream("dbt_models") == {"daily_papers", "warehouse_checks"}
    assert upstream("serving_copy") == {"daily_papers", "warehouse_checks", "dbt_models"}


@pytest.mark.unit
def test_dbt_tests_show_as_blocking_asset_checks_on_their_models():
    graph = defs.resolve_asset_graph()
    trending = dg.AssetKey(["marts", "trending_papers"])
    names = {key.name for key in graph.asset_check_keys if key.asset_key == trending}

    assert "trending_papers_rules" in names
    assert all(graph.get(dg.AssetCheckKey(trending, name)).blocking for name in names)


# The daily schedule.


@pytest.mark.unit
def test_the_daily_schedule_asks_at_six_utc_for_yesterday_with_a_fourteen_day_refresh():
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2025, 11, 22, 6, 0, tzinfo=UTC)
    )

    request = daily_papers_schedule(context)

    assert request.partition_key == "2025-11-21"
    assert request.run_config == {"ops": {"daily_papers": {"config": {"refresh_days": 14}}}}
    assert (daily_papers_schedule.cron_schedule, daily_papers_schedule.execution_timezone) == (
        "0 6 * * *",
        "UTC",
    )
    assert daily_papers_schedule.default_status == dg.DefaultScheduleStatus.STOPPED


@pytest.mark.unit
def test_a_tick_just_after_midnight_still_asks_for_the_day_that_just_ended():
    context = dg.build_schedule_context(
        scheduled_execution_time=datetime(2026, 1, 1, 0, 5, tzinfo=UTC)
    )

    assert daily_papers_schedule(context).partition_key == "2025-12-31"


@pytest.mark.unit
def test_the_schedule_config_is_valid_for_the_job_and_matches_the_cli_daily_run():
    job = defs.resolve_job_def(daily_papers_job.name)

    assert dg.validate_run_config(job, daily_run_config())
    command = materialize_command(date(2025, 11, 21), date(2025, 11, 21), refresh_days=14)
    assert json.loads(command[command.index("--config-json") + 1]) == daily_run_config()


# Backfills: a range in one run leaves the same warehouse as one run per date.

LISTINGS = {
    "2025-11-17": [
        entry("2511.00001", upvotes=3),
        entry("2511.00002", title="Big Model", upvotes=9),
    ],
    "2025-11-18": [entry("2511.00003", upvotes=2), entry("2511.00001", upvotes=5)],
    "2025-11-19": [],
    "2025-11-20": [
        entry("2511.00004", title="Tiny | Agents", upvotes=12),
        entry("2511.00005", upvotes=30, title="Top Paper"),
    ],
}


def _materialize(base_url: str, data_dir: Path, start: str, end: str):
    return materialize_range(base_url, data_dir, start, end, raise_on_error=True)


@pytest.fixture(scope="module")
def one_run_and_per_date_runs(tmp_path_factory):
    folder = write_listings(tmp_path_factory.mktemp("api"), LISTINGS)
    one_run_dir = tmp_path_factory.mktemp("one-run")
    per_date_dir = tmp_path_factory.mktemp("per-date")
    with served(FolderSource(folder)) as (_, base_url):
        one_run = _materialize(base_url, one_run_dir, "2025-11-17", "2025-11-20")
        per_date = [_materialize(base_url, per_date_dir, day, day) for day in LISTINGS]
    return one_run, one_run_dir, per_date, per_date_dir


def test_a_backfill_in_one_run_leaves_the_same_tables_as_one_run_per_date(
    one_run_and_per_date_runs,
):
    one_run, one_run_dir, per_date, per_date_dir = one_run_and_per_date_runs
    tables = [f"hf.{name}" for name in HF_TABLES]

    materialized = one_run.get_asset_materialization_events()
    partitions = {event.partition for event in materialized if event.asset_key == RAW_DAILY_PAPERS}
    assert partitions == set(LISTINGS), "one run landed every date of the range"
    # The tables are whole tables: one materialization each per run, not one per date.
    assert [event.partition for event in materialized if event.asset_key in HF_TABLES.values()] == [
        None
    ] * len(HF_TABLES)
    assert all(result.success for result in per_date)
    one = table_checksums(one_run_dir / "warehouse.duckdb", tables, exclude=("fetched_at",))
    each = table_checksums(per_date_dir / "warehouse.duckdb", tables, exclude=("fetched_at",))
    assert one == each
    assert one["hf.daily_listings"][0] == 6


def test_the_listing_materialization_previews_the_newest_days_top_papers(
    one_run_and_per_date_runs,
):
    one_run, *_ = one_run_and_per_date_runs
    listings = one_run.asset_materializations_for_node("daily_papers")
    metadata = next(m for m in listings if m.asset_key == HF_TABLES["daily_listings"]).metadata

    link = "[huggingface.co/papers/{0}](https://huggingface.co/papers/{0})"
    assert metadata["top_papers"].value.splitlines() == [
        "Top 2 papers listed on 2025-11-20, by upvotes:",
        "",
        "| # | Title | Upvotes | Link |",
        "|---:|---|---:|---|",
        f"| 2 | Top Paper | 30 | {link.format('2511.00005')} |",
        f"| 1 | Tiny \\| Agents | 12 | {link.format('2511.00004')} |",
    ]
    assert metadata["rows_written"].value == 6


@pytest.mark.unit
def test_the_top_papers_preview_escapes_what_would_break_the_table():
    paper = ListedPaper(1, "A [big]\n|model| *now*", 3, "https://example.org/a b(c)")

    table = top_papers_markdown(date(2025, 11, 20), [paper])

    assert table.splitlines()[-1] == (
        "| 1 | A \\[big\\] \\|model\\| \\*now\\* | 3 "
        "| [example.org/a b(c)](https://example.org/a%20b%28c%29) |"
    )


@pytest.mark.unit
def test_a_day_without_papers_previews_as_a_sentence():
    assert top_papers_markdown(date(2025, 11, 19), []) == "No papers listed on 2025-11-19."


# One writer: the checked-in instance gives the "duckdb" pool a single slot.


def test_the_checked_in_instance_limits_every_pool_to_one_step_at_a_time():
    settings = yaml.safe_load(CHECKED_IN_INSTANCE.read_text())

    assert settings["concurrency"]["pools"] == {"default_limit": 1, "granularity": "op"}
    assert settings["concurrency"]["runs"] == {"max_concurrent_runs": 2}
    # A dead run's slots are freed by the monitoring daemon, not by hand.
    assert settings["run_monitoring"]["enabled"] is True
    assert settings["run_monitoring"]["free_slots_after_run_end_seconds"] > 0


def _instance_from_checked_in_settings(home: Path) -> dg.DagsterInstance:
    """The checked-in instance settings in `home`, with DAGSTER_HOME set as the CLI sets it."""
    shutil.copy(CHECKED_IN_INSTANCE, home / "dagster.yaml")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        return dg.DagsterInstance.from_config(str(home))


def test_the_instance_applies_the_pool_limit_to_the_duckdb_pool(tmp_path):
    instance = _instance_from_checked_in_settings(tmp_path)
    config = instance.get_concurrency_config()

    assert config.pool_config.default_pool_limit == 1
    assert config.pool_config.pool_granularity.value == "op"
    assert config.run_queue_config.max_concurrent_runs == 2
    assert instance.run_monitoring_enabled
    assert instance.run_coordinator.dequeue_interval_seconds == 1
    storage = instance.event_log_storage
    storage.initialize_concurrency_limit_to_default("duckdb")
    assert storage.claim_concurrency_slot("duckdb", "run-a", "daily_papers").is_claimed
    assert not storage.claim_concurrency_slot("duckdb", "run-b", "daily_papers").is_claimed
    storage.free_concurrency_slot_for_step("run-a", "daily_papers")
    assert storage.claim_concurrency_slot("duckdb", "run-b", "daily_papers").is_claimed


# Two processes start a run each at the same moment; each run's one step holds the pool for
# half a second and writes down when it ran.
_WRITER_RUN = """
import sys, time
from pathlib import Path
import dagster as dg

home, spans, name = sys.argv[1], Path(sys.argv[2]), sys.argv[3]

@dg.asset(pool="duckdb")
def writer() -> None:
    start = time.time()
    time.sleep(0.5)
    (spans / name).write_text(f"{start} {time.time()}")

(spans / f"ready-{name}").touch()
while len(list(spans.glob("ready-*"))) < 2:
    time.sleep(0.01)
dg.materialize([writer], instance=dg.DagsterInstance.from_config(home))
"""


def test_two_runs_started_together_take_turns_in_the_duckdb_pool(tmp_path):
    home, spans = tmp_path / "home", tmp_path / "spans"
    home.mkdir()
    spans.mkdir()
    _instance_from_checked_in_settings(home).dispose()  # create the storage once, up front
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER_RUN, str(home), str(spans), name],
            env={**os.environ, "DAGSTER_HOME": str(home)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    for run in runs:
        _, errors = run.communicate(timeout=120)
        assert run.returncode == 0, errors

    (_, first_end), (second_start, _) = sorted(
        tuple(map(float, (spans / name).read_text().split())) for name in ("a", "b")
    )
    assert second_start >= first_end, "the second run's step waited for the first's"


# The dates a re-processing run is given.


@pytest.mark.unit
def test_a_reprocessing_window_is_half_open_and_refuses_reversed_dates():
    assert window_between("2025-11-01", "2025-11-03") == (date(2025, 11, 1), date(2025, 11, 4))
    with pytest.raises(ValueError, match=r"2025-11-03\.\.2025-11-01: the last date is before"):
        window_between("2025-11-03", "2025-11-01")
    with pytest.raises(ValueError, match="'2025-13-01'"):
        window_between("2025-13-01", "2025-12-01")
