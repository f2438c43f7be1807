"""The dlt baseline of the benchmark (issue 6): the same listing dates loaded by dlt into DuckDB.

It loads every listing date of START..END (inclusive) from a Daily Papers API (in the benchmark
the project's fake API on loopback) into the DuckDB file ``DATA_DIR/dlt.duckdb`` with dlt's own
``rest_api`` source, in dlt's fastest configuration:

* a ``dates`` parent resource (not loaded itself) yields ``{"date": "YYYY-MM-DD"}`` per day; the
  child resource ``daily_papers`` requests ``/api/daily_papers?date={resources.dates.date}
  &limit=100&p=K`` and pages ``p`` from 0 until a page shorter than 100 (the same requests the
  project's own ingest makes: one per date unless a list has 100 entries or more);
* ``parallelized=True`` on the child, so each date is fetched in dlt's extract thread pool:
  ``--workers`` dates (requests) are in flight at once (``extract.workers``);
* ``write_disposition="merge"`` on the key (listing date, paper id): ``_dates_date``, added to
  every row by ``include_from_parent=["date"]``, and ``paper__id`` (``paper.id`` flattened);
  nested lists (authors, ...) become dlt's child tables;
* ``--loader-file-format parquet`` (the default here), uncompressed intermediate files, one
  normalize process (two cores: a process pool only adds start-up cost at this size) and two
  load workers.

dlt is not in the main install. Install it (into ``.venv``) with::

    uv sync --frozen --group dev --group bench

(``make`` syncs ``--group dev`` only and would remove it again), then, with a data folder that
starts empty, for example against the fake API in scale mode::

    .venv/bin/paperboard fake-api --generated --seed 0 --port 8877 --latency-seconds 0.1 &
    .venv/bin/python benchmarks/dlt_baseline.py --endpoint http://127.0.0.1:8877 \\
        --start 2023-05-04 --end 2025-10-19 --data-dir /tmp/dlt-bench --workers 8 \\
        --loader-file-format parquet

It prints one JSON line: wall time, dlt's extract / normalize / load split from the pipeline
trace, the rows of every loaded table, the number of HTTP requests and the peak RSS. dlt's
telemetry is off and its state lives under ``DATA_DIR/.dlt``, its (empty) settings under
``DATA_DIR/dlt_project/.dlt``: nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

PAGE_LIMIT = 100
DATASET = "hf"


def _configure_dlt(data_dir: Path, workers: int, normalize_workers: int, load_workers: int) -> None:
    """dlt reads its configuration from the environment: set it before dlt is imported."""
    # dlt's project and data folders under DATA_DIR: no `.dlt` of the working directory or the
    # home folder is read or written. An (empty) secrets.toml there also stops dlt from importing
    # streamlit (a paperboard dependency) to look for Streamlit secrets, a second of start-up.
    project_dir = data_dir / "dlt_project"
    (project_dir / ".dlt").mkdir(parents=True, exist_ok=True)
    for name in ("config.toml", "secrets.toml"):
        (project_dir / ".dlt" / name).touch()
    os.environ["DLT_PROJECT_DIR"] = str(project_dir)
    os.environ["DLT_DATA_DIR"] = str(data_dir / ".dlt")
    # Nothing goes to the internet: no telemetry (whatever the environment says), no proxy for
    # the loopback API.
    os.environ["RUNTIME__DLTHUB_TELEMETRY"] = "false"
    settings = {
        "RUNTIME__LOG_LEVEL": "WARNING",
        # Extract: `workers` deferred (parallelized) items, i.e. requests, in flight at once.
        "EXTRACT__WORKERS": str(workers),
        "EXTRACT__MAX_PARALLEL_ITEMS": str(max(20, 2 * workers)),
        # Intermediate files: no gzip (CPU for nothing on a local disk).
        "DATA_WRITER__DISABLE_COMPRESSION": "true",
        "NORMALIZE__WORKERS": str(normalize_workers),
        "LOAD__WORKERS": str(load_workers),
    }
    for key, value in settings.items():
        os.environ.setdefault(key, value)
    for key in ("NO_PROXY", "no_proxy"):
        hosts = [h for h in os.environ.get(key, "").split(",") if h]
        os.environ[key] = ",".join([*hosts, "127.0.0.1", "localhost"])


def _dates(start: date, end: date) -> list[dict[str, str]]:
    return [
        {"date": (start + timedelta(days=offset)).isoformat()}
        for offset in range((end - start).days + 1)
    ]


def build_source(endpoint: str, start: date, end: date, request_counter: Any) -> Any:
    import dlt
    from dlt.sources.helpers.rest_client.paginators import PageNumberPaginator
    from dlt.sources.rest_api import rest_api_source

    class ShortPagePaginator(PageNumberPaginator):
        """`p` = 0, 1, ... until a page shorter than the limit (the API sends no total)."""

        def _stop_after_this_page(self, data: list[Any] | None = None) -> bool:
            return not data or len(data) < PAGE_LIMIT

    def count_request(response: Any, *args: Any, **kwargs: Any) -> Any:
        next(request_counter)  # itertools.count: atomic under the GIL
        return response

    @dlt.resource(name="dates", selected=False)
    def dates() -> Any:
        # One page of parent items: the child resource defers one fetch per item.
        yield _dates(start, end)

    return rest_api_source(
        {
            "client": {"base_url": endpoint.rstrip("/") + "/"},
            "resource_defaults": {"write_disposition": "merge"},
            "resources": [
                dates,
                {
                    "name": "daily_papers",
                    "primary_key": ["_dates_date", "paper__id"],
                    "parallelized": True,
                    "include_from_parent": ["date"],
                    "endpoint": {
                        "path": "api/daily_papers",
                        "params": {
                            "date": "{resources.dates.date}",
                            "limit": PAGE_LIMIT,
                        },
                        "data_selector": "$",
                        "paginator": ShortPagePaginator(
                            base_page=0, page_param="p", total_path=None, maximum_page=None
                        ),
                        "response_actions": [count_request],
                    },
                },
            ],
        },
        name="daily_papers_api",
    )


def _peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux; children = normalize/load process pools, if any.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True, help="e.g. http://127.0.0.1:8877")
    parser.add_argument("--start", required=True, type=date.fromisoformat)
    parser.add_argument("--end", required=True, type=date.fromisoformat)
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--workers", type=int, default=8, help="requests in flight")
    parser.add_argument(
        "--loader-file-format", default="parquet", choices=["parquet", "jsonl", "insert_values"]
    )
    parser.add_argument("--normalize-workers", type=int, default=1)
    parser.add_argument("--load-workers", type=int, default=2)
    args = parser.parse_args(argv)
    if args.end < args.start:
        parser.error("--end is before --start")

    wall_start = time.perf_counter()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    _configure_dlt(args.data_dir, args.workers, args.normalize_workers, args.load_workers)
    import dlt

    import_seconds = time.perf_counter() - wall_start
    database = args.data_dir / "dlt.duckdb"
    requests = itertools.count()
    pipeline = dlt.pipeline(
        pipeline_name="paperboard_dlt_baseline",
        pipelines_dir=str(args.data_dir / ".dlt"),
        destination=dlt.destinations.duckdb(str(database)),
        dataset_name=DATASET,
        progress="log" if os.environ.get("DLT_BASELINE_PROGRESS") else None,
    )
    source = build_source(args.endpoint, args.start, args.end, requests)
    run_start = time.perf_counter()
    pipeline.run(source, loader_file_format=args.loader_file_format)
    run_seconds = time.perf_counter() - run_start
    wall_seconds = time.perf_counter() - wall_start

    steps = {
        step.step: (step.finished_at - step.started_at).total_seconds()
        for step in pipeline.last_trace.steps
        if step.finished_at is not None
    }
    tables = sorted(pipeline.default_schema.data_table_names())
    rows = {}
    with pipeline.sql_client() as client:
        for table in tables:
            # The names come from dlt's own schema and are quoted by dlt.
            qualified = client.make_qualified_table_name(table)
            rows[table] = client.execute_sql(f"select count(*) from {qualified}")[0][0]  # noqa: S608
    print(
        json.dumps(
            {
                "tool": f"dlt {dlt.__version__}",
                "dates": (args.end - args.start).days + 1,
                "workers": args.workers,
                "loader_file_format": args.loader_file_format,
                "wall_seconds": round(wall_seconds, 3),
                "import_seconds": round(import_seconds, 3),
                "run_seconds": round(run_seconds, 3),
                "extract_seconds": round(steps.get("extract", 0.0), 3),
                "normalize_seconds": round(steps.get("normalize", 0.0), 3),
                "load_seconds": round(steps.get("load", 0.0), 3),
                "rows": rows,
                "requests": next(requests),
                "peak_rss_mb": _peak_rss_mb(),
                "database": str(database),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
