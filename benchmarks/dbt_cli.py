"""What `paperboard-dbt` (pipelines/dbt_cli.py) saves against dbt's own `dbt` script.

The same `dbt build`, with the pipeline's flags, environment and prepared parse, on the
warehouse `paperboard demo` leaves (the bundled sample), run alternately by the two scripts;
the CPU seconds of each process (user + system) and its wall time, medians of the rounds.

    .venv/bin/python benchmarks/dbt_cli.py [--rounds 8]

Results: `benchmarks/dbt_cli.md`, quoted in the README.
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
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import BIN, REPO_ROOT

from pipelines.dbt_parse import DBT_PROJECT_DIR, dbt_command, dbt_environment, dbt_target_path

RESULTS = REPO_ROOT / "benchmarks" / "dbt_cli.md"
SCRIPTS = {"paperboard-dbt": BIN / "paperboard-dbt", "dbt": BIN / "dbt"}


def timed_build(script: Path, data_dir: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `dbt build` run by `script`."""
    command = [str(script), *dbt_command("build")[1:]]
    command += ["--target-path", str(dbt_target_path(data_dir))]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command,
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, **dbt_environment(data_dir)},
        stdout=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="paperboard-dbt-cli-"))
    data_dir = workdir / "data"
    env = dict(os.environ, PAPERBOARD_DATA_DIR=str(data_dir), DAGSTER_HOME=str(workdir / "dh"))
    (workdir / "dh").mkdir()
    shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", workdir / "dh" / "dagster.yaml")
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in SCRIPTS}
    try:
        subprocess.run(
            [str(BIN / "paperboard"), "demo"],
            env=env,
            cwd=REPO_ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        load_before = os.getloadavg()[0]
        for _ in range(args.rounds):
            for name, script in SCRIPTS.items():
                results[name].append(timed_build(script, data_dir))
                print(f"{name}: {results[name][-1]}", file=sys.stderr)
        load_after = os.getloadavg()[0]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def median(name: str, index: int) -> float:
        return statistics.median(result[index] for result in results[name])

    saved = median("dbt", 1) - median("paperboard-dbt", 1)
    text = "\n".join(
        [
            "# `paperboard-dbt` against dbt's own script",
            "",
            f"`benchmarks/dbt_cli.py`, {args.rounds} rounds, measured {date.today()} on "
            f"{os.cpu_count()} cores (load average {load_before:.1f} before, {load_after:.1f} "
            "after). One `dbt build` of the demo warehouse per round and script, alternately; "
            "medians.",
            "",
            "| script | wall | CPU |",
            "| --- | ---: | ---: |",
            *(
                f"| `{name}` | {median(name, 0):.2f} s | {median(name, 1):.2f} s |"
                for name in SCRIPTS
            ),
            "",
            f"Saved per dbt step: {saved:.2f} CPU-s ({saved / median('dbt', 1):.0%}).",
            "",
        ]
    )
    RESULTS.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
