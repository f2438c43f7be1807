"""Reading the change ledger (`hf.loads`, `hf.load_fetches`): which dates a run's loads wrote.

The steps after loading in a Dagster run ask the warehouse what that run loaded, instead of
working it out from the run's partitions, tags or config: a run started any way (a job
backfill, the asset graph, the schedule, a re-execution, the CLI) then checks the same dates.
"""

from __future__ import annotations

from datetime import date

import duckdb

_RUN_DATES_SQL = """
select distinct f.listing_date
from hf.load_fetches as f
inner join hf.loads as l on f.load_id = l.load_id
where l.dagster_run_id = $run_id
order by f.listing_date
"""

_NEWEST_LOAD_DATES_SQL = """
select distinct listing_date from hf.load_fetches
where load_id = (select max(load_id) from hf.loads)
order by listing_date
"""


def listing_dates_loaded_by_run(
    connection: duckdb.DuckDBPyConnection, run_id: str | None
) -> list[date]:
    """The listing dates the loads of one Dagster run wrote, oldest first."""
    if not run_id:
        return []
    rows = connection.execute(_RUN_DATES_SQL, {"run_id": run_id}).fetchall()
    return [row[0] for row in rows]


def listing_dates_of_newest_load(connection: duckdb.DuckDBPyConnection) -> list[date]:
    """The listing dates the newest load wrote, oldest first (none in an empty warehouse)."""
    return [row[0] for row in connection.execute(_NEWEST_LOAD_DATES_SQL).fetchall()]


def listing_dates_to_check(connection: duckdb.DuckDBPyConnection, run_id: str | None) -> list[date]:
    """What a check run looks at: the dates its run loaded, or, when its run loaded nothing
    (a check run on its own), the dates of the newest load."""
    return listing_dates_loaded_by_run(connection, run_id) or listing_dates_of_newest_load(
        connection
    )
