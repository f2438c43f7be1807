"""The ingestion assets: landed raw responses, then the four `hf.*` tables.

They are one subsettable multi-asset so a normal run fetches, lands and loads in one step
(writing each batch as soon as it lands). Selected alone, each half does its own job:
`raw/daily_papers` fetches and lands the run's partitions; the `hf.*` tables load every
landed fetch that no load has read yet (the change ledger says which), or, given dates in
the config, re-process those dates' landed files. So an asset backfill that Dagster splits
into a run for the raw partitions and a run for the tables gives the same warehouse as one
run of both.

Only `raw/daily_papers` is partitioned by listing date: its partitions are what was fetched
and landed. The `hf.*` tables are whole tables, like the dbt models after them: Dagster
records one materialization per partition per asset, so partitioning them too cost a
whole-history backfill 3,600 more events (about 40 s) and told the UI nothing the raw
asset's partitions do not.
"""

from collections.abc import Iterator
from datetime import date

import dagster as dg

from pipelines.defs.partitions import daily_partitions, single_run, window_between
from pipelines.defs.resources import DailyPapersApi, Warehouse
from pipelines.ingest.run import (
    DEFAULT_BATCH_SIZE,
    IngestReport,
    ingest,
    load_pending,
    reprocess,
)
from pipelines.listing_calendar import INGEST_OP, dates_in_window
from pipelines.warehouse import contract
from pipelines.warehouse.connection import connect
from pipelines.warehouse.ledger import listing_dates_loaded_by_run
from pipelines.warehouse.preview import top_listings, top_papers_markdown

RAW_DAILY_PAPERS = dg.AssetKey(["raw", "daily_papers"])
HF_TABLES = {name: dg.AssetKey(["hf", name]) for name in contract.HF_TABLES}
# The change ledger's tables, written in each load's own transaction.
LEDGER_DESCRIPTIONS = {
    "loads": "One row per load (one transaction of landed fetches), in commit order; refused "
    "fetches are in hf.rejected_fetches.",
    "load_fetches": "One row per landed fetch a load read, and what became of it.",
    "load_papers": "One row per (load_id, paper_id): the papers whose row a load changed.",
}
LEDGER = {name: dg.AssetKey(["hf", name]) for name in contract.LEDGER_TABLES}


class IngestConfig(dg.Config):
    refresh_days: int = 0
    """Also re-fetch this many dates before the run's partitions, so upvote counts stay
    current."""
    batch_size: int = DEFAULT_BATCH_SIZE
    """Dates written per transaction."""
    progress_interval_seconds: float = 10.0
    first_date: str | None = None
    """Without `raw/daily_papers`: re-process the landed files of first_date..last_date, even
    those loaded before (after a change to the normalisation rules). Without dates, the
    tables load what was landed and not loaded yet."""
    last_date: str | None = None
    """The last listing date to re-process (inclusive)."""


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
        *[
            dg.AssetSpec(
                LEDGER[name],
                deps=[RAW_DAILY_PAPERS],
                group_name="warehouse",
                description=f"The change ledger: {text} The checks and the incremental dbt "
                "models read their work from it.",
                kinds={"duckdb"},
            )
            for name, text in LEDGER_DESCRIPTIONS.items()
        ],
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
    selected = context.selected_asset_keys
    loading = any(key in selected for key in [*HF_TABLES.values(), *LEDGER.values()])
    common = {
        "raw_dir": warehouse.raw_dir,
        "warehouse_path": warehouse.warehouse_path,
        "batch_size": config.batch_size,
        "log": context.log.info,
        "dagster_run_id": context.run_id,
    }
    if RAW_DAILY_PAPERS in selected:
        start, end = _partition_window(context)
        report = ingest(
            dates_in_window(start, end, config.refresh_days),
            client=daily_papers_api.client(),
            load=loading,
            progress_interval_seconds=config.progress_interval_seconds,
            **common,
        )
        yield dg.MaterializeResult(asset_key=RAW_DAILY_PAPERS, metadata=_fetch_metadata(report))
    elif config.first_date is not None or config.last_date is not None:
        start, end = _reprocess_window(config)
        report = reprocess(dates_in_window(start, end), **common)
    else:
        report = load_pending(**common)
    if not loading:
        return
    rows = {
        "daily_listings": report.daily_listings,
        "papers": report.papers,
        "paper_authors": report.paper_authors,
        "upvote_snapshots": report.upvote_snapshots,
    }
    preview = _top_papers_preview(warehouse, context.run_id)
    for name, key in HF_TABLES.items():
        if key in selected:
            metadata = {
                "rows_written": dg.MetadataValue.int(rows[name]),
                "dates_loaded": dg.MetadataValue.int(report.dates_loaded),
                "seconds_normalising": dg.MetadataValue.float(round(report.seconds_normalising, 3)),
                "seconds_loading": dg.MetadataValue.float(round(report.seconds_loading, 3)),
            }
            if name == "daily_listings" and preview is not None:
                metadata["top_papers"] = preview
            yield dg.MaterializeResult(asset_key=key, metadata=metadata)
    for key in LEDGER.values():
        if key in selected:
            yield dg.MaterializeResult(
                asset_key=key,
                metadata={
                    "loads": dg.MetadataValue.int(report.loads),
                    "dates_loaded": dg.MetadataValue.int(report.dates_loaded),
                },
            )


def _partition_window(context: dg.AssetExecutionContext) -> tuple[date, date]:
    """The window [start, end) of the partitions the run fetches."""
    if not (context.has_partition_key or context.has_partition_key_range):
        raise dg.Failure(
            f"{RAW_DAILY_PAPERS.to_user_string()} fetches listing dates: pick its partitions "
            "(a date or a range), or select only the hf/* tables to load what was landed"
        )
    keys = context.partition_key_range
    return window_between(keys.start, keys.end)


def _reprocess_window(config: IngestConfig) -> tuple[date, date]:
    if config.first_date is None or config.last_date is None:
        raise dg.Failure(
            f"re-processing needs both first_date and last_date in the config of op {INGEST_OP} "
            f"(got first_date={config.first_date!r}, last_date={config.last_date!r})"
        )
    return window_between(config.first_date, config.last_date)


def _top_papers_preview(warehouse: Warehouse, run_id: str) -> dg.MetadataValue | None:
    """The newest listing date this run loaded, top papers first, as Markdown for the UI."""
    with connect(warehouse.warehouse_path) as connection:
        loaded = listing_dates_loaded_by_run(connection, run_id)
        if not loaded:
            return None
        papers = top_listings(connection, loaded[-1])
    return dg.MetadataValue.md(top_papers_markdown(loaded[-1], papers))


def _fetch_metadata(report: IngestReport) -> dict[str, dg.MetadataValue]:
    return {
        "dates_requested": dg.MetadataValue.int(report.dates_requested),
        "dates_fetched": dg.MetadataValue.int(report.dates_fetched),
        "requests": dg.MetadataValue.int(report.requests),
        "retries": dg.MetadataValue.int(report.retries),
        "seconds_fetching": dg.MetadataValue.float(round(report.seconds_fetching, 3)),
    }
