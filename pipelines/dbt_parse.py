"""dbt's parse, done once ahead of runs instead of at the start of each one.

`paperboard prepare` (run by `make setup`) parses the project into `dbt_project/target`: the
manifest the Dagster definitions are built from, and dbt's saved parse, which every later dbt
invocation reads (DBT_PARTIAL_PARSE_FILE_PATH) and re-parses only what changed since. dbt throws
a saved parse away whenever the profile changes, so the file target's profile names no path
(the plugin attaches the warehouse of PAPERBOARD_DATA_DIR): one parse serves runs against any
data directory. The lake's profile names its catalog, so a parse is for one lake: prepare it
with PAPERBOARD_WAREHOUSE set. Light on imports: the `paperboard` command line uses it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from pipelines.dbt_cli import DBT_EXECUTABLE
from pipelines.settings import REPO_ROOT

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


def dbt_target_path(data_dir: Path) -> Path:
    """dbt's target folder for runs against the warehouse in `data_dir`: one per warehouse, so
    its run results sit beside the warehouse they describe, and runs against two warehouses
    never write one folder at once."""
    return data_dir.resolve() / "dbt-target"


# Where `paperboard prepare` parses to: the manifest the Dagster definitions are built from
# (dagster-dbt reads it at import) and the saved parse every dbt invocation starts from.
PREPARED_TARGET = DBT_PROJECT_DIR / "target"
PREPARED_PARSE = PREPARED_TARGET / "partial_parse.msgpack"

# Every dbt invocation skips its look-up of the latest dbt release, and keeps its log file at
# info level: the debug-level file log cost each pipeline run about 0.7 s of CPU, and the
# run's own log (in the Dagster UI) has every node's result.
DBT_GLOBAL_FLAGS = ["--no-version-check", "--log-level-file", "info"]


def dbt_environment(data_dir: Path, lake: str | None = None) -> dict[str, str]:
    """The settings dbt reads from the environment: the warehouse in PAPERBOARD_DATA_DIR,
    resolved, since dbt runs from the project folder, or the lake named by PAPERBOARD_WAREHOUSE
    (`lake`, `ducklake:postgres:<conninfo>`; empty for the file), and the prepared parse.

    A build of some models runs the tests whose every parent is selected or upstream of the
    selection (`buildable`), not dbt's default `eager`, which also runs a relationships test
    of a model nobody selected: building the seed alone (an asset backfill's first run on an
    empty warehouse) then failed on a test of a table that did not exist yet.
    """
    environment = {
        "PAPERBOARD_DATA_DIR": str(data_dir.resolve()),
        "PAPERBOARD_WAREHOUSE": lake or "",
        "DBT_INDIRECT_SELECTION": "buildable",
    }
    # dbt refuses to start when the file is missing; without it, dbt parses the whole project.
    if PREPARED_PARSE.is_file():
        environment["DBT_PARTIAL_PARSE_FILE_PATH"] = str(PREPARED_PARSE)
    return environment


def prepare_parse(
    data_dir: Path, target_path: Path = PREPARED_TARGET, lake: str | None = None
) -> None:
    """Parse the project, with the environment a run gives dbt, into `target_path`: its
    manifest.json and dbt's saved parse, good for the DuckDB file of any data directory, or
    for `lake`."""
    environment = {**os.environ, **dbt_environment(data_dir, lake)}
    # From the saved parse in `target_path`, if any: dbt writes a saved parse only when it
    # parsed something, so a parse that starts from another folder's leaves none here.
    environment.pop("DBT_PARTIAL_PARSE_FILE_PATH", None)
    subprocess.run(
        [*dbt_command("parse", global_flags=["--quiet"]), "--target-path", str(target_path)],
        cwd=DBT_PROJECT_DIR,
        env=environment,
        check=True,
    )


def dbt_command(*subcommand: str, global_flags: Sequence[str] = ()) -> list[str]:
    """The venv's dbt, run from the project folder, with the pipeline's global flags."""
    return [
        str(DBT_EXECUTABLE),
        *DBT_GLOBAL_FLAGS,
        *global_flags,
        *subcommand,
        "--profiles-dir",
        ".",
    ]
