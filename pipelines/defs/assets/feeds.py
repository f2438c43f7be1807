"""Feeds: Atom, RSS and JSON feeds of the top papers, written after each serving copy.

It reads only the serving copy (never the warehouse), or on a lake the lake's newest
snapshot, so it takes no `duckdb` pool slot and never waits for, or blocks, a writer.
"""

import dagster as dg

from pipelines.defs.assets.serving import SERVING_COPY
from pipelines.defs.partitions import single_run
from pipelines.defs.resources import Warehouse
from pipelines.publish.feeds import publish_feeds

FEEDS = dg.AssetKey(["feeds"])


# A one-spec multi_asset, like the other assets: `@asset` flags backfill_policy as beta.
@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            FEEDS,
            deps=[SERVING_COPY],
            group_name="serving",
            description="$PAPERBOARD_DATA_DIR/feeds/: Atom, RSS and JSON feeds of the most "
            "upvoted papers of the last listing days, overall (top.*) and per topic "
            "(topics/<topic>.*), written from the serving copy's marts.feeds and "
            "marts.feed_items (dbt vars feed_days and feed_size).",
            kinds={"python"},
        )
    ],
    # Not partitioned: one copy per run, whatever range it covered (see partitions.py).
    backfill_policy=single_run,
)
def feeds(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    published = publish_feeds(warehouse.lake_target or warehouse.serving_path, warehouse.feeds_dir)
    context.log.info(
        f"wrote {len(published.files)} files for {published.feeds} feeds "
        f"({published.entries} entries) under {published.directory}"
    )
    return dg.MaterializeResult(
        metadata={
            "directory": dg.MetadataValue.path(str(published.directory)),
            "feeds": dg.MetadataValue.int(published.feeds),
            "files": dg.MetadataValue.int(len(published.files)),
            "entries": dg.MetadataValue.int(published.entries),
            "newest_listing_date": dg.MetadataValue.text(str(published.newest_listing_date)),
        }
    )
