"""The Dagster UI's own way in: `dagster dev` (webserver, daemon, code server) and the GraphQL
calls its pages make, for tests that start work the way a user clicks it.

- The asset graph's "Materialize" over a partition range: `launchPartitionBackfill` with an
  asset selection and partition names (an asset backfill, planned by the daemon).
- A job's "Launch backfill": the same mutation with the job's partition set as selector.
- "Materialize selected" without partitions: `launchRun` on the implicit `__ASSET_JOB`.
- A run page's "Re-execute from failure": `launchPipelineReexecution` with FROM_FAILURE.
- Automation → a schedule's toggle: `startSchedule`.

`dagster dev` runs in its own process group with a temporary DAGSTER_HOME holding the
checked-in `dagster.yaml`, on a free loopback port; the whole group is stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from pipelines.settings import REPO_ROOT

LOCATION = "paperboard"
REPOSITORY = "__repository__"
FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}

_RUN_RESULT = """
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message stack }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on InvalidStepError { invalidStepKey }
    ... on InvalidOutputError { invalidOutputName }
    ... on UnauthorizedError { message }
    ... on ConflictingExecutionParamsError { message }
    ... on PresetNotFoundError { message }
    ... on PipelineNotFoundError { message }
    ... on RunConflict { message }
    ... on NoModeProvidedError { message }
    ... on InvalidSubsetError { message }
"""

LAUNCH_BACKFILL = """
mutation LaunchPartitionBackfill($backfillParams: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $backfillParams) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message stack }
    ... on PartitionSetNotFoundError { message }
    ... on InvalidStepError { invalidStepKey }
    ... on InvalidOutputError { invalidOutputName }
    ... on UnauthorizedError { message }
    ... on RunConflict { message }
    ... on InvalidSubsetError { message }
  }
}
"""

LAUNCH_RUN = f"""
mutation LaunchRun($executionParams: ExecutionParams!) {{
  launchRun(executionParams: $executionParams) {{ {_RUN_RESULT} }}
}}
"""

REEXECUTE = f"""
mutation Reexecute($reexecutionParams: ReexecutionParams!) {{
  launchPipelineReexecution(reexecutionParams: $reexecutionParams) {{ {_RUN_RESULT} }}
}}
"""

START_SCHEDULE = """
mutation StartSchedule($scheduleSelector: ScheduleSelector!) {
  startSchedule(scheduleSelector: $scheduleSelector) {
    __typename
    ... on ScheduleStateResult { scheduleState { id status } }
    ... on PythonError { message stack }
    ... on UnauthorizedError { message }
  }
}
"""

STOP_SCHEDULE = """
mutation StopSchedule($id: String!) {
  stopRunningSchedule(id: $id) {
    __typename
    ... on ScheduleStateResult { scheduleState { id status } }
    ... on PythonError { message stack }
    ... on UnauthorizedError { message }
  }
}
"""

BACKFILL_STATUS = """
query Backfill($backfillId: String!) {
  partitionBackfillOrError(backfillId: $backfillId) {
    __typename
    ... on PartitionBackfill { status error { message } }
    ... on PythonError { message }
    ... on BackfillNotFoundError { message }
  }
}
"""

RUNS = """
query Runs($filter: RunsFilter) {
  runsOrError(filter: $filter) {
    __typename
    ... on Runs { results { runId status startTime endTime tags { key value } } }
    ... on PythonError { message }
  }
}
"""

RUN_EVENTS = """
query RunEvents($runId: ID!) {
  logsForRun(runId: $runId) {
    __typename
    ... on EventConnection {
      events {
        __typename
        ... on MessageEvent { message }
        ... on MaterializationEvent { assetKey { path } }
      }
    }
    ... on PythonError { message }
  }
}
"""

ASSET_KEYS = """
query AssetKeys {
  assetNodes { assetKey { path } }
}
"""

LOCATIONS = """
query Locations {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
  }
}
"""


class DagsterUIError(AssertionError):
    """The webserver answered something other than success: the message says what."""


@dataclass(frozen=True)
class Run:
    run_id: str
    status: str
    start_time: float | None
    end_time: float | None
    tags: dict[str, str]


class DagsterUI:
    """A client of the webserver's GraphQL API, making the calls the UI's pages make."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, timeout=60.0)

    def query(self, document: str, variables: Mapping[str, Any] | None = None) -> dict:
        response = self.http.post("/graphql", json={"query": document, "variables": variables})
        response.raise_for_status()
        body = response.json()
        if body.get("errors"):
            raise DagsterUIError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def asset_keys(self) -> list[list[str]]:
        """Every asset of the graph, as the asset graph's "Materialize all" selects them."""
        return sorted(node["assetKey"]["path"] for node in self.query(ASSET_KEYS)["assetNodes"])

    # Starting work.

    def launch_asset_backfill(
        self, assets: Sequence[Sequence[str]], partitions: Sequence[str]
    ) -> str:
        """The asset graph's Materialize over partitions: one asset backfill."""
        params = {
            "assetSelection": [{"path": list(path)} for path in assets],
            "partitionNames": list(partitions),
            "fromFailure": False,
        }
        return self._backfill(params)

    def launch_job_backfill(self, job: str, partitions: Sequence[str]) -> str:
        """A job page's Launch backfill over partitions."""
        params = {
            "selector": {
                "partitionSetName": f"{job}_partition_set",
                "repositorySelector": self._repository(),
            },
            "partitionNames": list(partitions),
            "fromFailure": False,
        }
        return self._backfill(params)

    def launch_assets(
        self, assets: Sequence[Sequence[str]], tags: Mapping[str, str] | None = None
    ) -> str:
        """Materialize selected: a run of the implicit asset job (a partitioned asset's one
        partition goes in the `dagster/partition` tag, as the UI's dialog puts it)."""
        params = {
            "selector": {
                **self._repository(),
                "jobName": "__ASSET_JOB",
                "assetSelection": [{"path": list(path)} for path in assets],
            },
            "mode": "default",
            "executionMetadata": {
                "tags": [{"key": k, "value": v} for k, v in (tags or {}).items()]
            },
            "runConfigData": {},
        }
        result = self.query(LAUNCH_RUN, {"executionParams": params})["launchRun"]
        return _run_id(result)

    def reexecute_from_failure(self, run_id: str) -> str:
        params = {"parentRunId": run_id, "strategy": "FROM_FAILURE"}
        result = self.query(REEXECUTE, {"reexecutionParams": params})
        return _run_id(result["launchPipelineReexecution"])

    def start_schedule(self, name: str) -> str:
        """Switch a schedule on (Automation → the schedule's toggle); its state's id."""
        selector = {
            "repositoryLocationName": LOCATION,
            "repositoryName": REPOSITORY,
            "scheduleName": name,
        }
        result = self.query(START_SCHEDULE, {"scheduleSelector": selector})["startSchedule"]
        if result["__typename"] != "ScheduleStateResult":
            raise DagsterUIError(f"startSchedule: {result}")
        return result["scheduleState"]["id"]

    def stop_schedule(self, state_id: str) -> None:
        result = self.query(STOP_SCHEDULE, {"id": state_id})["stopRunningSchedule"]
        if result["__typename"] != "ScheduleStateResult":
            raise DagsterUIError(f"stopRunningSchedule: {result}")

    # Watching it.

    def runs(self, tags: Mapping[str, str] | None = None) -> list[Run]:
        run_filter = {"tags": [{"key": k, "value": v} for k, v in (tags or {}).items()]}
        result = self.query(RUNS, {"filter": run_filter})["runsOrError"]
        if result["__typename"] != "Runs":
            raise DagsterUIError(f"runsOrError: {result}")
        return [
            Run(
                run_id=run["runId"],
                status=run["status"],
                start_time=run["startTime"],
                end_time=run["endTime"],
                tags={tag["key"]: tag["value"] for tag in run["tags"]},
            )
            for run in result["results"]
        ]

    def run(self, run_id: str) -> Run:
        (found,) = [run for run in self.runs() if run.run_id == run_id]
        return found

    def _events(self, run_id: str) -> list[dict]:
        """A run's event log, as its page lists it."""
        return self.query(RUN_EVENTS, {"runId": run_id})["logsForRun"].get("events", [])

    def messages(self, run_id: str) -> list[str]:
        return [event.get("message") or "" for event in self._events(run_id)]

    def materialized(self, run_id: str) -> list[list[str]]:
        """The asset keys a run materialized."""
        return [
            event["assetKey"]["path"]
            for event in self._events(run_id)
            if event["__typename"] == "MaterializationEvent"
        ]

    def wait_for_run(self, run_id: str, timeout: float = 240.0) -> Run:
        deadline = time.monotonic() + timeout
        while True:
            run = self.run(run_id)
            if run.status in FINISHED:
                return run
            if time.monotonic() > deadline:
                raise DagsterUIError(f"run {run_id} still {run.status} after {timeout:.0f} s")
            time.sleep(0.5)

    def wait_for_backfill(self, backfill_id: str, timeout: float = 300.0) -> list[Run]:
        """Wait until the backfill is done and all its runs have finished; its runs."""
        deadline = time.monotonic() + timeout
        while True:
            result = self.query(BACKFILL_STATUS, {"backfillId": backfill_id})
            backfill = result["partitionBackfillOrError"]
            if backfill["__typename"] != "PartitionBackfill":
                raise DagsterUIError(f"backfill {backfill_id}: {backfill}")
            runs = self.runs({"dagster/backfill": backfill_id})
            done = backfill["status"] in {"COMPLETED", "FAILED", "CANCELED", "COMPLETED_SUCCESS",
                                          "COMPLETED_FAILED"}  # fmt: skip
            if done and all(run.status in FINISHED for run in runs):
                if backfill["error"]:
                    raise DagsterUIError(f"backfill {backfill_id}: {backfill['error']['message']}")
                return sorted(runs, key=lambda run: run.start_time or 0)
            if time.monotonic() > deadline:
                raise DagsterUIError(
                    f"backfill {backfill_id} still {backfill['status']} after {timeout:.0f} s "
                    f"(runs: {[(run.run_id, run.status) for run in runs]})"
                )
            time.sleep(0.5)

    def wait_until_loaded(self, timeout: float = 180.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                entries = self.query(LOCATIONS)["workspaceOrError"]["locationEntries"]
            except (httpx.HTTPError, DagsterUIError):
                entries = []
            loaded = [entry for entry in entries if entry["loadStatus"] == "LOADED"]
            if loaded:
                location = loaded[0]["locationOrLoadError"]
                if location["__typename"] == "PythonError":
                    raise DagsterUIError(f"the code location failed: {location['message']}")
                return
            if time.monotonic() > deadline:
                raise DagsterUIError(f"the code location did not load in {timeout:.0f} s")
            time.sleep(0.5)

    def _backfill(self, params: dict) -> str:
        result = self.query(LAUNCH_BACKFILL, {"backfillParams": params})
        result = result["launchPartitionBackfill"]
        if result["__typename"] != "LaunchBackfillSuccess":
            raise DagsterUIError(f"launchPartitionBackfill: {result}")
        return result["backfillId"]

    @staticmethod
    def _repository() -> dict[str, str]:
        return {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY}


def _run_id(result: dict) -> str:
    if result["__typename"] != "LaunchRunSuccess":
        raise DagsterUIError(f"launch failed: {result}")
    return result["run"]["runId"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def dagster_dev(home: Path, environment: Mapping[str, str]) -> Iterator[DagsterUI]:
    """`dagster dev` over the project's code location, with the checked-in instance settings
    in `home`; yields a client once the code location has loaded."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")
    port = free_port()
    log = (home / "dagster-dev.log").open("wb")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("dagster")),
            "dev",
            "-w",
            str(REPO_ROOT / "workspace.yaml"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=REPO_ROOT,
        env={**os.environ, **environment, "DAGSTER_HOME": str(home)},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    ui = DagsterUI(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise DagsterUIError(
                    f"dagster dev exited with {process.returncode}: "
                    f"{(home / 'dagster-dev.log').read_text()[-3000:]}"
                )
            try:
                if ui.http.get("/server_info").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise DagsterUIError("dagster dev did not answer in 180 s")
            time.sleep(0.3)
        ui.wait_until_loaded()
        yield ui
    finally:
        ui.http.close()
        _stop_group(process)
        log.close()


def _stop_group(process: subprocess.Popen) -> None:
    """SIGINT to the whole group (as Ctrl-C would), then SIGKILL what is left."""
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
