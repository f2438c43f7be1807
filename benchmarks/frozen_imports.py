"""What `frozen_imports` (pipelines/startup.py) saves: in dbt's process and in Dagster's.

Three scenarios against the fake API (generated listings, no latency), each run alternately
as shipped and with `frozen_imports` turned into a no-op (a `sitecustomize` on PYTHONPATH that
makes `gc.disable` and `gc.freeze` do nothing, in every Python process of the run):

- a `dbt build` of the warehouse `paperboard demo` leaves, through `paperboard-dbt`;
- `paperboard backfill` of 7 dates into an empty warehouse;
- the daily run (`paperboard backfill` of the newest date with its 14-day refresh) on it.

Each is measured as wall seconds and CPU seconds (user + system of every process the
command waited for); medians of the rounds.

    .venv/bin/python benchmarks/frozen_imports.py [--rounds 5]

Results: `benchmarks/frozen_imports.md`, quoted in the README.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BIN, REPO_ROOT, FakeApi, dates_between, paperboard_env

from pipelines.dbt_parse import DBT_PROJECT_DIR, dbt_command, dbt_environment, dbt_target_path
from pipelines.listing_calendar import REFRESH_DAYS, latest_complete_listing_date

RESULTS = REPO_ROOT / "benchmarks" / "frozen_imports.md"
NO_FREEZE = "import gc\ngc.disable = lambda: None\ngc.freeze = lambda: None\n"
MODES = ("shipped", "without")


def timed(command: list[str], env: dict[str, str], cwd: Path = REPO_ROOT) -> tuple[float, float]:
    """Wall and CPU seconds of `command` and every process it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    completed = subprocess.run(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{completed.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    newest = latest_complete_listing_date()
    first = newest - timedelta(days=6)
    workdir = Path(tempfile.mkdtemp(prefix="paperboard-frozen-"))
    (workdir / "no-freeze").mkdir()
    (workdir / "no-freeze" / "sitecustomize.py").write_text(NO_FREEZE, encoding="utf-8")
    api = FakeApi(latency=0.0, seed=0)
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    demo_data = workdir / "demo" / "data"
    demo_env = paperboard_env(api.url, demo_data, concurrency=8)
    dbt_build = [*dbt_command("build"), "--target-path", str(dbt_target_path(demo_data))]
    backfill = [str(BIN / "paperboard"), "backfill"]
    full = [*backfill, first.isoformat(), newest.isoformat()]
    daily = [*backfill, newest.isoformat(), newest.isoformat(), "--refresh-days", str(REFRESH_DAYS)]
    try:
        subprocess.run(
            [str(BIN / "paperboard"), "demo"],
            env=demo_env,
            cwd=REPO_ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        api.warm(dates_between(first, newest))
        load_before = os.getloadavg()[0]
        for round_number in range(args.rounds):
            for mode in MODES:
                without = {"PYTHONPATH": str(workdir / "no-freeze")} if mode == "without" else {}
                build_env = {**demo_env, **dbt_environment(demo_data), **without}
                data_dir = workdir / f"data-{mode}-{round_number}"
                env = {**paperboard_env(api.url, data_dir, concurrency=8), **without}
                runs = [
                    ("dbt build of the demo warehouse", dbt_build, build_env, DBT_PROJECT_DIR),
                    ("backfill of 7 dates", full, env, REPO_ROOT),
                    (f"daily run ({REFRESH_DAYS + 1} dates)", daily, env, REPO_ROOT),
                ]
                for scenario, command, run_env, cwd in runs:
                    results.setdefault((scenario, mode), []).append(timed(command, run_env, cwd))
                shutil.rmtree(data_dir, ignore_errors=True)
            print(f"round {round_number + 1} of {args.rounds} done", file=sys.stderr)
        load_after = os.getloadavg()[0]
    finally:
        api.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    def median(scenario: str, mode: str, index: int) -> float:
        return statistics.median(result[index] for result in results[(scenario, mode)])

    rows = []
    for scenario in dict.fromkeys(name for name, _ in results):
        cpu = {mode: median(scenario, mode, 1) for mode in MODES}
        saved = cpu["without"] - cpu["shipped"]
        rows.append(
            f"| {scenario} | {median(scenario, 'shipped', 0):.1f} s / "
            f"{median(scenario, 'without', 0):.1f} s | {cpu['shipped']:.2f} s / "
            f"{cpu['without']:.2f} s | {saved:.2f} s ({saved / cpu['without']:.0%}) |"
        )
    text = "\n".join(
        [
            "# What `frozen_imports` saves",
            "",
            f"`benchmarks/frozen_imports.py`, {args.rounds} rounds, measured {date.today()} on "
            f"{os.cpu_count()} cores (load average {load_before:.1f} before, {load_after:.1f} "
            "after). Each cell: as shipped / without `frozen_imports`; medians; CPU is user + "
            "system of every process of the command.",
            "",
            "| scenario | wall | CPU | CPU saved |",
            "| --- | ---: | ---: | ---: |",
            *rows,
            "",
        ]
    )
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
