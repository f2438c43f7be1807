"""One realistic warehouse for the whole test session, built the way the pipeline builds it.

Six weeks of generated listings (devtools/sample/generator.py) are loaded the way Dagster loads
them, in batches, with `dbt` run after each batch (the incremental path: each model finds what
changed in the change ledger, no run window is passed); the incremental models are then
rebuilt with `--full-refresh`, and the warehouse is published as a serving copy
(pipelines/warehouse/serving.py). tests/test_marts_queries.py checks the marts on it
(incremental runs equal a full refresh, what each build rebuilt, docs/queries.sql); the
dashboard and feed tests read its serving copy, so what they show comes from dbt-built marts
over generated data, built once per session.

The batches are chosen so the incremental path has real work to do: the second batch lists
papers again that the first one listed (2510.04581 and 2510.07442, first listed on 2025-10-10,
are listed again on 2025-10-16), which changes their latest upvotes in windows the run's own
dates do not touch; the third batch re-fetches the last week with higher counts, which gives
recent papers a second upvote snapshot (trending_now's velocity, the upvote history), except
for one date whose re-fetch comes back empty, so its rows must leave the daily marts. A fourth
batch re-fetches two dates again and is built marts first, before the topic matcher and the
classified papers they read (as when a user materialises one mart alone): the marts must catch
up once those are built.

One paper is added to the generated lists on purpose: `HOSTILE_PAPER_ID`, whose title and
summary hold `&`, `<` and `>` and whose code and project links are `javascript:` URLs, so the
tests can check that readers see its text as written and never such a link. And a few papers
each write a word in one of its forms (`WORD_FORM_PAPERS`: "pre-training", "pretraining",
"pre training"; "configurations", "configuration"; "LLMs", "LLM"), so the search tests can
check that every form finds the same papers.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from devtools.sample.generator import generate_listing, listing_json
from pipelines.dbt_parse import DBT_PROJECT_DIR, dbt_command, dbt_environment
from pipelines.listing_calendar import dates_in_window
from pipelines.settings import REPO_ROOT
from pipelines.transform.normalise import normalise
from pipelines.transform.schema import parse_listing
from pipelines.warehouse.connection import connect
from pipelines.warehouse.load import load_batch
from pipelines.warehouse.serving import publish_serving_copy
from tests.factories import author, entry

DDL = REPO_ROOT / "pipelines" / "warehouse" / "ddl.sql"
SEED = 0

FIRST_DATE = date(2025, 9, 29)  # a Monday
SECOND_BATCH_FROM = date(2025, 10, 16)
REFETCH_FROM = date(2025, 11, 3)
EMPTIED_DATE = date(2025, 11, 7)  # a Friday whose re-fetch comes back empty
END_DATE = date(2025, 11, 10)  # exclusive, a Monday
# The incremental models, as schema.name: the marts, and the intermediates they read.
INCREMENTAL_MODELS = (
    "marts.trending_papers",
    "marts.topic_daily",
    "marts.daily_summary",
    "marts.papers",
    "marts.upvote_history",
    "marts.author_daily",
    "marts.organization_daily",
    "marts.search_index",
    "intermediate.int_paper_topics_matched",
    "intermediate.int_papers_classified",
    "intermediate.int_author_papers",
    "intermediate.int_paper_keywords_normalised",
    "intermediate.int_paper_listings_collected",
)
# The keys of each incremental model's rows, to see which rows a build rewrote.
MODEL_KEYS = {
    "marts.trending_papers": '"window", window_start',
    "marts.topic_daily": "listing_date",
    "marts.daily_summary": "listing_date",
    "marts.papers": "paper_id",
    "marts.upvote_history": "paper_id",
    "marts.author_daily": "first_listing_date",
    "marts.organization_daily": "first_listing_date",
    "marts.search_index": "paper_id",
    "intermediate.int_paper_topics_matched": "paper_id",
    "intermediate.int_papers_classified": "paper_id",
    "intermediate.int_author_papers": "paper_id",
    "intermediate.int_paper_keywords_normalised": "paper_id",
    "intermediate.int_paper_listings_collected": "paper_id",
}
# The third load: the last week fetched again, like a daily run's refresh.
REFETCH_LOAD_ID = 3
LATE_REFETCH_FROM = date(2025, 11, 8)

# Listed on a Wednesday of the re-fetched week, last on its list, with the most upvotes of it.
HOSTILE_PAPER_ID = "2511.99001"
HOSTILE_LISTING_DATE = date(2025, 11, 5)
HOSTILE_TITLE = "Diffusion & <Video> Generation at Scale"
HOSTILE_SUMMARY = "Results: 3 < 4 & 5 > 2. <script>alert(1)</script>"


# Listed on a Wednesday of the second batch, with few upvotes: each paper writes one form.
WORD_FORMS_LISTING_DATE = date(2025, 10, 22)
WORD_FORM_PAPERS = {
    "2510.99101": ("Hyphens: Pre-training Objectives Revisited", "We revisit pre-training."),
    "2510.99102": ("Joined: Pretraining Data Mixtures", "Pretraining data matters."),
    "2510.99103": ("Split: Pre training Without Labels", "Pre training needs no labels."),
    "2510.99104": ("Sparse Expert Configurations", "Many configurations are compared."),
    "2510.99105": ("One Configuration Fits All", "A single configuration suffices."),
    "2510.99106": ("LLMs Grade Essays", "Several LLMs are judges."),
    "2510.99107": ("An LLM Proves Lemmas", "One LLM writes proofs."),
}
WORD_FORMS = (
    ("pre-training", "pretraining", "pre training", "Pre-Training", "PRETRAINING"),
    ("configurations", "configuration"),
    ("LLMs", "LLM", "llms"),
)


def word_form_entries() -> list[dict[str, Any]]:
    return [
        entry(
            paper_id,
            title=title,
            listed_at="2025-10-22T08:00:00.000Z",
            upvotes=1 + number,
            num_comments=0,
            authors=[author(f"Form Author {number}")],
            summary=abstract,
            publishedAt="2025-10-20T10:00:00.000Z",
            submittedOnDailyAt="2025-10-22T08:00:00.000Z",
        )
        for number, (paper_id, (title, abstract)) in enumerate(WORD_FORM_PAPERS.items())
    ]


def hostile_entry() -> dict[str, Any]:
    return entry(
        HOSTILE_PAPER_ID,
        title=HOSTILE_TITLE,
        listed_at="2025-11-05T08:00:00.000Z",
        upvotes=900,
        num_comments=7,
        authors=[author("Ada Lovelace", username="ada"), author("Alan Turing")],
        summary="We scale diffusion models to long videos. Results: 3 < 4 & 5 > 2.",
        publishedAt="2025-11-03T10:00:00.000Z",
        submittedOnDailyAt="2025-11-05T08:00:00.000Z",
        githubRepo="javascript:alert(1)",
        projectPage="javascript:alert(2)",
        ai_summary=HOSTILE_SUMMARY,
        ai_keywords=["video diffusion", "text-to-video"],
    )


def _dates(start: date, end: date) -> list[date]:
    return dates_in_window(start, end)


def _fetched(listing_date: date, days_later: int) -> datetime:
    return datetime(listing_date.year, listing_date.month, listing_date.day, 6, tzinfo=UTC) + (
        timedelta(days=days_later)
    )


def _with_more_upvotes(listing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same list fetched days later: every paper has gained a few upvotes, and the first
    paper's title was edited (so its topics must be matched again)."""
    later = json.loads(json.dumps(listing))
    for position, listed in enumerate(later):
        listed["paper"]["upvotes"] += 3 + position % 7
    if later:
        later[0]["paper"]["title"] = "Speculative Decoding for Faster Inference"
        later[0]["title"] = later[0]["paper"]["title"]
    return later


def load_fetches(warehouse: Path, fetches: list[tuple[date, datetime, list[dict]]]) -> int:
    """Parse, normalise and load fetches as one batch, as the ingest asset does; the load id."""
    parsed = [
        parse_listing(listing_date, fetched_at, [listing_json(listing)])
        for listing_date, fetched_at, listing in fetches
    ]
    with connect(warehouse) as connection:
        return load_batch(connection, normalise(parsed)).load_id


def run_dbt(data_dir: Path, work_dir: Path, *args: str, expect_success: bool = True) -> str:
    """Run dbt on the warehouse in data_dir, as a pipeline run does (its flags, its
    environment, the prepared parse), keeping its target and logs out of the project."""
    command = [
        *dbt_command(*args),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
    ]
    result = subprocess.run(
        command,
        cwd=DBT_PROJECT_DIR,
        env={**os.environ, **dbt_environment(data_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode == 0) == expect_success, f"{' '.join(args)}:\n{result.stdout[-6000:]}"
    return result.stdout


def mart_rows(warehouse: Path, relation: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rows = connection.execute(f"select * from {relation} order by all").fetchall()  # noqa: S608
    # Lists (matched terms, authors, listings) as hashable values, so rows compare as sets.
    return [tuple(_hashable(value) for value in row) for row in rows]


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple((key, _hashable(item)) for key, item in value.items())
    return value


def keys_stamped(warehouse: Path, model: str, load_id: int) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            f"select distinct {MODEL_KEYS[model]} from {model} where load_id = ? order by all",  # noqa: S608
            [load_id],
        ).fetchall()


@dataclass(frozen=True)
class BuiltWarehouse:
    path: Path
    serving_path: Path
    """The serving copy published from the finished warehouse, as each pipeline run does."""
    incremental_rows: dict[str, list[tuple]]
    full_refresh_rows: dict[str, list[tuple]]
    refetch_build: Path
    """dbt's target folder of the build after the refetch (its run results, compiled SQL)."""
    refetch_stamps: dict[str, list[tuple]]
    """Per incremental model, the keys of the rows the refetch build wrote (load_id = 3)."""

    def moved(self, source_root: Path, target_root: Path) -> BuiltWarehouse:
        """The same warehouse after its folder `source_root` was copied to `target_root`."""

        def rebased(path: Path) -> Path:
            return target_root / path.relative_to(source_root)

        return replace(
            self,
            path=rebased(self.path),
            serving_path=rebased(self.serving_path),
            refetch_build=rebased(self.refetch_build),
        )


def build_marts_warehouse(root: Path) -> BuiltWarehouse:
    """Build the warehouse in the empty folder `root` (several dbt builds: a minute or two)."""
    data_dir, work_dir = root / "data", root / "dbt"
    data_dir.mkdir(parents=True)
    path = data_dir / "warehouse.duckdb"
    listings = {day: generate_listing(day, SEED) for day in _dates(FIRST_DATE, END_DATE)}
    listings[HOSTILE_LISTING_DATE].append(hostile_entry())
    listings[WORD_FORMS_LISTING_DATE].extend(word_form_entries())

    def first_fetches(start: date, end: date) -> list[tuple[date, datetime, list[dict]]]:
        return [(day, _fetched(day, 1), listings[day]) for day in _dates(start, end)]

    def refetches(start: date, end: date) -> list[tuple[date, datetime, list[dict]]]:
        later = {day: _with_more_upvotes(listings[day]) for day in _dates(start, end)}
        later[EMPTIED_DATE] = []
        return [(day, _fetched(day, 3), later[day]) for day in _dates(start, end)]

    # 1. The first weeks, then a build of everything, seed included.
    load_fetches(path, first_fetches(FIRST_DATE, SECOND_BATCH_FROM))
    run_dbt(data_dir, work_dir, "build")
    # 2. The following weeks.
    load_fetches(path, first_fetches(SECOND_BATCH_FROM, END_DATE))
    run_dbt(data_dir, work_dir, "run")
    # 3. The last week fetched again with more upvotes (one date now empty), built and tested
    # like a daily run.
    assert load_fetches(path, refetches(REFETCH_FROM, END_DATE)) == REFETCH_LOAD_ID
    refetch_build = root / "refetch-build"
    run_dbt(data_dir, refetch_build, "build")
    refetch_stamps = {
        model: keys_stamped(path, model, REFETCH_LOAD_ID) for model in INCREMENTAL_MODELS
    }
    # 4. Two dates fetched again; some marts are built before the intermediates they read
    # (the topic matcher, the classified papers).
    later = [
        (day, _fetched(day, 4), _with_more_upvotes(_with_more_upvotes(listings[day])))
        for day in _dates(LATE_REFETCH_FROM, END_DATE)
    ]
    load_fetches(path, later)
    early = ["trending_papers", "topic_daily", "author_daily", "int_author_papers", "papers"]
    run_dbt(data_dir, work_dir, "run", "--select", *early)
    run_dbt(data_dir, work_dir, "run")
    incremental_rows = {model: mart_rows(path, model) for model in INCREMENTAL_MODELS}

    names = [model.split(".")[1] for model in INCREMENTAL_MODELS]
    run_dbt(data_dir, work_dir, "run", "--full-refresh", "--select", *names)
    full_refresh_rows = {model: mart_rows(path, model) for model in INCREMENTAL_MODELS}
    serving_path = publish_serving_copy(path, data_dir / "serving.duckdb").path
    return BuiltWarehouse(
        path, serving_path, incremental_rows, full_refresh_rows, refetch_build, refetch_stamps
    )


def write_warehouse_without_marts(path: Path) -> Path:
    """A warehouse file with the `hf.*` tables and nothing else, as before the first dbt build:
    what a serving copy holds when no run has built the marts yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute(DDL.read_text(encoding="utf-8"))
    return path
