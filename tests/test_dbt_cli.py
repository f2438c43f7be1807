"""`paperboard-dbt` (pipelines/dbt_cli.py): dbt's own command line, started with what dbt
imported frozen out of the collector's way, and the collector on again for the work."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pipelines.dbt_cli import DBT_EXECUTABLE
from pipelines.dbt_parse import DBT_PROJECT_DIR, dbt_command, dbt_environment
from pipelines.defs.assets.dbt import build_dbt_resource

pytestmark = pytest.mark.unit

# main() as the console script calls it, reporting the collector's state when dbt exits.
REPORTING_MAIN = """
import atexit, gc, sys
atexit.register(lambda: print("collector", gc.isenabled(), gc.get_freeze_count(), file=sys.stderr))
from pipelines.dbt_cli import main
sys.argv[0] = "paperboard-dbt"
main()
"""


def test_every_dbt_step_runs_paperboard_dbt():
    assert DBT_EXECUTABLE.is_file()
    assert build_dbt_resource().dbt_executable == str(DBT_EXECUTABLE)
    assert dbt_command("build")[0] == str(DBT_EXECUTABLE)


def test_paperboard_dbt_runs_dbt_with_its_imports_frozen_and_the_collector_on(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-c", REPORTING_MAIN, *dbt_command("ls", "--resource-type", "seed")[1:]],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, **dbt_environment(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    assert completed.stdout.splitlines()[-1] == "paperboard.topic_taxonomy"
    _, enabled, frozen = completed.stderr.split()[-3:]
    assert enabled == "True"
    assert int(frozen) > 100_000, "dbt's imports should be in the permanent generation"
