"""Contingency's periodic work, once across workers. The worker has no identity (row-level
security shows it nothing), so each task calls one SECURITY DEFINER function of migration
0017_contingency and sends the notices in the same transaction:

- the reminder (every minute): steps past their time to act, reminded once to their side, and
  status updates missed at the protocol's cadence, flagged on the timeline and told to both;
- the trigger scan (every 5 minutes): the measured sources that approved plans watch (N SLA
  breaches in a window, a risk's residual score at or above a value) fire as triggers."""

from __future__ import annotations

import logging
from datetime import timedelta

from mutual.contingency import repository, service
from mutual.kit import notices
from mutual.kit.clock import utcnow
from mutual.kit.jobs import JobContext, Task
from mutual.kit.notices import Notice
from mutual.kit.triggers import Firing

log = logging.getLogger(__name__)

BATCH = 1000


async def remind(job: JobContext) -> None:
    now = utcnow()
    async with job.database.session() as session, session.begin():
        rows = await repository.due(session, now=now, limit=BATCH)
        await notices.send(
            session,
            *(
                Notice(
                    partnership_id=r.partnership_id,
                    kind="contingency.step_late"
                    if r.kind == "STEP_LATE"
                    else "contingency.update_missed",
                    party_id=r.party_id,
                    subject_type="Activation",
                    subject_id=r.activation_id,
                    title=f"Past its time to act: {r.title}"
                    if r.kind == "STEP_LATE"
                    else "A status update to the partner is overdue",
                    dedupe_key=f"{r.step_id or r.activation_id}:{r.kind}:{now.isoformat()}",
                )
                for r in rows
            ),
        )
    if rows:
        log.info("contingency: %d late steps and missed updates", len(rows))


async def scan_triggers(job: JobContext) -> None:
    async with job.database.session() as session, session.begin():
        rows = await repository.scan_sources(session, now=utcnow())
        await service.receive_firings(
            session,
            [
                Firing(
                    partnership_id=r.partnership_id,
                    source=r.source,
                    episode=r.episode,
                    summary=r.summary,
                )
                for r in rows
            ],
        )


REMIND = Task(name="contingency.remind", run=remind, every=timedelta(minutes=1))
SCAN_TRIGGERS = Task(
    name="contingency.scan_triggers", run=scan_triggers, every=timedelta(minutes=5)
)
TASKS = (REMIND, SCAN_TRIGGERS)
