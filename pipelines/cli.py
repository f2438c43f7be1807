"""`paperboard`: the command line behind the Makefile targets.

Pipeline runs go through the Dagster CLI (`dagster asset materialize`), so every run a user
starts here is an ordinary Dagster run, recorded in the project's `DAGSTER_HOME` and visible
in the UI.

`demo` and `fake-api` serve the bundled sample or generated listings through the loopback
fake API. Those live in `devtools/`, which a checkout has and the wheel does not ship, so the
two commands import it when they run, and nothing else here does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from pipelines import cli_read
from pipelines.dbt_parse import DBT_PROJECT_DIR, dbt_command, dbt_environment, prepare_parse
from pipelines.listing_calendar import (
    FIRST_LISTING_DATE,
    REFRESH_DAYS,
    daily_run_config,
    latest_complete_listing_date,
    reprocess_run_config,
)
from pipelines.settings import REPO_ROOT, load_settings

if TYPE_CHECKING:
    import duckdb

DEFAULT_DAGSTER_HOME = REPO_ROOT / "dagster_home"

# A one-run backfill of N dates otherwise writes one "planned" and one "materialized" event
# per asset per date, each in its own SQLite commit: for the whole history that is tens of
# thousands of commits and minutes before the first request. Dagster's own switches write one
# planned event per asset and store the rest in batches. (The cost: a failed range run does
# not mark each of its partitions failed; the run itself is failed and says which dates.)
DAGSTER_EVENT_SETTINGS = {
    "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "true",
    "DAGSTER_EVENT_BATCH_SIZE": "1000",
}

app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)


def parse_listing_date(value: str) -> date:
    """A listing date from the command line, checked before it reaches a path or a query."""
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date like 2025-10-03") from None
    if len(value) != 10:
        raise typer.BadParameter(f"{value!r} is not a date like 2025-10-03")
    first = date.fromisoformat(FIRST_LISTING_DATE)
    if parsed < first:
        raise typer.BadParameter(f"{value}: the first Daily Papers list is {first}")
    latest = latest_complete_listing_date()
    if parsed > latest:
        raise typer.BadParameter(f"{value}: the latest complete listing date is {latest}")
    return parsed


# Re-processing selects everything but the fetch: the warehouse tables and all downstream of
# them, and the dbt seed (the topic taxonomy), which nothing upstream leads to.
FROM_RAW_SELECTION = ",".join(
    [
        f"hf/{table}*"
        for table in (
            "daily_listings",
            "papers",
            "paper_authors",
            "upvote_snapshots",
            "loads",
            "load_fetches",
            "load_papers",
        )
    ]
    + ["seeds/topic_taxonomy*"]
)


def materialize_command(
    start: date, end: date, refresh_days: int = 0, from_raw: bool = False
) -> list[str]:
    """The Dagster CLI call that runs every asset over [start, end] (inclusive) in ONE run.

    A fetching run selects the partitions of [start, end]; a re-processing run selects no
    partitioned asset, so its dates go in the ingestion step's config instead.
    """
    command = [
        str(Path(sys.executable).with_name("dagster")),
        "asset",
        "materialize",
        "-m",
        "pipelines.definitions",
    ]
    if from_raw:
        return [
            *command,
            "--select",
            FROM_RAW_SELECTION,
            "--config-json",
            json.dumps(reprocess_run_config(start, end)),
        ]
    command += ["--select", "*", "--partition-range", f"{start.isoformat()}...{end.isoformat()}"]
    if refresh_days:
        command += ["--config-json", json.dumps(daily_run_config(refresh_days))]
    return command


def _run_pipeline(
    start: date,
    end: date,
    refresh_days: int = 0,
    env: dict | None = None,
    from_raw: bool = False,
) -> None:
    environment = dict(os.environ if env is None else env)
    environment.setdefault("DAGSTER_HOME", str(DEFAULT_DAGSTER_HOME))
    environment.update({name: value for name, value in DAGSTER_EVENT_SETTINGS.items()
                        if name not in environment})  # fmt: skip
    Path(environment["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    typer.echo(f"paperboard: materialising {start}..{end} in one Dagster run", err=True)
    completed = subprocess.run(
        materialize_command(start, end, refresh_days, from_raw), env=environment, cwd=REPO_ROOT
    )
    if completed.returncode != 0:
        raise typer.Exit(completed.returncode)


@app.command()
def backfill(
    start: Annotated[str, typer.Argument(help="First listing date, YYYY-MM-DD.")],
    end: Annotated[str, typer.Argument(help="Last listing date (inclusive), YYYY-MM-DD.")],
    refresh_days: Annotated[int, typer.Option(min=0, help="Also re-fetch N earlier dates.")] = 0,
    from_raw: Annotated[
        bool, typer.Option(help="Re-process the landed raw files; fetch nothing.")
    ] = False,
) -> None:
    """Fetch, land and load every date of START..END in one Dagster run, then build the marts."""
    first, last = parse_listing_date(start), parse_listing_date(end)
    if last < first:
        raise typer.BadParameter(f"END {last} is before START {first}")
    _run_pipeline(first, last, refresh_days, from_raw=from_raw)


@app.command()
def prepare() -> None:
    """Parse the dbt project once for every later run (done by `make setup`); again only for a
    lake (PAPERBOARD_WAREHOUSE), whose parse is its own."""
    settings = load_settings()
    prepare_parse(settings.data_dir, lake=os.environ.get("PAPERBOARD_WAREHOUSE") or None)


@app.command()
def run(
    refresh_days: Annotated[int, typer.Option(min=0)] = REFRESH_DAYS,
) -> None:
    """The daily run: the latest complete listing date, plus a re-fetch of the 14 before it."""
    latest = latest_complete_listing_date()
    _run_pipeline(latest, latest, refresh_days)


def _exit_without_devtools(command: str, error: ModuleNotFoundError) -> NoReturn:
    """Fail in one line when `devtools/` (a checkout's, not the wheel's) cannot be imported."""
    if not (error.name or "").startswith("devtools"):
        raise error
    typer.echo(
        f"paperboard {command}: needs a checkout of the paperboard repository: the fake API and "
        "the bundled sample (devtools/) are not part of the installed package",
        err=True,
    )
    raise typer.Exit(1)


@app.command()
def demo() -> None:
    """Run the whole pipeline offline over the bundled sample, served on loopback HTTP."""
    try:
        from devtools.fake_api import FakeDailyPapersApi, FolderSource
        from devtools.sample import SAMPLE_DIR
    except ModuleNotFoundError as error:
        _exit_without_devtools("demo", error)

    dates = sorted(date.fromisoformat(path.stem) for path in SAMPLE_DIR.glob("*.json"))
    api = FakeDailyPapersApi(FolderSource(SAMPLE_DIR))
    with api.serve() as base_url:
        env = dict(os.environ, HF_ENDPOINT=base_url)
        typer.echo(f"paperboard: serving the bundled sample at {base_url}", err=True)
        _run_pipeline(dates[0], dates[-1], env=env)
    typer.echo(f"paperboard: the fake API answered {api.requests.count} requests", err=True)
    cli_read.top()
    typer.echo(
        "paperboard: see it in the dashboard with `make dashboard` (http://127.0.0.1:8501); "
        f"feeds are in {load_settings().feeds_dir}/"
    )


# The reading commands live in pipelines/cli_read.py.
app.command()(cli_read.top)
app.command()(cli_read.snapshots)
app.command()(cli_read.sql)
app.command()(cli_read.search)
app.command()(cli_read.query)


# Digests by email (pipelines/publish/digests.py; the `digests` asset sends them).


@app.command()
def subscribe(
    email: Annotated[str, typer.Argument(help="The address to send the digest to.")],
    topic: Annotated[
        list[str] | None,
        typer.Option(help="A topic to follow (repeat the option for more).", show_default=False),
    ] = None,
) -> None:
    """After each run, email EMAIL the newest listing date's top papers of these topics.

    Subscribing again adds topics; `paperboard unsubscribe` removes them.
    """
    from pipelines.publish.digests import (
        SubscriptionError,
        normalise_address,
        normalise_topics,
        taxonomy_topics,
    )
    from pipelines.warehouse.digests import subscribe as add_subscription

    try:
        address = normalise_address(email)
    except SubscriptionError as error:
        raise typer.BadParameter(str(error), param_hint="EMAIL") from None
    try:
        topics = normalise_topics(topic or [], taxonomy_topics())
    except SubscriptionError as error:
        raise typer.BadParameter(str(error), param_hint="--topic") from None
    with _open_for_digests() as connection:
        following = add_subscription(connection, address, topics, datetime.now(UTC))
    typer.echo(f"{address} follows {', '.join(following)}")


@app.command()
def unsubscribe(
    email: Annotated[str, typer.Argument(help="The subscribed address.")],
    topic: Annotated[
        list[str] | None,
        typer.Option(help="Stop only this topic (repeatable); without it, every topic."),
    ] = None,
) -> None:
    """Stop the digests to EMAIL (all of them, or only some topics)."""
    from pipelines.publish.digests import (
        SubscriptionError,
        normalise_address,
        normalise_topics,
        taxonomy_topics,
    )
    from pipelines.warehouse.digests import subscriber_topics
    from pipelines.warehouse.digests import unsubscribe as remove_subscription

    try:
        address = normalise_address(email)
        topics = normalise_topics(topic, taxonomy_topics()) if topic else None
    except SubscriptionError as error:
        raise typer.BadParameter(str(error)) from None
    with _open_for_digests() as connection:
        removed = remove_subscription(connection, address, topics)
        left = subscriber_topics(connection, address)
    if not removed:
        typer.echo(f"{address} was not subscribed{' to those topics' if topics else ''}")
    elif left:
        typer.echo(f"{address} no longer follows {', '.join(removed)}; still {', '.join(left)}")
    else:
        typer.echo(f"{address} is unsubscribed")


@app.command()
def subscriptions() -> None:
    """List the subscribers, their topics and the newest listing date each was sent."""
    from pipelines.warehouse.digests import last_sent
    from pipelines.warehouse.digests import subscriptions as read_subscriptions

    settings = load_settings()
    if settings.lake is None and not settings.warehouse_path.exists():
        typer.echo("no subscriptions (no warehouse yet)")
        return
    with _open_for_digests() as connection:
        subscribers = read_subscriptions(connection)
        sent = last_sent(connection)
    if not subscribers:
        typer.echo("no subscriptions")
        return
    width = max(len(subscriber.email) for subscriber in subscribers)
    for subscriber in subscribers:
        newest = sent.get(subscriber.email)
        last = f"last digest {newest}" if newest else "no digest yet"
        typer.echo(f"{subscriber.email:{width}}  {last:22}  {', '.join(subscriber.topics)}")


@contextmanager
def _open_for_digests() -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse, read-write (the digests' tables live there); it waits while a run holds
    the file, then fails in one line."""
    from pipelines.warehouse.connection import WarehouseLockedError, WarehouseOpenError, connect
    from pipelines.warehouse.lake import LakeUnavailableError

    try:
        with connect(load_settings().warehouse) as connection:
            yield connection
    except (WarehouseLockedError, WarehouseOpenError, LakeUnavailableError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


@app.command()
def docs(
    serve: Annotated[bool, typer.Option(help="Serve the site on 127.0.0.1 afterwards.")] = False,
    port: int = 8080,
) -> None:
    """Build the dbt docs site (models, columns, tests, lineage) into $PAPERBOARD_DATA_DIR."""
    settings = load_settings()
    site = settings.data_dir / "dbt-docs"
    environment = {
        **os.environ,
        **dbt_environment(settings.data_dir, os.environ.get("PAPERBOARD_WAREHOUSE") or None),
    }
    command = [
        *dbt_command("docs", "generate"),
        "--target-path",
        str(site),
        "--log-path",
        str(site / "logs"),
    ]
    if settings.lake is None and not settings.warehouse_path.exists():
        # Without a warehouse there is nothing to describe but the project itself.
        command.append("--empty-catalog")
    completed = subprocess.run(command, cwd=DBT_PROJECT_DIR, env=environment)
    if completed.returncode != 0:
        raise typer.Exit(completed.returncode)
    typer.echo(f"paperboard: the dbt docs site is {site / 'index.html'}", err=True)
    if serve:
        typer.echo(f"serving it at http://127.0.0.1:{port}/ (Ctrl-C stops)", err=True)
        subprocess.run(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], cwd=site
        )


@app.command("fake-api")
def fake_api(
    folder: Annotated[
        Path | None,
        typer.Option(help="Folder of YYYY-MM-DD.json files.", show_default="the bundled sample"),
    ] = None,
    generated: Annotated[bool, typer.Option(help="Generate listings for any date.")] = False,
    seed: int = 0,
    copies: Annotated[
        int, typer.Option(min=1, help="With --generated: list N times the papers each day.")
    ] = 1,
    port: int = 8765,
    latency_seconds: float = 0.0,
) -> None:
    """Serve a folder of responses (or generated ones) as the Daily Papers API on loopback."""
    try:
        from devtools.fake_api import FakeDailyPapersApi, FolderSource, GeneratedSource
        from devtools.sample import SAMPLE_DIR
    except ModuleNotFoundError as error:
        _exit_without_devtools("fake-api", error)

    source = GeneratedSource(seed, copies) if generated else FolderSource(folder or SAMPLE_DIR)
    api = FakeDailyPapersApi(source, port=port, latency_seconds=latency_seconds)
    typer.echo(f"serving the fake Daily Papers API at {api.base_url} (Ctrl-C stops)", err=True)
    api.serve_forever()


if __name__ == "__main__":
    app()
