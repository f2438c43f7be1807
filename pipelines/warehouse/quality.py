"""Data-quality rules over the `hf.*` tables: the queries and the verdicts, no Dagster.

The Dagster asset checks in `pipelines/defs/checks.py` only call these and report the result,
so every rule is tested here on a small literal warehouse.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import duckdb

from pipelines.warehouse.contract import HF_TABLE_KEYS

# One constant query per table (table names cannot be bound as parameters): every key value
# that occurs more than once, most repeated first.
_DUPLICATE_KEYS_SQL = {
    "daily_listings": """
        select listing_date::varchar || ' / ' || paper_id as key, count(*) as copies
        from hf.daily_listings group by listing_date, paper_id having count(*) > 1
        order by copies desc, key
    """,
    "papers": """
        select paper_id as key, count(*) as copies
        from hf.papers group by paper_id having count(*) > 1
        order by copies desc, key
    """,
    "paper_authors": """
        select paper_id || ' / ' || position::varchar as key, count(*) as copies
        from hf.paper_authors group by paper_id, position having count(*) > 1
        order by copies desc, key
    """,
    "upvote_snapshots": """
        select paper_id || ' / ' || strftime(fetched_at, '%Y-%m-%dT%H:%M:%S.%fZ') as key,
            count(*) as copies
        from hf.upvote_snapshots group by paper_id, fetched_at having count(*) > 1
        order by copies desc, key
    """,
}


@dataclass(frozen=True)
class DuplicateKeys:
    table: str
    key_columns: tuple[str, ...]
    duplicated: int
    """How many key values occur more than once."""
    examples: list[str]
    """Up to five of them, as `value / value (n copies)`."""

    @property
    def passed(self) -> bool:
        return self.duplicated == 0


def duplicate_keys(connection: duckdb.DuckDBPyConnection, table: str) -> DuplicateKeys:
    """The key values of `hf.<table>` that occur more than once."""
    rows = connection.execute(_DUPLICATE_KEYS_SQL[table]).fetchall()
    return DuplicateKeys(
        table=table,
        key_columns=HF_TABLE_KEYS[table],
        duplicated=len(rows),
        examples=[f"{key} ({copies} copies)" for key, copies in rows[:5]],
    )


def listed_dates(connection: duckdb.DuckDBPyConnection, start: date, end: date) -> set[date]:
    """The dates of [start, end) that have at least one row in `hf.daily_listings`."""
    rows = connection.execute(
        """
        select distinct listing_date from hf.daily_listings
        where listing_date >= $start and listing_date < $end
        """,
        {"start": start, "end": end},
    ).fetchall()
    return {row[0] for row in rows}


def empty_weekdays(fetched: Iterable[date], listed: Iterable[date]) -> list[date]:
    """Monday-to-Friday dates that were fetched but have no listings: a list came back empty.

    Weekends are often empty on Hugging Face and are not reported.
    """
    listed_set = set(listed)
    return sorted(day for day in set(fetched) if day.weekday() < 5 and day not in listed_set)
