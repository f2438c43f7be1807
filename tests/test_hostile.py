"""Hostile values: input text is only ever data, dates are checked, the token stays secret.

No SQL is built by pasting input text; partition keys and date arguments are validated before
they reach a path or a query; titles and names holding SQL, shell metacharacters or paths are
stored as inert text; `javascript:` links are never emitted as links; the token is never
written to logs, raw files, the warehouse or run metadata.
"""

from __future__ import annotations

import ast
import gzip
import logging
import re
from datetime import UTC, date, datetime
from pathlib import Path

import dagster as dg
import pytest
import typer

from devtools.fake_api import FakeDailyPapersApi, FaultPlan, FolderSource
from pipelines.cli import parse_listing_date
from pipelines.defs.assets.ingest import daily_papers
from pipelines.defs.partitions import daily_partitions
from pipelines.defs.resources import DailyPapersApi, build_resources
from pipelines.ingest.client import ClientSettings, DailyPapersClient
from pipelines.ingest.landing import date_dir, land
from pipelines.ingest.run import ingest, reprocess
from pipelines.settings import REPO_ROOT, Settings
from pipelines.warehouse.preview import ListedPaper, top_papers_markdown
from tests.factories import author, entry, write_listings
from tests.pipeline_helpers import range_tags, rows

SQL = "x'); drop table hf.papers; --"
SHELL = "$(touch /tmp/pwned) `id` | cat /etc/passwd > out; rm -rf ~ && echo ${HF_TOKEN}"
PATH = "../../etc/passwd"
JAVASCRIPT = "javascript:alert(document.cookie)"
HTML = '<script>alert(1)</script><img src=x onerror="alert(1)">'
MARKDOWN = "[click me](javascript:alert(1)) | **bold** ![img](javascript:x)"
TOKEN = "hf_TopSecretToken0123456789"
DAY = date(2025, 10, 2)

# Calls that run SQL, and the one place that runs SQL a user typed on purpose (`make sql`).
SQL_METHODS = {"execute", "executemany", "sql", "query"}
USER_SQL = {("pipelines/cli_read.py", "query")}
# The one builder of SQL from text: ATTACH takes no parameters in DuckDB 1.5, so it quotes the
# path itself (pipelines/warehouse/connection.py, tested below).
SQL_BUILDERS = {"attach_statement"}


# Everything a run may create under its folder: landed pages and the warehouse, nothing else.
EXPECTED_FILES = re.compile(
    r"api(/\d{4}-\d\d-\d\d\.json)?|data|data/raw|data/raw/daily_papers"
    r"(/listing_date=\d{4}-\d\d-\d\d(/fetched_at=\d{8}T\d{6}\.\d{6}Z(/page-\d{3}\.json\.gz)?)?)?"
    r"|data/warehouse\.duckdb(\.wal)?"
)


def quiet(message: str) -> None:
    """Runs in these tests log nowhere."""


def sql_calls(path: Path) -> list[tuple[int, ast.expr, dict[str, ast.expr]]]:
    tree = ast.parse(path.read_text())
    constants = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    return [
        (node.lineno, node.args[0], constants)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in SQL_METHODS
        and node.args
    ]


def is_literal_sql(expression: ast.expr, constants: dict[str, ast.expr]) -> bool:
    """A string literal, a module constant holding one (or a packaged `.sql` file), or a
    constant dict of them, indexed."""
    if isinstance(expression, ast.Constant):
        return isinstance(expression.value, str)
    if isinstance(expression, ast.Name) and expression.id in constants:
        return is_literal_sql(constants[expression.id], {})
    if isinstance(expression, ast.Call) and ast.unparse(expression).startswith("files("):
        return ast.unparse(expression).endswith(".read_text()")
    if isinstance(expression, ast.Dict):
        return all(is_literal_sql(value, {}) for value in expression.values)
    if isinstance(expression, ast.Subscript) and isinstance(expression.value, ast.Name):
        return is_literal_sql(expression.value, constants)
    if isinstance(expression, ast.Call) and isinstance(expression.func, ast.Name):
        return expression.func.id in SQL_BUILDERS
    return False


@pytest.mark.unit
def test_no_sql_in_the_pipeline_is_built_by_pasting_text():
    pasted = []
    for path in sorted((REPO_ROOT / "pipelines").rglob("*.py")):
        relative = path.relative_to(REPO_ROOT).as_posix()
        for line, argument, constants in sql_calls(path):
            if isinstance(argument, ast.Name) and (relative, argument.id) in USER_SQL:
                continue
            if not is_literal_sql(argument, constants):
                pasted.append(f"{relative}:{line}: {ast.unparse(argument)[:80]}")
    assert pasted == [], "SQL must be a literal with parameters:\n" + "\n".join(pasted)


@pytest.mark.unit
def test_an_attached_path_with_quotes_and_sql_stays_one_string(tmp_path: Path):
    import duckdb

    from pipelines.warehouse.connection import attach_statement

    folder = tmp_path / "it's'; drop table x; --"
    folder.mkdir()
    with duckdb.connect() as connection:
        connection.execute(attach_statement(str(folder / "w.duckdb"), "warehouse"))
        connection.execute("create table warehouse.t as select 1 as one")
    assert (folder / "w.duckdb").is_file()
    with pytest.raises(ValueError, match="plain words"):
        attach_statement("x.duckdb", "w; drop table t")


def hostile_listing() -> list[dict]:
    return [
        entry(
            "2510.00002",
            title=SQL,
            listing_title=PATH,
            authors=[author(SHELL, username=PATH), author(HTML)],
            projectPage=JAVASCRIPT,
            githubRepo="javascript:alert(1)//github.com/owner/repo",
            ai_summary=MARKDOWN,
            ai_keywords=[SQL, SHELL],
            organization={"name": PATH, "fullname": HTML},
        ),
        entry(
            "2510.00003",
            title=MARKDOWN,
            projectPage=" JAVASCRIPT:alert(1) ",
            githubRepo="https://github.com/../../etc",
        ),
    ]


def ingest_hostile_listing(tmp_path: Path) -> Path:
    """Serve the hostile listing, ingest it through the real client; return the data dir."""
    folder = write_listings(tmp_path / "api", {DAY.isoformat(): hostile_listing()})
    data_dir = tmp_path / "data"
    with FakeDailyPapersApi(FolderSource(folder)).serve() as base_url:
        ingest(
            [DAY],
            client=DailyPapersClient(ClientSettings(endpoint=base_url)),
            raw_dir=data_dir / "raw",
            warehouse=data_dir / "warehouse.duckdb",
            log=quiet,
        )
    return data_dir


def test_hostile_text_goes_through_the_whole_path_as_inert_text(tmp_path: Path):
    data_dir = ingest_hostile_listing(tmp_path)
    warehouse = data_dir / "warehouse.duckdb"
    assert rows(
        warehouse,
        "select paper_id, title, project_page, project_page_raw, github_repo, ai_summary, "
        "ai_keywords, organization, organization_name from hf.papers order by 1",
    ) == [
        (
            "2510.00002",
            SQL,
            None,
            JAVASCRIPT,
            None,
            MARKDOWN,
            [SQL, SHELL],
            PATH,
            HTML,
        ),
        ("2510.00003", MARKDOWN, None, " JAVASCRIPT:alert(1) ", None, None, None, None, None),
    ]
    assert rows(warehouse, "select title from hf.daily_listings order by position") == [
        (PATH,),
        (MARKDOWN,),
    ]
    assert rows(
        warehouse, "select name, hf_username from hf.paper_authors order by paper_id, position"
    ) == [(SHELL, PATH), (HTML, None), ("Ada Lovelace", None)]
    assert rows(
        warehouse,
        "select table_name from information_schema.tables where table_schema = 'hf' order by 1",
    ) == [
        (name,)
        for name in (
            "daily_listings",
            "load_counter",
            "load_fetches",
            "load_papers",
            "loads",
            "paper_authors",
            "papers",
            "rejected_fetches",
            "upvote_snapshots",
        )
    ]
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    assert [p for p in written if not EXPECTED_FILES.fullmatch(p)] == []
    assert not Path("/tmp/pwned").exists()


def test_every_link_the_warehouse_emits_is_http_or_https(tmp_path: Path):
    data_dir = ingest_hostile_listing(tmp_path)
    links = rows(
        data_dir / "warehouse.duckdb",
        "select unnest([arxiv_url, pdf_url, hf_url, github_repo, project_page]) from hf.papers",
    )
    assert links, "the papers have links"
    for (link,) in links:
        assert link is None or link.startswith(("https://", "http://")), link


@pytest.mark.unit
def test_the_run_preview_shows_a_hostile_title_as_text_never_as_a_link():
    markdown = top_papers_markdown(
        DAY, [ListedPaper(1, MARKDOWN + " " + HTML, 3, "https://huggingface.co/papers/2510.00002")]
    )
    assert re.search(r"(?<!\\)\]\(javascript", markdown) is None
    assert "<script>" not in markdown
    assert "\\[click me\\](javascript:alert(1)) \\| \\*\\*bold\\*\\*" in markdown
    targets = re.findall(r"(?<!\\)\]\(([^)]*)\)", markdown)
    assert targets == ["https://huggingface.co/papers/2510.00002"]


HOSTILE_DATES = [
    "../../etc",
    "2025-10-02/../../etc",
    "2025-10-02'; drop table hf.papers; --",
    "2025-10-02 00:00:00",
    "2025-1-2",
    "20251002",
    "$(date)",
    "",
]


@pytest.mark.parametrize("value", HOSTILE_DATES)
def test_a_hostile_date_argument_is_refused_on_the_command_line(value: str):
    with pytest.raises(typer.BadParameter, match="not a date like 2025-10-03"):
        parse_listing_date(value)


@pytest.mark.parametrize("value", HOSTILE_DATES)
def test_a_hostile_partition_key_is_not_a_partition(value: str):
    assert not daily_partitions.has_partition_key(value)


@pytest.mark.parametrize(
    "value", ["../../etc", "2025-10-02", datetime(2025, 10, 2, tzinfo=UTC), 20251002, None]
)
def test_only_a_real_date_reaches_a_path_or_a_query(value, tmp_path: Path):
    raw = tmp_path / "raw"
    with pytest.raises(TypeError, match=r"a listing date must be a datetime\.date"):
        date_dir(raw, value)
    with pytest.raises(TypeError, match=r"a listing date must be a datetime\.date"):
        land(raw, value, datetime(2025, 10, 3, tzinfo=UTC), [b"[]"])
    with pytest.raises(TypeError, match=r"a listing date must be a datetime\.date"):
        reprocess([DAY, value], raw_dir=raw, warehouse=tmp_path / "w.duckdb", log=quiet)
    with pytest.raises(TypeError, match=r"a listing date must be a datetime\.date"):
        ingest(
            [value],
            client=DailyPapersClient(ClientSettings(endpoint="http://127.0.0.1:9")),
            raw_dir=raw,
            warehouse=tmp_path / "w.duckdb",
            log=quiet,
        )
    assert list(tmp_path.iterdir()) == [], "nothing was created before the check"


def test_a_hostile_partition_range_fails_the_run_before_anything_is_written(tmp_path: Path):
    settings = Settings(hf_endpoint="http://127.0.0.1:9", data_dir=tmp_path / "data", hf_token=None)
    with pytest.raises(ValueError, match="does not match format"):
        dg.materialize(
            [daily_papers],
            resources=build_resources(settings),
            tags={
                "dagster/asset_partition_range_start": "../../etc",
                "dagster/asset_partition_range_end": "2025-10-02'; drop table hf.papers; --",
            },
            raise_on_error=False,
        )
    assert not (tmp_path / "data").exists()


def test_the_token_is_never_written_to_logs_raw_files_the_warehouse_or_run_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, capfd
):
    folder = write_listings(
        tmp_path / "api",
        {"2025-10-01": [entry("2510.00001")], "2025-10-02": [entry("2510.00002")]},
    )
    data_dir = tmp_path / "data"
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    settings = Settings(hf_endpoint="", data_dir=data_dir, hf_token=TOKEN)
    faults = FaultPlan(fail_dates=frozenset({date(2025, 10, 2)}))
    caplog.set_level(logging.DEBUG)
    api = FakeDailyPapersApi(FolderSource(folder), faults=faults)
    with dg.DagsterInstance.ephemeral() as instance, api.serve() as base_url:
        # As `build_resources` makes them (the token as EnvVar("HF_TOKEN")), retrying briefly.
        resources = build_resources(
            Settings(hf_endpoint=base_url, data_dir=data_dir, hf_token=settings.hf_token)
        )
        assert isinstance(resources["daily_papers_api"].token, dg.EnvVar)
        resources["daily_papers_api"] = DailyPapersApi(
            endpoint=base_url,
            token=dg.EnvVar("HF_TOKEN"),
            max_attempts=2,
            backoff_initial_seconds=0.001,
            backoff_max_seconds=0.01,
        )
        result = dg.materialize(
            [daily_papers],
            resources=resources,
            tags=range_tags("2025-10-01", "2025-10-02"),
            instance=instance,
            raise_on_error=False,
        )
        logs = instance.all_logs(result.run_id)
        run_record = instance.get_run_by_id(result.run_id)
    assert not result.success, "the failing date makes the run fail, with its error message"
    assert api.requests.count >= 3

    written = [repr(logs), repr(run_record), caplog.text, *capfd.readouterr()]
    for path in data_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            written.append(repr(gzip.decompress(data) if path.suffix == ".gz" else data))
    assert any("listing date 2025-10-02" in text for text in written), "errors were logged"
    assert any("2510.00001" in text for text in written), "the raw response was landed"
    for text in written:
        assert TOKEN not in text
    assert TOKEN not in repr(settings)
    assert TOKEN not in repr(ClientSettings(endpoint=base_url, token=TOKEN))
