"""One digests run: the newest listing date's digests, sent once per subscriber.

1. Open the warehouse (one writer connection for the whole run) and read the newest listing
   date in the marts, the subscriptions, the addresses already sent that date, and the day's
   papers from the marts.
2. Plan the digests still to send (`plan_digests`, pure) and send them one by one, in one SMTP
   session. As soon as the server accepts a message, its row goes into `digests.sent`
   (committed at once), so a later run never sends it again.
3. A message the server refuses is skipped and reported; a server that cannot be reached or
   hangs up ends the sending. Either way the run then fails, naming the server (`host:port`)
   and each subscriber not served, and the next run sends what was not sent.

What cannot be guaranteed: if the process dies (or the connection drops) after the server
accepted a message and before its ledger row is committed, the next run sends it again (with
the same Message-ID). Everything else is sent exactly once.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from pipelines.publish.digests import Sender, compose_message, message_id, plan_digests
from pipelines.publish.smtp import MessageRefused, ServerUnavailable, SmtpServer, SmtpSession
from pipelines.warehouse.connection import WarehouseTarget, connect
from pipelines.warehouse.digests import (
    day_papers,
    emails_sent,
    newest_listing_date,
    record_sent,
    subscriptions,
)
from pipelines.warehouse.lake import Lake, exclusive


@dataclass
class DigestReport:
    listing_date: date | None
    subscribers: int = 0
    already_sent: int = 0
    nothing_to_send: int = 0  # subscribers whose topics had no paper that day
    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # email -> the server's reason
    not_tried: list[str] = field(default_factory=list)  # after the server went away


class DigestDeliveryError(RuntimeError):
    """Some digests were not sent; the message names the server and every subscriber."""


def send_digests(
    warehouse: WarehouseTarget,
    server: SmtpServer,
    sender: Sender,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    log: Callable[[str], None] = lambda _line: None,
    timeout_seconds: float = 30.0,
    ssl_context: ssl.SSLContext | None = None,
) -> DigestReport:
    """Send the newest listing date's digests not sent yet; raise `DigestDeliveryError` (after
    recording every accepted one) when any could not be sent."""
    # On a lake, one sender at a time across machines, so no digest goes out twice.
    with (
        exclusive(warehouse if isinstance(warehouse, Lake) else None, "digests"),
        connect(warehouse) as connection,
    ):
        listing_date = newest_listing_date(connection)
        if listing_date is None:
            log("no listing date in the marts yet: no digest to send")
            return DigestReport(listing_date=None)
        subscribers = subscriptions(connection)
        sent_before = emails_sent(connection, listing_date)
        digests = plan_digests(
            listing_date, day_papers(connection, listing_date), subscribers, sent_before
        )
        report = DigestReport(
            listing_date=listing_date,
            subscribers=len(subscribers),
            already_sent=len(sent_before & {s.email for s in subscribers}),
        )
        report.nothing_to_send = report.subscribers - report.already_sent - len(digests)
        log(
            f"listing date {listing_date}: {len(digests)} to send through {server.address} "
            f"({report.already_sent} already sent, {report.nothing_to_send} with no paper in "
            "their topics)"
        )
        with SmtpSession(server, timeout_seconds=timeout_seconds, ssl_context=ssl_context) as smtp:
            for position, digest in enumerate(digests):
                sent_at = now()
                try:
                    smtp.send(compose_message(digest, sender, sent_at))
                except MessageRefused as error:
                    report.failed[digest.email] = str(error)
                    continue
                except ServerUnavailable as error:
                    report.failed[digest.email] = str(error)
                    report.not_tried = [later.email for later in digests[position + 1 :]]
                    break
                record_sent(
                    connection,
                    email=digest.email,
                    listing_date=listing_date,
                    sent_at=sent_at,
                    message_id=message_id(digest, sender),
                    topics=digest.topics,
                    papers=digest.papers,
                )
                report.sent.append(digest.email)
    log(f"listing date {listing_date}: {len(report.sent)} sent and recorded")
    if report.failed:
        raise DigestDeliveryError(delivery_failure(report, server))
    return report


def delivery_failure(report: DigestReport, server: SmtpServer) -> str:
    """One line per subscriber not served, after a summary naming the server."""
    missing = len(report.failed) + len(report.not_tried)
    lines = [
        f"digests of listing date {report.listing_date}: {missing} of "
        f"{missing + len(report.sent)} not sent through the SMTP server {server.address} "
        f"({len(report.sent)} sent and recorded); the next run sends the rest"
    ]
    lines += [f"  {email}: {reason}" for email, reason in report.failed.items()]
    lines += [f"  {email}: not tried after the server went away" for email in report.not_tried]
    return "\n".join(lines)
