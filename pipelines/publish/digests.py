"""Digests by email: who may subscribe to what, which digests to send, and their messages.

Everything here is pure (no warehouse, no network, no clock): the run that reads the marts,
sends and records is `pipelines/publish/digest_run.py`, and the Dagster asset
`pipelines/defs/assets/digests.py` only calls it.

A digest covers one listing date (the newest in the marts) for one subscriber: for each topic
it follows, the day's top papers whose primary topic that is (title, link, upvotes, one line
about the paper), as plain text and as HTML (multipart/alternative), with an unsubscribe line.
Every piece of text is escaped in the HTML and only http(s) links are written.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path
from urllib.parse import quote

from email_validator import EmailNotValidError, validate_email

from pipelines.dbt_parse import DBT_PROJECT_DIR
from pipelines.urls import web_url
from pipelines.warehouse.digests import DigestPaper, Subscriber

# The taxonomy the marts classify papers with (the dbt seed): the topics one can follow.
TOPIC_TAXONOMY_CSV = DBT_PROJECT_DIR / "seeds" / "topic_taxonomy.csv"
# Papers per followed topic in one digest.
PAPERS_PER_TOPIC = 5
# The one line about a paper is cut to this many characters; without a summary or an abstract
# it names at most this many matched terms.
SUMMARY_CHARACTERS = 160
SUMMARY_TERMS = 4


class SubscriptionError(ValueError):
    """An address or a topic that cannot be subscribed; the message names the value."""


# Addresses and topics.


def normalise_address(value: str) -> str:
    """A subscriber's address, checked against the RFCs by email-validator (no DNS look-up).

    Returned in the form the mail server is given, lower-cased (so `Ada@Example.org` and
    `ada@example.org` are one subscriber, as for every mail system in practice) with the
    domain in ASCII (IDNA). Display names (`Ada <ada@example.org>`) and non-ASCII local parts
    are refused: the first is not an address, the second needs SMTPUTF8, which many servers
    do not offer.
    """
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as error:
        raise SubscriptionError(f"{value!r} is not a valid email address: {error}") from None
    return (checked.ascii_email or checked.normalized).lower()


def taxonomy_topics(path: Path = TOPIC_TAXONOMY_CSV) -> tuple[str, ...]:
    """The topics of the taxonomy seed, in its order."""
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(row["topic"] for row in csv.DictReader(handle))


def _topic_key(value: str) -> str:
    """`LLM-reasoning`, `llm_reasoning` and ` llm  reasoning ` all name `llm reasoning`."""
    return " ".join(re.split(r"[\s_-]+", value.strip().casefold()))


def normalise_topics(values: Iterable[str], taxonomy: Sequence[str]) -> tuple[str, ...]:
    """The taxonomy's spelling of each topic asked for (sorted, once each); an unknown one is
    refused with its value and the list of topics."""
    by_key = {_topic_key(topic): topic for topic in taxonomy}
    topics = set()
    for value in values:
        topic = by_key.get(_topic_key(value))
        if topic is None:
            raise SubscriptionError(
                f"unknown topic {value!r}; the topics are: {', '.join(taxonomy)}"
            )
        topics.add(topic)
    if not topics:
        raise SubscriptionError(f"no topic given; the topics are: {', '.join(taxonomy)}")
    return tuple(sorted(topics))


@dataclass(frozen=True)
class Sender:
    """The From of every digest: PAPERBOARD_DIGEST_FROM, with an optional display name."""

    address: str
    name: str | None = None

    @property
    def header(self) -> str:
        return formataddr((self.name or "", self.address))

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]


def parse_sender(value: str) -> Sender:
    """`digests@example.org` or `Paperboard <digests@example.org>`, checked."""
    try:
        checked = validate_email(
            value, check_deliverability=False, allow_smtputf8=False, allow_display_name=True
        )
    except EmailNotValidError as error:
        raise ValueError(
            f"PAPERBOARD_DIGEST_FROM {value!r} is not a valid email address: {error}"
        ) from None
    return Sender(checked.ascii_email or checked.normalized, checked.display_name or None)


# Which digests to send.


@dataclass(frozen=True)
class Section:
    topic: str
    papers: tuple[DigestPaper, ...]  # best ranked first; empty when the topic had none


@dataclass(frozen=True)
class Digest:
    email: str
    listing_date: date
    sections: tuple[Section, ...]  # one per followed topic, by topic name

    @property
    def topics(self) -> tuple[str, ...]:
        return tuple(section.topic for section in self.sections)

    @property
    def papers(self) -> int:
        return sum(len(section.papers) for section in self.sections)


def plan_digests(
    listing_date: date,
    papers: Sequence[DigestPaper],
    subscribers: Sequence[Subscriber],
    already_sent: Iterable[str] = (),
    per_topic: int = PAPERS_PER_TOPIC,
) -> list[Digest]:
    """The digests still to send for `listing_date`, by address.

    Subscribers whose digest of the date was accepted already get none, and neither do those
    whose topics have no paper that day (an empty digest is not sent).
    """
    sent = set(already_sent)
    by_topic: dict[str, list[DigestPaper]] = {}
    for paper in sorted(papers, key=lambda paper: paper.rank):
        by_topic.setdefault(paper.primary_topic, []).append(paper)
    digests = []
    for subscriber in sorted(subscribers, key=lambda subscriber: subscriber.email):
        if subscriber.email in sent:
            continue
        sections = tuple(
            Section(topic, tuple(by_topic.get(topic, [])[:per_topic]))
            for topic in sorted(subscriber.topics)
        )
        digest = Digest(subscriber.email, listing_date, sections)
        if digest.papers:
            digests.append(digest)
    return digests


# The message.


def summary_line(paper: DigestPaper, limit: int = SUMMARY_CHARACTERS) -> str:
    """One line about the paper: the first sentence of its AI summary, else of its abstract
    (both from marts.papers), cut to `limit` characters; without either, what the topic
    matcher found (its terms, its other topics) and its comments."""
    line = first_sentence(paper.ai_summary) or first_sentence(paper.abstract)
    if not line:
        line = _topics_line(paper)
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


# A sentence ends at `.`, `!` or `?` followed by a space and a capital, a digit or an
# opening quote or bracket, except after a few abbreviations: "e.g. DiT", "et al. Show" and
# "3.5 times" do not end one.
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bal\.)(?<!\bvs\.)(?<!\bcf\.)(?<!\bFig\.)"
    r"(?<!\bEq\.)\s+(?=[A-Z0-9\"'(\[])"
)


def first_sentence(text: str | None) -> str:
    """The first sentence of `text`, whitespace collapsed; "" for no text."""
    if not text or not text.strip():
        return ""
    return _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0]


def _topics_line(paper: DigestPaper) -> str:
    parts = []
    if paper.terms:
        shown = paper.terms[:SUMMARY_TERMS]
        more = len(paper.terms) - len(shown)
        parts.append("on " + ", ".join(shown) + (f" and {more} more" if more else ""))
    others = [topic for topic in paper.topics if topic != paper.primary_topic]
    if others:
        parts.append("also " + ", ".join(others))
    if paper.num_comments:
        parts.append(_count(paper.num_comments, "comment"))
    return " · ".join(parts) or paper.primary_topic


def message_id(digest: Digest, sender: Sender) -> str:
    """The same for every send of one subscriber's digest of one date, so a mail client can
    recognise a resend (see the README on at-most-once)."""
    token = hashlib.sha256(f"{digest.email}\n{digest.listing_date}".encode()).hexdigest()[:20]
    return f"<digest.{digest.listing_date.isoformat()}.{token}@{sender.domain}>"


def subject(digest: Digest) -> str:
    return f"paperboard: top papers of {digest.listing_date.isoformat()} in {_topic_list(digest)}"


def unsubscribe_line(digest: Digest) -> str:
    return (
        f"You get this digest because {digest.email} follows {_topic_list(digest)} on "
        'paperboard. To unsubscribe, reply with "unsubscribe" or use your mail client\'s '
        f"unsubscribe button (the operator runs: paperboard unsubscribe {digest.email})."
    )


def compose_message(digest: Digest, sender: Sender, sent_at: datetime) -> EmailMessage:
    """The digest as one multipart/alternative message: plain text, then HTML."""
    message = EmailMessage(policy=policy.SMTP)
    message["From"] = sender.header
    message["To"] = digest.email
    message["Subject"] = subject(digest)
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = message_id(digest, sender)
    # RFC 2369: mail clients show an unsubscribe button that writes to the sender.
    unsubscribe_subject = quote(f"unsubscribe {digest.email}")
    message["List-Unsubscribe"] = f"<mailto:{sender.address}?subject={unsubscribe_subject}>"
    message.set_content(digest_text(digest))
    message.add_alternative(digest_html(digest), subtype="html")
    return message


def digest_text(digest: Digest) -> str:
    lines = [
        f"The top papers of {_long_date(digest.listing_date)} on Hugging Face Daily Papers,",
        f"in the topics you follow: {_topic_list(digest)}.",
    ]
    for section in digest.sections:
        lines += ["", section.topic.upper()]
        if not section.papers:
            lines.append(f"No paper in {section.topic} on this day.")
        for number, paper in enumerate(section.papers, start=1):
            link = web_url(paper.hf_url) or web_url(paper.arxiv_url)
            lines.append(f"{number}. {paper.title}")
            if link:
                lines.append(f"   {link}")
            lines.append(f"   {_count(paper.upvotes, 'upvote')} · {summary_line(paper)}")
    lines += ["", "--", unsubscribe_line(digest), ""]
    return "\n".join(lines)


def digest_html(digest: Digest) -> str:
    escape = html.escape
    body = [
        f"<p>The top papers of {escape(_long_date(digest.listing_date))} on Hugging Face "
        f"Daily Papers, in the topics you follow: {escape(_topic_list(digest))}.</p>"
    ]
    for section in digest.sections:
        body.append(f"<h2>{escape(section.topic)}</h2>")
        if not section.papers:
            body.append(f"<p>No paper in {escape(section.topic)} on this day.</p>")
            continue
        items = []
        for paper in section.papers:
            link = web_url(paper.hf_url) or web_url(paper.arxiv_url)
            title = escape(paper.title)
            heading = f'<a href="{escape(link)}">{title}</a>' if link else title
            items.append(
                f"<li><p><strong>{heading}</strong><br>"
                f"{escape(_count(paper.upvotes, 'upvote'))} · {escape(summary_line(paper))}"
                "</p></li>"
            )
        body.append("<ol>" + "".join(items) + "</ol>")
    body.append(f'<hr><p style="font-size:small">{escape(unsubscribe_line(digest))}</p>')
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{escape(subject(digest))}</title></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def _topic_list(digest: Digest) -> str:
    return ", ".join(digest.topics)


def _long_date(value: date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
