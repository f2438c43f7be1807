"""Asset checks on the `hf.*` tables, run in the same run right after they are loaded.

- Every table's key is unique. These checks are blocking: if one fails, the dbt models
  downstream do not run in that run, so a bad load never reaches the marts or the serving copy.
- A weekday that the run loaded (the change ledger says which) but that has no listings
  warns: Hugging Face lists papers every weekday, so an empty weekday is usually an API change
  or an outage. A check run on its own looks at the newest load's dates.

Whether yesterday was fetched at all is Dagster's time-partition freshness check
(`pipelines/defs/freshness.py`). The rules live in `pipelines/warehouse/quality.py`; this
module only runs them and reports.
"""

from collections.abc import Iterator
from datetime import date, timedelta

import dagster as dg

from pipelines.defs.assets.ingest import HF_TABLES
from pipelines.defs.resources import Warehouse
from pipelines.warehouse import quality
from pipelines.warehouse.connection import connect
from pipelines.warehouse.contract import HF_TABLE_KEYS
from pipelines.warehouse.ledger import listing_dates_to_check

UNIQUE_KEY_CHECK = "unique_key"
EMPTY_WEEKDAY_CHECK = "no_empty_weekdays"


def _specs() -> list[dg.AssetCheckSpec]:
    specs = [
        dg.AssetCheckSpec(
            UNIQUE_KEY_CHECK,
            asset=HF_TABLES[table],
            blocking=True,
            description=f"No two rows of hf.{table} share ({', '.join(key)}).",
        )
        for table, key in HF_TABLE_KEYS.items()
    ]
    specs += [
        dg.AssetCheckSpec(
            EMPTY_WEEKDAY_CHECK,
            asset=HF_TABLES["daily_listings"],
            description="Warns when a weekday the run loaded (or, run alone, the newest load) "
            "listed nothing.",
        ),
    ]
    return specs


def build_warehouse_checks() -> dg.AssetChecksDefinition:
    """The checks as one step with one read-only look at the warehouse."""

    @dg.multi_asset_check(
        specs=_specs(),
        name="warehouse_checks",
        can_subset=True,
        # It reads the warehouse file, so it waits its turn like the writers do.
        pool="duckdb",
    )
    def warehouse_checks(
        context: dg.AssetCheckExecutionContext, warehouse: Warehouse
    ) -> Iterator[dg.AssetCheckResult]:
        selected = context.selected_asset_check_keys
        with connect(warehouse.warehouse_path, read_only=True) as connection:
            for table, key in HF_TABLES.items():
                if dg.AssetCheckKey(key, UNIQUE_KEY_CHECK) in selected:
                    yield _unique_key_result(quality.duplicate_keys(connection, table))
            listings = HF_TABLES["daily_listings"]
            if dg.AssetCheckKey(listings, EMPTY_WEEKDAY_CHECK) in selected:
                loaded = listing_dates_to_check(connection, context.run.run_id)
                listed = (
                    quality.listed_dates(connection, loaded[0], loaded[-1] + timedelta(days=1))
                    if loaded
                    else set()
                )
                yield _empty_weekday_result(loaded, listed)

    return warehouse_checks


def _unique_key_result(found: quality.DuplicateKeys) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        asset_key=HF_TABLES[found.table],
        check_name=UNIQUE_KEY_CHECK,
        passed=found.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=None
        if found.passed
        else f"{found.duplicated} key values of hf.{found.table} occur more than once",
        metadata={
            "key_columns": dg.MetadataValue.text(", ".join(found.key_columns)),
            "duplicated_keys": dg.MetadataValue.int(found.duplicated),
            "examples": dg.MetadataValue.text("\n".join(found.examples) or "none"),
        },
    )


def _empty_weekday_result(loaded: list[date], listed: set[date]) -> dg.AssetCheckResult:
    empty = quality.empty_weekdays(loaded, listed)
    return dg.AssetCheckResult(
        asset_key=HF_TABLES["daily_listings"],
        check_name=EMPTY_WEEKDAY_CHECK,
        passed=not empty,
        severity=dg.AssetCheckSeverity.WARN,
        description=None
        if not empty
        else f"{len(empty)} weekdays were fetched but listed no papers: "
        + ", ".join(day.isoformat() for day in empty[:10])
        + (" ..." if len(empty) > 10 else ""),
        metadata={
            "dates": dg.MetadataValue.text(f"{loaded[0]}..{loaded[-1]}" if loaded else "none"),
            "dates_loaded": dg.MetadataValue.int(len(loaded)),
            "empty_weekdays": dg.MetadataValue.int(len(empty)),
        },
    )


warehouse_checks = build_warehouse_checks()
