"""Shared fixtures: a throw-away data directory and the loopback fake API."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.fake_api import FolderSource
from tests.pipeline_helpers import served


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh PAPERBOARD_DATA_DIR for one test."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(path))
    return path


@pytest.fixture
def serve_folder():
    """Start the fake API over a folder: `with serve_folder(folder) as (api, base_url):`."""

    def serve(folder: Path, **options):
        return served(FolderSource(folder), **options)

    return serve
