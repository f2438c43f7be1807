"""dbt-duckdb's hook into the team profile: the lake's extensions and the S3 secret, offline.

dbt-duckdb installs extensions from DuckDB's repository (`extensions:` in a profile), which
these machines cannot reach, and reads secrets from the profile's text. The profile's `lake`
target names this module as a plugin instead: dbt-duckdb calls `configure_connection` on its
new DuckDB before it attaches the lake (the profile's `attach:`), so the extensions come from
their PyPI packages (pipelines/warehouse/extensions.py) and the S3 secret from the standard
AWS variables (pipelines/warehouse/lake.py), exactly as for every other connection.
"""

from __future__ import annotations

from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin

from pipelines.warehouse.extensions import load_extensions
from pipelines.warehouse.lake import create_s3_secret


class Plugin(BasePlugin):
    def configure_connection(self, conn: Any) -> None:
        load_extensions(conn)
        create_s3_secret(conn)
