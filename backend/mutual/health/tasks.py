"""The health domain's daily job: each active partnership's snapshot of the index and the
detectors' evaluation, then the triggers and notices of the detectors that started FIRING (kept
with their history rows by the evaluation, taken in batches for all partnerships)."""

from __future__ import annotations

import logging
import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.health import repository, service
from mutual.kit.clock import today
from mutual.kit.errors import DomainError
from mutual.kit.identity import set_user_identity
from mutual.kit.jobs import JobContext, Task
from mutual.kit.principal import user_principal
from mutual.tenancy.workspace import load_workspace

log = logging.getLogger(__name__)


async def snapshot_partnership(
    session: AsyncSession, partnership_id: uuid.UUID, lead_id: uuid.UUID, day: date
) -> None:
    """One partnership's daily work, as one of its LEADs (whose identity the caller set): the
    figures read SHARED records only, so the LEAD's side changes nothing."""
    user = await repository.active_user(session, lead_id)
    if user is None:
        return
    workspace = await load_workspace(
        session, actor=user_principal(user), partnership_id=partnership_id
    )
    await service.take_snapshot(session, workspace, day)


PENDING_BATCH = 500


async def fire_started(job: JobContext) -> None:
    """The starts of FIRING not fired yet (this run's, and any a run that died left), each batch
    taken and fired in one transaction."""
    while True:
        async with job.database.session() as session, session.begin():
            taken = await service.fire_pending(session, limit=PENDING_BATCH)
        if taken < PENDING_BATCH:
            return


async def daily_snapshots(job: JobContext) -> None:
    """Each partnership in a transaction of its own: one that fails neither blocks nor undoes
    the others; running the day again replaces its snapshots (idempotent). The evaluation of a
    partnership takes the same statements whether its detectors changed or not; the triggers
    of those that started FIRING are fired after all of them."""
    day = today()
    async with job.database.session() as session, session.begin():
        todo = await repository.partnerships_to_compute(session)
    for partnership_id, lead_id in todo:
        try:
            async with job.database.session() as session, session.begin():
                await set_user_identity(session, lead_id)
                await snapshot_partnership(session, partnership_id, lead_id, day)
        except DomainError as error:
            log.warning("health snapshot of %s not taken: %s", partnership_id, error.message)
    await fire_started(job)


DAILY_SNAPSHOTS = Task(name="health.daily_snapshots", run=daily_snapshots, cron="0 4 * * *")
