"""Deferred and periodic work on one PostgreSQL-backed queue (pgqueuer, tables of migration 0011).

A domain declares its tasks in its `domain.py` (`Domain(tasks=(...))`): a `Task` is a name, an
async function of a `JobContext`, how often a failure is retried (exponential backoff, bounded
attempts) and, for a periodic task, a cron expression or an interval. A service defers a job with
`defer(session, TASK, payload, at=...)` inside its own transaction: the job exists when that
transaction commits and never when it rolls back. `mutual.kit.worker` runs what is due.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import croniter
import orjson
from pgqueuer.ports.driver import Driver, NotifyCallback, TaskManagerPort
from pgqueuer.queries import Queries
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from mutual.config import Settings
from mutual.db import Database

TASK_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class JobContext:
    """What a task's function is given: its job, and the application's database and settings."""

    job_id: int
    task: str
    payload: Mapping[str, Any]
    attempt: int  # 1 on the first run
    database: Database  # the application role's: row-level security applies
    settings: Settings


TaskFunction = Callable[[JobContext], Awaitable[None]]


@dataclass(frozen=True)
class Task:
    """A kind of job. `name` is `<domain>.<what>`: stored with every job, so it outlives code.

    A run that raises (or outlasts `timeout`) is run again after `retry_after`, doubling each
    time up to `max_retry_after`, until `max_attempts` runs have failed; the job is then kept
    as failed (`mutual jobs` lists it, `mutual jobs --retry ID` runs it again). Periodic tasks
    have a `cron` expression (UTC; five fields, or six with seconds last) or run `every` an
    interval that divides a minute, an hour or a day (aligned: every 10 minutes is :00, :10, ...);
    each period runs once across all workers, and a period missed while no worker ran runs
    once when one starts.
    """

    name: str
    run: TaskFunction
    max_attempts: int = 5
    retry_after: timedelta = timedelta(seconds=10)
    max_retry_after: timedelta = timedelta(hours=1)
    timeout: timedelta = timedelta(minutes=5)
    cron: str | None = None
    every: timedelta | None = None

    def __post_init__(self) -> None:
        if not TASK_NAME.match(self.name):
            raise ValueError(f"a task name is <domain>.<what> in lower case: {self.name!r}")
        if self.max_attempts < 1:
            raise ValueError(f"{self.name}: max_attempts must be at least 1")
        if self.cron is not None and self.every is not None:
            raise ValueError(f"{self.name}: a cron expression or an interval, not both")
        if self.cron is not None and not croniter.croniter.is_valid(self.cron):
            raise ValueError(f"{self.name}: not a cron expression: {self.cron!r}")
        if self.every is not None:
            interval_cron(self.every)

    @property
    def schedule(self) -> str | None:
        """The cron expression of a periodic task, None for one only deferred."""
        if self.every is not None:
            return interval_cron(self.every)
        return self.cron

    def retry_delay(self, failed_runs: int) -> timedelta:
        """How long after its `failed_runs`-th failed run a job runs again."""
        doublings = min(max(failed_runs - 1, 0), 30)  # past 30, any cap has been reached
        return min(self.retry_after * (1 << doublings), self.max_retry_after)

    def period(self, now: datetime) -> datetime:
        """The period a periodic run starting at `now` is for: the latest tick at or before it."""
        schedule = self.schedule
        assert schedule is not None, self.name
        # get_prev is strictly before its start: a microsecond on makes a run at a tick its own.
        tick: datetime = croniter.croniter(schedule, now + timedelta(microseconds=1)).get_prev(
            datetime
        )
        return tick


def interval_cron(every: timedelta) -> str:
    """The cron expression of an aligned interval (one that divides a minute, an hour or a day)."""
    seconds = every.total_seconds()
    whole = int(seconds)
    if whole != seconds or whole < 1:
        raise ValueError(f"an interval is a whole number of seconds: {every}")
    if whole < 60 and 60 % whole == 0:
        return "* * * * * *" if whole == 1 else f"* * * * * */{whole}"
    minutes, hours = whole // 60, whole // 3600
    if whole % 60 == 0 and minutes < 60 and 60 % minutes == 0:
        return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
    if whole % 3600 == 0 and hours < 24 and 24 % hours == 0:
        return "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    if whole == 86400:
        return "0 0 * * *"
    raise ValueError(f"an interval divides a minute, an hour or a day: {every}; use cron")


def encode_payload(payload: Mapping[str, Any] | None) -> bytes:
    return orjson.dumps(dict(payload or {}))


def decode_payload(payload: bytes | None) -> dict[str, Any]:
    decoded = orjson.loads(payload) if payload else {}
    if not isinstance(decoded, dict):
        raise ValueError("a job's payload is a JSON object")
    return decoded


# The offset from the transaction's now(), which pgqueuer adds to its own now(): the job is due
# at exactly `at`, however long the transaction has been open and whatever this host's clock says.
_UNTIL = "SELECT $1::timestamptz - now()"


async def defer(
    session: AsyncSession,
    task: Task,
    payload: Mapping[str, Any] | None = None,
    *,
    at: datetime | None = None,
    delay: timedelta | None = None,
    dedupe_key: str | None = None,
) -> int | None:
    """Queues a job of `task` in the session's transaction: due now, `delay` after now or `at`
    a time (one in the past is due at once). Returns its id, or None when a job with the same
    `dedupe_key` is still waiting or running (nothing is queued then)."""
    if at is not None and delay is not None:
        raise ValueError("a job is due at a time or after a delay, not both")
    connection = await session.connection()
    if at is not None:
        until: timedelta = (await connection.exec_driver_sql(_UNTIL, (at,))).scalar_one()
        delay = until
    queries = Queries(TransactionDriver(connection))
    (job_id,) = await queries.enqueue(
        task.name,
        encode_payload(payload),
        execute_after=delay,
        dedupe_key=dedupe_key,
        on_conflict="skip",
    )
    return None if job_id is None else int(job_id)


class TransactionDriver(Driver):
    """pgqueuer's statements on the caller's connection, inside its transaction: a custom
    driver, as pgqueuer's drivers document (`pgqueuer.ports.driver.Driver`). SQLAlchemy's asyncpg
    dialect passes `$1` parameters through as they are (its paramstyle is numeric_dollar); the
    statements are counted and traced like the application's own. It only runs statements:
    listening for notifications needs a connection of its own (the worker's)."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.connection = connection
        self._shutdown = asyncio.Event()

    async def fetch(self, query: str, *args: object) -> list[dict[str, object]]:
        result = await self.connection.exec_driver_sql(query, args)
        return [dict(row._mapping) for row in result]

    async def execute(self, query: str, *args: object) -> str:
        await self.connection.exec_driver_sql(query, args)
        return ""

    async def notify(self, channel: str, payload: str) -> None:
        await self.execute("SELECT pg_notify($1, $2)", channel, payload)

    async def add_listener(self, channel: str, callback: NotifyCallback) -> None:
        raise NotImplementedError("a transaction's connection does not LISTEN")

    @property
    def shutdown(self) -> asyncio.Event:
        return self._shutdown

    @property
    def tm(self) -> TaskManagerPort:
        raise NotImplementedError("a transaction's connection runs no background tasks")

    async def __aenter__(self) -> TransactionDriver:
        return self

    async def __aexit__(self, *_: object) -> None:
        return None
