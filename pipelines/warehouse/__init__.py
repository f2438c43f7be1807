"""The DuckDB warehouse: opening it safely and loading batches into it idempotently."""
