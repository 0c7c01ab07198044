"""Deferring a job happens inside the caller's transaction, as the application role: the job
exists when the caller commits, and never when it rolls back, nor does the caller's write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from sqlalchemy import text

from mutual.db import Database, counting
from mutual.kit import jobs
from tests.jobs import probe

QUEUED = "SELECT id, entrypoint, payload, execute_after, status::text FROM pgqueuer ORDER BY id"
ATTEMPT = "INSERT INTO login_attempt (email, ip, succeeded) VALUES ('deferred@x', 'ip', true)"
ATTEMPTS = "SELECT count(*) FROM login_attempt WHERE email = 'deferred@x'"


class Rollback(Exception):
    pass


async def test_a_rolled_back_transaction_defers_nothing(
    app_database: Database, owner: asyncpg.Connection
) -> None:
    # given a write and a job in one transaction that fails afterwards
    attempts = await owner.fetchval(ATTEMPTS)
    with pytest.raises(Rollback):
        async with app_database.session() as session, session.begin():
            await session.execute(text(ATTEMPT))
            await jobs.defer(session, probe.RECORD, {"file": "nowhere"})
            raise Rollback

    # then neither the write nor the job exists
    assert await owner.fetchval(ATTEMPTS) == attempts
    assert await owner.fetch(QUEUED) == []
    assert await owner.fetchval("SELECT count(*) FROM pgqueuer_log") == 0


async def test_a_committed_transaction_defers_its_job_with_its_write(
    app_database: Database, owner: asyncpg.Connection
) -> None:
    # when
    attempts = await owner.fetchval(ATTEMPTS)
    async with app_database.session() as session, session.begin():
        await session.execute(text(ATTEMPT))
        job_id = await jobs.defer(session, probe.RECORD, {"file": "somewhere", "n": 1})

    # then
    assert await owner.fetchval(ATTEMPTS) == attempts + 1
    (row,) = await owner.fetch(QUEUED)
    assert row["id"] == job_id
    assert row["entrypoint"] == "probe.record"
    assert row["status"] == "queued"
    assert jobs.decode_payload(row["payload"]) == {"file": "somewhere", "n": 1}


async def test_the_job_is_invisible_to_others_until_the_caller_commits(
    app_database: Database, owner: asyncpg.Connection
) -> None:
    async with app_database.session() as session, session.begin():
        await jobs.defer(session, probe.RECORD, {"file": "x"})
        # a worker's connection sees nothing yet
        assert await owner.fetch(QUEUED) == []
    assert len(await owner.fetch(QUEUED)) == 1


async def test_a_job_deferred_at_a_time_is_due_exactly_then(
    app_database: Database, owner: asyncpg.Connection
) -> None:
    at = datetime(2031, 5, 17, 9, 30, 15, 250000, tzinfo=UTC)
    async with app_database.session() as session, session.begin():
        # the transaction has been open a while: the job is still due at `at`, not earlier
        await session.execute(text("SELECT pg_sleep(0.2)"))
        await jobs.defer(session, probe.RECORD, {"file": "x"}, at=at)

    (row,) = await owner.fetch(QUEUED)
    assert row["execute_after"] == at


async def test_a_job_deferred_after_a_delay_is_due_that_long_after_the_commit_time(
    app_database: Database, owner: asyncpg.Connection
) -> None:
    async with app_database.session() as session, session.begin():
        now = (await session.execute(text("SELECT now()"))).scalar_one()
        await jobs.defer(session, probe.RECORD, {"file": "x"}, delay=timedelta(hours=2))

    (row,) = await owner.fetch(QUEUED)
    assert row["execute_after"] == now + timedelta(hours=2)


async def test_a_due_time_in_the_past_is_due_at_once(
    app_database: Database, owner: asyncpg.Connection
) -> None:
    async with app_database.session() as session, session.begin():
        await jobs.defer(session, probe.RECORD, {"file": "x"}, at=datetime(2020, 1, 1, tzinfo=UTC))

    assert await owner.fetchval("SELECT execute_after <= now() FROM pgqueuer") is True


async def test_deferring_is_one_statement_and_a_due_time_one_more(app_database: Database) -> None:
    async with app_database.session() as session, session.begin():
        await session.execute(text("SELECT 1"))
        async with counting() as now:
            await jobs.defer(session, probe.RECORD, {"file": "x"})
        async with counting() as later:
            await jobs.defer(session, probe.RECORD, {"file": "x"}, at=datetime.now(UTC))

    assert len(now.statements) == 1
    assert len(later.statements) == 2


async def test_a_dedupe_key_queues_one_job_while_the_first_waits(
    app_database: Database, owner: asyncpg.Connection
) -> None:
    async with app_database.session() as session, session.begin():
        first = await jobs.defer(session, probe.RECORD, {"file": "x"}, dedupe_key="k")
        second = await jobs.defer(session, probe.RECORD, {"file": "y"}, dedupe_key="k")

    assert first is not None
    assert second is None
    assert len(await owner.fetch(QUEUED)) == 1


async def test_at_and_delay_together_are_refused(app_database: Database) -> None:
    async with app_database.session() as session, session.begin():
        with pytest.raises(ValueError, match="not both"):
            await jobs.defer(
                session, probe.RECORD, at=datetime.now(UTC), delay=timedelta(seconds=1)
            )
