"""Shared fixtures: a throw-away data directory and the loopback fake API."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.fake_api import FakeDailyPapersApi, FolderSource


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh PAPERBOARD_DATA_DIR for one test."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("PAPERBOARD_DATA_DIR", str(path))
    return path


@pytest.fixture
def serve_folder() -> Iterator:
    """Start the fake API over a folder: `with serve_folder(folder) as (api, base_url):`."""
    from contextlib import contextmanager

    @contextmanager
    def serve(folder: Path, **options):
        api = FakeDailyPapersApi(FolderSource(folder), **options)
        with api.serve() as base_url:
            yield api, base_url

    yield serve
