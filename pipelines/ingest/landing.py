"""The landing zone: every fetched page, gzip-compressed and unchanged, before anything else.

Two kinds, one interface (`Landing`), chosen by `landing_for` with the warehouse: this
module's folder for the embedded DuckDB file, and the lake's own table for the team profile
(`pipelines/ingest/lake_landing.py`), so that any worker can re-process what another landed.

Layout of the folder, under `raw/daily_papers/`:
`listing_date=YYYY-MM-DD/fetched_at=YYYYMMDDTHHMMSS.ffffffZ/page-NNN.json.gz`.
A fetch is written into a hidden temporary folder and renamed into place, so a reader sees
either every page of a fetch or none; a temporary folder left by a killed process is ignored
and removed by the next run.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from pipelines.atomic_files import TEMP_PREFIX, remove_abandoned, replaced_atomically

if TYPE_CHECKING:
    from pipelines.warehouse.connection import WarehouseTarget

SOURCE_DIR = "daily_papers"
_FETCHED_AT_FORMAT = "%Y%m%dT%H%M%S.%fZ"


@dataclass(frozen=True)
class LandedFetch:
    listing_date: date
    fetched_at: datetime
    path: Path | None = None  # its folder, when landed in one

    @property
    def key(self) -> tuple[date, datetime]:
        return (self.listing_date, self.fetched_at)

    def read_pages(self) -> list[bytes]:
        assert self.path is not None, "a fetch landed in the lake is read through its landing"
        return [
            gzip.decompress(page.read_bytes()) for page in sorted(self.path.glob("page-*.json.gz"))
        ]


class LandingError(RuntimeError):
    """A fetch could not be written (disk full, data directory not writable); nothing landed."""


class Landing(Protocol):
    """Where fetches land and are read back from, whichever kind."""

    def describe(self) -> str: ...

    def land(
        self, listing_date: date, fetched_at: datetime, pages: Iterable[bytes]
    ) -> LandedFetch: ...

    def fetches(self, listing_dates: Sequence[date]) -> dict[date, list[LandedFetch]]: ...

    def dates(self) -> list[date]: ...

    def read_pages(
        self, fetches: Sequence[LandedFetch]
    ) -> dict[tuple[date, datetime], list[bytes]]: ...

    def remove_abandoned(self) -> list[str]: ...

    def close(self) -> None: ...


class FolderLanding:
    """The embedded profile's landing: the functions below over one raw folder."""

    def __init__(self, raw_dir: Path) -> None:
        self.raw_dir = raw_dir

    def describe(self) -> str:
        return str(self.raw_dir)

    def land(self, listing_date: date, fetched_at: datetime, pages: Iterable[bytes]) -> LandedFetch:
        return land(self.raw_dir, listing_date, fetched_at, pages)

    def fetches(self, listing_dates: Sequence[date]) -> dict[date, list[LandedFetch]]:
        return {day: landed_fetches(self.raw_dir, day) for day in listing_dates}

    def dates(self) -> list[date]:
        return landed_dates(self.raw_dir)

    def read_pages(
        self, fetches: Sequence[LandedFetch]
    ) -> dict[tuple[date, datetime], list[bytes]]:
        return {fetch.key: fetch.read_pages() for fetch in fetches}

    def remove_abandoned(self) -> list[str]:
        return [str(path) for path in remove_abandoned_temp_dirs(self.raw_dir)]

    def close(self) -> None:
        pass


@contextmanager
def landing_for(warehouse: WarehouseTarget, raw_dir: Path | None) -> Iterator[Landing]:
    """The landing that goes with the warehouse: the lake's table for a lake, else the folder."""
    from pipelines.warehouse.lake import Lake

    if isinstance(warehouse, Lake):
        from pipelines.ingest.lake_landing import LakeLanding

        landing: Landing = LakeLanding(warehouse)
    else:
        if raw_dir is None:
            raise ValueError("the DuckDB file's fetches land in a folder: give raw_dir")
        landing = FolderLanding(raw_dir)
    try:
        yield landing
    finally:
        landing.close()


def checked_date(listing_date: date) -> date:
    """A listing date, refusing anything but a real `date` before it reaches a path or query."""
    if not isinstance(listing_date, date) or isinstance(listing_date, datetime):
        raise TypeError(f"a listing date must be a datetime.date, not {listing_date!r}")
    return listing_date


def date_dir(raw_dir: Path, listing_date: date) -> Path:
    """The folder of one listing date; only a real `date` (never text) becomes a path."""
    return raw_dir / SOURCE_DIR / f"listing_date={checked_date(listing_date).isoformat()}"


def land(
    raw_dir: Path, listing_date: date, fetched_at: datetime, pages: Iterable[bytes]
) -> LandedFetch:
    """Write one fetch's pages atomically; return where they landed.

    An OS error (disk full, a read-only or missing data directory) becomes a `LandingError`
    naming the date and the folder, after the temporary folder is removed: nothing half-written
    stays behind.
    """
    parent = date_dir(raw_dir, listing_date)
    final = parent / f"fetched_at={fetched_at.astimezone(UTC).strftime(_FETCHED_AT_FORMAT)}"
    try:
        with replaced_atomically(final) as temp:
            temp.mkdir()
            for number, body in enumerate(pages):
                # mtime=0 keeps the bytes a pure function of the body.
                (temp / f"page-{number:03d}.json.gz").write_bytes(
                    gzip.compress(body, compresslevel=5, mtime=0)
                )
    except OSError as error:
        raise LandingError(
            f"listing date {listing_date}: could not land the fetch in {parent}: "
            f"{error.strerror or error}"
        ) from error
    return LandedFetch(listing_date, fetched_at.astimezone(UTC), final)


def landed_fetches(raw_dir: Path, listing_date: date) -> list[LandedFetch]:
    """Every complete fetch of a date, oldest first."""
    parent = date_dir(raw_dir, listing_date)
    if not parent.is_dir():
        return []
    fetches = []
    for child in parent.iterdir():
        if not child.name.startswith("fetched_at="):
            continue
        stamp = child.name.removeprefix("fetched_at=")
        fetched_at = datetime.strptime(stamp, _FETCHED_AT_FORMAT).replace(tzinfo=UTC)
        fetches.append(LandedFetch(listing_date, fetched_at, child))
    return sorted(fetches, key=lambda fetch: fetch.fetched_at)


def landed_dates(raw_dir: Path) -> list[date]:
    """Every listing date with a landed folder, oldest first."""
    source = raw_dir / SOURCE_DIR
    if not source.is_dir():
        return []
    return sorted(
        date.fromisoformat(child.name.removeprefix("listing_date="))
        for child in source.iterdir()
        if child.name.startswith("listing_date=") and child.is_dir()
    )


def remove_abandoned_temp_dirs(raw_dir: Path) -> list[Path]:
    """Delete the temporary folders of fetches whose writing process no longer exists."""
    return remove_abandoned((raw_dir / SOURCE_DIR).glob(f"*/{TEMP_PREFIX}*"))
