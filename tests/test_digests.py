"""Digests by email, against a real SMTP server on loopback (aiosmtpd).

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
import logging
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

import dagster as dg
import duckdb
import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.dbt_parse import DBT_PROJECT_DIR
from pipelines.definitions import defs
from pipelines.defs.assets.digests import DIGEST_MARTS, DIGESTS, digests
from pipelines.defs.assets.serving import SERVING_COPY
from pipelines.defs.resources import build_resources
from pipelines.publish.digest_run import DigestDeliveryError, send_digests
from pipelines.publish.digests import (
    Digest,
    Section,
    Sender,
    SubscriptionError,
    compose_message,
    normalise_address,
    normalise_topics,
    parse_sender,
    plan_digests,
    summary_line,
    taxonomy_topics,
    web_url,
)
from pipelines.publish.smtp import SmtpServer, SmtpSettingError, parse_smtp_url
from pipelines.settings import load_settings
from pipelines.warehouse.connection import connect
from pipelines.warehouse.digests import DigestPaper, Subscriber, subscribe

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
}  # fmt: skip
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


@pytest.fixture
def smtp_env(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """Point the settings at a loopback SMTP server: `smtp_env(port, password=None)`."""

    def configure(port: int, *, user: str | None = None) -> None:
        credentials = f"{user}:{PASSWORD}@" if user else ""
        monkeypatch.setenv("PAPERBOARD_SMTP_URL", f"smtp://{credentials}127.0.0.1:{port}")
        monkeypatch.setenv("PAPERBOARD_DIGEST_FROM", SENDER)

    return configure


# Addresses, topics and settings.


@pytest.mark.unit
def test_an_address_is_checked_by_the_library_and_stored_lower_cased():
    assert normalise_address("Ada.Lovelace@Example.ORG") == "ada.lovelace@example.org"
    assert normalise_address("ada@bücher.de") == "ada@xn--bcher-kva.de"
    for malformed in ("ada", "ada@", "ada@localhost", "Ada <ada@example.org>", "a\nb@x.org",
                      "ada@@example.org", "ada@example..org"):  # fmt: skip
        with pytest.raises(SubscriptionError, match="is not a valid email address") as refused:
            normalise_address(malformed)
        assert repr(malformed) in str(refused.value)


@pytest.mark.unit
def test_topics_are_the_seed_taxonomy_s_and_an_unknown_one_is_refused_by_name():
    taxonomy = taxonomy_topics()
    assert taxonomy[:2] == ("llm reasoning", "agents") and taxonomy[-1] == "other"
    assert len(taxonomy) == 22
    assert normalise_topics(["Robotics", "LLM-reasoning", "agents", "agents"], taxonomy) == (
        "agents", "llm reasoning", "robotics"
    )  # fmt: skip
    with pytest.raises(SubscriptionError, match="unknown topic 'cooking'; the topics are: llm"):
        normalise_topics(["agents", "cooking"], taxonomy)
    with pytest.raises(SubscriptionError, match="no topic given"):
        normalise_topics([], taxonomy)


@pytest.mark.unit
def test_the_smtp_url_gives_host_port_and_credentials_and_hides_the_password():
    server = parse_smtp_url(
        f"smtps://digest%40example.org:{PASSWORD.replace('@', '%40')}@Mail.Example.org"
    )
    assert (server.host, server.port, server.implicit_tls) == ("mail.example.org", 465, True)
    assert (server.username, server.password) == ("digest@example.org", PASSWORD)
    assert server.address == "mail.example.org:465"
    assert PASSWORD not in repr(server)
    plain = parse_smtp_url("smtp://127.0.0.1:8025")
    assert (plain.port, plain.implicit_tls, plain.username, plain.is_loopback) == (
        8025, False, None, True
    )  # fmt: skip
    assert parse_smtp_url("smtp://[::1]").address == "[::1]:25"
    assert not parse_smtp_url("smtp://mail.example.org").is_loopback


@pytest.mark.parametrize(
    "url",
    [
        f"http://user:{PASSWORD}@mail.example.org",
        f"smtp://user:{PASSWORD}@mail.example.org:smtp",
        f"smtp://user:{PASSWORD}@",
        f"smtps://user:{PASSWORD}@mail.example.org/inbox?x=1",
        f"smtp://:{PASSWORD}@mail.example.org",
    ],
)
def test_a_malformed_smtp_url_is_refused_without_repeating_it(url):
    with pytest.raises(SmtpSettingError, match="PAPERBOARD_SMTP_URL") as refused:
        parse_smtp_url(url)
    assert PASSWORD not in str(refused.value)


@pytest.mark.unit
def test_the_sender_may_carry_a_display_name():
    assert parse_sender(SENDER) == Sender("digests@example.org", "Paperboard")
    assert parse_sender("digests@example.org").header == "digests@example.org"
    with pytest.raises(ValueError, match="PAPERBOARD_DIGEST_FROM 'digests'"):
        parse_sender("digests")


# Which digests, and their messages (pure).


def paper(paper_id: str, rank: int, topic: str, **extra) -> DigestPaper:
    fields = dict(title=f"Paper {paper_id}", upvotes=10 * rank, num_comments=0,
                  hf_url=f"https://huggingface.co/papers/{paper_id}", arxiv_url=None,
                  topics=(topic,), terms=())  # fmt: skip
    return DigestPaper(paper_id=paper_id, rank=rank, primary_topic=topic, **(fields | extra))


@pytest.mark.unit
def test_a_digest_holds_the_top_papers_of_the_followed_topics_only():
    papers = [
        paper(f"p{rank}", rank, "agents" if rank % 2 else "robotics") for rank in range(1, 15)
    ]
    papers.append(paper("x1", 15, "llm reasoning"))
    [digest] = plan_digests(D1, papers, [Subscriber("ada@example.org", ("robotics", "agents"))])
    assert digest.topics == ("agents", "robotics")
    assert [p.paper_id for p in digest.sections[0].papers] == ["p1", "p3", "p5", "p7", "p9"]
    assert [p.paper_id for p in digest.sections[1].papers] == ["p2", "p4", "p6", "p8", "p10"]
    assert digest.papers == 10


@pytest.mark.unit
def test_no_digest_for_a_subscriber_already_sent_or_whose_topics_had_no_paper():
    papers = [paper("p1", 1, "agents")]
    subscribers = [
        Subscriber("ada@example.org", ("agents",)),
        Subscriber("bob@example.org", ("agents", "robotics")),
        Subscriber("dave@example.org", ("speech and audio",)),
    ]
    [digest] = plan_digests(D1, papers, subscribers, already_sent={"ada@example.org"})
    assert digest.email == "bob@example.org"
    assert [(s.topic, len(s.papers)) for s in digest.sections] == [("agents", 1), ("robotics", 0)]


@pytest.mark.unit
def test_the_message_is_text_and_html_with_escaped_titles_links_and_an_unsubscribe_line():
    hostile = paper(
        "2512.00001", 1, "agents", title=HOSTILE_TITLE, upvotes=1, num_comments=3,
        topics=("agents", "code"), terms=("tool use",),
    )  # fmt: skip
    unlinked = paper("2512.00009", 2, "agents", hf_url="javascript:alert(1)", arxiv_url=None)
    digest = Digest(
        "ada@example.org",
        D1,
        (Section("agents", (hostile, unlinked)), Section("robotics", ())),
    )
    message = compose_message(digest, parse_sender(SENDER), NOW)

    parsed = email.message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["From"] == "Paperboard <digests@example.org>"
    assert parsed["To"] == "ada@example.org"
    assert parsed["Subject"] == "paperboard: top papers of 2025-12-04 in agents, robotics"
    assert parsed["Date"] == "Sat, 06 Dec 2025 06:30:00 +0000"
    assert parsed["Message-ID"].startswith("<digest.2025-12-04.")
    assert parsed["List-Unsubscribe"].strip() == (  # folded: it is longer than a line
        "<mailto:digests@example.org?subject=unsubscribe%20ada%40example.org>"
    )
    text, rich = parts(parsed)
    assert "1. " + HOSTILE_TITLE in text
    assert "   https://huggingface.co/papers/2512.00001" in text
    assert "   1 upvote · on tool use · also code · 3 comments" in text
    assert "No paper in robotics on this day." in text
    assert "paperboard unsubscribe ada@example.org" in text
    assert "javascript" not in text and "javascript" not in rich
    assert (
        '<a href="https://huggingface.co/papers/2512.00001">Agents &amp; &lt;Tools&gt;: a '
        "&quot;Study&quot; of &lt;script&gt;alert(1)&lt;/script&gt;</a>"
    ) in rich
    assert "<script>" not in rich
    assert "<strong>Paper 2512.00009</strong>" in rich  # no link for a non-web URL
    assert "To unsubscribe, reply with &quot;unsubscribe&quot;" in rich


@pytest.mark.unit
def test_the_summary_is_one_short_line_from_what_the_marts_know():
    plain = paper("p1", 1, "agents")
    assert summary_line(plain) == "agents"
    busy = paper("p2", 1, "agents", topics=("agents", "code"), terms=("tool\nuse",),
                 num_comments=1)  # fmt: skip
    assert summary_line(busy) == "on tool use · also code · 1 comment"
    many = paper("p3", 1, "agents", terms=tuple(f"term {n}" for n in range(10)))
    assert summary_line(many) == "on term 0, term 1, term 2, term 3 and 6 more"
    long = paper("p4", 1, "agents", terms=("word " * 50,), topics=("agents", "code"))
    assert len(summary_line(long)) == 160 and summary_line(long).endswith("…")


@pytest.mark.unit
def test_only_absolute_web_urls_become_links():
    assert web_url("https://huggingface.co/papers/1") == "https://huggingface.co/papers/1"
    for bad in ("javascript:alert(1)", "//evil.example", "data:text/html,x", "", None, "ftp://x"):
        assert web_url(bad) is None


# Sending, against aiosmtpd.


def test_each_subscriber_gets_the_newest_date_s_top_papers_of_its_topics(data_dir, smtp_env):
    warehouse = build_warehouse(data_dir)
    handler = Recorder()
    with smtp_server(handler) as port:
        smtp_env(port)
        result = run_digests_asset()

    assert result.success
    assert materialization_metadata(result) == {
        "listing_date": "2025-12-04", "smtp_server": f"127.0.0.1:{port}", "subscribers": 4,
        "sent": 3, "already_sent": 0, "nothing_to_send": 1,
    }  # fmt: skip
    assert sorted(handler.recipients()) == [
        "ada@example.org",
        "bob@example.org",
        "carol@example.org",
    ]
    assert {sender for sender, _ in handler.envelopes} == {"digests@example.org"}
    by_recipient = {message["To"]: message for message in handler.messages}

    ada_text, ada_html = parts(by_recipient["ada@example.org"])
    assert ada_text.index(HOSTILE_TITLE) < ada_text.index("Web Agents, Again")
    assert ada_text.index("Web Agents, Again") < ada_text.index("Robots That Fold Laundry")
    assert "Long Chains of Thought" not in ada_text + ada_html  # bob's topic, not ada's
    assert "https://huggingface.co/papers/2512.00003" in ada_text
    assert (
        '<a href="https://huggingface.co/papers/2512.00003">Robots That Fold Laundry</a>'
        in ada_html
    )
    assert "Agents &amp; &lt;Tools&gt;" in ada_html and "<script>" not in ada_html
    assert "50 upvotes · on tool use, agent · also code · 2 comments" in ada_text
    assert "paperboard unsubscribe ada@example.org" in ada_text
    assert "paperboard unsubscribe ada@example.org" in ada_html

    bob_text, _ = parts(by_recipient["bob@example.org"])
    assert "Long Chains of Thought" in bob_text
    assert HOSTILE_TITLE not in bob_text and "Robots" not in bob_text
    carol_text, _ = parts(by_recipient["carol@example.org"])
    assert "Robots" not in carol_text and "ROBOTICS" not in carol_text

    assert ledger(warehouse) == [
        ("ada@example.org", D1), ("bob@example.org", D1), ("carol@example.org", D1)
    ]  # fmt: skip


def test_a_second_run_sends_nothing_new(data_dir, smtp_env):
    warehouse = build_warehouse(data_dir)
    handler = Recorder()
    with smtp_server(handler) as port:
        smtp_env(port)
        assert run_digests_asset().success
        again = run_digests_asset()

    assert again.success
    metadata = materialization_metadata(again)
    assert (metadata["sent"], metadata["already_sent"]) == (0, 3)
    assert len(handler.messages) == 3
    assert len(ledger(warehouse)) == 3


def test_a_subscriber_added_later_gets_only_the_new_listing_date(data_dir):
    warehouse = build_warehouse(data_dir)
    handler = Recorder()
    with smtp_server(handler) as port:
        send(warehouse, port)
        with connect(warehouse) as connection:
            subscribe(connection, "erin@example.org", ["robotics"], NOW)
        add_listing_date(warehouse, D2)
        report = send(warehouse, port)

    assert report.listing_date == D2
    assert report.sent == ["ada@example.org", "carol@example.org", "erin@example.org"]
    erin = [message for message in handler.messages if message["To"] == "erin@example.org"]
    assert [message["Subject"] for message in erin] == [
        "paperboard: top papers of 2025-12-05 in robotics"
    ]
    erin_text, _ = parts(erin[0])
    assert "Humanoids Walk Further" in erin_text and "Robots That Fold Laundry" not in erin_text
    assert ("erin@example.org", D1) not in ledger(warehouse)
    assert ("erin@example.org", D2) in ledger(warehouse)


def test_without_smtp_settings_the_asset_is_skipped_and_the_run_succeeds(data_dir, monkeypatch):
    build_warehouse(data_dir)
    monkeypatch.delenv("PAPERBOARD_SMTP_URL", raising=False)
    monkeypatch.setenv("PAPERBOARD_DIGEST_FROM", SENDER)
    result = run_digests_asset()
    assert result.success
    assert materialization_metadata(result) == {"skipped": "no PAPERBOARD_SMTP_URL"}
    monkeypatch.delenv("PAPERBOARD_DIGEST_FROM")
    both = run_digests_asset()
    assert materialization_metadata(both) == {
        "skipped": "no PAPERBOARD_SMTP_URL and no PAPERBOARD_DIGEST_FROM"
    }
    assert ledger(data_dir / "warehouse.duckdb") == []


def test_before_the_marts_exist_or_without_subscribers_nothing_is_sent_and_no_server_asked(
    data_dir,
):
    port = free_port()  # nothing listens there: connecting would fail the run
    with connect(data_dir / "warehouse.duckdb") as connection:
        subscribe(connection, "ada@example.org", ["agents"], NOW)
    report = send(data_dir / "warehouse.duckdb", port)
    assert (report.listing_date, report.sent) == (None, [])

    warehouse = build_warehouse(data_dir / "other")
    with connect(warehouse) as connection:
        connection.execute("delete from digests.subscriptions")
    report = send(warehouse, port)
    assert (report.listing_date, report.subscribers, report.sent) == (D1, 0, [])


def test_a_malformed_smtp_url_fails_the_asset_without_showing_the_url(data_dir, monkeypatch):
    build_warehouse(data_dir)
    monkeypatch.setenv("PAPERBOARD_SMTP_URL", f"smtp://digests:{PASSWORD}@mail.example.org:2x5")
    monkeypatch.setenv("PAPERBOARD_DIGEST_FROM", SENDER)
    with dg.DagsterInstance.ephemeral() as instance:
        result = run_digests_asset(instance=instance)
        logs = repr(instance.all_logs(result.run_id))
    assert not result.success
    assert "PAPERBOARD_SMTP_URL has a port that is not a number" in step_failure(result)
    assert PASSWORD not in logs


def test_a_server_refusing_mid_batch_fails_naming_it_and_the_next_run_sends_the_rest(
    data_dir, smtp_env
):
    warehouse = build_warehouse(data_dir)
    busy = Recorder(refuse_after=1)
    port = free_port()
    with smtp_server(busy, port=port):
        smtp_env(port)
        failed = run_digests_asset()

    assert not failed.success
    message = step_failure(failed)
    assert f"not sent through the SMTP server 127.0.0.1:{port}" in message
    assert "2 of 3 not sent" in message
    assert "bob@example.org: the SMTP server" in message and "451 4.3.0 Mailbox busy" in message
    assert "carol@example.org" in message
    assert busy.recipients() == ["ada@example.org"]
    assert ledger(warehouse) == [("ada@example.org", D1)]

    healthy = Recorder()
    with smtp_server(healthy, port=port):
        again = run_digests_asset()
    assert again.success
    assert healthy.recipients() == ["bob@example.org", "carol@example.org"]
    assert [email for email, _ in ledger(warehouse)] == [
        "ada@example.org", "bob@example.org", "carol@example.org"
    ]  # fmt: skip


def test_a_server_hanging_up_mid_batch_stops_the_batch_and_the_next_run_sends_the_rest(data_dir):
    warehouse = build_warehouse(data_dir)
    port = free_port()
    with (
        smtp_server(Recorder(refuse_after=2, hang_up=True), port=port),
        pytest.raises(DigestDeliveryError) as failed,
    ):
        send(warehouse, port)
    message = str(failed.value)
    assert f"SMTP server 127.0.0.1:{port}" in message
    assert "carol@example.org: the SMTP server" in message
    assert ledger(warehouse) == [("ada@example.org", D1), ("bob@example.org", D1)]

    # The server is gone: nothing is sent, and the run says so.
    with pytest.raises(DigestDeliveryError, match=f"127.0.0.1:{port}: connection refused"):
        send(warehouse, port)

    back = Recorder()
    with smtp_server(back, port=port):
        report = send(warehouse, port)
    assert back.recipients() == ["carol@example.org"] == report.sent
    assert len(ledger(warehouse)) == 3


def test_a_server_that_is_down_fails_the_run_naming_it_and_the_first_subscriber(data_dir):
    warehouse = build_warehouse(data_dir)
    port = free_port()
    with pytest.raises(DigestDeliveryError) as failed:
        send(warehouse, port)
    lines = str(failed.value).splitlines()
    assert lines[0] == (
        f"digests of listing date 2025-12-04: 3 of 3 not sent through the SMTP server "
        f"127.0.0.1:{port} (0 sent and recorded); the next run sends the rest"
    )
    assert lines[1] == f"  ada@example.org: the SMTP server 127.0.0.1:{port}: connection refused"
    assert lines[2:] == [
        "  bob@example.org: not tried after the server went away",
        "  carol@example.org: not tried after the server went away",
    ]
    assert ledger(warehouse) == []


def test_one_refused_recipient_does_not_hold_back_the_others(data_dir):
    warehouse = build_warehouse(data_dir)
    handler = Recorder(refuse_recipients=frozenset({"bob@example.org"}))
    with (
        smtp_server(handler) as port,
        pytest.raises(DigestDeliveryError, match=r"bob@example\.org: .* 554 5\.7\.1 Recipient"),
    ):
        send(warehouse, port)
    assert handler.recipients() == ["ada@example.org", "carol@example.org"]
    assert [email for email, _ in ledger(warehouse)] == ["ada@example.org", "carol@example.org"]


# Logging in without TLS is allowed on loopback only; aiosmtpd warns about it, rightly.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_password_never_reaches_logs_run_metadata_or_the_warehouse(
    data_dir, smtp_env, caplog, capfd
):
    warehouse = build_warehouse(data_dir)
    handler = Recorder(refuse_after=1)
    caplog.set_level(logging.DEBUG)
    with smtp_server(
        handler, auth_required=True, auth_require_tls=False, authenticator=check_login
    ) as port, dg.DagsterInstance.ephemeral() as instance:  # fmt: skip
        smtp_env(port, user="digests")
        result = run_digests_asset(instance=instance)
        logs = instance.all_logs(result.run_id)
        run_record = instance.get_run_by_id(result.run_id)

    assert handler.recipients() == ["ada@example.org"], "logged in, sent one, refused the rest"
    assert not result.success
    ours = [record for record in caplog.records if not record.name.startswith("mail.log")]
    written = [repr(logs), repr(run_record), *map(repr, ours), *capfd.readouterr()]
    written.append(warehouse.read_bytes().decode("latin-1"))
    assert any(f"127.0.0.1:{port}" in text for text in written), "the server is named"
    for text in written:
        assert PASSWORD not in text
    assert PASSWORD not in repr(load_settings())


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_upgrades_to_starttls_when_offered_and_smtps_speaks_tls_from_the_start(
    data_dir, tmp_path
):
    warehouse = build_warehouse(data_dir)
    server_tls, client_tls = tls_contexts(tmp_path)
    for implicit in (False, True):
        handler = Recorder()
        # aiosmtpd offers AUTH only after its own STARTTLS: over implicit TLS it must be told.
        options = (
            {"ssl_context": server_tls, "auth_require_tls": False}
            if implicit
            else {"tls_context": server_tls, "require_starttls": True}
        )
        with smtp_server(handler, authenticator=check_login, auth_required=True, **options) as port:
            scheme = "smtps" if implicit else "smtp"
            server = parse_smtp_url(f"{scheme}://digests:{PASSWORD}@localhost:{port}")
            with connect(warehouse) as connection:
                connection.execute("delete from digests.sent")
            send_digests(
                warehouse, server, parse_sender(SENDER), now=lambda: NOW, ssl_context=client_tls
            )
        assert len(handler.messages) == 3, scheme


@pytest.mark.unit
def test_a_password_goes_in_clear_text_only_to_a_loopback_server():
    assert parse_smtp_url(f"smtp://u:{PASSWORD}@localhost:25").is_loopback
    assert parse_smtp_url(f"smtp://u:{PASSWORD}@127.0.0.2:25").is_loopback
    assert not parse_smtp_url(f"smtp://u:{PASSWORD}@192.0.2.1:25").is_loopback
    assert not SmtpServer("mail.example.org", 25, False, "u", PASSWORD).is_loopback


def tls_contexts(folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for localhost (Debian's openssl), and the server's and the
    client's TLS contexts around it."""
    openssl = shutil.which("openssl")
    assert openssl, "the TLS tests need the openssl command (Debian package openssl)"
    key, certificate = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(certificate), "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(certificate, key)
    client = ssl.create_default_context(cafile=str(certificate))
    return server, client


# The command line.


def test_subscribe_unsubscribe_and_list_on_the_command_line(data_dir):
    runner = CliRunner()
    listed = runner.invoke(app, ["subscriptions"])
    assert listed.exit_code == 0 and "no subscriptions" in listed.output

    added = runner.invoke(
        app, ["subscribe", "Ada@Example.org", "--topic", "agents", "--topic", "Robotics"]
    )
    assert added.exit_code == 0, added.output
    assert added.output == "ada@example.org follows agents, robotics\n"
    more = runner.invoke(app, ["subscribe", "ada@example.org", "--topic", "llm-reasoning"])
    assert more.output == "ada@example.org follows agents, llm reasoning, robotics\n"
    runner.invoke(app, ["subscribe", "bob@example.org", "--topic", "code"])

    listed = runner.invoke(app, ["subscriptions"])
    assert listed.output.splitlines() == [
        "ada@example.org  no digest yet           agents, llm reasoning, robotics",
        "bob@example.org  no digest yet           code",
    ]
    fewer = runner.invoke(app, ["unsubscribe", "ada@example.org", "--topic", "agents"])
    assert fewer.output == (
        "ada@example.org no longer follows agents; still llm reasoning, robotics\n"
    )
    gone = runner.invoke(app, ["unsubscribe", "BOB@example.org"])
    assert gone.output == "bob@example.org is unsubscribed\n"
    never = runner.invoke(app, ["unsubscribe", "zed@example.org"])
    assert never.exit_code == 0 and never.output == "zed@example.org was not subscribed\n"
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as connection:
        assert connection.execute(
            "select email, topic from digests.subscriptions order by all"
        ).fetchall() == [("ada@example.org", "llm reasoning"), ("ada@example.org", "robotics")]


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["subscribe", "ada.example.org", "--topic", "agents"], "'ada.example.org'"),
        (["subscribe", "ada@example", "--topic", "agents"], "'ada@example'"),
        (["subscribe", "ada@example.org", "--topic", "agents", "--topic", "cooking"],
         "unknown topic 'cooking'"),
        (["subscribe", "ada@example.org"], "no topic given"),
        (["unsubscribe", "not an address"], "'not an address'"),
    ],
)  # fmt: skip
def test_the_command_line_refuses_a_malformed_address_or_an_unknown_topic_naming_it(
    data_dir, arguments, named
):
    refused = CliRunner().invoke(app, arguments)
    assert refused.exit_code == 2
    assert named in " ".join(refused.output.replace("│", " ").split())
    assert not (data_dir / "warehouse.duckdb").exists(), "nothing was written"


# The asset graph and the marts contract.


@pytest.mark.unit
def test_the_digests_run_last_downstream_of_the_serving_copy_and_the_marts_they_read():
    graph = defs.resolve_asset_graph()
    parents = graph.get(DIGESTS).parent_keys
    assert parents == {SERVING_COPY, *DIGEST_MARTS}
    assert all(key in graph.get_all_asset_keys() for key in DIGEST_MARTS), "real dbt models"
    assert not graph.get(DIGESTS).child_keys
    job = defs.resolve_job_def("daily_papers_job")
    assert DIGESTS in job.asset_layer.executable_asset_keys


@pytest.mark.unit
def test_the_mart_columns_the_digests_read_are_documented_in_the_marts_yaml():
    documented = yaml.safe_load(
        (DBT_PROJECT_DIR / "models" / "marts" / "_marts__models.yml").read_text()
    )
    columns = {
        model["name"]: {column["name"] for column in model.get("columns", [])}
        for model in documented["models"]
    }
    for mart, used in MART_COLUMNS.items():
        assert set(used) <= columns[mart], mart
