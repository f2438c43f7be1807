"""`make bench`: the whole Daily Papers history, a re-run, a daily run and a re-processing,
each through the real entry point (`paperboard backfill`, one Dagster run per scenario),
against the project's fake API in scale mode, side by side with dlt.

Each scenario is measured from outside: wall time, the peak RSS of the whole process tree and
of its largest process (sampled every 50 ms with psutil), requests (counted by the fake API)
and rows loaded. The time split (start-up, fetch, normalise, load, dbt, publish) comes from
the Dagster run itself: step timings and the metadata the assets report.

    .venv/bin/python benchmarks/bench.py                  # 3 rounds, results in benchmarks/
    .venv/bin/python benchmarks/bench.py --smoke          # 5 dates, 1 round, for the test suite

The dlt baseline runs when the optional `bench` group is installed
(`uv sync --frozen --group dev --group bench`); otherwise the table says it was skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import psutil
from harness import (
    BIN,
    REPO_ROOT,
    FakeApi,
    dagster_split,
    dates_between,
    paperboard_env,
    run_measured,
    warehouse_rows,
)

from pipelines.listing_calendar import REFRESH_DAYS
from pipelines.warehouse.contract import HF_TABLES

SCENARIOS = ("full_history", "rerun", "daily", "reprocess", "dlt", "dlt_daily")


@dataclass
class Measurement:
    scenario: str
    round: int
    wall_seconds: float
    peak_tree_rss_mb: float
    peak_process_rss_mb: float
    requests: int
    rows: dict[str, int]
    split: dict[str, float] = field(default_factory=dict)
    ok: bool = True


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.api = FakeApi(args.latency, args.seed)
        self.start = date.fromisoformat(args.start)
        self.end = date.fromisoformat(args.end)

    def env(self, data_dir: Path) -> dict[str, str]:
        return paperboard_env(self.api.url, data_dir, self.args.concurrency)

    def paperboard(self, scenario: str, round_: int, data_dir: Path, *args: str) -> Measurement:
        env = self.env(data_dir)
        # What `make setup` does once: dbt's saved parse, which every run starts from. Not
        # timed; without it a run parses in full (about 2 s more in its dbt step).
        subprocess.run([str(BIN / "paperboard"), "prepare"], env=env, cwd=REPO_ROOT, check=True)
        self.api.stats(reset=True)
        started_at = time.time()
        wall, tree, single, _ = run_measured([str(BIN / "paperboard"), "backfill", *args], env)
        stats = self.api.stats(reset=True)
        split = dagster_split(
            Path(env["DAGSTER_HOME"]), started_at, stats["first_request_at"], data_dir
        )
        rows = warehouse_rows(data_dir / "warehouse.duckdb", [f"hf.{t}" for t in HF_TABLES])
        return Measurement(scenario, round_, round(wall, 2), round(tree), round(single),
                           stats["requests"], rows, split)  # fmt: skip

    def dlt(self, round_: int, scenario: str, start: str, end: str) -> Measurement | None:
        """dlt's run over start..end into the round's dlt pipeline: the whole history into an
        empty one, then the daily run's dates merged into the filled one."""
        try:
            import dlt  # noqa: F401
        except ImportError:
            return None
        data_dir = self.workdir / f"dlt-{round_}"
        data_dir.mkdir(exist_ok=True)
        self.api.stats(reset=True)
        wall, tree, single, output = run_measured(
            [
                sys.executable,
                str(REPO_ROOT / "benchmarks" / "dlt_baseline.py"),
                "--endpoint", self.api.url,
                "--start", start,
                "--end", end,
                "--data-dir", str(data_dir),
                "--workers", str(self.args.concurrency),
                "--loader-file-format", "parquet",
            ],
            dict(os.environ, RUNTIME__DLTHUB_TELEMETRY="false"),
        )  # fmt: skip
        stats = self.api.stats(reset=True)
        report = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
        split = {
            "extract": report.get("extract_seconds", 0.0),
            "normalise": report.get("normalize_seconds", 0.0),
            "load": report.get("load_seconds", 0.0),
        }
        return Measurement(scenario, round_, round(wall, 2), round(tree), round(single),
                           stats["requests"], report.get("rows", {}), split)  # fmt: skip

    def read_json_seconds(self, raw_dir: Path) -> tuple[float, int]:
        """DuckDB's own read_json over the landed files: the practical parsing limit."""
        pattern = str(raw_dir / "daily_papers" / "*" / "*" / "page-*.json.gz")
        with duckdb.connect() as connection:
            started = time.perf_counter()
            connection.execute(
                "create table landed as select * from read_json(?, format = 'array', "
                "union_by_name = true, maximum_object_size = 100000000)",
                [pattern],
            )
            seconds = time.perf_counter() - started
            rows = connection.execute("select count(*) from landed").fetchall()[0][0]
        return seconds, rows

    def round(self, round_: int, scenarios: tuple[str, ...]) -> list[Measurement]:
        results = []
        data_dir = self.workdir / f"round-{round_}"
        span = (self.start.isoformat(), self.end.isoformat())
        if "full_history" in scenarios:
            results.append(self.paperboard("full_history", round_, data_dir, *span))
        if "rerun" in scenarios:
            results.append(self.paperboard("rerun", round_, data_dir, *span))
        newest = self.end.isoformat()
        daily_first = (self.end - timedelta(days=REFRESH_DAYS)).isoformat()
        if "daily" in scenarios:
            refresh = str(REFRESH_DAYS)
            results.append(
                self.paperboard(
                    "daily", round_, data_dir, newest, newest, "--refresh-days", refresh
                )
            )
        if "reprocess" in scenarios:
            again = self.workdir / f"reprocess-{round_}"
            again.mkdir()
            shutil.copytree(data_dir / "raw", again / "raw")
            results.append(self.paperboard("reprocess", round_, again, *span, "--from-raw"))
        if "dlt" in scenarios:
            measured = self.dlt(round_, "dlt", *span)
            if measured:
                results.append(measured)
                if "dlt_daily" in scenarios:
                    # The same 15 dates as the daily run, merged into dlt's filled pipeline.
                    daily = self.dlt(round_, "dlt_daily", daily_first, newest)
                    results.append(daily)
        return results


def summarise(measurements: list[Measurement]) -> dict[str, dict]:
    summary: dict[str, dict] = {}
    for scenario in SCENARIOS:
        runs = [m for m in measurements if m.scenario == scenario]
        if not runs:
            continue
        split_keys = runs[0].split.keys()
        summary[scenario] = {
            "runs": len(runs),
            "wall_seconds": statistics.median(m.wall_seconds for m in runs),
            "peak_tree_rss_mb": statistics.median(m.peak_tree_rss_mb for m in runs),
            "peak_process_rss_mb": statistics.median(m.peak_process_rss_mb for m in runs),
            "requests": statistics.median(m.requests for m in runs),
            "rows": runs[-1].rows,
            "split": {key: statistics.median(m.split[key] for m in runs) for key in split_keys},
        }
    return summary


def write_results(summary: dict, measurements: list[Measurement], facts: dict, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(
        json.dumps(
            {"facts": facts, "summary": summary, "runs": [asdict(m) for m in measurements]},
            indent=2,
        )
        + "\n"
    )
    lines = [
        "# Benchmark results",
        "",
        f"Measured {facts['measured_at']} on {facts['cores']} cores "
        f"({facts['machine']}), {facts['dates']} listing dates {facts['start']}..{facts['end']} "
        f"served by the fake API with {facts['latency_ms']:.0f} ms latency per request, "
        f"{facts['concurrency']} requests in flight; medians of {facts['rounds']} rounds. "
        "Written by `make bench` (`benchmarks/bench.py`).",
        "",
        "| scenario | wall s | peak RSS tree MB | largest process MB | requests | listings |"
        " split (s) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for scenario, row in summary.items():
        listings = row["rows"].get("hf.daily_listings", row["rows"].get("daily_papers", ""))
        split = ", ".join(f"{key} {value:.1f}" for key, value in row["split"].items())
        lines.append(
            f"| {scenario} | {row['wall_seconds']:.1f} | {row['peak_tree_rss_mb']:.0f} | "
            f"{row['peak_process_rss_mb']:.0f} | {row['requests']:.0f} | {listings} | {split} |"
        )
    lines += ["", *facts.get("derived", [])]
    (out / "results.md").write_text("\n".join(lines) + "\n")


def derived_figures(summary: dict, read_json: tuple[float, int] | None, facts: dict) -> list[str]:
    notes = []
    full = summary.get("full_history")
    if full:
        limit = facts["concurrency"] / (facts["latency_ms"] / 1000)
        fetch = full["split"]["fetch"]
        if fetch:
            efficiency = full["requests"] / fetch / limit
            notes.append(
                f"- Fetch efficiency (full history): {full['requests']:.0f} requests in "
                f"{fetch:.1f} s = {full['requests'] / fetch:.1f}/s against a limit of "
                f"{limit:.0f}/s: **{efficiency:.0%}**."
            )
        split = full["split"]
        overhead = split["start_up"] + split.get("dbt_start_up", 0.0)
        notes.append(
            f"- Fixed overhead (start-up before the first request + dbt's start-up before its "
            f"first node): {overhead:.1f} s (start-up {split['start_up']:.1f} s, dbt start-up "
            f"{split.get('dbt_start_up', 0.0):.1f} s of a {split['dbt']:.1f} s dbt step)."
        )
    reprocess = summary.get("reprocess")
    if reprocess and read_json:
        # Both sides read the same landed files: every fetch of every date (re-processing
        # parses them all, since each fetch holds upvote snapshots).
        ours = reprocess["split"]["normalise"] + reprocess["split"]["load"]
        seconds, entries = read_json
        notes.append(
            f"- Normalise + load of the landed files ({entries} entries): {ours:.2f} s "
            f"({entries / ours:,.0f} entries/s); DuckDB `read_json` of the same files into one "
            f"table: {seconds:.2f} s ({entries / seconds:,.0f}/s): **{seconds / ours:.0%}** of "
            "read_json's throughput."
        )
    if full:
        split = full["split"]
        tail = split["ingest_step"] - split["fetch"]
        notes.append(
            f"- Inside the ingest step ({split['ingest_step']:.1f} s): fetching and landing "
            f"{split['fetch']:.1f} s, while a second thread normalises and loads each batch of "
            f"dates as it lands ({split['normalise'] + split['load']:.1f} s of work, hidden "
            f"behind the fetch); the remaining {tail:.1f} s is the last batch's load and "
            "Dagster recording one materialization per listing date."
        )
    dlt = summary.get("dlt")
    if dlt and full:
        ours_ingest = full["split"]["ingest_step"]
        ratio = dlt["wall_seconds"] / ours_ingest
        comparison = f"{ratio:.1f} times faster" if ratio >= 1 else f"{1 / ratio:.1f} times slower"
        limit = facts["concurrency"] / (facts["latency_ms"] / 1000)
        floor = full["requests"] / limit
        notes.append(
            f"- Ingest + load (our ingest step, {ours_ingest:.1f} s) against dlt's whole run "
            f"({dlt['wall_seconds']:.1f} s) at the same concurrency: **{comparison}**. Neither "
            f"can take less than the fetch floor of {full['requests']:.0f} requests at "
            f"{limit:.0f}/s, {floor:.1f} s, so at this concurrency no pipeline can be more than "
            f"{dlt['wall_seconds'] / floor:.1f} times faster than dlt here. Peak largest-process "
            f"RSS {full['peak_process_rss_mb']:.0f} MB against dlt's "
            f"{dlt['peak_process_rss_mb']:.0f} MB."
        )
    elif "dlt" not in summary:
        notes.append("- dlt baseline: skipped (install it with `uv sync --group bench`).")
    dlt_daily, daily = summary.get("dlt_daily"), summary.get("daily")
    if dlt and full:
        notes.append(
            f"- **Full history, end to end, against dlt's raw load: "
            f"{full['wall_seconds'] / dlt['wall_seconds']:.2f}x** ({full['wall_seconds']:.1f} s "
            f"against {dlt['wall_seconds']:.1f} s; target at most 1.0x)."
        )
    if dlt_daily and daily:
        notes.append(
            f"- **Daily run (the newest date and its {REFRESH_DAYS}-day refresh) against dlt's "
            f"merge of the same dates: {daily['wall_seconds'] / dlt_daily['wall_seconds']:.1f}x** "
            f"({daily['wall_seconds']:.1f} s against {dlt_daily['wall_seconds']:.1f} s; target at "
            "most 3x)."
        )
    return notes


def rerender(results_json: Path, out: Path) -> None:
    """Write results.md again from a results.json, for a change in how results are reported."""
    recorded = json.loads(results_json.read_text())
    measurements = [Measurement(**run) for run in recorded["runs"]]
    summary = summarise(measurements)
    facts = recorded["facts"]
    read_json = tuple(facts["read_json"]) if facts.get("read_json") else None
    facts["derived"] = derived_figures(summary, read_json, facts)
    write_results(summary, measurements, facts, out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--start", default="2023-05-04")
    parser.add_argument("--end", default="2025-10-19")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "benchmarks")
    parser.add_argument("--smoke", action="store_true", help="5 dates, 1 round, no dlt")
    parser.add_argument("--from-json", type=Path, help="re-render results.md from results.json")
    args = parser.parse_args()
    if args.from_json:
        rerender(args.from_json, args.out)
        return
    if args.smoke:
        args.start, args.end, args.rounds, args.latency = "2025-10-13", "2025-10-17", 1, 0.01
        args.scenarios = "full_history,reprocess"
    scenarios = tuple(args.scenarios.split(","))
    workdir = Path(tempfile.mkdtemp(prefix="paperboard-bench-"))
    bench = Bench(args, workdir)
    try:
        bench.api.warm(dates_between(bench.start, bench.end))
        measurements: list[Measurement] = []
        for round_ in range(1, args.rounds + 1):
            for measured in bench.round(round_, scenarios):
                measurements.append(measured)
                print(json.dumps(asdict(measured)), flush=True)
        read_json = None
        if "reprocess" in scenarios:
            read_json = bench.read_json_seconds(workdir / "round-1" / "raw")
    finally:
        bench.api.stop()
    summary = summarise(measurements)
    facts = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "machine": f"{platform.machine()}, {psutil.virtual_memory().total / 2**30:.0f} GiB",
        "start": args.start,
        "end": args.end,
        "dates": len(dates_between(bench.start, bench.end)),
        "latency_ms": args.latency * 1000,
        "concurrency": args.concurrency,
        "rounds": args.rounds,
    }
    facts["read_json"] = list(read_json) if read_json else None
    facts["derived"] = derived_figures(summary, read_json, facts)
    write_results(summary, measurements, facts, args.out)
    shutil.rmtree(workdir, ignore_errors=True)
    print((args.out / "results.md").read_text())


if __name__ == "__main__":
    main()
