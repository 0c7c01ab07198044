"""Feedback's periodic work, once across workers (each period is one job):

- the SLA scan (every minute): the clocks whose at-risk or due moment has come fire their event
  once, also those whose moment passed while no worker ran;
- the auto-close (every 5 minutes): resolved items left alone past their period close, unrated;
- the reminder (hourly): items waiting on a side for a day or more, told to that side once a day.

The worker's database role has no identity, so row-level security shows it no feedback: each
task calls one SECURITY DEFINER function of migration 0012 (one indexed statement), which also
writes the audit events, and sends the notices in the same transaction."""

from __future__ import annotations

import logging
from datetime import timedelta

from mutual.feedback import repository
from mutual.feedback.clocks import Clock
from mutual.feedback.service import breach_notices
from mutual.kit import notices
from mutual.kit.clock import utcnow
from mutual.kit.jobs import JobContext, Task
from mutual.kit.notices import Notice

log = logging.getLogger(__name__)

BATCH = 5000
WAITING_FOR = timedelta(days=1)


async def scan_clocks(job: JobContext) -> None:
    """Fire what is due, BATCH rows a statement, until a batch comes back short."""
    fired = 0
    while True:
        async with job.database.session() as session, session.begin():
            rows = await repository.scan_clocks(session, now=utcnow(), limit=BATCH)
            sent: list[Notice] = []
            for row in rows:
                if row.kind == "BREACHED":
                    sent.extend(breach_notices(_Item(row), Clock(row.clock)))
                else:
                    what = "first response" if row.clock == Clock.FIRST_RESPONSE else "resolution"
                    sent.append(
                        Notice(
                            partnership_id=row.partnership_id,
                            kind="feedback.at_risk",
                            party_id=row.receiving_party_id,
                            subject_type="Feedback",
                            subject_id=row.feedback_id,
                            title=f"SLA at risk ({what}): {row.title}",
                            dedupe_key=f"{row.feedback_id}:{row.clock}:at_risk",
                        )
                    )
            await notices.send(session, *sent)
        fired += len(rows)
        if len({(r.partnership_id, r.feedback_id) for r in rows}) < BATCH:
            break
    if fired:
        log.info("SLA scan: %d clock events", fired)


class _Item:
    """A scanned row, read as the item `breach_notices` tells of."""

    def __init__(self, row: object) -> None:
        self.partnership_id = getattr(row, "partnership_id")  # noqa: B009
        self.id = getattr(row, "feedback_id")  # noqa: B009
        self.title = getattr(row, "title")  # noqa: B009
        self.owner_party_id = getattr(row, "owner_party_id")  # noqa: B009
        self.receiving_party_id = getattr(row, "receiving_party_id")  # noqa: B009


async def close_resolved(job: JobContext) -> None:
    async with job.database.session() as session, session.begin():
        rows = await repository.close_resolved(session, now=utcnow(), limit=BATCH)
        await notices.send(
            session,
            *(
                Notice(
                    partnership_id=r.partnership_id,
                    kind="feedback.closed",
                    party_id=party,
                    subject_type="Feedback",
                    subject_id=r.feedback_id,
                    title=f"Closed unrated after no answer: {r.title}",
                    dedupe_key=f"{r.feedback_id}:auto_closed:{party}",
                )
                for r in rows
                for party in (r.owner_party_id, r.receiving_party_id)
            ),
        )
    if rows:
        log.info("auto-closed %d resolved feedback items", len(rows))


async def remind_waiting(job: JobContext) -> None:
    now = utcnow()
    async with job.database.session() as session, session.begin():
        rows = await repository.waiting_since(session, before=now - WAITING_FOR, limit=BATCH)
        await notices.send(
            session,
            *(
                Notice(
                    partnership_id=r.partnership_id,
                    kind="feedback.waiting",
                    party_id=r.waiting_party_id,
                    subject_type="Feedback",
                    subject_id=r.feedback_id,
                    title=f"Waiting on your side for {days} day{'s' if days > 1 else ''}: "
                    f"{r.title}",
                    # Once a day per item and status: a later run the same day adds nothing.
                    dedupe_key=f"{r.feedback_id}:waiting:{r.status}:{r.status_at.isoformat()}:"
                    f"{days}",
                )
                for r in rows
                for days in [max((now - r.status_at).days, 1)]
            ),
        )


SCAN_CLOCKS = Task(name="feedback.scan_clocks", run=scan_clocks, every=timedelta(minutes=1))
CLOSE_RESOLVED = Task(
    name="feedback.close_resolved", run=close_resolved, every=timedelta(minutes=5)
)
REMIND_WAITING = Task(name="feedback.remind_waiting", run=remind_waiting, every=timedelta(hours=1))
TASKS = (SCAN_CLOCKS, CLOSE_RESOLVED, REMIND_WAITING)
