"""dbt's own unit tests (the `unit_tests:` of dbt_project/models), in the fast tier.

Each unit test feeds a model literal rows and compares its output, so the model's SQL is
checked without data. dbt needs the model's parents to exist, so the project is first built
`--empty` (every table and view with its columns, no rows) into a fresh warehouse.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from pipelines.dbt_parse import DBT_PROJECT_DIR, dbt_command, dbt_environment
from pipelines.warehouse.connection import connect

pytestmark = pytest.mark.unit


def test_every_dbt_unit_test_passes(tmp_path: Path):
    with connect(tmp_path / "warehouse.duckdb"):
        pass  # the hf.* source tables, empty
    target = tmp_path / "target"
    completed = subprocess.run(
        [
            *dbt_command("build", "--empty", "--exclude-resource-type", "test"),
            "--target-path",
            str(target),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, **dbt_environment(tmp_path)},
        capture_output=True,
        text=True,
    )
    results = json.loads((target / "run_results.json").read_text())["results"]
    unit_tests = {
        result["unique_id"]: result["status"]
        for result in results
        if result["unique_id"].startswith("unit_test.")
    }

    assert completed.returncode == 0, completed.stdout[-4000:]
    assert len(unit_tests) >= 10
    assert set(unit_tests.values()) == {"pass"}
