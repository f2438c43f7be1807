"""The one place paperboard reads its environment.

Every entry point (Dagster definitions, the CLI, dbt via its profile) resolves the same
settings, so a run started from the UI and one started from a shell touch the same files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.warehouse.lake import Lake, parse_lake

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ENDPOINT = "https://huggingface.co"
# 06:00 UTC: yesterday's list is complete, and the run is done before Europe's working day.
DEFAULT_SCHEDULE_CRON = "0 6 * * *"


@dataclass(frozen=True)
class Settings:
    hf_endpoint: str
    data_dir: Path
    hf_token: str | None = field(repr=False)
    client_overrides: dict[str, int] = field(default_factory=dict)
    schedule_cron: str = DEFAULT_SCHEDULE_CRON
    # The digests' mail server, `smtp[s]://[user[:password]@]host[:port]`: it may hold a
    # password, so it stays out of every repr (and reaches Dagster as an EnvVar).
    smtp_url: str | None = field(default=None, repr=False)
    # The digests' From address (`digests@example.org` or `Paperboard <digests@example.org>`).
    digest_from: str | None = None
    # The team profile: a DuckLake named by PAPERBOARD_WAREHOUSE; None is the DuckDB file.
    lake: Lake | None = None

    @property
    def warehouse(self) -> Path | Lake:
        """Where the warehouse is, whichever kind: what `warehouse.connection.connect` opens."""
        return self.lake if self.lake is not None else self.warehouse_path

    @property
    def warehouse_path(self) -> Path:
        return self.data_dir / "warehouse.duckdb"

    @property
    def serving_path(self) -> Path:
        return self.data_dir / "serving.duckdb"

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def feeds_dir(self) -> Path:
        return self.data_dir / "feeds"


def load_settings() -> Settings:
    """Read settings from the environment; relative data dirs resolve against the repo root.

    Resolving against the repo root (not the working directory) matters because dbt and the
    Dagster code server run from other directories than the shell that started them.
    """
    data_dir = Path(os.environ.get("PAPERBOARD_DATA_DIR") or "data")
    if not data_dir.is_absolute():
        data_dir = REPO_ROOT / data_dir
    return Settings(
        hf_endpoint=(os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/"),
        data_dir=data_dir,
        hf_token=os.environ.get("HF_TOKEN") or None,
        client_overrides=_client_overrides(),
        schedule_cron=os.environ.get("PAPERBOARD_SCHEDULE_CRON") or DEFAULT_SCHEDULE_CRON,
        smtp_url=os.environ.get("PAPERBOARD_SMTP_URL") or None,
        digest_from=os.environ.get("PAPERBOARD_DIGEST_FROM") or None,
        lake=parse_lake(os.environ.get("PAPERBOARD_WAREHOUSE"), _lake_data_path()),
    )


def _lake_data_path() -> str | None:
    """PAPERBOARD_LAKE_DATA_PATH: `s3://bucket/prefix/` as given, a folder made absolute."""
    value = os.environ.get("PAPERBOARD_LAKE_DATA_PATH") or None
    if value is None or "://" in value:
        return value
    folder = Path(value)
    return str(folder if folder.is_absolute() else REPO_ROOT / folder)


# Tuning knobs of the API client, for when the defaults (8 requests in flight, at most 450
# requests in any 300 s) do not fit: a token with a higher limit, or a local mirror.
CLIENT_ENV = {
    "PAPERBOARD_CONCURRENCY": "concurrency",
    "PAPERBOARD_REQUEST_BUDGET": "budget_requests",
    "PAPERBOARD_BUDGET_WINDOW_SECONDS": "budget_window_seconds",
}


def _client_overrides() -> dict[str, int]:
    overrides = {}
    for variable, field_name in CLIENT_ENV.items():
        raw = os.environ.get(variable)
        if raw is None or raw == "":
            continue
        if not raw.isdigit() or int(raw) < 1:
            raise ValueError(f"{variable} must be a whole number of at least 1, not {raw!r}")
        overrides[field_name] = int(raw)
    return overrides
