"""The digests' tables (`digests.subscriptions`, `digests.sent`) and what they read of the marts.

Subscriptions and the sent ledger are warehouse tables (see ddl.sql), written through a normal
read-write connection, so a `paperboard subscribe` waits while a run holds the file. The papers
come from the marts only: the day window of `marts.trending_papers` (rank, title, upvotes,
links, primary topic), `marts.paper_topics` (every topic, the matched terms) and
`marts.papers` (the AI summary and the abstract, for the line about each paper).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import duckdb


@dataclass(frozen=True)
class Subscriber:
    email: str
    topics: tuple[str, ...]  # sorted


@dataclass(frozen=True)
class DigestPaper:
    """One paper of a listing date's day window, as the marts describe it."""

    paper_id: str
    rank: int  # 1-based rank among the day's papers, by upvotes
    title: str
    primary_topic: str
    upvotes: int
    num_comments: int
    hf_url: str | None
    arxiv_url: str | None
    topics: tuple[str, ...] = ()  # every topic, strongest first (the first is primary_topic)
    terms: tuple[str, ...] = ()  # the terms behind the primary topic
    ai_summary: str | None = None  # Hugging Face's generated summary, if any
    abstract: str | None = None


_NEWEST_LISTING_DATE_SQL = """
select max(window_start) from marts.trending_papers where "window" = 'day'
"""

_DAY_PAPERS_SQL = """
select
    t.paper_id,
    t.rank,
    t.title,
    t.primary_topic,
    t.upvotes,
    t.num_comments,
    t.hf_url,
    t.arxiv_url,
    coalesce(p.topics, [t.primary_topic]) as topics,
    coalesce(p.primary_topic_terms, []) as terms,
    papers.ai_summary,
    papers.abstract
from marts.trending_papers as t
left join marts.paper_topics as p on t.paper_id = p.paper_id
left join marts.papers as papers on t.paper_id = papers.paper_id
where t."window" = 'day' and t.window_start = $listing_date
order by t.rank
"""


def newest_listing_date(connection: duckdb.DuckDBPyConnection) -> date | None:
    """The newest listing date in the marts (None before the first run built them)."""
    try:
        row = connection.execute(_NEWEST_LISTING_DATE_SQL).fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def day_papers(connection: duckdb.DuckDBPyConnection, listing_date: date) -> list[DigestPaper]:
    """Every paper of the listing date's day window, best ranked first."""
    rows = connection.execute(_DAY_PAPERS_SQL, {"listing_date": listing_date}).fetchall()
    return [
        DigestPaper(
            paper_id=paper_id,
            rank=rank,
            title=title,
            primary_topic=primary_topic,
            upvotes=upvotes,
            num_comments=num_comments,
            hf_url=hf_url,
            arxiv_url=arxiv_url,
            topics=tuple(topics),
            terms=tuple(terms),
            ai_summary=ai_summary,
            abstract=abstract,
        )
        for (paper_id, rank, title, primary_topic, upvotes, num_comments, hf_url, arxiv_url,
             topics, terms, ai_summary, abstract) in rows
    ]  # fmt: skip


# Subscriptions.

_SUBSCRIPTIONS_SQL = """
select email, list(topic order by topic) as topics
from digests.subscriptions
group by email
order by email
"""

_SUBSCRIBER_TOPICS_SQL = """
select topic from digests.subscriptions where email = $email order by topic
"""

_SUBSCRIBE_SQL = """
insert into digests.subscriptions (email, topic, subscribed_at)
select $email, topic, $now
from unnest($topics::varchar[]) as t (topic)
where topic not in (select topic from digests.subscriptions where email = $email)
"""

_UNSUBSCRIBE_SQL = """
delete from digests.subscriptions
where email = $email and ($topics::varchar[] is null or list_contains($topics, topic))
"""


def subscriptions(connection: duckdb.DuckDBPyConnection) -> list[Subscriber]:
    """Every subscriber and the topics it follows, by address."""
    return [
        Subscriber(email, tuple(topics))
        for email, topics in connection.execute(_SUBSCRIPTIONS_SQL).fetchall()
    ]


def subscriber_topics(connection: duckdb.DuckDBPyConnection, email: str) -> tuple[str, ...]:
    rows = connection.execute(_SUBSCRIBER_TOPICS_SQL, {"email": email}).fetchall()
    return tuple(topic for (topic,) in rows)


def subscribe(
    connection: duckdb.DuckDBPyConnection, email: str, topics: Iterable[str], now: datetime
) -> tuple[str, ...]:
    """Add topics to an address (those it follows already are kept); return all it follows."""
    with _transaction(connection):
        connection.execute(_SUBSCRIBE_SQL, {"email": email, "topics": list(topics), "now": now})
        return subscriber_topics(connection, email)


def unsubscribe(
    connection: duckdb.DuckDBPyConnection, email: str, topics: Sequence[str] | None = None
) -> tuple[str, ...]:
    """Remove some topics of an address, or all of them; return the topics removed."""
    with _transaction(connection):
        before = subscriber_topics(connection, email)
        connection.execute(
            _UNSUBSCRIBE_SQL, {"email": email, "topics": None if topics is None else list(topics)}
        )
        return tuple(topic for topic in before if topic not in subscriber_topics(connection, email))


# The sent ledger.

_SENT_FOR_DATE_SQL = """
select distinct email from digests.sent where listing_date = $listing_date
"""

_RECORD_SENT_SQL = """
insert into digests.sent (email, listing_date, sent_at, message_id, topics, papers)
values ($email, $listing_date, $sent_at, $message_id, $topics, $papers)
"""

_LAST_SENT_SQL = """
select email, max(listing_date) from digests.sent group by email
"""


def emails_sent(connection: duckdb.DuckDBPyConnection, listing_date: date) -> set[str]:
    """The addresses whose digest of this listing date the mail server already accepted."""
    rows = connection.execute(_SENT_FOR_DATE_SQL, {"listing_date": listing_date}).fetchall()
    return {email for (email,) in rows}


def record_sent(
    connection: duckdb.DuckDBPyConnection,
    *,
    email: str,
    listing_date: date,
    sent_at: datetime,
    message_id: str,
    topics: Sequence[str],
    papers: int,
) -> None:
    """One accepted digest, committed at once (the connection autocommits)."""
    connection.execute(
        _RECORD_SENT_SQL,
        {
            "email": email,
            "listing_date": listing_date,
            "sent_at": sent_at,
            "message_id": message_id,
            "topics": list(topics),
            "papers": papers,
        },
    )


def last_sent(connection: duckdb.DuckDBPyConnection) -> dict[str, date]:
    """Each address's newest listing date with an accepted digest."""
    return dict(connection.execute(_LAST_SENT_SQL).fetchall())


@contextmanager
def _transaction(connection: duckdb.DuckDBPyConnection) -> Iterator[None]:
    connection.execute("begin transaction")
    try:
        yield
    except BaseException:
        connection.execute("rollback")
        raise
    connection.execute("commit")
