"""`paperboard-dbt`: dbt's own command line, started with Python's garbage collector paused.

Every dbt step of a run (and every dbt command in the tests) is a new process that imports
some 2,000 modules and keeps what they create until it exits. At CPython's default
thresholds the collector traverses those objects again and again, during the import and for
the rest of the build. Importing with collection paused, then freezing what was imported
(`gc.freeze`: never traversed again), leaves only the objects a build makes to collect: a dbt
build of the demo warehouse takes 7-18% less CPU (benchmarks/dbt_cli.py, results in
benchmarks/dbt_cli.md). dbt itself is unchanged: this calls the same `dbt.cli.main.cli` as
dbt's own `dbt` script, which still works for anything run by hand.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

# The venv's script, beside its python, so it is found without an activated venv on PATH.
DBT_EXECUTABLE = Path(sys.executable).with_name("paperboard-dbt")


def main() -> None:
    gc.disable()
    from dbt.cli.main import cli

    gc.freeze()
    gc.enable()
    sys.exit(cli())
