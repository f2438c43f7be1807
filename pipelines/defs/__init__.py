"""The Dagster side of paperboard: thin wiring around the library modules."""
