"""Replacing a file or folder: a reader sees the old content or the whole new one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.atomic_files import (
    TEMP_PREFIX,
    created_atomically,
    remove_abandoned,
    replaced_atomically,
)

pytestmark = pytest.mark.unit


def test_a_file_is_replaced_only_when_its_block_ends_without_an_error(tmp_path: Path):
    path = tmp_path / "feeds" / "agents.atom"

    with replaced_atomically(path) as temp:
        temp.write_bytes(b"first")
        assert not path.exists()
    with pytest.raises(RuntimeError, match="render failed"), replaced_atomically(path) as temp:
        temp.write_bytes(b"half of the sec")
        raise RuntimeError("render failed")

    assert path.read_bytes() == b"first"
    assert sorted(p.name for p in path.parent.iterdir()) == ["agents.atom"]


def test_a_folder_is_renamed_into_place_whole_and_a_durable_file_too(tmp_path: Path):
    folder = tmp_path / "listing_date=2025-06-02" / "fetched_at=20250602T060000.000000Z"
    with replaced_atomically(folder) as temp:
        temp.mkdir()
        (temp / "page-000.json.gz").write_bytes(b"page")
    copy = tmp_path / "serving.duckdb"
    with replaced_atomically(copy, durable=True) as temp:
        temp.write_bytes(b"copy")

    assert [p.name for p in folder.iterdir()] == ["page-000.json.gz"]
    assert copy.read_bytes() == b"copy"
    assert not list(tmp_path.glob(f"**/{TEMP_PREFIX}*"))


def test_a_created_file_appears_only_whole_and_never_replaces_one_already_there(tmp_path: Path):
    path = tmp_path / "data" / "warehouse.duckdb"

    with pytest.raises(RuntimeError, match="killed"), created_atomically(path) as temp:
        temp.write_bytes(b"half")
        raise RuntimeError("killed")
    assert not path.exists()
    with created_atomically(path) as temp:
        temp.write_bytes(b"first")
        assert not path.exists()
    with created_atomically(path) as temp:
        temp.write_bytes(b"second")

    assert path.read_bytes() == b"first"
    assert [p.name for p in path.parent.iterdir()] == ["warehouse.duckdb"]


def test_only_the_temporaries_of_processes_that_are_gone_are_removed(tmp_path: Path):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)  # fmt: skip
    dead = tmp_path / f"{TEMP_PREFIX}{finished.stdout.strip()}-abc-serving.duckdb"
    dead_folder = tmp_path / f"{TEMP_PREFIX}{finished.stdout.strip()}-def-fetched_at=x"
    alive = tmp_path / f"{TEMP_PREFIX}{os.getpid()}-abc-serving.duckdb"
    dead.write_bytes(b"x")
    dead_folder.mkdir()
    (dead_folder / "page-000.json.gz").write_bytes(b"x")
    alive.write_bytes(b"x")

    removed = remove_abandoned(tmp_path.glob(f"{TEMP_PREFIX}*"))

    assert sorted(removed) == sorted([dead, dead_folder])
    assert [p.name for p in tmp_path.iterdir()] == [alive.name]
