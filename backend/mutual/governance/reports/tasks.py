"""The reports' periodic job: generate the scheduled reports that are due."""

from __future__ import annotations

import logging
from datetime import timedelta

from mutual.governance.reports import repository, service
from mutual.kit.clock import today
from mutual.kit.errors import DomainError
from mutual.kit.identity import set_user_identity
from mutual.kit.jobs import JobContext, Task

log = logging.getLogger(__name__)


async def generate_due_reports(job: JobContext) -> None:
    """Each due schedule in a transaction of its own, as the person who created it: one that
    fails (its creator left the workspace, say) neither blocks nor undoes the others."""
    day = today()
    async with job.database.session() as session, session.begin():
        due = await repository.due_schedules(session, day)
    for partnership_id, schedule_id, creator_id in due:
        try:
            async with job.database.session() as session, session.begin():
                await set_user_identity(session, creator_id)
                report = await service.run_schedule(
                    session, schedule_id=schedule_id, creator_id=creator_id, day=day
                )
        except DomainError as error:
            log.warning(
                "scheduled report %s of partnership %s not generated: %s",
                schedule_id,
                partnership_id,
                error.message,
            )
            continue
        if report is not None:
            log.info("scheduled report %s generated (schedule %s)", report.id, schedule_id)


GENERATE_DUE = Task(name="reports.generate_due", run=generate_due_reports, every=timedelta(hours=1))
