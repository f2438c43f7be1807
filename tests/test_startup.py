"""`frozen_imports` (pipelines/startup.py): the collector paused for a block, then what the
block made frozen, and collecting again as before, whatever the block did; and every Dagster
process that loads the code location starts that way."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from pipelines.startup import frozen_imports

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def collector_as_it_was() -> Iterator[None]:
    """Give the worker's collector back paused or running, as the test found it."""
    collecting = gc.isenabled()
    yield
    if collecting:
        gc.enable()
    else:
        gc.disable()


def test_the_block_runs_paused_and_what_it_made_is_frozen():
    gc.enable()
    frozen_before = gc.get_freeze_count()
    with frozen_imports():
        assert not gc.isenabled()
        made = [[index] for index in range(1000)]

    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(made)


def test_the_collector_runs_again_after_a_block_that_raised():
    gc.enable()
    with pytest.raises(ImportError), frozen_imports():
        import pipelines.no_such_module  # noqa: F401

    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused():
    gc.disable()
    with frozen_imports():
        pass

    assert not gc.isenabled()


def test_a_process_that_loads_the_code_location_has_its_imports_frozen():
    report = "import gc, pipelines.definitions; print(gc.isenabled(), gc.get_freeze_count())"
    completed = subprocess.run(
        [sys.executable, "-c", report], capture_output=True, text=True, check=True
    )
    enabled, frozen = completed.stdout.split()

    assert enabled == "True"
    assert int(frozen) > 100_000, "Dagster's, dbt's and Polars' objects, frozen"
