"""The register's daily work across partnerships: acceptances past their expiry end and their
risks return to review; overdue reviews are reminded to the owner side, once per risk and day.
The workers' role has no identity (RLS shows it nothing): it goes through the two SECURITY
DEFINER functions of migration 0014_risks, which do only this."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.kit import notices
from mutual.kit.clock import today
from mutual.kit.jobs import JobContext, Task
from mutual.kit.notices import Notice
from mutual.risks import repository

log = logging.getLogger(__name__)

REVIEW_DUE = "risks.review_due"
ACCEPTANCE_EXPIRED = "risks.acceptance_expired"


async def run_daily(session: AsyncSession) -> tuple[int, int]:
    """(acceptances expired, reviews reminded), in the caller's transaction."""
    on = today()
    expired = await repository.expire_acceptances(session, on)
    await notices.send(
        session,
        *(
            Notice(
                partnership_id=row.partnership_id,
                kind=ACCEPTANCE_EXPIRED,
                party_id=row.party_id,
                subject_type="Risk",
                subject_id=row.risk_id,
                title=f"Acceptance expired: {row.title}",
                body="Your side's acceptance of this risk expired; it is back in review.",
                dedupe_key=f"{row.risk_id}:{on.isoformat()}",
            )
            for row in expired
        ),
    )
    due = await repository.reviews_due(session, on)
    await notices.send(
        session,
        *(
            Notice(
                partnership_id=row.partnership_id,
                kind=REVIEW_DUE,
                party_id=row.party_id,
                subject_type="Risk",
                subject_id=row.risk_id,
                title=f"Risk review overdue: {row.title}",
                body=f"The review was due on {row.next_review_on.isoformat()}.",
                dedupe_key=f"{row.risk_id}:{on.isoformat()}",
            )
            for row in due
        ),
    )
    return len(expired), len(due)


async def daily(job: JobContext) -> None:
    async with job.database.session() as session, session.begin():
        expired, due = await run_daily(session)
    log.info("risks: %d acceptances expired, %d overdue reviews reminded", expired, due)


DAILY = Task(name="risks.daily", run=daily, cron="7 5 * * *")
