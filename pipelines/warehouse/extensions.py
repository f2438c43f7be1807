"""DuckDB extensions that are not built in (ducklake, postgres, httpfs), loaded offline.

DuckDB downloads such an extension from its own repository at first use, which these
machines (and many a locked-down worker) cannot reach. The same binaries are published on PyPI
as `duckdb-extension-<name>` packages, pinned in pyproject.toml to the DuckDB release they were
built for; each holds `duckdb_extension_<name>/extensions/v<version>/<name>.duckdb_extension`.
`load_extensions` loads that file when the package is installed for the running DuckDB, and
falls back to `INSTALL` + `LOAD` from DuckDB's repository otherwise (a machine with internet
and another DuckDB version). Every connection to a lake, the dbt profile's plugin
(pipelines/dbt_plugin.py) and the readers go through here, so there is one answer to
"where does the extension come from".
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path

import duckdb

# Extension name -> the PyPI package's import name.
PACKAGES = {
    "ducklake": "duckdb_extension_ducklake",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "httpfs": "duckdb_extension_httpfs",
}
# What a DuckLake with its catalog in PostgreSQL and its files on S3 needs.
LAKE_EXTENSIONS = ("ducklake", "postgres_scanner", "httpfs")


class ExtensionError(RuntimeError):
    """An extension is neither packaged for this DuckDB nor installable from its repository."""


def packaged_extension(name: str, duckdb_version: str = duckdb.__version__) -> Path | None:
    """The extension's binary shipped by its PyPI package for this DuckDB, if installed."""
    spec = find_spec(PACKAGES[name]) if name in PACKAGES else None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "extensions" / f"v{duckdb_version}"
    binaries = sorted(folder.glob("*.duckdb_extension"))
    return binaries[0] if binaries else None


def load_extensions(
    connection: duckdb.DuckDBPyConnection, names: Iterable[str] = LAKE_EXTENSIONS
) -> None:
    """Load each extension from its package, or install it from DuckDB's repository."""
    loaded = {
        name
        for (name,) in connection.execute(
            "select extension_name from duckdb_extensions() where loaded"
        ).fetchall()
    }
    for name in names:
        if name in loaded:
            continue
        binary = packaged_extension(name)
        try:
            if binary is not None:
                connection.load_extension(str(binary))
            else:
                connection.install_extension(name)
                connection.load_extension(name)
        except duckdb.Error as error:
            raise ExtensionError(
                f"cannot load the DuckDB extension {name!r}: no package "
                f"{PACKAGES.get(name, '?')} for duckdb {duckdb.__version__} is installed, and "
                f"installing it from DuckDB's repository failed: {error}"
            ) from error
