"""The job worker: runs the jobs that are due and queues the periodic ones, on pgqueuer.

One runs inside `mutual serve` by default and alone as `mutual worker`; any number may run
against one database. pgqueuer picks each job for one worker (FOR UPDATE SKIP LOCKED), and each
period of a periodic task for one (the schedule's row is taken the same way): that run queues a
job of the task, deduplicated by task and period, so it is retried and listed like any other.
A job whose time passed while no worker ran is due when one starts; one whose worker died is
picked again after `job_heartbeat_seconds`. Jobs of a task no worker knows stay queued,
untouched, and block nothing (workers only pick the tasks they have). A worker whose
connections fail (the database restarted), or whose listening connection stops hearing its own
probe, starts again on new ones.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable, Sequence
from contextlib import suppress
from datetime import timedelta

import asyncpg
from pgqueuer import AsyncpgPoolDriver, Job, PgQueuer, Queries, RetryRequested
from pgqueuer.errors import FailingListenerError
from pgqueuer.models import Schedule
from sqlalchemy.engine import URL

from mutual.config import Settings
from mutual.db import Database, _asyncpg_kwargs
from mutual.kit.jobs import JobContext, Task, decode_payload, encode_payload

log = logging.getLogger(__name__)

# After the queue's connection failed (the database restarted, say), the worker starts again.
RESTART_AFTER = timedelta(seconds=2)
POOL_CLOSE_SECONDS = 10.0


class Worker:
    def __init__(
        self, tasks: Sequence[Task], *, database: Database, url: URL, settings: Settings
    ) -> None:
        names = [task.name for task in tasks]
        if len(set(names)) != len(names):
            raise ValueError(f"two tasks share a name: {sorted(names)}")
        self.tasks = tuple(tasks)
        self.database = database
        self.url = url
        self.settings = settings
        self.stopping = asyncio.Event()
        self.starts = 0  # its runs on fresh connections: 1, and one more after each failure
        self._queue: PgQueuer | None = None

    async def run(self) -> None:
        """Runs until `stop()`; after a failure of the queue itself it starts again."""
        while not self.stopping.is_set():
            try:
                await self._run()
                if not self.stopping.is_set():
                    log.warning("the job worker lost its notifications; starting again")
            except FailingListenerError:
                # Its listening connection missed its own probe (a restart of PostgreSQL, or a
                # machine too busy to answer in time): fresh connections, no traceback.
                log.warning("the job worker's listener missed its probe; starting again")
                await self._pause()
            except Exception:
                log.exception("the job worker failed; starting again in %s", RESTART_AFTER)
                await self._pause()

    async def _pause(self) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), RESTART_AFTER.total_seconds())

    def stop(self) -> None:
        """Takes no new job; `run()` returns when the running ones are done."""
        self.stopping.set()
        if self._queue is not None:
            self._queue.shutdown.set()

    async def _run(self) -> None:
        self.starts += 1
        pool = await asyncpg.create_pool(
            min_size=1,
            max_size=3,  # one listens for notifications, the others pick and finish jobs
            # Which process a worker's connections belong to, for operators (pg_stat_activity).
            server_settings={"application_name": f"mutual-worker {os.getpid()}"},
            **_asyncpg_kwargs(self.url),
        )
        try:
            driver = AsyncpgPoolDriver(pool)
            queue = PgQueuer(driver)
            queries = Queries(driver)
            for task in self.tasks:
                queue.entrypoint(task.name, accepts_context=False, on_failure="hold")(
                    self._entrypoint(task)
                )
                if task.schedule is not None:
                    queue.schedule(task.name, task.schedule, accepts_context=False)(
                        self._periodic(task, queries)
                    )
            self._queue = queue
            if self.stopping.is_set():
                return
            batch = max(1, self.settings.job_concurrency // 2)
            await queue.run(
                dequeue_timeout=timedelta(seconds=self.settings.job_poll_seconds),
                batch_size=batch,
                max_concurrent_tasks=2 * batch,
                heartbeat_timeout=timedelta(seconds=self.settings.job_heartbeat_seconds),
                # A listening connection that no longer hears its own probe ends this run;
                # `run()` starts again on fresh connections instead of only polling.
                shutdown_on_listener_failure=True,
            )
        finally:
            self._queue = None
            try:
                await asyncio.wait_for(pool.close(), POOL_CLOSE_SECONDS)
            except TimeoutError:
                pool.terminate()

    def _entrypoint(self, task: Task) -> Callable[[Job], Awaitable[None]]:
        async def run_job(job: Job) -> None:
            # A payload that is no JSON object fails at once: no retry would mend it.
            context = JobContext(
                job_id=int(job.id),
                task=task.name,
                payload=decode_payload(job.payload),
                attempt=job.attempts + 1,
                database=self.database,
                settings=self.settings,
            )
            try:
                async with asyncio.timeout(task.timeout.total_seconds()):
                    await task.run(context)
            except Exception as error:
                if context.attempt >= task.max_attempts:
                    raise  # pgqueuer keeps the job as failed, with this error in its log
                raise RetryRequested(
                    delay=task.retry_delay(context.attempt),
                    reason=f"{type(error).__name__}: {error}",
                ) from error

        return run_job

    def _periodic(self, task: Task, queries: Queries) -> Callable[[Schedule], Awaitable[None]]:
        async def queue_period(schedule: Schedule) -> None:
            # `updated` is when the database handed this period to this worker (now() of
            # the statement that took the schedule's row): the period is the tick before it.
            period = task.period(schedule.updated).isoformat()
            await queries.enqueue(
                task.name,
                encode_payload({"period": period}),
                dedupe_key=f"{task.name}@{period}",
                on_conflict="skip",
            )

        return queue_period
