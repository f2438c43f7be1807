"""`paperboard docs` builds the dbt docs site; `paperboard query` runs the documented examples."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.queries import load_example_queries

runner = CliRunner()


def test_the_docs_site_describes_every_mart(data_dir):
    result = runner.invoke(app, ["docs"])
    assert result.exit_code == 0, result.output
    site = data_dir / "dbt-docs"
    assert (site / "index.html").stat().st_size > 10_000
    manifest = json.loads((site / "manifest.json").read_text())
    marts = {
        node["name"]: node["description"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }
    assert {"trending_papers", "trending_now", "paper_topics", "topic_trends"} <= set(marts)
    assert all(description.strip() for description in marts.values())


def test_query_lists_the_example_questions_by_name():
    result = runner.invoke(app, ["query"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == [example.name for example in load_example_queries()]
    assert "most-upvoted-authors-since-january" in names


def test_an_unknown_example_query_is_refused_by_name():
    result = runner.invoke(app, ["query", "no-such-query"])
    assert result.exit_code == 2
    assert "no example query 'no-such-query'" in result.output


def test_re_processing_from_raw_selects_every_asset_but_the_fetch():
    import dagster as dg

    from pipelines.cli import FROM_RAW_SELECTION
    from pipelines.definitions import defs

    graph = defs.resolve_asset_graph()
    selected = dg.AssetSelection.from_coercible(FROM_RAW_SELECTION.split(",")).resolve(graph)
    assert selected == graph.get_all_asset_keys() - {dg.AssetKey(["raw", "daily_papers"])}


def test_the_prepared_parse_is_what_the_next_dbt_invocation_reuses_in_any_data_directory(
    tmp_path,
):
    """`paperboard prepare` (which `make setup` runs) parsed once: dbt's next start reuses the
    saved parse instead of parsing the project again, in a data directory it never saw; a
    lake is another profile, and so another parse."""
    from pipelines.dbt_parse import (
        DBT_PROJECT_DIR,
        PREPARED_PARSE,
        PREPARED_TARGET,
        dbt_command,
        dbt_environment,
    )

    assert PREPARED_PARSE.is_file(), "run `.venv/bin/paperboard prepare`"
    manifest = json.loads((PREPARED_TARGET / "manifest.json").read_text())
    assert manifest["metadata"]["project_name"] == "paperboard"

    def parse_again(data_dir: Path, lake: str | None = None) -> str:
        return subprocess.run(
            [
                *dbt_command("parse", global_flags=["--log-level", "debug"]),
                "--target-path",
                str(data_dir / "dbt-target"),
            ],
            cwd=DBT_PROJECT_DIR,
            env={**os.environ, **dbt_environment(data_dir, lake)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    reused = "Partial parsing enabled: 0 files deleted, 0 files added, 0 files changed"
    assert reused in parse_again(tmp_path / "data")
    assert "Unable to do partial parsing because profile has changed" in parse_again(
        tmp_path / "lake", "ducklake:postgres:dbname=catalog host=127.0.0.1"
    )
