"""The ingestion assets: landed raw responses, then the four `hf.*` tables.

They are one subsettable multi-asset so a normal run fetches, lands and loads in one step
(writing each batch as soon as it lands), while selecting only the `hf.*` tables re-processes
landed files without fetching.

Only `raw/daily_papers` is partitioned by listing date: its partitions are what was fetched
and landed. The `hf.*` tables are whole tables, like the dbt models after them: Dagster
records one materialization per partition per asset, so partitioning them too cost a
whole-history backfill 3,600 more events (about 40 s) and told the UI nothing the raw
asset's partitions do not.
"""

from collections.abc import Iterator
from datetime import date, timedelta

import dagster as dg

from pipelines.defs.partitions import daily_partitions, run_window, single_run
from pipelines.defs.resources import DailyPapersApi, Warehouse
from pipelines.ingest.run import IngestReport, dates_in_window, ingest, reprocess
from pipelines.listing_calendar import INGEST_OP
from pipelines.warehouse.connection import connect
from pipelines.warehouse.preview import top_listings, top_papers_markdown

RAW_DAILY_PAPERS = dg.AssetKey(["raw", "daily_papers"])
HF_TABLES = {
    name: dg.AssetKey(["hf", name])
    for name in ("daily_listings", "papers", "paper_authors", "upvote_snapshots")
}


class IngestConfig(dg.Config):
    refresh_days: int = 0
    """Also re-fetch this many dates before the run's window, so upvote counts stay current."""
    batch_size: int = 100
    """Dates written per transaction."""
    progress_interval_seconds: float = 10.0
    first_date: str | None = None
    """Re-processing only (no partition selected): the first listing date to re-load."""
    last_date: str | None = None
    """Re-processing only: the last listing date to re-load (inclusive)."""


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            RAW_DAILY_PAPERS,
            group_name="ingest",
            description="Every response of GET /api/daily_papers, gzip-compressed and unchanged, "
            "under $PAPERBOARD_DATA_DIR/raw/daily_papers/listing_date=.../fetched_at=.../.",
            kinds={"json"},
            partitions_def=daily_partitions,
        ),
        dg.AssetSpec(
            HF_TABLES["daily_listings"],
            deps=[RAW_DAILY_PAPERS],
            group_name="warehouse",
            description="One row per (listing_date, paper_id): the day's list as last fetched.",
            kinds={"duckdb"},
        ),
        dg.AssetSpec(
            HF_TABLES["papers"],
            deps=[RAW_DAILY_PAPERS],
            group_name="warehouse",
            description="One row per paper_id, from its latest listing; latest counts.",
            kinds={"duckdb"},
        ),
        dg.AssetSpec(
            HF_TABLES["paper_authors"],
            deps=[RAW_DAILY_PAPERS],
            group_name="warehouse",
            description="One row per (paper_id, position): authors in order, with matching keys.",
            kinds={"duckdb"},
        ),
        dg.AssetSpec(
            HF_TABLES["upvote_snapshots"],
            deps=[RAW_DAILY_PAPERS],
            group_name="warehouse",
            description="One row per (paper_id, fetched_at): the counts every fetch saw.",
            kinds={"duckdb"},
        ),
    ],
    backfill_policy=single_run,
    can_subset=True,
    pool="duckdb",
)
def daily_papers(
    context: dg.AssetExecutionContext,
    config: IngestConfig,
    daily_papers_api: DailyPapersApi,
    warehouse: Warehouse,
) -> Iterator[dg.MaterializeResult]:
    start, end = _window(context, config)
    listing_dates = dates_in_window(start, end)
    if RAW_DAILY_PAPERS in context.selected_asset_keys:
        report = ingest(
            listing_dates,
            client=daily_papers_api.client(),
            raw_dir=warehouse.raw_dir,
            warehouse_path=warehouse.warehouse_path,
            batch_size=config.batch_size,
            progress_interval_seconds=config.progress_interval_seconds,
            log=context.log.info,
        )
        yield dg.MaterializeResult(asset_key=RAW_DAILY_PAPERS, metadata=_fetch_metadata(report))
    else:
        report = reprocess(
            listing_dates,
            raw_dir=warehouse.raw_dir,
            warehouse_path=warehouse.warehouse_path,
            batch_size=config.batch_size,
            log=context.log.info,
        )
    rows = {
        "daily_listings": report.daily_listings,
        "papers": report.papers,
        "paper_authors": report.paper_authors,
        "upvote_snapshots": report.upvote_snapshots,
    }
    for name, key in HF_TABLES.items():
        if key in context.selected_asset_keys:
            metadata = {
                "rows_written": dg.MetadataValue.int(rows[name]),
                "dates_loaded": dg.MetadataValue.int(report.dates_loaded),
                "seconds_normalising": dg.MetadataValue.float(round(report.seconds_normalising, 3)),
                "seconds_loading": dg.MetadataValue.float(round(report.seconds_loading, 3)),
            }
            if name == "daily_listings":
                newest = end - timedelta(days=1)
                metadata["top_papers"] = _top_papers_preview(warehouse, newest)
            yield dg.MaterializeResult(asset_key=key, metadata=metadata)


def _window(context: dg.AssetExecutionContext, config: IngestConfig) -> tuple[date, date]:
    """The run's window [start, end), its re-fetched dates included (see `run_window`)."""
    window = run_window(context.run.tags, context.run.run_config)
    if window is None:
        raise dg.Failure(
            "re-processing without a partition needs first_date and last_date in the config of "
            f"op {INGEST_OP} (got first_date={config.first_date!r}, "
            f"last_date={config.last_date!r})"
        )
    return window


def _top_papers_preview(warehouse: Warehouse, listing_date: date) -> dg.MetadataValue:
    """The run's newest listing date, top papers first, as a Markdown table for the UI."""
    with connect(warehouse.warehouse_path) as connection:
        papers = top_listings(connection, listing_date)
    return dg.MetadataValue.md(top_papers_markdown(listing_date, papers))


def _fetch_metadata(report: IngestReport) -> dict[str, dg.MetadataValue]:
    return {
        "dates_requested": dg.MetadataValue.int(report.dates_requested),
        "dates_fetched": dg.MetadataValue.int(report.dates_fetched),
        "requests": dg.MetadataValue.int(report.requests),
        "retries": dg.MetadataValue.int(report.retries),
        "seconds_fetching": dg.MetadataValue.float(round(report.seconds_fetching, 3)),
    }
