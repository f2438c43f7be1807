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
import contextlib
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import psutil

from pipelines.dbt_parse import dbt_target_path
from pipelines.listing_calendar import dates_in_window
from pipelines.warehouse.contract import HF_TABLES

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCENARIOS = ("full_history", "rerun", "daily", "reprocess", "dlt")


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dates_between(start: date, end: date) -> list[date]:
    """The dates of start..end, both included."""
    return dates_in_window(start, end + timedelta(days=1))


class FakeApi:
    """The project's fake API in scale mode, in its own process like a remote server."""

    def __init__(self, latency: float, seed: int, copies: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                str(BIN / "paperboard"),
                "fake-api",
                "--generated",
                "--seed",
                str(seed),
                "--port",
                str(self.port),
                "--latency-seconds",
                str(latency),
                "--copies",
                str(copies),
            ],
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                self.stats()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the fake API did not start")

    def stats(self, reset: bool = False) -> dict:
        with urllib.request.urlopen(f"{self.url}/_stats{'?reset=1' if reset else ''}") as answer:
            return json.loads(answer.read())

    def warm(self, dates: list[date]) -> None:
        """Generate every date once, so scenarios time the pipeline, not the generator."""

        def get(day: date) -> None:
            url = f"{self.url}/api/daily_papers?date={day.isoformat()}&limit=1"
            with urllib.request.urlopen(url) as answer:
                answer.read()

        with ThreadPoolExecutor(16) as pool:
            list(pool.map(get, dates))
        self.stats(reset=True)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Run a command; return wall seconds, peak tree RSS and peak single-process RSS (MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    root = psutil.Process(process.pid)
    peak_tree = peak_single = 0
    output: list[bytes] = []
    os.set_blocking(process.stdout.fileno(), False)
    while process.poll() is None:
        try:
            members = [root, *root.children(recursive=True)]
            sizes = []
            for member in members:
                with contextlib.suppress(psutil.Error):
                    sizes.append(member.memory_info().rss)
            peak_tree = max(peak_tree, sum(sizes))
            peak_single = max(peak_single, max(sizes, default=0))
        except psutil.Error:
            pass
        chunk = process.stdout.read()
        if chunk:
            output.append(chunk)
        time.sleep(0.05)
    wall = time.perf_counter() - started
    rest = process.stdout.read()
    if rest:
        output.append(rest)
    text = b"".join(output).decode("utf-8", "replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{text[-3000:]}")
    return wall, peak_tree / 2**20, peak_single / 2**20, text


def warehouse_rows(path: Path, tables: list[str]) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return {
            table: connection.execute(f"select count(*) from {table}").fetchall()[0][0]  # noqa: S608
            for table in tables
        }


def dagster_split(
    dagster_home: Path, started_at: float, first_request_at: float | None, data_dir: Path
) -> dict:
    """Time split of the latest run, from its step timings and the assets' metadata."""
    code = f"""
import json, os
os.environ["DAGSTER_HOME"] = {str(dagster_home)!r}
import dagster as dg
instance = dg.DagsterInstance.get()
run = instance.get_runs(limit=1)[0]
stats = instance.get_run_step_stats(run.run_id)
steps = {{s.step_key: s.end_time - s.start_time for s in stats if s.end_time and s.start_time}}
dbt_started = {{s.step_key: s.start_time for s in stats}}.get("dbt_models")
first_step = min(s.start_time for s in stats if s.start_time)
def meta(key, name):
    records = instance.fetch_materializations(dg.AssetKey(key), limit=1).records
    if not records:
        return 0.0
    value = records[0].asset_materialization.metadata.get(name)
    return float(value.value) if value is not None else 0.0
print(json.dumps({{"steps": steps, "first_step_at": first_step, "dbt_started": dbt_started,
  "fetch": meta(["raw", "daily_papers"], "seconds_fetching"),
  "normalise": meta(["hf", "daily_listings"], "seconds_normalising"),
  "load": meta(["hf", "daily_listings"], "seconds_loading")}}))
"""
    raw = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    facts = json.loads(raw.strip().splitlines()[-1])
    steps = facts["steps"]
    begin = first_request_at if first_request_at else facts["first_step_at"]
    return {
        "start_up": round(begin - started_at, 2),
        "dbt_start_up": _dbt_start_up(facts["dbt_started"], data_dir),
        "fetch": round(facts["fetch"], 2),
        "normalise": round(facts["normalise"], 2),
        "load": round(facts["load"], 2),
        "ingest_step": round(steps.get("daily_papers", 0.0), 2),
        "checks": round(steps.get("warehouse_checks", 0.0), 2),
        "dbt": round(steps.get("dbt_models", 0.0), 2),
        "publish": round(steps.get("serving_copy", 0.0) + steps.get("feeds", 0.0), 2),
    }


def _dbt_start_up(step_started: float | None, data_dir: Path) -> float:
    """Seconds from the dbt step's start to dbt's first node: process start, imports, parse."""
    results = dbt_target_path(data_dir) / "run_results.json"
    if step_started is None or not results.exists():
        return 0.0
    first_node = min(
        datetime.fromisoformat(timing["started_at"]).replace(tzinfo=UTC).timestamp()
        for result in json.loads(results.read_text())["results"]
        for timing in result["timing"]
        if timing.get("started_at")
    )
    return round(first_node - step_started, 2)


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.api = FakeApi(args.latency, args.seed)
        self.start = date.fromisoformat(args.start)
        self.end = date.fromisoformat(args.end)

    def env(self, data_dir: Path) -> dict[str, str]:
        home = data_dir.parent / f"{data_dir.name}-dagster"
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
        return dict(
            os.environ,
            HF_ENDPOINT=self.api.url,
            PAPERBOARD_DATA_DIR=str(data_dir),
            DAGSTER_HOME=str(home),
            PAPERBOARD_CONCURRENCY=str(self.args.concurrency),
            # The fake API has no rate limit; the budget must not be what is measured.
            PAPERBOARD_REQUEST_BUDGET="1000000",
            PAPERBOARD_BUDGET_WINDOW_SECONDS="1",
        )

    def paperboard(self, scenario: str, round_: int, data_dir: Path, *args: str) -> Measurement:
        env = self.env(data_dir)
        # What `make setup` does once for a user's data directory: dbt's parse, saved for runs
        # against it. Not timed; a run against a directory never prepared parses in full
        # (about 3 s more in its dbt step).
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

    def dlt(self, round_: int) -> Measurement | None:
        try:
            import dlt  # noqa: F401
        except ImportError:
            return None
        data_dir = self.workdir / f"dlt-{round_}"
        data_dir.mkdir()
        self.api.stats(reset=True)
        wall, tree, single, output = run_measured(
            [
                sys.executable,
                str(REPO_ROOT / "benchmarks" / "dlt_baseline.py"),
                "--endpoint", self.api.url,
                "--start", self.args.start,
                "--end", self.args.end,
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
        return Measurement("dlt", round_, round(wall, 2), round(tree), round(single),
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
        if "daily" in scenarios:
            newest = self.end.isoformat()
            results.append(
                self.paperboard("daily", round_, data_dir, newest, newest, "--refresh-days", "14")
            )
        if "reprocess" in scenarios:
            again = self.workdir / f"reprocess-{round_}"
            again.mkdir()
            shutil.copytree(data_dir / "raw", again / "raw")
            results.append(self.paperboard("reprocess", round_, again, *span, "--from-raw"))
        if "dlt" in scenarios:
            measured = self.dlt(round_)
            if measured:
                results.append(measured)
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
