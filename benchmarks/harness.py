"""What every benchmark script shares: the fake API in its own process, a command measured from
outside (wall time, peak RSS of its process tree and of its largest process), and the time split
of the newest Dagster run read back from its instance.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import psutil

from pipelines.dbt_parse import dbt_target_path
from pipelines.listing_calendar import dates_in_window

REPO_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def paperboard_env(api_url: str, data_dir: Path, concurrency: int) -> dict[str, str]:
    """A run's environment: its own data directory and Dagster instance (the checked-in
    settings), the fake API, and no request budget (the fake API has no rate limit)."""
    home = data_dir.parent / f"{data_dir.name}-dagster"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    return dict(
        os.environ,
        HF_ENDPOINT=api_url,
        PAPERBOARD_DATA_DIR=str(data_dir),
        DAGSTER_HOME=str(home),
        PAPERBOARD_CONCURRENCY=str(concurrency),
        PAPERBOARD_REQUEST_BUDGET="1000000",
        PAPERBOARD_BUDGET_WINDOW_SECONDS="1",
    )


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
