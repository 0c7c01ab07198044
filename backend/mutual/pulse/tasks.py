"""Pulse's periodic work, once across workers:

- opening rounds (hourly): each ACTIVE cadence whose moment has come gets its next round, both
  sides are told;
- reminders (hourly, one notice per side and day): the members who have not answered a round
  open for 3 days or more.

The worker's role has no identity (row-level security shows it nothing): each task calls one
SECURITY DEFINER function of migration 0019, which returns ids and numbers only."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from mutual.kit import notices
from mutual.kit.clock import utcnow
from mutual.kit.jobs import JobContext, Task
from mutual.kit.notices import Notice
from mutual.pulse import repository
from mutual.pulse.service import REMIND_AFTER, reminder

log = logging.getLogger(__name__)

BATCH = 500


def opened_notices(rows: Sequence[Any]) -> list[Notice]:
    return [
        Notice(
            partnership_id=r.partnership_id,
            kind="pulse.opened",
            party_id=party_id,
            subject_type="PulseRound",
            subject_id=r.round_id,
            title=f"Pulse survey #{r.number} is open: rate working with the other side",
            dedupe_key=f"{r.round_id}:opened:{party_id}",
        )
        for r in rows
        for party_id in r.party_ids
    ]


async def open_rounds(job: JobContext) -> None:
    opened = 0
    while True:
        async with job.database.session() as session, session.begin():
            rows = await repository.open_due(session, now=utcnow(), limit=BATCH)
            await notices.send(session, *opened_notices(rows))
        opened += len(rows)
        if len(rows) < BATCH:
            break
    if opened:
        log.info("pulse: %d rounds opened", opened)


async def remind_unanswered(job: JobContext) -> None:
    now = utcnow()
    async with job.database.session() as session, session.begin():
        rows = await repository.unanswered(
            session, now=now, opened_before=now - REMIND_AFTER, limit=BATCH
        )
        await notices.send(session, *(reminder(r, now) for r in rows))


OPEN_ROUNDS = Task(name="pulse.open_rounds", run=open_rounds, every=timedelta(hours=1))
REMIND = Task(name="pulse.remind_unanswered", run=remind_unanswered, every=timedelta(hours=1))
TASKS = (OPEN_ROUNDS, REMIND)
