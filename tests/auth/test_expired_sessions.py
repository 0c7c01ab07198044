"""The daily deletion of expired sessions, auth's periodic task, end to end: a worker registers
its schedule; a run missed while no worker ran (the server was down at 03:17) runs once when a
worker starts, and deletes the expired sessions and only those."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from mutual.auth.tasks import DELETE_EXPIRED_SESSIONS
from mutual.config import Settings
from mutual.db import Database
from mutual.kit.worker import Worker
from mutual.schema import DOMAINS
from mutual.tasks import worker_tasks
from tests.helpers import World
from tests.jobs.helpers import eventually

SESSION = "INSERT INTO user_session (token_hash, user_id, expires_at) VALUES ($1, $2, $3)"
SCHEDULE = (
    "SELECT expression, next_run FROM pgqueuer_schedules "
    "WHERE entrypoint = 'auth.delete_expired_sessions'"
)
RUNS = (
    "SELECT count(*) FROM pgqueuer_log "
    "WHERE entrypoint = 'auth.delete_expired_sessions' AND status = 'successful'"
)


async def test_the_auth_domain_declares_the_daily_task() -> None:
    (auth,) = [domain for domain in DOMAINS if domain.name == "auth"]

    assert DELETE_EXPIRED_SESSIONS in auth.tasks
    assert DELETE_EXPIRED_SESSIONS in worker_tasks(Settings(env="test"))
    assert DELETE_EXPIRED_SESSIONS.schedule == "17 3 * * *"


async def test_a_missed_daily_run_deletes_expired_sessions_once_a_worker_starts(
    owner: asyncpg.Connection, app_database_url: URL, world: World
) -> None:
    # given sessions past and before their expiry, and an empty queue
    await owner.execute(
        "DELETE FROM pgqueuer; DELETE FROM pgqueuer_log; DELETE FROM pgqueuer_schedules"
    )
    user = world.user_id("lead@northwind.example")
    now = datetime.now(UTC)
    await owner.execute(SESSION, b"expired", user, now - timedelta(minutes=1))
    await owner.execute(SESSION, b"live", user, now + timedelta(hours=1))
    database = Database(app_database_url, pool_size=2)
    settings = Settings(env="test", job_poll_seconds=1.0)
    try:
        # when a worker has registered the schedule, due tomorrow at 03:17
        async with running(
            Worker(
                worker_tasks(settings), database=database, url=app_database_url, settings=settings
            )
        ):
            await eventually(lambda: _has_schedule(owner), what="the schedule's registration")
        (schedule,) = await owner.fetch(SCHEDULE)
        assert schedule["expression"] == "17 3 * * *"
        assert schedule["next_run"] > now
        # and that time passes while no worker runs
        await owner.execute(
            "UPDATE pgqueuer_schedules SET next_run = now() - interval '1 hour' "
            "WHERE entrypoint = 'auth.delete_expired_sessions'"
        )
        async with running(
            Worker(
                worker_tasks(settings), database=database, url=app_database_url, settings=settings
            )
        ):
            await eventually(lambda: _ran(owner), what="the missed run")
            # then it ran once, and is due again at its next time
            await eventually(lambda: _rescheduled(owner, now))
    finally:
        await database.dispose()

    hashes = await owner.fetch(
        "SELECT token_hash FROM user_session WHERE token_hash = ANY($1::bytea[])",
        [b"expired", b"live"],
    )
    assert [row["token_hash"] for row in hashes] == [b"live"]
    assert await owner.fetchval(RUNS) == 1


class running:
    """`async with running(worker):` the worker runs in this event loop for the block."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Worker:
        self.task = asyncio.create_task(self.worker.run())
        return self.worker

    async def __aexit__(self, *_: Any) -> None:
        self.worker.stop()
        assert self.task is not None
        await asyncio.wait_for(self.task, 30)


async def _has_schedule(owner: asyncpg.Connection) -> bool:
    return bool(await owner.fetch(SCHEDULE))


async def _ran(owner: asyncpg.Connection) -> bool:
    return bool(await owner.fetchval(RUNS))


async def _rescheduled(owner: asyncpg.Connection, now: datetime) -> bool:
    (schedule,) = await owner.fetch(SCHEDULE)
    return bool(schedule["next_run"] > now)
