"""The wheel ships the product; the fake API, the generator and the sample stay in the checkout.

`devtools/` serves tests, `make demo` and the benchmarks. The wheel must not carry it, and the
product must not need it: only `paperboard demo` and `paperboard fake-api` import it, when
they run, and without it they fail in one line that says what is missing.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from pipelines.settings import REPO_ROOT

# The only places product code may import devtools: inside these two CLI commands.
LAZY_DEVTOOLS_IMPORTS = {"pipelines/cli.py in demo()", "pipelines/cli.py in fake_api()"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built by the project's build backend through the hook every installer calls."""
    out = tmp_path_factory.mktemp("wheel")
    script = "import sys; from hatchling.build import build_wheel; print(build_wheel(sys.argv[1]))"
    built = subprocess.run(
        [sys.executable, "-c", script, str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out / built.stdout.split()[-1]


def test_the_wheel_ships_pipelines_and_dashboard_and_nothing_of_devtools(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert top_level == {"pipelines", "dashboard"}
    assert {"pipelines/cli.py", "pipelines/warehouse/ddl.sql", "dashboard/app.py"} <= set(names)
    development_only = ("devtools", "fake_api", "generator", "sample", "daily_papers", "vocabulary")
    leaked = [name for name in names if any(word in name for word in development_only)]
    assert leaked == []


def devtools_imports(path: Path) -> list[str]:
    """Where a module imports devtools: 'path in function()', or 'path at module level'.

    Dynamic imports (`importlib.import_module("devtools…")`, `__import__`) count too.
    """
    relative = path.relative_to(REPO_ROOT).as_posix()
    found = []

    def visit(node: ast.AST, function: str | None) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules = [node.module or ""]
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith(
            ("import_module", "__import__")
        ):
            modules = [a.value for a in node.args[:1] if isinstance(a, ast.Constant)]
        if any(str(module).split(".")[0] == "devtools" for module in modules):
            found.append(
                f"{relative} in {function}()" if function else f"{relative} at module level"
            )
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(ast.parse(path.read_text(encoding="utf-8")), None)
    return found


def test_pipelines_and_dashboard_import_devtools_only_inside_the_demo_and_fake_api_commands():
    imports = [
        place
        for package in ("pipelines", "dashboard")
        for path in sorted((REPO_ROOT / package).rglob("*.py"))
        for place in devtools_imports(path)
    ]
    assert set(imports) == LAZY_DEVTOOLS_IMPORTS, imports


def test_a_checkout_imports_devtools_from_any_working_directory(tmp_path: Path):
    """The editable install puts the repository root on sys.path, as Dagster's subprocesses see."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
    script = "import devtools.fake_api; from devtools.sample import SAMPLE_DIR; print(SAMPLE_DIR)"
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(completed.stdout.strip()) == REPO_ROOT / "devtools" / "sample" / "daily_papers"


@pytest.mark.parametrize("command", [["demo"], ["fake-api", "--generated"]])
def test_demo_and_fake_api_fail_in_one_line_when_paperboard_is_installed_from_the_wheel(
    wheel: Path, tmp_path: Path, command: list[str]
):
    installed = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(installed)
    # The wheel's packages and the environment's dependencies, without the editable install's
    # .pth (-S skips them all), which is what puts the checkout and its devtools on sys.path.
    path = os.pathsep.join([str(installed), sysconfig.get_paths()["purelib"]])
    environment = {**os.environ, "PYTHONPATH": path}
    python = [sys.executable, "-S", "-c"]
    locate = "import importlib.util, pipelines; print(pipelines.__file__)"
    locate += "; print(importlib.util.find_spec('devtools'))"
    where = subprocess.run(
        [*python, locate],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.split() == [str(installed / "pipelines" / "__init__.py"), "None"]

    completed = subprocess.run(
        [*python, "from pipelines.cli import app; app()", *command],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == [
        f"paperboard {command[0]}: needs a checkout of the paperboard repository: the fake API "
        "and the bundled sample (devtools/) are not part of the installed package"
    ]
