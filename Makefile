# paperboard: every command bootstraps its own environment from a bare python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .uv/bin/uv)
export DAGSTER_HOME ?= $(CURDIR)/dagster_home
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/$(VENV)
export UV_PYTHON_DOWNLOADS := never
# Byte-compile at install: with PYTHONDONTWRITEBYTECODE set (as on CI machines) every process
# would otherwise compile Dagster, dbt and Polars from source on each start (seconds each).
export UV_COMPILE_BYTECODE := 1

DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/tests dbt_project/seeds -type f 2>/dev/null) dbt_project/dbt_project.yml dbt_project/profiles.yml
MANIFEST := dbt_project/target/manifest.json

.PHONY: setup browser-deps postgres-deps demo test test-fast run backfill dev sql docs bench dashboard format
.DEFAULT_GOAL := demo

.uv/bin/uv:
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet uv==$(UV_VERSION)

$(BIN)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --group dev --python $(PYTHON)
	touch $@

# dagster-dbt needs the manifest before the definitions import: prepare it here, never at import.
# The same parse, saved beside it, spares every later dbt invocation a full parse, whatever its
# PAPERBOARD_DATA_DIR (`paperboard prepare` again only for a lake: PAPERBOARD_WAREHOUSE).
$(MANIFEST): $(BIN)/.synced $(DBT_SOURCES)
	$(BIN)/paperboard prepare
	touch $@

setup: $(BIN)/.synced $(MANIFEST) ## Create the environment and the dbt manifest.

demo: setup ## The whole pipeline offline over the bundled sample, then the top papers.
	$(BIN)/paperboard demo

# The dashboard's browser tests drive Debian's Chromium (Playwright cannot download its own
# browsers here). Installed only when missing, as root (CI is), never from inside a test.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
$(CHROMIUM):
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium

browser-deps: $(CHROMIUM) ## Debian's Chromium for the browser tests (apt-get, when missing).

# The team profile's tests start a real PostgreSQL server (the lake's catalog, Dagster's
# storage) from Debian's binaries: installed only when missing, as root, never from a test.
postgres-deps: ## Debian's PostgreSQL for the lake tests (apt-get, when missing).
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends postgresql; }

# sqlfluff lints in two processes: its dbt templater compiles every file, 19 s in one, 11 s in two.
test: setup browser-deps postgres-deps ## Lint, format check, SQL lint and the whole test suite.
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd dbt_project && ../$(BIN)/sqlfluff lint --processes 2 models tests macros
	$(BIN)/pytest -n 3 --dist loadfile

test-fast: setup ## The unit tier for the edit loop: lint, pure functions and dbt unit tests.
	$(BIN)/ruff check .
	$(BIN)/pytest -m unit -n 2

run: setup ## The daily run, live against $$HF_ENDPOINT (default https://huggingface.co).
	$(BIN)/paperboard run

backfill: setup ## Every date of START..END (inclusive) in one Dagster run, then the marts.
	@test -n "$(START)" -a -n "$(END)" || { echo "usage: make backfill START=YYYY-MM-DD END=YYYY-MM-DD"; exit 2; }
	$(BIN)/paperboard backfill "$(START)" "$(END)"

dev: setup ## The Dagster UI and daemon: http://127.0.0.1:3000
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

sql: setup ## Read-only SQL: make sql Q="select count(*) from hf.papers"
	@test -n "$(Q)" || { echo 'usage: make sql Q="select ..."'; exit 2; }
	$(BIN)/paperboard sql "$(Q)"

docs: setup ## The dbt docs site in $$PAPERBOARD_DATA_DIR/dbt-docs; `make docs SERVE=1` also serves it.
	$(BIN)/paperboard docs $(if $(SERVE),--serve)

DASHBOARD_PORT ?= 8501
dashboard: $(BIN)/.synced ## The Streamlit dashboard over the serving copy: http://127.0.0.1:8501
	$(BIN)/streamlit run dashboard/app.py --server.headless true \
		--browser.gatherUsageStats false --server.address 127.0.0.1 \
		--server.port $(DASHBOARD_PORT) --client.toolbarMode viewer

bench: setup ## The benchmark (about 15 min): results in benchmarks/results.md and results.json.
	$(UV) sync --frozen --group dev --group bench
	$(BIN)/python benchmarks/bench.py

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
