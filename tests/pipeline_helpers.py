"""Running the real assets in-process against the fake API, and reading the warehouse back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from devtools.fake_api import FakeDailyPapersApi, FolderSource, GeneratedSource
from pipelines.defs.assets.dbt import build_dbt_resource, dbt_models
from pipelines.defs.assets.ingest import RAW_DAILY_PAPERS, daily_papers
from pipelines.defs.resources import build_resources
from pipelines.ingest.client import ClientSettings, DailyPapersClient
from pipelines.listing_calendar import reprocess_run_config
from pipelines.settings import Settings

# The tags Dagster gives a run of a partition range (a one-run backfill).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"


def materialize_range(
    base_url: str,
    data_dir: Path,
    start: str,
    end: str,
    *,
    assets: list | None = None,
    with_dbt: bool = False,
    selection: list[dg.AssetKey] | None = None,
    raise_on_error: bool = False,
) -> dg.ExecuteInProcessResult:
    """One in-process run of [start, end] (inclusive partition keys), like a CLI backfill.

    `assets` defaults to the ingestion multi-asset alone; `with_dbt` adds the dbt models. A
    selection without `raw/daily_papers` re-processes, like `paperboard backfill --from-raw`:
    it selects no partition, so the dates go in the run config.
    """
    settings = Settings(hf_endpoint=base_url, data_dir=data_dir, hf_token=None)
    resources = build_resources(settings)
    assets = list(assets or [daily_papers])
    if with_dbt:
        assets.append(dbt_models)
        resources["dbt"] = build_dbt_resource()
    tags, run_config = range_tags(start, end), None
    if selection is not None and RAW_DAILY_PAPERS not in selection:
        tags = {}
        run_config = reprocess_run_config(date.fromisoformat(start), date.fromisoformat(end))
    return dg.materialize(
        assets,
        resources=resources,
        selection=selection,
        run_config=run_config,
        tags=tags,
        raise_on_error=raise_on_error,
    )


def range_tags(first: str, last: str) -> dict[str, str]:
    """The tags of a one-run backfill of the partitions first..last (inclusive)."""
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}


@contextmanager
def served(
    source: FolderSource | GeneratedSource, **options
) -> Iterator[tuple[FakeDailyPapersApi, str]]:
    """The fake API over `source` on a loopback port: `with served(...) as (api, base_url):`."""
    api = FakeDailyPapersApi(source, **options)
    with api.serve() as base_url:
        yield api, base_url


def fast_client(base_url: str, **overrides) -> DailyPapersClient:
    """A client whose retries wait milliseconds, so fault tests run fast."""
    settings = dict(
        endpoint=base_url,
        backoff_initial_seconds=0.001,
        backoff_max_seconds=0.01,
        max_wait_seconds=0.05,
        timeout_seconds=5.0,
    )
    return DailyPapersClient(ClientSettings(**(settings | overrides)))


def table_checksums(
    warehouse: Path, tables: list[str], exclude: tuple[str, ...] = ()
) -> dict[str, tuple]:
    """Per table: row count and an order-independent hash of every row.

    `exclude` drops columns that legitimately differ between runs (a fetch's `fetched_at`).
    """
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        checksums = {}
        for table in tables:
            columns = [
                name
                for (name,) in connection.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema || '.' || table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
                if name not in exclude
            ]
            projection = ", ".join(f'"{name}"' for name in columns)
            query = f"select count(*), coalesce(sum(hash(t)), 0) from (select {projection} from {table}) as t"  # noqa: E501, S608 - names come from the catalog
            checksums[table] = connection.execute(query).fetchall()[0]
        return checksums


def rows(warehouse: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(query).fetchall()
