"""A deterministic generator of realistic Hugging Face Daily Papers API responses.

``generate_listing(listing_date, seed)`` returns exactly the JSON array that
``GET /api/daily_papers?date=YYYY-MM-DD`` would return for that date, un-paged. It depends on
``(seed, listing_date)`` alone: a date's list is the same whichever other dates are generated,
in whatever order, in whatever process. It is fast enough to serve 2023-05-04..2025-10-19 on the
fly (about 900 dates in a couple of seconds).

What it models, from archived real responses (2024-03 to 2026-08):

* **Volume.** Weekends and a few fixed holidays are empty lists (a valid, empty partition).
  Weekday counts grow from about 8-15 (2023) to 10-25 (2024) and 15-45 (2025 on); a few
  percent of days exceed 50 and a handful exceed 100, so paging past 50 and 100 happens.
* **Schema drift.** Keys appear in the eras the real feed shows (see the ``*_FROM`` dates
  in :mod:`devtools.sample.eras`); optional fields are absent, never ``null``; key order is
  the API's.
* **Two clocks.** Until 2025-02 the top-level ``publishedAt`` is when the paper was put on the
  list (it can fall on the evening before the listing date). From 2025-03 the API sends the
  arXiv time shifted by the US Eastern offset but still suffixed ``Z`` (a real quirk), and the
  listing time moves to ``paper.submittedOnDailyAt``. ``paper.publishedAt`` is the arXiv time,
  0-14 days before the listing date. In some weeks a list carries papers submitted a few days
  earlier (a backlog).
* **Messiness, at low realistic rates.** The same arXiv id twice in one list; a paper listed
  again on a later date (same id, title and authors, other upvotes); hidden authors; about 15%
  of authors linked to a Hugging Face user; accented, non-Latin and oddly spaced names; arXiv
  line wraps in titles and abstracts; edited top-level titles; ``githubRepo`` values with a
  trailing slash, ``.git``, a deeper path, ``http://www.``, only an owner, a non-GitHub host,
  an embedded newline or space, a query or fragment; free-form ``projectPage`` values.
* **Content** spread over current ML topics (reasoning, agents, RL, image and video
  generation, 3D, multimodal, speech, robotics, efficiency, scaling, data, safety, retrieval,
  code, science, medicine) plus a few miscellaneous papers, built from templates: every title,
  abstract, name and link is invented.

How it is built: this module draws a date's list and its counts; ``day_plan`` decides which
papers a date lists, ``papers`` what each paper is (with ``text``, ``people`` and ``links``),
``entries`` how a date's era writes it, ``eras`` which keys each date has. The words, names and
organisations are data, in ``vocabulary/`` (see :mod:`devtools.sample.vocabulary`).

Regenerate the bundled sample (``devtools/sample/daily_papers/``, 2025-11-24..2025-12-07,
seed 0) from the repository root with::

    .venv/bin/python -c "from devtools.sample.generator import write_bundled_sample as w; w()"

``tests/test_generator.py`` fails if the bundled files drift from what the generator writes.
"""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from devtools.sample.day_plan import plan_day
from devtools.sample.entries import listing_entry
from devtools.sample.eras import FEED_START, Era, is_listing_day
from devtools.sample.papers import make_paper

__all__ = [
    "FEED_START",
    "SAMPLE_DIR",
    "SAMPLE_END",
    "SAMPLE_START",
    "generate_listing",
    "listing_json",
    "write_bundled_sample",
    "write_sample",
]

# The bundled sample: two weeks, ten weekdays with files, seed 0.
SAMPLE_START = date(2025, 11, 24)
SAMPLE_END = date(2025, 12, 7)
SAMPLE_DIR = Path(__file__).resolve().parent / "daily_papers"


def _upvotes(rng: random.Random) -> int:
    return min(900, int(math.exp(rng.gauss(1.7, 1.25))))


def _comments(rng: random.Random, upvotes: int) -> int:
    base = rng.choices((0, 1, 2, 3, 4, 5), cum_weights=(14, 50, 80, 90, 95, 98))[0]
    if rng.random() < 0.02:
        base = rng.randint(6, 10)
    return base + (1 if upvotes > 60 and rng.random() < 0.5 else 0)


def _in_backlog(seed: int, day: date) -> bool:
    """Some weeks the list also carries papers submitted a few days earlier."""
    year, week, _ = day.isocalendar()
    return random.Random(f"{seed}:backlog:{year}-{week}").random() < 0.12


def _submission_time(rng: random.Random, day: date, era: Era, backlog: bool) -> datetime:
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    if era.ai_summary_model is not None:
        return midnight  # from 2026-06 the API rounds this to the listing day
    if backlog and rng.random() < 0.25:
        earlier = timedelta(days=rng.randint(1, 4), milliseconds=rng.randrange(86_400_000))
        return midnight - earlier
    roll = rng.random()
    if not era.daily_submission and roll < 0.15:
        seconds = -rng.randint(60, 3 * 3600)  # the evening before, UTC
    elif roll < 0.75:
        seconds = rng.randint(0, 4 * 3600)
    else:
        seconds = rng.randint(4 * 3600, 86_399)
    return midnight + timedelta(seconds=seconds, milliseconds=rng.randrange(1000))


def generate_listing(listing_date: date, seed: int = 0) -> list[dict[str, Any]]:
    """The JSON-ready list the Daily Papers API returns for `listing_date` (all pages).

    Deterministic from `(seed, listing_date)` alone. Weekends, holidays and dates before the
    feed started give an empty list.
    """
    plan = plan_day(seed, listing_date)
    if not plan.papers:
        return []
    era = Era.of(listing_date)
    late = listing_date.year >= 2025
    rng = random.Random(f"{seed}:{listing_date.isoformat()}:listing:{plan.state}")
    backlog = _in_backlog(seed, listing_date)

    papers = [make_paper(seed, p, late) for p in plan.papers]

    # Re-listings: ~2% of entries are a paper that an earlier date already listed.
    for _ in range(len(plan.papers)):
        if rng.random() >= 0.02:
            continue
        earlier = listing_date - timedelta(days=rng.randint(1, 6))
        while not is_listing_day(earlier) and earlier >= FEED_START:
            earlier -= timedelta(days=1)
        oldest = datetime(listing_date.year, listing_date.month, listing_date.day, tzinfo=UTC)
        choices = [
            p
            for p in plan_day(seed, earlier).papers
            if p.published_at >= oldest - timedelta(days=14)
        ]
        if choices:
            papers.append(make_paper(seed, rng.choice(choices), earlier.year >= 2025))

    # The same arXiv id twice in one day's list: a bulk addition re-adds a paper that is
    # already listed; ordinary days do so one time in a hundred. Over 2023-05..2025-10 that
    # is about one listing day in twenty-five (more often from 2025, when bulk days are common).
    if plan.bulk or rng.random() < 0.01:
        papers.append(rng.choice(papers))

    entries = []
    for paper in papers:
        upvotes = _upvotes(rng)
        submitted_at = _submission_time(rng, listing_date, era, backlog)
        submitted_at = max(submitted_at, paper.published_at + timedelta(minutes=30))
        entries.append(
            (upvotes, listing_entry(paper, era, submitted_at, upvotes, _comments(rng, upvotes)))
        )
    entries.sort(key=lambda pair: -pair[0])  # the API lists by upvotes, most first
    return [entry for _, entry in entries]


def listing_json(listing: list[dict[str, Any]]) -> bytes:
    """The bytes the API sends for a listing: compact JSON, UTF-8, non-ASCII unescaped."""
    return json.dumps(listing, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_sample(start: date, end: date, out_dir: Path, seed: int = 0) -> list[Path]:
    """Write `YYYY-MM-DD.json` for every date in `[start, end]` (inclusive) with a list."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    day = start
    while day <= end:
        listing = generate_listing(day, seed)
        if listing:
            path = out_dir / f"{day.isoformat()}.json"
            path.write_bytes(listing_json(listing))
            written.append(path)
        day += timedelta(days=1)
    return written


def write_bundled_sample(out_dir: Path = SAMPLE_DIR) -> list[Path]:
    """Rewrite the bundled sample, removing any date file the generator no longer writes."""
    out_dir = Path(out_dir)
    for stale in out_dir.glob("????-??-??.json"):
        stale.unlink()
    return write_sample(SAMPLE_START, SAMPLE_END, out_dir, seed=0)
