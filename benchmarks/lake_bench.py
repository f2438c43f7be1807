"""The team profile against the embedded one: the full history and a daily run, each through
`paperboard backfill` (one Dagster run), on the DuckDB file and on a DuckLake (catalog in a
local PostgreSQL, Parquet on moto's S3 server), and two writers on the lake at once.

    .venv/bin/python benchmarks/lake_bench.py               # results in benchmarks/results.md
    .venv/bin/python benchmarks/lake_bench.py --smoke       # 6 dates, to try it

The fake API serves generated listings with the same latency and concurrency as `make bench`
(the shared helpers of `benchmarks/harness.py`). Two writers: the history split in two
halves, backfilled by two processes started at once, against the same history by one
process; throughput is listing dates loaded per second of wall time. The machine's load
average is recorded with the numbers, since these machines are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.harness import BIN, FakeApi, paperboard_env, run_measured  # noqa: E402
from tests.lake_servers import postgres_server, s3_server  # noqa: E402

MARKER = "## Team profile: DuckLake against the DuckDB file"


def environment(api: FakeApi, data_dir: Path, lake: dict[str, str] | None) -> dict[str, str]:
    """`make bench`'s environment for a run; with `lake`, the lake's settings. Each writer
    keeps its own Dagster instance (the checked-in SQLite one): its pool of one writer would
    otherwise make two writers take turns, and Dagster's storage is not what is measured."""
    env = paperboard_env(api.url, data_dir, 8)
    env.pop("PAPERBOARD_WAREHOUSE", None)
    env.update(lake or {})
    return env


def backfill(env: dict[str, str], first: date, last: date, *extra: str) -> float:
    wall, _tree, _single, _ = run_measured(
        [str(BIN / "paperboard"), "backfill", first.isoformat(), last.isoformat(), *extra], env
    )
    return wall


def prepare(env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "paperboard"), "prepare"], env=env, cwd=REPO_ROOT, check=True)


def load_average() -> str:
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--start", default="2023-05-04")
    parser.add_argument("--end", default="2025-10-19")
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "benchmarks" / "results.md")
    args = parser.parse_args()
    start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    if args.smoke:
        start = end - timedelta(days=5)
    middle = start + (end - start) / 2
    days = (end - start).days + 1
    results: dict[str, float] = {}
    loads = [load_average()]
    workdir = Path(tempfile.mkdtemp(prefix="paperboard-lake-bench-"))
    api = FakeApi(args.latency, seed=0)
    try:
        api.warm([start + timedelta(days=n) for n in range(days)])
        with postgres_server() as postgres, s3_server() as s3:
            os.environ.update(s3.environment())

            def lake(name: str) -> dict[str, str]:
                conninfo = postgres.create_database(name)
                return {
                    "PAPERBOARD_WAREHOUSE": "ducklake:postgres:" + conninfo,
                    "PAPERBOARD_LAKE_DATA_PATH": s3.create_bucket(name.replace("_", "-")),
                }

            for kind, settings in (("file", None), ("lake", lake("single"))):
                env = environment(api, workdir / kind, settings)
                prepare(env)
                results[f"{kind}_full_history"] = backfill(env, start, end)
                loads.append(load_average())
                results[f"{kind}_daily"] = backfill(env, end, end, "--refresh-days", "14")
                loads.append(load_average())
            # Two writers at once on one lake, each with half of the history.
            settings = lake("two_writers")
            envs = [environment(api, workdir / f"writer-{n}", settings) for n in (1, 2)]
            for env in envs:
                prepare(env)
            subprocess.run(  # the first connection creates the lake, before the race
                [sys.executable, "-c", "from pipelines.settings import load_settings;"
                 "from pipelines.warehouse.connection import connect;"
                 "connect(load_settings().warehouse).__enter__()"],
                env=envs[0], check=True,
            )  # fmt: skip
            halves = [(start, middle), (middle + timedelta(days=1), end)]
            started = time.perf_counter()
            with ThreadPoolExecutor(2) as pool:
                list(
                    pool.map(
                        lambda pair: backfill(pair[0], *pair[1]), zip(envs, halves, strict=True)
                    )
                )
            results["lake_two_writers"] = time.perf_counter() - started
            loads.append(load_average())
    finally:
        api.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    write(args.out, results, days, loads)
    print(json.dumps(results, indent=2))


def write(out: Path, results: dict[str, float], days: int, loads: list[str]) -> None:
    full = results["lake_full_history"] / results["file_full_history"]
    daily = results["lake_daily"] / results["file_daily"]
    lines = [
        MARKER,
        "",
        f"`benchmarks/lake_bench.py`, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {days} generated "
        "dates, 100 ms latency per request, 8 requests in flight, one round, 2 cores. Load "
        f"average (1/5/15 min) before and after each scenario: {'; '.join(loads)} "
        "(the machine is shared with other work).",
        "",
        "| scenario | DuckDB file | DuckLake (PostgreSQL + S3) | lake / file |",
        "| --- | ---: | ---: | ---: |",
        f"| full history, empty warehouse | {results['file_full_history']:.1f} s | "
        f"{results['lake_full_history']:.1f} s | {full:.2f}x |",
        f"| daily run (newest date + 14-day refresh) | {results['file_daily']:.1f} s | "
        f"{results['lake_daily']:.1f} s | {daily:.2f}x |",
        "",
        "| two writers on one lake | wall | listing dates per second |",
        "| --- | ---: | ---: |",
        f"| one process, the whole history | {results['lake_full_history']:.1f} s | "
        f"{days / results['lake_full_history']:.1f} |",
        f"| two processes at once, half each | {results['lake_two_writers']:.1f} s | "
        f"{days / results['lake_two_writers']:.1f} |",
        "",
    ]
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    if MARKER in text:
        text = text[: text.index(MARKER)].rstrip() + "\n"
    out.write_text(text.rstrip() + "\n\n" + "\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
