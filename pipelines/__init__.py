"""paperboard: the Hugging Face Daily Papers listings as a DuckDB warehouse."""

__version__ = "0.1.0"
