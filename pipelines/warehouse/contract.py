"""The warehouse's contract tables, named once: the `hf.*` tables the loader writes, with the key
each one keeps unique (see ddl.sql), and the change ledger's tables beside them.

The Dagster asset keys, the key checks, the tests and the benchmarks all read these names.
"""

from __future__ import annotations

# Each `hf.*` contract table and its key, in the order a reader meets them.
HF_TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "daily_listings": ("listing_date", "paper_id"),
    "papers": ("paper_id",),
    "paper_authors": ("paper_id", "position"),
    "upvote_snapshots": ("paper_id", "fetched_at"),
}
HF_TABLES: tuple[str, ...] = tuple(HF_TABLE_KEYS)

# The change ledger (hf.rejected_fetches, written outside loads, is not one of these).
LEDGER_TABLES: tuple[str, ...] = ("loads", "load_fetches", "load_papers")
