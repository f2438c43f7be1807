"""The digests tests' warehouse, loopback SMTP server and helpers.

The warehouse is small literal marts (`marts.trending_papers`, `marts.paper_topics`, with only
the columns the digests read, which the marts' YAML documents) built in milliseconds, so the
whole file runs without dbt. Listing dates and what the subscribers follow:

| listing date | paper      | rank | primary topic     | upvotes |
| ------------ | ---------- | ---- | ----------------- | ------- |
| 2025-12-04   | 2512.00001 | 1    | agents            | 50      |  (title with & < > ")
| 2025-12-04   | 2512.00002 | 2    | llm reasoning     | 30      |
| 2025-12-04   | 2512.00003 | 3    | robotics          | 20      |
| 2025-12-04   | 2512.00004 | 4    | agents            | 10      |
| 2025-12-05   | 2512.00011 | 1    | robotics          | 70      |  (added by `add_second_date`)
| 2025-12-05   | 2512.00012 | 2    | agents            | 40      |

ada: agents, robotics · bob: llm reasoning · carol: agents · dave: speech and audio (no paper).
"""

from __future__ import annotations

import asyncio
import email
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

import dagster as dg
import duckdb
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from pipelines.defs.assets.digests import digests
from pipelines.defs.resources import build_resources
from pipelines.publish.digest_run import send_digests
from pipelines.publish.digests import (
    parse_sender,
)
from pipelines.publish.smtp import parse_smtp_url
from pipelines.settings import load_settings
from pipelines.warehouse.connection import connect
from pipelines.warehouse.digests import subscribe

D1, D2 = date(2025, 12, 4), date(2025, 12, 5)
HOSTILE_TITLE = 'Agents & <Tools>: a "Study" of <script>alert(1)</script>'
SENDER = "Paperboard <digests@example.org>"
PASSWORD = "s3cret-p@ss-1f0c9a"  # a test password, checked never to leak
NOW = datetime(2025, 12, 6, 6, 30, tzinfo=UTC)
SUBSCRIBERS = {
    "ada@example.org": ["agents", "robotics"],
    "bob@example.org": ["llm reasoning"],
    "carol@example.org": ["agents"],
    "dave@example.org": ["speech and audio"],
}
# The mart columns the digests read; the literal marts have exactly these.
MART_COLUMNS = {
    "trending_papers": {
        "window": "varchar", "window_start": "date", "rank": "integer", "paper_id": "varchar",
        "title": "varchar", "primary_topic": "varchar", "upvotes": "integer",
        "num_comments": "integer", "hf_url": "varchar", "arxiv_url": "varchar",
    },
    "paper_topics": {
        "paper_id": "varchar", "topics": "varchar[]", "primary_topic_terms": "varchar[]"
    },
    "papers": {"paper_id": "varchar", "ai_summary": "varchar", "abstract": "varchar"},
}  # fmt: skip
# marts.papers: the AI summary and abstract of each paper; the one line about it is the first
# sentence of the summary, else of the abstract (2512.00004 has neither).
SUMMARIES = {
    "2512.00001": ("Agents learn to use <tools> & APIs. They get better.", "We study agents."),
    "2512.00002": (None, "Long chains of thought help. We show why."),
    "2512.00003": ("Robots fold laundry.", None),
}
PAPERS = {
    D1: [
        ("2512.00001", HOSTILE_TITLE, "agents", 50, ["agents", "code"], ["tool use", "agent"]),
        ("2512.00002", "Long Chains of Thought", "llm reasoning", 30, ["llm reasoning"], ["cot"]),
        ("2512.00003", "Robots That Fold Laundry", "robotics", 20, ["robotics"], ["robot"]),
        ("2512.00004", "Web Agents, Again", "agents", 10, ["agents"], ["web navigation"]),
    ],
    D2: [
        ("2512.00011", "Humanoids Walk Further", "robotics", 70, ["robotics"], ["humanoid"]),
        ("2512.00012", "Agents Plan Ahead", "agents", 40, ["agents"], ["planning"]),
    ],
}


# The warehouse.


def add_listing_date(warehouse: Path, listing_date: date) -> None:
    """One day window of literal marts rows (PAPERS[listing_date])."""
    with connect(warehouse) as connection:
        for rank, (paper_id, title, topic, upvotes, topics, terms) in enumerate(
            PAPERS[listing_date], start=1
        ):
            connection.execute(
                "insert into marts.trending_papers values "
                "('day', $date, $rank, $id, $title, $topic, $upvotes, 2, $hf, $arxiv)",
                {
                    "date": listing_date, "rank": rank, "id": paper_id, "title": title,
                    "topic": topic, "upvotes": upvotes,
                    "hf": f"https://huggingface.co/papers/{paper_id}",
                    "arxiv": f"https://arxiv.org/abs/{paper_id}",
                },
            )  # fmt: skip
            connection.execute(
                "insert into marts.paper_topics values ($id, $topics, $terms)",
                {"id": paper_id, "topics": topics, "terms": terms},
            )
            summary, abstract = SUMMARIES.get(paper_id, (None, None))
            connection.execute(
                "insert into marts.papers values ($id, $summary, $abstract)",
                {"id": paper_id, "summary": summary, "abstract": abstract},
            )
            # A week window holding the same paper, which a digest must not read.
            connection.execute(
                "insert into marts.trending_papers values "
                "('week', $date, $rank, $id, $title, $topic, $upvotes, 2, null, null)",
                {"date": listing_date, "rank": rank, "id": paper_id, "title": title,
                 "topic": topic, "upvotes": upvotes},
            )  # fmt: skip


def build_warehouse(data_dir: Path, *, dates: tuple[date, ...] = (D1,)) -> Path:
    warehouse = data_dir / "warehouse.duckdb"
    with connect(warehouse) as connection:
        connection.execute("create schema marts")
        for table, columns in MART_COLUMNS.items():
            definition = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
            connection.execute(f"create table marts.{table} ({definition})")
        for address, topics in SUBSCRIBERS.items():
            subscribe(connection, address, topics, NOW)
    for listing_date in dates:
        add_listing_date(warehouse, listing_date)
    return warehouse


def ledger(warehouse: Path) -> list[tuple[str, date]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select email, listing_date from digests.sent order by listing_date, email"
        ).fetchall()


# A real SMTP server on loopback.


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every message it accepts; `refuse_after` accepted
    messages it answers `refusal` (a reply line) or, with `hang_up`, drops the connection
    without answering; `refuse_recipients` are always refused."""

    refuse_after: int | None = None
    refusal: str = "451 4.3.0 Mailbox busy, try again later"
    hang_up: bool = False
    refuse_recipients: frozenset[str] = frozenset()
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's hook name
        if set(envelope.rcpt_tos) & self.refuse_recipients:
            return "554 5.7.1 Recipient refused"
        if self.refuse_after is not None and len(self.messages) >= self.refuse_after:
            if self.hang_up:
                session.transport.close()
                await asyncio.sleep(0)
                return "421 4.3.0 gone"  # never reaches the client
            return self.refusal
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 Accepted"

    def recipients(self) -> list[str]:
        return [rcpt for _sender, rcpts in self.envelopes for rcpt in rcpts]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(handler: Recorder, port: int | None = None, **smtp_options) -> Iterator[int]:
    """aiosmtpd on 127.0.0.1 (a free port unless given); yields the port."""
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port(), **smtp_options)
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()


def check_login(_server, _session, _envelope, _mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


# Running the asset as a run does, and send_digests as the asset does.


def run_digests_asset(**options) -> dg.ExecuteInProcessResult:
    """The real `digests` asset, its resources made from the environment as definitions.py
    makes them."""
    resources = build_resources(load_settings())
    return dg.materialize([digests], resources=resources, raise_on_error=False, **options)


def send(warehouse: Path, port: int, **options):
    return send_digests(
        warehouse,
        parse_smtp_url(f"smtp://127.0.0.1:{port}"),
        parse_sender(SENDER),
        now=lambda: NOW,
        timeout_seconds=5,
        **options,
    )


def materialization_metadata(result: dg.ExecuteInProcessResult) -> dict:
    [event] = result.get_asset_materialization_events()
    return {
        key: value.value for key, value in event.materialization.metadata.items()
    }  # fmt: skip


def step_failure(result: dg.ExecuteInProcessResult) -> str:
    [failure] = [event for event in result.all_events if event.is_step_failure]
    return failure.step_failure_data.error.to_string()  # with its cause, our error


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain text and the HTML of a digest, decoded."""
    assert message.get_content_type() == "multipart/alternative"
    plain, rich = message.iter_parts()
    assert (plain.get_content_type(), rich.get_content_type()) == ("text/plain", "text/html")
    return plain.get_content(), rich.get_content()
