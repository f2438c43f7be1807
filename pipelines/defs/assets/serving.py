"""The serving copy: the last step of every run publishes what readers query.

It sits downstream of the `hf.*` tables and of the dbt models nothing else builds on (the
marts), so in a run it goes last and only after everything before it succeeded: a failed load,
blocking check, dbt model or dbt test leaves the previous copy in place. The lineage shows
where `serving.duckdb` comes from.
"""

import dagster as dg

from pipelines.defs.assets.dbt import dbt_models
from pipelines.defs.assets.ingest import HF_TABLES, LEDGER
from pipelines.defs.partitions import single_run
from pipelines.defs.resources import Warehouse
from pipelines.warehouse.serving import publish_serving_copy

SERVING_COPY = dg.AssetKey(["serving_copy"])


def _serving_copy_deps() -> list[dg.AssetKey]:
    """The `hf.*` tables, the ledger and the dbt assets nothing else in dbt builds on."""
    upstream_of_other_models = {
        parent for key in dbt_models.keys for parent in dbt_models.asset_deps[key]
    }
    leaves = set(dbt_models.keys) - upstream_of_other_models
    return sorted({*HF_TABLES.values(), *LEDGER.values(), *leaves})


# A one-spec multi_asset, like the ingestion assets: `@asset` flags backfill_policy as beta.
@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            SERVING_COPY,
            deps=_serving_copy_deps(),
            group_name="serving",
            description="$PAPERBOARD_DATA_DIR/serving.duckdb: a read-only copy of the "
            "warehouse, replaced atomically after each successful run. `paperboard sql`, "
            "dashboards and any other reader open this file, never warehouse.duckdb, so they "
            "never block a run. On a lake there is no copy: readers query the lake.",
            kinds={"duckdb"},
        )
    ],
    # Not partitioned: one copy per run, whatever range it covered (see partitions.py).
    backfill_policy=single_run,
    pool="duckdb",
)
def serving_copy(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    if warehouse.lake_target is not None:
        # Readers query the lake directly: snapshot isolation does what the copy does.
        context.log.info("no serving copy on a lake: readers query the lake's snapshots")
        return dg.MaterializeResult(
            metadata={"skipped": dg.MetadataValue.text("lake: readers query it directly")}
        )
    published = publish_serving_copy(warehouse.warehouse_path, warehouse.serving_path)
    context.log.info(
        f"published {published.path} ({published.bytes} bytes, {published.tables} tables, "
        f"{published.views} views) in {published.seconds:.2f} s"
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(published.path)),
            "bytes": dg.MetadataValue.int(published.bytes),
            "tables": dg.MetadataValue.int(published.tables),
            "views": dg.MetadataValue.int(published.views),
            "seconds_publishing": dg.MetadataValue.float(round(published.seconds, 3)),
        }
    )
