"""The one `DbtProject`. Its manifest is prepared by `make setup` (dbt parse), never at import."""

from __future__ import annotations

from functools import cache

from dagster_dbt import DbtProject

from pipelines.settings import REPO_ROOT

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


@cache
def dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
