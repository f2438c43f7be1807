"""Resources: the API client's settings, the warehouse location and the digests' mail server,
from `Settings`."""

from __future__ import annotations

from pathlib import Path

from dagster import ConfigurableResource, EnvVar
from pydantic import Field

from pipelines.ingest.client import ClientSettings, DailyPapersClient
from pipelines.publish.digests import Sender, parse_sender
from pipelines.publish.smtp import SmtpServer, parse_smtp_url
from pipelines.settings import Settings
from pipelines.warehouse.lake import LAKE_PREFIX, Lake, parse_lake


class DailyPapersApi(ConfigurableResource):
    """The Hugging Face Daily Papers API. The token comes from `HF_TOKEN` and is never logged."""

    endpoint: str
    token: str | None = Field(default=None, repr=False)
    page_size: int = Field(default=100, description="Entries asked per page (the API's max).")
    timeout_seconds: float = 30.0
    max_attempts: int = Field(default=6, description="Tries per request before a date fails.")
    backoff_initial_seconds: float = 1.0
    backoff_max_seconds: float = 60.0
    concurrency: int = Field(default=8, description="Requests in flight at once.")
    budget_requests: int = Field(default=450, description="At most this many requests ...")
    budget_window_seconds: int = Field(default=300, description="... in any window this long.")

    def client(self) -> DailyPapersClient:
        return DailyPapersClient(
            ClientSettings(
                endpoint=self.endpoint.rstrip("/"),
                token=self.token,
                page_size=self.page_size,
                timeout_seconds=self.timeout_seconds,
                max_attempts=self.max_attempts,
                backoff_initial_seconds=self.backoff_initial_seconds,
                backoff_max_seconds=self.backoff_max_seconds,
                concurrency=self.concurrency,
                budget_requests=self.budget_requests,
                budget_window_seconds=self.budget_window_seconds,
            )
        )


class Warehouse(ConfigurableResource):
    """Where the warehouse (the DuckDB file or a DuckLake), its serving copy and the landed raw
    responses live.

    Not dagster-duckdb's `DuckDBResource`: opening the warehouse also creates the `hf.*`
    tables, sets UTC, and waits a bounded time for another process's lock before failing
    with a message naming the file, or attaches the lake (`pipelines/warehouse/connection.py`),
    which the loader, the CLI and the tests use outside Dagster too; one way to open it, in
    one module. `lake` is PAPERBOARD_WAREHOUSE: a catalog's conninfo, never a password
    (`parse_lake` refuses one; PostgreSQL's comes from PGPASSWORD).
    """

    data_dir: str
    lake: str | None = Field(default=None, description="ducklake:postgres:<conninfo>, or none.")
    lake_data_path: str | None = None

    @property
    def lake_target(self) -> Lake | None:
        return parse_lake(self.lake, self.lake_data_path)

    @property
    def target(self) -> Path | Lake:
        """What `connect` opens: the lake, or the DuckDB file."""
        return self.lake_target or self.warehouse_path

    @property
    def warehouse_path(self) -> Path:
        return Path(self.data_dir) / "warehouse.duckdb"

    @property
    def serving_path(self) -> Path:
        return Path(self.data_dir) / "serving.duckdb"

    @property
    def raw_dir(self) -> Path:
        return Path(self.data_dir) / "raw"

    @property
    def feeds_dir(self) -> Path:
        return Path(self.data_dir) / "feeds"


class DigestMailer(ConfigurableResource):
    """The digests' mail server (PAPERBOARD_SMTP_URL, which may hold a password, so it comes
    as an EnvVar and is never logged) and their From (PAPERBOARD_DIGEST_FROM)."""

    smtp_url: str | None = Field(default=None, repr=False)
    sender: str | None = None
    timeout_seconds: float = Field(default=30.0, description="Per SMTP command.")

    def missing_settings(self) -> list[str]:
        """The settings without which no digest is sent."""
        return [
            variable
            for variable, value in (
                ("PAPERBOARD_SMTP_URL", self.smtp_url),
                ("PAPERBOARD_DIGEST_FROM", self.sender),
            )
            if not value
        ]

    def server(self) -> SmtpServer:
        return parse_smtp_url(self.smtp_url or "")

    def from_address(self) -> Sender:
        return parse_sender(self.sender or "")


def build_resources(settings: Settings) -> dict[str, object]:
    token = EnvVar("HF_TOKEN") if settings.hf_token else None
    api = DailyPapersApi(endpoint=settings.hf_endpoint, token=token, **settings.client_overrides)
    smtp_url = EnvVar("PAPERBOARD_SMTP_URL") if settings.smtp_url else None
    return {
        "daily_papers_api": api,
        "warehouse": Warehouse(
            data_dir=str(settings.data_dir),
            lake=LAKE_PREFIX + settings.lake.conninfo if settings.lake else None,
            lake_data_path=settings.lake.data_path if settings.lake else None,
        ),
        "digest_mailer": DigestMailer(smtp_url=smtp_url, sender=settings.digest_from),
    }
