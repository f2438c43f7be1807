"""dbt's parse, done once ahead of runs instead of at the start of each one.

A pipeline run's dbt step only re-parses what changed since the last parse saved in its target
folder (dbt's partial parsing), but dbt throws that saved parse away whenever the profile's
connection changes, and the warehouse path in the profile comes from PAPERBOARD_DATA_DIR. So
the parse is prepared for the data directory the runs will use (`make setup`, and again by
`paperboard prepare` after the setting changes), with exactly the environment a run gives
dbt. Light on imports: the `paperboard` command line uses it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from pipelines.settings import REPO_ROOT

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


def dbt_target_path(data_dir: Path) -> Path:
    """dbt's target folder for runs against the warehouse in `data_dir`: one per warehouse, so
    each run reuses the previous run's parse (the profile, and so the parse, depends on the
    data directory), its run results sit beside the warehouse they describe, and runs against
    two warehouses never write one folder at once."""
    return data_dir.resolve() / "dbt-target"


# The manifest the Dagster definitions are built from (dagster-dbt reads it at import).
DEFINITIONS_MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"

# Every dbt invocation skips its look-up of the latest dbt release, and keeps its log file at
# info level: the debug-level file log cost each pipeline run about 0.7 s of CPU, and the
# run's own log (in the Dagster UI) has every node's result.
DBT_GLOBAL_FLAGS = ["--no-version-check", "--log-level-file", "info"]


def dbt_environment(data_dir: Path, lake: str | None = None) -> dict[str, str]:
    """The settings dbt reads from the environment: the profile opens the warehouse in
    PAPERBOARD_DATA_DIR, resolved, since dbt runs from the project folder, or the lake named
    by PAPERBOARD_WAREHOUSE (`lake`, `ducklake:postgres:<conninfo>`; empty for the file).

    A build of some models runs the tests whose every parent is selected or upstream of the
    selection (`buildable`), not dbt's default `eager`, which also runs a relationships test
    of a model nobody selected: building the seed alone (an asset backfill's first run on an
    empty warehouse) then failed on a test of a table that did not exist yet.
    """
    return {
        "PAPERBOARD_DATA_DIR": str(data_dir.resolve()),
        "PAPERBOARD_WAREHOUSE": lake or "",
        "DBT_INDIRECT_SELECTION": "buildable",
    }


def prepare_parse(
    data_dir: Path,
    target_path: Path | None = None,
    definitions_manifest: Path = DEFINITIONS_MANIFEST,
    lake: str | None = None,
) -> None:
    """Parse the project for runs against `data_dir` (or `lake`), and write the definitions'
    manifest."""
    target_path = target_path or dbt_target_path(data_dir)
    subprocess.run(
        [*dbt_command("parse", global_flags=["--quiet"]), "--target-path", str(target_path)],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, **dbt_environment(data_dir, lake)},
        check=True,
    )
    definitions_manifest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(target_path / "manifest.json", definitions_manifest)


def dbt_command(*subcommand: str, global_flags: Sequence[str] = ()) -> list[str]:
    """The venv's dbt, run from the project folder, with the pipeline's global flags."""
    dbt = Path(sys.executable).with_name("dbt")
    return [str(dbt), *DBT_GLOBAL_FLAGS, *global_flags, *subcommand, "--profiles-dir", "."]
