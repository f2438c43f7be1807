"""Bad responses: each one loads to the right rows or fails its date, and never writes half.

The corpus (`tests/corpus`) holds mutated responses for one date that already has good rows.
Each is landed as a new fetch and the three dates around it are re-processed from raw, the
path every run takes. A failing case must name the date, the field and the value, and leave
every table exactly as it was (checksums including `fetched_at`); a loading case must give
the rows it lists, and loading it again must change nothing.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from devtools.fake_api import FakeDailyPapersApi, FolderSource
from pipelines.ingest.client import ClientSettings, DailyPapersClient
from pipelines.ingest.landing import land, landed_fetches
from pipelines.ingest.run import IngestError, ingest, reprocess
from tests.corpus import AFTER, BEFORE, CASES, DATES, DAY, FAILING, LOADING, Case, baseline
from tests.factories import entry, page, write_listings
from tests.pipeline_helpers import rows, table_checksums

HF = ["hf.daily_listings", "hf.papers", "hf.paper_authors", "hf.upvote_snapshots"]
OTHER_DATES = (
    "select * from hf.daily_listings where listing_date <> '2025-10-02' "
    "order by listing_date, position"
)


def quiet(message: str) -> None:
    """Runs in these tests log nowhere."""


def reprocess_dates(data_dir: Path) -> None:
    reprocess(DATES, raw_dir=data_dir / "raw", warehouse=data_dir / "warehouse.duckdb", log=quiet)


@pytest.fixture(scope="module")
def loaded_baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three good dates, landed and loaded once for the whole module."""
    data_dir = tmp_path_factory.mktemp("baseline")
    for listing_date, entries in baseline().items():
        land(data_dir / "raw", listing_date, BEFORE, [page(entries)])
    reprocess_dates(data_dir)
    return data_dir


@pytest.fixture
def data_dir(loaded_baseline: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(loaded_baseline, copy)
    return copy


def test_the_corpus_has_at_least_thirty_cases_with_unique_names():
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", FAILING, ids=lambda case: case.id)
def test_a_bad_response_fails_its_date_naming_the_field_and_value_and_writes_nothing(
    case: Case, data_dir: Path
):
    warehouse = data_dir / "warehouse.duckdb"
    before = table_checksums(warehouse, HF)
    land(data_dir / "raw", DAY, AFTER, case.pages)

    with pytest.raises(IngestError) as raised:
        reprocess_dates(data_dir)

    message = str(raised.value)
    assert message.startswith("1 of 3 dates failed; every other date was loaded:")
    assert f"- listing date {DAY}: " in message
    for fragment in case.fails:
        assert fragment in message
    assert len(message) < 2000, "the message quotes values, never whole bodies"
    assert table_checksums(warehouse, HF) == before


@pytest.mark.parametrize("case", LOADING, ids=lambda case: case.id)
def test_an_odd_but_valid_response_loads_to_the_right_rows(case: Case, data_dir: Path):
    warehouse = data_dir / "warehouse.duckdb"
    other_dates = rows(warehouse, OTHER_DATES)
    land(data_dir / "raw", DAY, AFTER, case.pages)

    reprocess_dates(data_dir)

    for query, expected in case.expect:
        assert rows(warehouse, query) == expected, query
    assert rows(warehouse, OTHER_DATES) == other_dates
    loaded_once = table_checksums(warehouse, HF)
    reprocess_dates(data_dir)
    assert table_checksums(warehouse, HF) == loaded_once


def test_a_date_rejected_once_loads_when_a_good_fetch_lands_later(data_dir: Path):
    raw = data_dir / "raw"
    land(raw, DAY, AFTER, [b"<html>Bad gateway</html>"])
    with pytest.raises(IngestError):
        reprocess_dates(data_dir)
    later = AFTER.replace(hour=7)
    land(raw, DAY, later, [page([entry("2510.00002", title="Fixed", upvotes=11)])])

    reprocess_dates(data_dir)

    assert rows(
        data_dir / "warehouse.duckdb",
        "select paper_id, title, upvotes from hf.daily_listings where listing_date = '2025-10-02'",
    ) == [("2510.00002", "Fixed", 11)]
    assert len(landed_fetches(raw, DAY)) == 3, "the rejected fetch stays landed, unchanged"


class RawBodyApi(FakeDailyPapersApi):
    """The fake API, except that one date answers 200 with whatever bytes it is given."""

    def __init__(self, folder: Path, bad_date: date, body: bytes) -> None:
        super().__init__(FolderSource(folder))
        self.bad_date = bad_date
        self.body = body

    def answer(self, query: dict[str, list[str]]) -> tuple[int, bytes, Any]:
        status, body, listing_date = super().answer(query)
        if listing_date == self.bad_date:
            return 200, self.body, listing_date
        return status, body, listing_date


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<!DOCTYPE html><html><body>Rate limited</body></html>", "b'<!DOCTYPE html>"),
        (b'{"error": "Invalid date"}', 'b\'{"error": "Invalid date"}\''),
        (b'[{"paper": "\xff\xfe"}]', "\\xff\\xfe"),
        (b'[{"paper": {"id": "2510.00002"', "not a complete JSON array"),
        (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    ],
    ids=["html with status 200", "an object", "invalid utf-8", "truncated", "nested too deeply"],
)
def test_a_body_the_client_cannot_read_fails_its_date_over_http_and_lands_nothing(
    tmp_path: Path, body: bytes, problem: str
):
    listings = {d.isoformat(): entries for d, entries in baseline().items()}
    folder = write_listings(tmp_path / "api", listings)
    data_dir = tmp_path / "data"
    api = RawBodyApi(folder, DAY, body)
    with api.serve() as base_url, pytest.raises(IngestError) as raised:
        ingest(
            DATES,
            client=DailyPapersClient(
                ClientSettings(
                    endpoint=base_url,
                    max_attempts=2,
                    backoff_initial_seconds=0.001,
                    backoff_max_seconds=0.01,
                )
            ),
            raw_dir=data_dir / "raw",
            warehouse=data_dir / "warehouse.duckdb",
            log=quiet,
        )
    message = str(raised.value)
    assert f"listing date {DAY}: " in message
    assert f"date={DAY}" in message, "the message names the URL"
    assert problem in message
    assert landed_fetches(data_dir / "raw", DAY) == []
    assert rows(
        data_dir / "warehouse.duckdb",
        "select distinct listing_date from hf.daily_listings order by 1",
    ) == [(date(2025, 10, 1),), (date(2025, 10, 3),)]
