"""Which papers a date lists: how many, with their arXiv ids and publication times.

It is cheap, so a later date can look back at an earlier date's plan (to list one of its
papers again) without generating that date's list.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from devtools.sample.eras import FEED_START, eastern_offset, is_listing_day
from devtools.sample.links import MESSY_GITHUB_FORMS


def _typical_count(day: date) -> float:
    """The median weekday count: ~11 in mid 2023, ~18 by the end of 2024, ~23 in late 2025."""
    years = (day - FEED_START).days / 365.25
    if years < 1.6:
        return 11.0 + 4.5 * years
    return min(18.2 + 2.2 * (years - 1.6), 25.0)


def _count_bounds(day: date) -> tuple[int, int]:
    if day.year <= 2023:
        return 8, 15
    if day.year == 2024:
        return 10, 25
    return 15, 45


def _day_count(rng: random.Random, day: date) -> tuple[int, bool]:
    """How many fresh papers a weekday lists, and whether it is a bulk day (more than 50).

    Bulk days (papers added in bulk) are 7% of weekdays from 2025, 2% in 2024; one weekday in
    about 65 from 2025 lists more than 100.
    """
    low, high = _count_bounds(day)
    roll = rng.random()
    if day.year >= 2025 and roll >= 1 - 0.015:
        return rng.randint(101, 135), True
    if (day.year >= 2025 and roll >= 1 - 0.07) or (day.year == 2024 and roll >= 1 - 0.02):
        return rng.randint(51, 72), True
    return _ordinary_count(rng, day, low, high), False


def _ordinary_count(rng: random.Random, day: date, low: int, high: int) -> int:
    count = round(_typical_count(day) * math.exp(rng.gauss(0.0, 0.3)))
    if count < low:
        return low + rng.randrange(4)
    if count > high:
        return high - rng.randrange(4)
    return count


@lru_cache(maxsize=8)
def _lag_weights(weekday: int) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """How many days before the listing papers were published on arXiv (weekends are quiet)."""
    base = (3, 46, 15, 11, 7, 4, 3, 2.5, 2, 1.5, 1.2, 1, 0.8, 0.6, 0.5)
    lags = tuple(range(15))
    weights = []
    for lag, weight in zip(lags, base, strict=True):
        arxiv_weekday = (weekday - lag) % 7
        weights.append(weight * (0.25 if arxiv_weekday >= 5 else 1.0))
    cumulative: list[float] = []
    total = 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    return lags, tuple(cumulative)


def _monthly_volume(year: int) -> int:
    return {2023: 17_000, 2024: 22_000, 2025: 27_000}.get(year, 17_000 if year < 2023 else 30_000)


@dataclass(frozen=True)
class PlannedPaper:
    """One fresh paper on a day's list: its arXiv id and arXiv publication time.

    `github_variant` forces the paper to have a repo written in that messy form (see
    `plan_day`); otherwise the paper draws its own.
    """

    paper_id: str
    published_at: datetime
    github_variant: str | None = None


@dataclass(frozen=True)
class DayPlan:
    papers: tuple[PlannedPaper, ...]
    bulk: bool
    state: int  # the day stream's state afterwards, to seed the rest of the day's draws


@lru_cache(maxsize=512)
def _blocks_per_day(year: int, month: int) -> int:
    """How many ids of one (arXiv day, lag) slot fit in a day's share of the month's numbers."""
    next_month = date(year + month // 12, month % 12 + 1, 1)
    days_in_month = (next_month - timedelta(days=1)).day
    return _monthly_volume(year) // days_in_month // 16


def _arxiv_id(arxiv_day: date, lag: int, block: int) -> str:
    """An id no other listing date can produce.

    Within the arXiv day's share of the month's numbers, number = 16 * block + lag + 1: the
    lag (listing date minus arXiv date, 0-14) is the residue, so two listing dates never draw
    the same id for the same arXiv day, and days never overlap.
    """
    blocks = _blocks_per_day(arxiv_day.year, arxiv_day.month)
    number = 16 * ((arxiv_day.day - 1) * blocks + block) + lag + 1
    return f"{arxiv_day:%y%m}.{number:05d}"


def _arxiv_time(rng: random.Random, arxiv_day: date, same_day: bool) -> datetime:
    """arXiv times cluster just before the 14:00 US Eastern deadline.

    A paper listed on its arXiv day was published early enough to be submitted that day.
    """
    midnight = datetime(arxiv_day.year, arxiv_day.month, arxiv_day.day, tzinfo=UTC)
    if rng.random() < 0.35:
        deadline = midnight + timedelta(hours=14) + eastern_offset(midnight + timedelta(hours=14))
        return deadline - timedelta(seconds=rng.randint(1, 1500))
    return midnight + timedelta(seconds=rng.randint(0, 72_000 if same_day else 86_399))


@lru_cache(maxsize=4096)
def plan_day(seed: int, day: date) -> DayPlan:
    """The fresh papers a date lists: only ids and arXiv times, so it is cheap.

    A later date can re-list one of these papers without generating this date's list.
    Each listing day also writes one paper's repo in a messy form, rotating so that any two
    consecutive full weeks show every form (`MESSY_GITHUB_FORMS`).
    """
    rng = random.Random(f"{seed}:{day.isoformat()}")
    if not is_listing_day(day):
        return DayPlan((), False, 0)
    count, bulk = _day_count(rng, day)
    lags, cumulative = _lag_weights(day.weekday())
    taken: dict[int, set[int]] = {}
    papers = []
    for _ in range(count):
        while True:
            lag = rng.choices(lags, cum_weights=cumulative)[0]
            arxiv_day = day - timedelta(days=lag)
            capacity = _blocks_per_day(arxiv_day.year, arxiv_day.month)
            used = taken.setdefault(lag, set())
            if len(used) < capacity:
                break
        block = rng.randrange(capacity)
        while block in used:
            block = rng.randrange(capacity)
        used.add(block)
        papers.append(
            PlannedPaper(_arxiv_id(arxiv_day, lag, block), _arxiv_time(rng, arxiv_day, lag == 0))
        )
    _, week, weekday = day.isocalendar()
    form = MESSY_GITHUB_FORMS[(week * 5 + weekday - 1) % len(MESSY_GITHUB_FORMS)]
    papers[0] = PlannedPaper(papers[0].paper_id, papers[0].published_at, form)
    return DayPlan(tuple(papers), bulk, rng.getrandbits(32))
