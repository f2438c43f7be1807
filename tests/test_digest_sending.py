"""Digests by email, sent for real to an SMTP server on loopback (aiosmtpd), and the
subscription commands. The warehouse and the server are in tests/digest_helpers.py."""

from __future__ import annotations

import logging
import shutil
import ssl
import subprocess
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.publish.digest_run import DigestDeliveryError, send_digests
from pipelines.publish.digests import (
    parse_sender,
)
from pipelines.publish.smtp import SmtpServer, parse_smtp_url
from pipelines.settings import load_settings
from pipelines.warehouse.connection import connect
from pipelines.warehouse.digests import subscribe
from tests.digest_helpers import (
    D1,
    D2,
    HOSTILE_TITLE,
    NOW,
    PASSWORD,
    SENDER,
    Recorder,
    add_listing_date,
    build_warehouse,
    check_login,
    free_port,
    ledger,
    materialization_metadata,
    parts,
    run_digests_asset,
    send,
    smtp_server,
    step_failure,
)


@pytest.fixture
def smtp_env(data_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """Point the settings at a loopback SMTP server: `smtp_env(port, password=None)`."""

    def configure(port: int, *, user: str | None = None) -> None:
        credentials = f"{user}:{PASSWORD}@" if user else ""
        monkeypatch.setenv("PAPERBOARD_SMTP_URL", f"smtp://{credentials}127.0.0.1:{port}")
        monkeypatch.setenv("PAPERBOARD_DIGEST_FROM", SENDER)

    return configure


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
    # The line about each paper comes from marts.papers: the AI summary's first sentence,
    # else the abstract's; without either, what the topic matcher found.
    assert "50 upvotes · Agents learn to use <tools> & APIs.\r\n" in ada_text
    assert "50 upvotes · Agents learn to use &lt;tools&gt; &amp; APIs.</p>" in ada_html
    assert "20 upvotes · Robots fold laundry.\r\n" in ada_text
    assert "10 upvotes · on web navigation · 2 comments\r\n" in ada_text
    assert "paperboard unsubscribe ada@example.org" in ada_text
    assert "paperboard unsubscribe ada@example.org" in ada_html

    bob_text, _ = parts(by_recipient["bob@example.org"])
    assert "Long Chains of Thought" in bob_text
    assert "30 upvotes · Long chains of thought help.\r\n" in bob_text
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
