"""Digests by email: after each run, every subscriber gets the newest listing date's top papers
in the topics it follows, once (pipelines/publish/digest_run.py does the work).

It sits downstream of the serving copy, so it goes last in a run and only after everything
before it succeeded, and of the marts it reads, so the lineage shows where a digest comes from.
It writes the sent ledger into the warehouse, so it takes the `duckdb` pool's slot.

Without PAPERBOARD_SMTP_URL or PAPERBOARD_DIGEST_FROM it sends nothing and says so: the
materialization's metadata reads `skipped: no PAPERBOARD_SMTP_URL`, and the run succeeds.
"""

from datetime import UTC, datetime

import dagster as dg

from pipelines.defs.assets.serving import SERVING_COPY
from pipelines.defs.partitions import single_run
from pipelines.defs.resources import DigestMailer, Warehouse
from pipelines.publish.digest_run import send_digests
from pipelines.publish.digests import PAPERS_PER_TOPIC

DIGESTS = dg.AssetKey(["digests"])
# The marts a digest is read from (dbt models, keyed by their layer folder).
DIGEST_MARTS = [
    dg.AssetKey(["marts", "trending_papers"]),
    dg.AssetKey(["marts", "paper_topics"]),
    dg.AssetKey(["marts", "papers"]),
]


# A one-spec multi_asset, like the other assets: `@asset` flags backfill_policy as beta.
@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            DIGESTS,
            deps=[SERVING_COPY, *DIGEST_MARTS],
            group_name="serving",
            description="Emails each subscriber (digests.subscriptions) the newest listing "
            f"date's top {PAPERS_PER_TOPIC} papers of each topic it follows, once: every "
            "digest the mail server accepts is recorded in digests.sent at once. Skipped "
            "without PAPERBOARD_SMTP_URL and PAPERBOARD_DIGEST_FROM.",
            kinds={"python"},
        )
    ],
    # Not partitioned: one send per run, whatever range it covered (see partitions.py).
    backfill_policy=single_run,
    pool="duckdb",
)
def digests(
    context: dg.AssetExecutionContext, warehouse: Warehouse, digest_mailer: DigestMailer
) -> dg.MaterializeResult:
    missing = digest_mailer.missing_settings()
    if missing:
        reason = f"no {' and no '.join(missing)}"
        context.log.info(f"digests skipped: {reason} (see the README, Digests by email)")
        return dg.MaterializeResult(metadata={"skipped": dg.MetadataValue.text(reason)})
    server = digest_mailer.server()
    report = send_digests(
        warehouse.target,
        server,
        digest_mailer.from_address(),
        now=lambda: datetime.now(UTC),
        log=context.log.info,
        timeout_seconds=digest_mailer.timeout_seconds,
    )
    return dg.MaterializeResult(
        metadata={
            "listing_date": dg.MetadataValue.text(str(report.listing_date or "none")),
            "smtp_server": dg.MetadataValue.text(server.address),
            "subscribers": dg.MetadataValue.int(report.subscribers),
            "sent": dg.MetadataValue.int(len(report.sent)),
            "already_sent": dg.MetadataValue.int(report.already_sent),
            "nothing_to_send": dg.MetadataValue.int(report.nothing_to_send),
        }
    )
