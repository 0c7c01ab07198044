"""The notify domain's jobs: email per notice, webhook deliveries (retried with exponential
backoff through the queue), and the daily digest."""

from __future__ import annotations

import uuid
from datetime import timedelta

from mutual.kit import jobs
from mutual.kit.jobs import JobContext, Task
from mutual.notify import delivery, repository


async def send_email(job: JobContext) -> None:
    async with job.database.session() as session, session.begin():
        await delivery.email_items(
            session,
            job.settings,
            uuid.UUID(job.payload["user_id"]),
            inbox_id=uuid.UUID(job.payload["inbox_id"]),
        )


async def deliver_webhook(job: JobContext) -> None:
    async with job.database.session() as session, session.begin():
        failure = await delivery.attempt_webhook(
            session,
            job.settings,
            uuid.UUID(job.payload["delivery_id"]),
            attempt=job.attempt,
            max_attempts=DELIVER_WEBHOOK.max_attempts,
        )
    # Raised after the attempt's record committed: the queue runs it again after its backoff.
    if failure is not None:
        raise delivery.DeliveryFailed(failure)


async def send_digest(job: JobContext) -> None:
    async with job.database.session() as session, session.begin():
        await delivery.email_items(
            session, job.settings, uuid.UUID(job.payload["user_id"]), inbox_id=None
        )


async def daily_digest(job: JobContext) -> None:
    """Once a day: a digest job for each user with digest items not yet emailed."""
    period = job.payload.get("period", "")
    async with job.database.session() as session, session.begin():
        for user_id in await repository.digest_recipients(session):
            await jobs.defer(
                session,
                SEND_DIGEST,
                {"user_id": str(user_id)},
                dedupe_key=f"notify.digest:{user_id}:{period}",
            )


SEND_EMAIL = Task(name="notify.send_email", run=send_email, retry_after=timedelta(seconds=30))
# Backoff 5 s, 10 s, 20 s, ... up to an hour: ten attempts over about 45 minutes.
DELIVER_WEBHOOK = Task(
    name="notify.deliver_webhook",
    run=deliver_webhook,
    max_attempts=10,
    retry_after=timedelta(seconds=5),
    max_retry_after=timedelta(hours=1),
    timeout=timedelta(minutes=1),
)
SEND_DIGEST = Task(name="notify.send_digest", run=send_digest, retry_after=timedelta(seconds=30))
DAILY_DIGEST = Task(name="notify.daily_digest", run=daily_digest, cron="0 7 * * *")
TASKS = (SEND_EMAIL, DELIVER_WEBHOOK, SEND_DIGEST, DAILY_DIGEST)
