"""The one `DbtProject`. Its manifest is prepared by `make setup` (`paperboard prepare`), never
at import."""

from __future__ import annotations

from functools import cache

from dagster_dbt import DbtProject

from pipelines.dbt_parse import DBT_PROJECT_DIR


@cache
def dbt_project() -> DbtProject:
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
