"""`paperboard`'s reading commands: top, snapshots, sql, search and query (registered by
pipelines/cli.py).

Each reads read-only and prints a table: the serving copy, which the pipeline replaces
atomically after each run, so a query never waits for a run and a run never waits for a
query; or, in the team profile, the lake itself at its newest snapshot, or, for `top`, at an
earlier one (time travel: `--as-of-snapshot N`, `--as-of 2025-06-05T07:00Z`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from pipelines.settings import load_settings
from pipelines.warehouse.lake import Snapshot

TOP_PAPERS_SQL = """
select window_start, rank, upvotes, title, coalesce(github_repo, '') as code
from marts.trending_papers
where "window" = $window
    and window_start = coalesce(
        cast(date_trunc($window, $on_date::date) as date),
        (select max(window_start) from marts.trending_papers where "window" = $window)
    )
order by rank
limit $limit
"""

SNAPSHOTS_SQL = """
select snapshot_id, snapshot_time, map_keys(changes) as changes
from ducklake_snapshots('warehouse')
order by snapshot_id desc
limit $limit
"""


def parse_as_of(value: str | None) -> datetime | None:
    """`--as-of`: an ISO time such as 2025-06-05T07:00Z; without a zone it is UTC."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a time like 2025-06-05T07:00Z") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def top(
    window: Annotated[str, typer.Option(help="day, week or month")] = "week",
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 10,
    on: Annotated[
        str | None,
        typer.Option("--date", help="The window holding this date (default: the newest)."),
    ] = None,
    as_of_snapshot: Annotated[
        int | None, typer.Option(min=0, help="Lake only: as snapshot N saw it.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Lake only: as the lake stood at this time (UTC).")
    ] = None,
) -> None:
    """Print the top trending papers of a window: the newest, or --date's; on a lake, as an
    earlier snapshot saw them (--as-of-snapshot N, or --as-of 2025-06-05T07:00Z)."""
    if window not in ("day", "week", "month"):
        raise typer.BadParameter(f"window must be day, week or month, not {window!r}")
    from pipelines.cli import parse_listing_date

    on_date = parse_listing_date(on) if on is not None else None
    show_query(
        TOP_PAPERS_SQL,
        {"window": window, "limit": limit, "on_date": on_date},
        snapshot=_snapshot(as_of_snapshot, parse_as_of(as_of)),
    )


def snapshots(limit: Annotated[int, typer.Option(min=1, max=1000)] = 20) -> None:
    """Lake only: the newest snapshots (ids for `top --as-of-snapshot`) and what each changed."""
    if load_settings().lake is None:
        typer.echo("snapshots: the DuckDB file keeps none; set PAPERBOARD_WAREHOUSE", err=True)
        raise typer.Exit(1)
    show_query(SNAPSHOTS_SQL, {"limit": limit})


def _snapshot(version: int | None, at: datetime | None) -> Snapshot | None:
    if version is not None and at is not None:
        raise typer.BadParameter("give --as-of-snapshot or --as-of, not both")
    if version is None and at is None:
        return None
    return Snapshot(version=version, at=at)


def sql(query: Annotated[str, typer.Argument(help="SQL to run read-only.")]) -> None:
    """Run SQL read-only against the serving copy (or the lake); print the result."""
    show_query(query)


def search(
    words: Annotated[str, typer.Argument(help='What to look for, e.g. "pre-training of LLMs".')],
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Search titles, AI keywords and abstracts; print the ranked papers (BM25).

    The same ranking as the dashboard's Search page and `marts.search_papers` in SQL.
    """
    from pipelines.publish.search import SEARCH_SQL

    show_query(SEARCH_SQL, {"query": words, "limit": limit})


def query(
    name: Annotated[str | None, typer.Argument(help="An example query; omit to list them.")] = None,
) -> None:
    """Run one of the example queries of docs/queries.sql, or list them."""
    from pipelines.queries import load_example_queries

    queries = {example.name: example for example in load_example_queries()}
    if name is None:
        for example in queries.values():
            typer.echo(f"{example.name:36} {example.question}")
        return
    if name not in queries:
        raise typer.BadParameter(f"no example query {name!r}; `paperboard query` lists them")
    typer.echo(queries[name].question, err=True)
    show_query(queries[name].sql)


def show_query(query: str, params: dict | None = None, snapshot: Snapshot | None = None) -> None:
    """Print a query's result as a table; the connection is read-only, parameters bound.

    It reads the serving copy, which the pipeline replaces atomically after each run, so a
    query never waits for a run and a run never waits for a query; on a lake it reads the
    lake itself, at its newest snapshot or at `snapshot`.
    """
    import duckdb

    from pipelines.warehouse.connection import connect
    from pipelines.warehouse.lake import LakeUnavailableError
    from pipelines.warehouse.serving import open_reader

    settings = load_settings()
    if settings.lake is not None:
        opened = open_reader(settings.lake, snapshot)
    elif snapshot is not None:
        typer.echo(
            "error: only a lake keeps earlier snapshots; the DuckDB file holds the newest "
            "state alone (see PAPERBOARD_WAREHOUSE)",
            err=True,
        )
        raise typer.Exit(1)
    elif settings.serving_path.exists():
        opened = open_reader(settings.serving_path)
    elif settings.warehouse_path.exists():
        typer.echo(
            f"note: no serving copy at {settings.serving_path} yet (each successful run "
            f"publishes one); reading {settings.warehouse_path} directly, which waits while "
            "a run holds it",
            err=True,
        )
        opened = connect(settings.warehouse_path, read_only=True)
    else:
        typer.echo(f"no warehouse at {settings.warehouse_path}: run `make demo` first", err=True)
        raise typer.Exit(1)
    try:
        with opened as connection:
            try:
                relation = connection.sql(query, params=params)
            except duckdb.Error as error:
                typer.echo(f"error: {error}", err=True)
                raise typer.Exit(1) from None
            if relation is not None:
                relation.show(max_width=200, max_rows=200)
    except (LakeUnavailableError, duckdb.Error) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None
