"""Real servers for the team profile's tests: PostgreSQL (Debian's package) and moto's S3.

Both run on loopback ports with temporary data, started by module-scoped fixtures and stopped
at the end. `make test` installs Debian's `postgresql` when it is missing (never a test); as
root, the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg2

from pipelines.warehouse.lake import Lake

POSTGRES_BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class PostgresServer:
    """A throw-away PostgreSQL cluster on 127.0.0.1:<port>, trust authentication."""

    directory: Path
    port: int

    @property
    def bin(self) -> Path:
        if not POSTGRES_BINARIES:
            raise RuntimeError(
                "PostgreSQL is not installed: `make test` installs Debian's postgresql package"
            )
        return POSTGRES_BINARIES[-1]

    def conninfo(self, database: str) -> str:
        return f"dbname={database} host=127.0.0.1 port={self.port} user=postgres"

    def initialise(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        subprocess.run(
            _as_server_user(
                [
                    str(self.bin / "initdb"),
                    "-D",
                    str(self.directory / "data"),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "--no-sync",
                    "-E",
                    "UTF8",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            _as_server_user(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.directory / "data"),
                    "-o",
                    options,
                    "-l",
                    str(self.directory / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            _as_server_user(
                [
                    str(self.bin / "pg_ctl"),
                    "-D",
                    str(self.directory / "data"),
                    "-m",
                    mode,
                    "-w",
                    "stop",
                ]
            ),
            check=False,
            capture_output=True,
        )

    def create_database(self, name: str) -> str:
        """A new, empty database; its libpq conninfo."""
        connection = psycopg2.connect(self.conninfo("postgres"))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'create database "{name}"')
        finally:
            connection.close()
        return self.conninfo(name)


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A new cluster in a folder of its own under the system's temporary folder: pytest's
    folders are private to root, which the `postgres` user may not enter."""
    directory = Path(tempfile.mkdtemp(prefix="paperboard-postgres-"))
    server = PostgresServer(directory, free_port())
    try:
        server.initialise()
        server.start()
        yield server
    finally:
        server.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)


class Gateway:
    """A loopback TCP relay: what clients see as "the S3 server". `stop()` closes its port
    and cuts every open connection, as a server that went away does; `start()` opens the
    same port again. moto keeps its buckets in memory only, so stopping moto itself would lose
    the lake's files: the outage is played here, in front of it."""

    def __init__(self, port: int, upstream_port: int) -> None:
        self.port = port
        self.upstream_port = upstream_port
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            connections, self._connections = self._connections, []
        if listener is not None:
            listener.close()
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            with self._lock:
                self._connections += [client, upstream]
            threading.Thread(target=self._relay, args=(client, upstream), daemon=True).start()

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        """Relay one connection both ways until both sides are done, then close it (a long
        benchmark makes thousands of S3 requests: kept sockets would run out of files)."""
        back = threading.Thread(target=_pipe, args=(upstream, client), daemon=True)
        back.start()
        _pipe(client, upstream)
        back.join()
        with self._lock:
            self._connections = [c for c in self._connections if c not in (client, upstream)]
        client.close()
        upstream.close()


def _pipe(source: socket.socket, target: socket.socket) -> None:
    with suppress(OSError):
        while data := source.recv(65536):
            target.sendall(data)
    with suppress(OSError):
        target.shutdown(socket.SHUT_WR)


@dataclass
class S3Server:
    """moto's standalone S3 server on loopback behind a `Gateway` that a test can stop and
    start; any key and secret are accepted."""

    port: int
    moto_port: int
    process: subprocess.Popen | None = None
    gateway: Gateway | None = None

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> dict[str, str]:
        return {
            "AWS_ACCESS_KEY_ID": "paperboard-test",
            "AWS_SECRET_ACCESS_KEY": "paperboard-test-secret",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.endpoint_url,
        }

    def launch(self) -> None:
        moto = Path(sys.executable).with_name("moto_server")
        self.process = subprocess.Popen(
            [str(moto), "-H", "127.0.0.1", "-p", str(self.moto_port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.moto_port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("moto's S3 server did not start within 30 s")
        self.gateway = Gateway(self.port, self.moto_port)
        self.gateway.start()

    def stop(self) -> None:
        """The server goes away (its files stay, as a real server's do on disk)."""
        assert self.gateway is not None
        self.gateway.stop()

    def start(self) -> None:
        assert self.gateway is not None
        self.gateway.start()

    def shutdown(self) -> None:
        if self.gateway is not None:
            self.gateway.stop()
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def create_bucket(self, name: str) -> str:
        import boto3

        client = boto3.client("s3", endpoint_url=self.endpoint_url, **_boto_keys(self))
        client.create_bucket(Bucket=name)
        return f"s3://{name}/lake/"

    def objects(self, bucket: str) -> list[str]:
        import boto3

        client = boto3.client("s3", endpoint_url=self.endpoint_url, **_boto_keys(self))
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return [item["Key"] for page in pages for item in page.get("Contents", [])]


def _boto_keys(server: S3Server) -> dict[str, str]:
    environment = server.environment()
    return {
        "aws_access_key_id": environment["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": environment["AWS_SECRET_ACCESS_KEY"],
        "region_name": environment["AWS_REGION"],
    }


@contextmanager
def s3_server() -> Iterator[S3Server]:
    server = S3Server(free_port(), free_port())
    try:
        server.launch()
        yield server
    finally:
        server.shutdown()


def new_lake(postgres: PostgresServer, s3: S3Server, name: str) -> Lake:
    """A new, empty lake: its catalog a new database of `postgres`, its files a new bucket."""
    conninfo = postgres.create_database(name)
    return Lake(conninfo=conninfo, data_path=s3.create_bucket(name.replace("_", "-")))
