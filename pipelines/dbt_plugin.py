"""The Python functions dbt's DuckDB connection gets (a dbt-duckdb plugin; profiles.yml).

`search_term(word)`: the search term of a folded word, Snowball's stem or null for a stop
word (`pipelines.words.search_terms`). marts.search_index calls it on the words of papers, so
the terms papers are indexed under come from the same Python as everything else that reads
words; the index's `word` column then lets `marts.search_papers` look a query's words up in
plain SQL, which any DuckDB client can run.

On the file target the plugin attaches `$PAPERBOARD_DATA_DIR/warehouse.duckdb` as `warehouse`:
read here, when dbt connects, the path stays out of the profile, whose every change makes dbt
throw its saved parse away (pipelines/dbt_parse.py).

On the team profile's lake target (`config: {lake: true}`) the plugin instead loads the lake's
extensions from their PyPI packages and makes the S3 secret from the AWS_* variables
(pipelines/warehouse/extensions.py, lake.py): dbt-duckdb calls `configure_connection` before
it attaches the lake, and would otherwise install extensions from DuckDB's repository, which
these machines cannot reach, and read secrets from the profile's text.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import VARCHAR

from pipelines.settings import load_settings
from pipelines.warehouse.connection import attach_statement
from pipelines.warehouse.extensions import load_extensions
from pipelines.warehouse.lake import WAREHOUSE_CATALOG, create_s3_secret
from pipelines.words import search_terms


def search_term_batch(words: pa.Array) -> pa.Array:
    """`search_term` over one vector of words (DuckDB hands Arrow arrays to the function)."""
    return pa.array(search_terms(words.to_pylist()), type=pa.string())


def register_search_term(connection: DuckDBPyConnection) -> None:
    connection.create_function(
        "search_term",
        search_term_batch,
        [VARCHAR],
        VARCHAR,
        type="arrow",
        null_handling="special",
        side_effects=False,
    )


class Plugin(BasePlugin):
    def initialize(self, plugin_config: dict[str, Any]) -> None:
        self.lake = bool(plugin_config.get("lake", False))

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        if self.lake:
            load_extensions(conn)
            create_s3_secret(conn)
        else:
            warehouse = load_settings().warehouse_path
            warehouse.parent.mkdir(parents=True, exist_ok=True)
            conn.execute(attach_statement(str(warehouse), WAREHOUSE_CATALOG))
        register_search_term(conn)
