"""Digests by email: addresses, topics, settings and the messages themselves (pure), and the
asset's place in the graph."""

from __future__ import annotations

import email
from email import policy

import pytest
import yaml

from pipelines.dbt_parse import DBT_PROJECT_DIR
from pipelines.definitions import defs
from pipelines.defs.assets.digests import DIGEST_MARTS, DIGESTS
from pipelines.defs.assets.serving import SERVING_COPY
from pipelines.publish.digests import (
    Digest,
    Section,
    Sender,
    SubscriptionError,
    compose_message,
    first_sentence,
    normalise_address,
    normalise_topics,
    parse_sender,
    plan_digests,
    summary_line,
    taxonomy_topics,
)
from pipelines.publish.smtp import SmtpSettingError, parse_smtp_url
from pipelines.warehouse.digests import DigestPaper, Subscriber
from tests.digest_helpers import (
    D1,
    HOSTILE_TITLE,
    MART_COLUMNS,
    NOW,
    PASSWORD,
    SENDER,
    parts,
)

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
def test_the_summary_is_the_first_sentence_of_the_ai_summary_else_of_the_abstract():
    both = paper(
        "p1", 1, "agents", ai_summary="Agents plan, e.g. with tools. Then they act.",
        abstract="An abstract.",
    )  # fmt: skip
    assert summary_line(both) == "Agents plan, e.g. with tools."
    only_abstract = paper("p2", 1, "agents", abstract="  We study\n agents. In depth. ")
    assert summary_line(only_abstract) == "We study agents."
    blank_summary = paper("p3", 1, "agents", ai_summary=" ", abstract="Fallback works.")
    assert summary_line(blank_summary) == "Fallback works."
    long = paper("p4", 1, "agents", ai_summary="word " * 50 + ".")
    assert len(summary_line(long)) == 160 and summary_line(long).endswith("…")
    assert first_sentence("3.5 times faster than Smith et al. Our model wins. Next.") == (
        "3.5 times faster than Smith et al. Our model wins."
    )


@pytest.mark.unit
def test_without_a_summary_or_an_abstract_the_line_says_what_the_topics_found():
    plain = paper("p1", 1, "agents")
    assert summary_line(plain) == "agents"
    busy = paper("p2", 1, "agents", topics=("agents", "code"), terms=("tool\nuse",),
                 num_comments=1)  # fmt: skip
    assert summary_line(busy) == "on tool use · also code · 1 comment"
    many = paper("p3", 1, "agents", terms=tuple(f"term {n}" for n in range(10)))
    assert summary_line(many) == "on term 0, term 1, term 2, term 3 and 6 more"
    long = paper("p4", 1, "agents", terms=("word " * 50,), topics=("agents", "code"))
    assert len(summary_line(long)) == 160 and summary_line(long).endswith("…")


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
