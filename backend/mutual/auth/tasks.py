"""Authentication's periodic work: expired sessions are deleted once a day."""

from __future__ import annotations

import logging

from mutual.auth import repository
from mutual.kit.jobs import JobContext, Task

log = logging.getLogger(__name__)


async def delete_expired_sessions(job: JobContext) -> None:
    async with job.database.session() as session, session.begin():
        deleted = await repository.delete_expired_sessions(session)
    log.info("deleted %d expired sessions", deleted)


# Sign-in already refuses an expired session; its row is only kept from growing the table.
DELETE_EXPIRED_SESSIONS = Task(
    name="auth.delete_expired_sessions", run=delete_expired_sessions, cron="17 3 * * *"
)
