"""What the two private-Dagster overrides of `pipelines/dagster_internals.py` still save.

1. The pooled SQLite storage: the same full-history backfill and daily run through
   `paperboard backfill`, once with the checked-in `dagster.yaml` and once with Dagster's
   default SQLite storage (the file without its `storage:` section), against the fake API in
   scale mode (100 ms per request, 8 in flight, as `make bench`).
2. `InstalledDbtCliResource`: what dagster-dbt would otherwise do before every dbt step, each
   timed on its own: run `dbt --version`, and load dbt's adapter in the run's process (in a
   fresh interpreter that has loaded the definitions, as a run's process has).

    .venv/bin/python benchmarks/dagster_internals.py [--rounds 2] [--dates 900]

Results: `benchmarks/dagster_internals.md`, quoted in `benchmarks/results.md`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BIN, REPO_ROOT, FakeApi, dates_between, run_measured

from pipelines.listing_calendar import REFRESH_DAYS, latest_complete_listing_date

RESULTS = REPO_ROOT / "benchmarks" / "dagster_internals.md"


def instance_settings(pooled: bool) -> str:
    settings = yaml.safe_load((REPO_ROOT / "dagster_home" / "dagster.yaml").read_text())
    if not pooled:
        settings.pop("storage")
    return yaml.safe_dump(settings)


def one_round(api: FakeApi, workdir: Path, pooled: bool, first: date, newest: date) -> tuple:
    data_dir = workdir / f"data-{pooled}-{time.monotonic_ns()}"
    home = workdir / f"home-{pooled}-{time.monotonic_ns()}"
    home.mkdir(parents=True)
    (home / "dagster.yaml").write_text(instance_settings(pooled))
    env = dict(
        os.environ,
        HF_ENDPOINT=api.url,
        PAPERBOARD_DATA_DIR=str(data_dir),
        DAGSTER_HOME=str(home),
        PAPERBOARD_REQUEST_BUDGET="1000000",
        PAPERBOARD_BUDGET_WINDOW_SECONDS="1",
    )
    subprocess.run([str(BIN / "paperboard"), "prepare"], env=env, cwd=REPO_ROOT, check=True)
    backfill = [str(BIN / "paperboard"), "backfill"]
    full, _, _, _ = run_measured([*backfill, first.isoformat(), newest.isoformat()], env)
    daily_args = [newest.isoformat(), newest.isoformat(), "--refresh-days", str(REFRESH_DAYS)]
    daily, _, _, _ = run_measured([*backfill, *daily_args], env)
    shutil.rmtree(data_dir, ignore_errors=True)
    return full, daily


def dbt_version_seconds(rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        subprocess.run([str(BIN / "dbt"), "--version"], capture_output=True, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# dagster-dbt's own adapter load, as a run's process would do it after loading the definitions.
ADAPTER_LOAD = """
import time
from dagster_dbt import DbtCliResource
from dagster_dbt.core.resource import pushd
import pipelines.definitions
from pipelines.defs.assets.dbt import PIPELINE_BUILD_ARGS, build_dbt_resource
resource = build_dbt_resource()
started = time.process_time()
with pushd(str(resource.project_dir)):
    DbtCliResource._initialize_dbt_core_adapter(resource, PIPELINE_BUILD_ARGS)
print(time.process_time() - started)
"""


def adapter_load_seconds(rounds: int) -> float:
    """CPU seconds of the adapter load `InstalledDbtCliResource` skips, median of `rounds`."""
    times = []
    for _ in range(rounds):
        completed = subprocess.run(
            [sys.executable, "-c", ADAPTER_LOAD],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(completed.stdout.split()[-1]))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--dates", type=int, default=900)
    args = parser.parse_args()
    newest = latest_complete_listing_date()
    first = newest - timedelta(days=args.dates - 1)
    api = FakeApi(latency=0.1, seed=0)
    workdir = Path(tempfile.mkdtemp(prefix="paperboard-internals-"))
    results: dict[bool, list[tuple]] = {True: [], False: []}
    try:
        api.warm(dates_between(first, newest))
        for _ in range(args.rounds):
            for pooled in (True, False):
                results[pooled].append(one_round(api, workdir, pooled, first, newest))
                print(f"pooled={pooled}: {results[pooled][-1]}", file=sys.stderr)
    finally:
        api.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    def median(pooled: bool, index: int) -> float:
        return statistics.median(result[index] for result in results[pooled])

    version = dbt_version_seconds(args.rounds + 1)
    adapter = adapter_load_seconds(args.rounds + 1)
    text = "\n".join(
        [
            "# What the private-Dagster overrides save",
            "",
            f"`benchmarks/dagster_internals.py`, {args.rounds} rounds, {args.dates} dates, "
            f"measured {date.today()} on {os.cpu_count()} cores (load average before: "
            f"{os.getloadavg()[0]:.1f}).",
            "",
            "| run | pooled SQLite storage | Dagster's default storage | saved |",
            "| --- | ---: | ---: | ---: |",
            f"| full history | {median(True, 0):.1f} s | {median(False, 0):.1f} s "
            f"| {median(False, 0) - median(True, 0):.1f} s |",
            f"| daily run | {median(True, 1):.1f} s | {median(False, 1):.1f} s "
            f"| {median(False, 1) - median(True, 1):.1f} s |",
            "",
            f"`dbt --version`, which dagster-dbt would run before every dbt step without "
            f"`InstalledDbtCliResource`: {version:.1f} s (median of {args.rounds + 1}).",
            "",
            f"dbt's adapter, which dagster-dbt would load in the run's process before every dbt "
            f"step without `InstalledDbtCliResource`: {adapter:.1f} s of CPU (median of "
            f"{args.rounds + 1}).",
            "",
        ]
    )
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
