"""Shared fixtures: a throw-away data directory, the loopback fake API, and the session's
dbt-built warehouse with its serving copy (tests/marts_warehouse.py)."""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock
from sqlalchemy import event
from sqlalchemy.pool import Pool

from devtools.fake_api import FolderSource
from pipelines.warehouse.serving import open_serving
from tests.marts_warehouse import BuiltWarehouse, build_marts_warehouse
from tests.pipeline_helpers import served

# SQLAlchemy connections checked out of a pool and not yet returned, by pool record.
_checked_out: dict[int, str] = {}


@event.listens_for(Pool, "checkout")
def _remember_checkout(_dbapi_connection, record, _proxy) -> None:
    _checked_out[id(record)] = repr(record)


@event.listens_for(Pool, "checkin")
def _forget_checkin(_dbapi_connection, record) -> None:
    _checked_out.pop(id(record), None)


@pytest.fixture(autouse=True)
def no_leaked_dagster_connections() -> Iterator[None]:
    """Fail a test that leaves a SQLite connection checked out (an undisposed Dagster
    instance): the garbage collector later closes it on whatever thread it runs on, and a
    Streamlit test thread then dies in CPython 3.11's ast.parse ("AST constructor recursion
    depth mismatch") while the finalizer's error is being logged."""
    before = set(_checked_out)
    yield
    leaked = [_checked_out[key] for key in set(_checked_out) - before]
    assert not leaked, f"connections left checked out (dispose the instance): {leaked}"


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


@pytest.fixture(scope="session")
def marts_warehouse(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> BuiltWarehouse:
    """Generated listings loaded in batches and built by dbt, once per session, with its
    serving copy: the marts tests check it, the dashboard and feed tests read the copy.

    Under pytest-xdist the first worker to ask builds it in the folder all workers share (the
    others wait on the lock), and each worker then reads a copy of its own, so no DuckDB file
    is opened by two processes.
    """
    if worker_id == "master":
        return build_marts_warehouse(tmp_path_factory.mktemp("marts"))
    shared = tmp_path_factory.getbasetemp().parent / "marts-warehouse"
    built_file = shared / "built.pickle"
    with FileLock(f"{shared}.lock"):
        if not built_file.is_file():
            built_file.write_bytes(pickle.dumps(build_marts_warehouse(shared / "build")))
    built: BuiltWarehouse = pickle.loads(built_file.read_bytes())
    own = tmp_path_factory.mktemp("marts") / "build"
    shutil.copytree(shared / "build", own)
    return built.moved(shared / "build", own)


@pytest.fixture(scope="module")
def serving(marts_warehouse: BuiltWarehouse) -> Path:
    """The session warehouse's serving copy, as the pipeline publishes it."""
    return marts_warehouse.serving_path


@pytest.fixture(scope="module")
def mart(serving: Path):
    """Rows of a query of the serving copy, opened as readers open it:
    `mart("select ... where x = $x", x=1)`."""

    def rows(sql: str, **params) -> list[tuple]:
        with open_serving(serving) as connection:
            return connection.execute(sql, params).fetchall()

    return rows
