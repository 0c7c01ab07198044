"""A worker runs each due job once; a failing job is retried with exponential backoff until its
attempts are spent, then kept as failed and listed; no bad job (one that raises, hangs, or names
a task no worker has) holds up the others."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg
import orjson

from mutual.db import Database
from mutual.kit import jobs
from mutual.kit.job_list import format_jobs, list_jobs, requeue
from tests.jobs import probe
from tests.jobs.helpers import eventually, job_states

KNOWN = {task.name for task in probe.TASKS}


async def defer(database: Database, task: jobs.Task, **payload: Any) -> int:
    async with database.session() as session, session.begin():
        job_id = await jobs.defer(session, task, payload)
    assert job_id is not None
    return job_id


async def test_a_deferred_job_runs_once_with_its_payload(
    app_database: Database, run_worker: Any, probe_file: Path, owner: asyncpg.Connection
) -> None:
    # given
    job_id = await defer(app_database, probe.RECORD, file=str(probe_file), n=7)

    # when
    async with run_worker():
        await eventually(lambda: _is(owner, job_id, "successful"), what="the job's success")

    # then
    (run,) = probe.runs(probe_file)
    assert run["job"] == job_id
    assert run["n"] == 7
    assert run["attempt"] == 1
    assert await owner.fetchval("SELECT count(*) FROM pgqueuer") == 0


async def test_a_failing_job_is_retried_with_backoff_then_kept_as_failed(
    app_database: Database, run_worker: Any, probe_file: Path, owner: asyncpg.Connection
) -> None:
    # given a task that always raises: 4 attempts, retried after 0.2 s doubling up to 0.5 s
    failing = await defer(app_database, probe.FAIL, file=str(probe_file))

    # when
    async with run_worker():
        await eventually(lambda: _is(owner, failing, "failed"), what="the job's failure")

    # then it ran max_attempts times, each retry later than the one before (capped)
    assert [run["attempt"] for run in probe.runs(probe_file)] == [1, 2, 3, 4]
    retries = await owner.fetch(
        "SELECT traceback FROM pgqueuer_log WHERE job_id = $1 AND status = 'queued' "
        "AND traceback IS NOT NULL ORDER BY created",
        failing,
    )
    delays = [
        orjson.loads(row["traceback"])["additional_context"]["retry_delay"] for row in retries
    ]
    assert delays == ["0:00:00.200000", "0:00:00.400000", "0:00:00.500000"]
    # and it stays in the queue as failed, with its last error, for operators
    (row,) = await list_jobs(owner, known_tasks=KNOWN, failed_only=True)
    assert (row.id, row.task, row.state, row.runs) == (failing, "probe.fail", "failed", 4)
    assert row.error == "ValueError: boom on run 4"
    assert row.next_run is None


async def test_a_failed_job_runs_again_when_an_operator_retries_it(
    app_database: Database, run_worker: Any, probe_file: Path, owner: asyncpg.Connection
) -> None:
    failing = await defer(app_database, probe.FAIL, file=str(probe_file))
    async with run_worker():
        await eventually(lambda: _is(owner, failing, "failed"), what="the first failure")
        assert await requeue(owner, [failing, 999_999]) == [failing]
        await eventually(lambda: _runs(probe_file, 8), what="four more runs after the retry")
        await eventually(lambda: _is(owner, failing, "failed"), what="the second failure")

    (row,) = await list_jobs(owner, known_tasks=KNOWN, failed_only=True)
    assert row.runs == 8


async def test_a_job_that_raises_holds_up_no_other(
    app_database: Database, run_worker: Any, probe_file: Path, owner: asyncpg.Connection
) -> None:
    # given a failing job first, then good ones
    failing = await defer(app_database, probe.FAIL, file=str(probe_file))
    good = [await defer(app_database, probe.RECORD, file=str(probe_file), n=n) for n in range(3)]

    # when
    async with run_worker():
        for job_id in good:
            await eventually(lambda job_id=job_id: _is(owner, job_id, "successful"))
        await eventually(lambda: _is(owner, failing, "failed"), what="the job's failure")

    # then every good job ran once
    ran = [run["job"] for run in probe.runs(probe_file) if run["task"] == "probe.record"]
    assert sorted(ran) == good


async def test_a_job_that_hangs_times_out_and_holds_up_no_other(
    app_database: Database, run_worker: Any, probe_file: Path, owner: asyncpg.Connection
) -> None:
    hanging = await defer(app_database, probe.HANG, file=str(probe_file))
    async with run_worker():
        await eventually(lambda: _runs(probe_file, 1), what="the hanging job's start")
        good = await defer(app_database, probe.RECORD, file=str(probe_file))
        await eventually(lambda: _is(owner, good, "successful"), what="the good job's success")
        await eventually(lambda: _is(owner, hanging, "failed"), what="the timeout")

    (row,) = await list_jobs(owner, known_tasks=KNOWN, failed_only=True)
    assert row.id == hanging
    assert row.error is not None and row.error.startswith("TimeoutError")


async def test_a_job_of_a_task_that_no_longer_exists_holds_up_no_other(
    app_database: Database, run_worker: Any, probe_file: Path, owner: asyncpg.Connection
) -> None:
    # given a job of a task this code no longer has (deferred by an older version, say)
    gone = jobs.Task(name="probe.removed_since", run=probe.record)
    orphan = await defer(app_database, gone, file=str(probe_file))
    good = await defer(app_database, probe.RECORD, file=str(probe_file))

    # when
    async with run_worker():
        await eventually(lambda: _is(owner, good, "successful"), what="the good job's success")

    # then the orphan waits, untouched, and operators see that no worker has its task
    assert [run["job"] for run in probe.runs(probe_file)] == [good]
    listed = {row.id: row for row in await list_jobs(owner, known_tasks=KNOWN)}
    assert (listed[orphan].state, listed[orphan].known, listed[orphan].runs) == (
        "waiting",
        False,
        0,
    )
    assert (listed[good].state, listed[good].runs) == ("succeeded", 1)
    table = format_jobs(list(listed.values()))
    assert "probe.removed_since (no such task)" in table


async def test_a_job_deferred_for_later_waits_for_its_time(
    app_database: Database, run_worker: Any, probe_file: Path, owner: asyncpg.Connection
) -> None:
    async with app_database.session() as session, session.begin():
        later = await jobs.defer(
            session, probe.RECORD, {"file": str(probe_file)}, delay=timedelta(hours=1)
        )
        soon = await jobs.defer(
            session, probe.RECORD, {"file": str(probe_file)}, delay=timedelta(seconds=0.5)
        )

    async with run_worker():
        await eventually(lambda: _is(owner, soon, "successful"), what="the job due soon")

    assert [run["job"] for run in probe.runs(probe_file)] == [soon]
    listed = {row.id: row for row in await list_jobs(owner, known_tasks=KNOWN)}
    assert listed[later].state == "waiting"
    assert listed[later].next_run is not None


async def _is(owner: asyncpg.Connection, job_id: int, status: str) -> bool:
    return (await job_states(owner)).get(job_id) == status


async def _runs(path: Path, count: int) -> bool:
    return len(probe.runs(path)) >= count


async def test_a_worker_whose_connections_were_cut_starts_again(
    app_database: Database, run_worker: Any, probe_file: Path, owner: asyncpg.Connection
) -> None:
    # given a running worker whose database connections are terminated (a restart, a failover)
    async with run_worker() as worker:
        first = await defer(app_database, probe.RECORD, file=str(probe_file))
        await eventually(lambda: _is(owner, first, "successful"), what="the first job")
        cut = await owner.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = $1",
            f"mutual-worker {os.getpid()}",
        )

        # when it has started again, and a job is deferred
        await eventually(lambda: _started(worker, 2), within=60, what="the worker's restart")
        second = await defer(app_database, probe.RECORD, file=str(probe_file))

        # then it runs the job on its new connections
        await eventually(lambda: _is(owner, second, "successful"), what="the job after it")

    assert cut >= 1
    assert [run["job"] for run in probe.runs(probe_file)] == [first, second]


async def _started(worker: Any, count: int) -> bool:
    return bool(worker.starts >= count)
