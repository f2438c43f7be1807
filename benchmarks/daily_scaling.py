"""Does a daily run's cost follow the day's changes, or the size of the warehouse?

Two warehouses are filled through the real entry point (`paperboard backfill`) from the fake
API: a small one, the last 440 dates at today's density, and a large one, the whole history
at three times today's listings per day (about nine times the papers). Then the same daily run
(yesterday plus the 14-day refresh, `paperboard backfill Y Y --refresh-days 14`) runs on each,
several rounds, and the wall time and the Dagster step times are compared. The incremental
models rebuild what the run's loads changed, so the ratio should stay near 1.

    .venv/bin/python benchmarks/daily_scaling.py            # 3 rounds; results in benchmarks/
    .venv/bin/python benchmarks/daily_scaling.py --rounds 1 --small-dates 30 --large-dates 90
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BIN, REPO_ROOT, FakeApi, dagster_split, dates_between, run_measured

from pipelines.listing_calendar import (
    FIRST_LISTING_DATE,
    REFRESH_DAYS,
    latest_complete_listing_date,
)

RESULTS_JSON = REPO_ROOT / "benchmarks" / "daily_scaling.json"
RESULTS_MD = REPO_ROOT / "benchmarks" / "daily_scaling.md"


@dataclass
class Warehouse:
    name: str
    copies: int
    first: date
    papers: int = 0
    listings: int = 0
    fill_seconds: float = 0.0


@dataclass
class DailyRun:
    warehouse: str
    round: int
    wall_seconds: float
    ingest_step: float
    dbt_step: float
    checks_and_publish: float


def environment(api: FakeApi, data_dir: Path) -> dict[str, str]:
    home = data_dir.parent / f"{data_dir.name}-dagster"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    return dict(
        os.environ,
        HF_ENDPOINT=api.url,
        PAPERBOARD_DATA_DIR=str(data_dir),
        DAGSTER_HOME=str(home),
        PAPERBOARD_CONCURRENCY="16",
        PAPERBOARD_REQUEST_BUDGET="1000000",
        PAPERBOARD_BUDGET_WINDOW_SECONDS="1",
    )


def counts(data_dir: Path) -> tuple[int, int]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        papers = connection.execute("select count(*) from hf.papers").fetchone()[0]
        listings = connection.execute("select count(*) from hf.daily_listings").fetchone()[0]
    return papers, listings


def measure(warehouse: Warehouse, workdir: Path, newest: date, rounds: int) -> list[DailyRun]:
    api = FakeApi(latency=0.0, seed=0, copies=warehouse.copies)
    try:
        api.warm(dates_between(warehouse.first, newest))
        data_dir = workdir / warehouse.name
        env = environment(api, data_dir)
        backfill = [str(BIN / "paperboard"), "backfill"]
        started = time.perf_counter()
        run_measured([*backfill, warehouse.first.isoformat(), newest.isoformat()], env)
        warehouse.fill_seconds = round(time.perf_counter() - started, 1)
        warehouse.papers, warehouse.listings = counts(data_dir)
        subprocess.run([str(BIN / "paperboard"), "prepare"], env=env, cwd=REPO_ROOT, check=True)
        runs = []
        for round_ in range(1, rounds + 1):
            started_at = time.time()
            daily = [newest.isoformat(), newest.isoformat(), "--refresh-days", str(REFRESH_DAYS)]
            wall, _, _, _ = run_measured([*backfill, *daily], env)
            split = dagster_split(Path(env["DAGSTER_HOME"]), started_at, None, data_dir)
            runs.append(
                DailyRun(
                    warehouse=warehouse.name,
                    round=round_,
                    wall_seconds=round(wall, 2),
                    ingest_step=split["ingest_step"],
                    dbt_step=split["dbt"],
                    checks_and_publish=round(split["checks"] + split["publish"], 2),
                )
            )
            print(f"{warehouse.name} round {round_}: {wall:.1f} s", file=sys.stderr)
        return runs
    finally:
        api.stop()


def report(warehouses: list[Warehouse], runs: list[DailyRun]) -> str:
    def median(name: str, field_name: str) -> float:
        return statistics.median(getattr(r, field_name) for r in runs if r.warehouse == name)

    small, large = warehouses
    rows = [
        "| warehouse | dates | papers | listings | daily run (median) | ingest step | dbt step |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    newest = latest_complete_listing_date()
    for warehouse in warehouses:
        rows.append(
            f"| {warehouse.name} ({warehouse.copies}x today's density) "
            f"| {(newest - warehouse.first).days + 1} | {warehouse.papers:,} "
            f"| {warehouse.listings:,} | {median(warehouse.name, 'wall_seconds'):.1f} s "
            f"| {median(warehouse.name, 'ingest_step'):.1f} s "
            f"| {median(warehouse.name, 'dbt_step'):.1f} s |"
        )
    ratio = median(large.name, "wall_seconds") / median(small.name, "wall_seconds")
    dbt_ratio = median(large.name, "dbt_step") / median(small.name, "dbt_step")
    rounds = max(r.round for r in runs)
    return "\n".join(
        [
            "# Daily run against the size of the warehouse",
            "",
            f"`benchmarks/daily_scaling.py`, {rounds} rounds, measured {date.today()} on "
            f"{os.cpu_count()} cores. The daily run is `paperboard backfill Y Y "
            f"--refresh-days {REFRESH_DAYS}` (yesterday plus the 14-day refresh) through "
            "the fake API, no latency.",
            "",
            *rows,
            "",
            f"Papers: {large.papers / small.papers:.1f}x. Daily run: {ratio:.2f}x "
            f"(target at most 1.25x). dbt step: {dbt_ratio:.2f}x.",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--small-dates", type=int, default=440)
    parser.add_argument("--large-dates", type=int, default=None, help="default: all history")
    args = parser.parse_args()
    newest = latest_complete_listing_date()
    large_first = (
        newest - timedelta(days=args.large_dates - 1)
        if args.large_dates
        else date.fromisoformat(FIRST_LISTING_DATE)
    )
    warehouses = [
        Warehouse("small", 1, newest - timedelta(days=args.small_dates - 1)),
        Warehouse("large", 3, large_first),
    ]
    workdir = Path(tempfile.mkdtemp(prefix="paperboard-scaling-"))
    try:
        runs = [run for w in warehouses for run in measure(w, workdir, newest, args.rounds)]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    text = report(warehouses, runs)
    RESULTS_MD.write_text(text, encoding="utf-8")
    RESULTS_JSON.write_text(
        json.dumps(
            {"warehouses": [asdict(w) for w in warehouses], "runs": [asdict(r) for r in runs]},
            indent=2,
            default=str,
        )
        + "\n",
        encoding="utf-8",
    )
    print(text)


if __name__ == "__main__":
    main()
