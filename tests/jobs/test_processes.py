"""Real processes on one database: `mutual worker` runs a job whose time came while no worker
ran, once; two workers run each period of a periodic task once between them; `mutual serve`
runs a worker unless told `--no-worker`; `mutual jobs` lists jobs and runs failed ones again."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from mutual.config import REPO_ROOT
from mutual.db import Database
from mutual.devserver import serve_in_subprocess
from mutual.kit import jobs
from tests.jobs import probe
from tests.jobs.helpers import eventually, job_states, worker_process

PROBE_ENV = {"MUTUAL_TASK_MODULES": "tests.jobs.probe", "MUTUAL_JOB_POLL_SECONDS": "1"}


async def test_a_job_due_while_no_worker_ran_runs_once_when_a_worker_starts(
    app_database: Database,
    owner_url: URL,
    owner: asyncpg.Connection,
    probe_file: Path,
    log_dir: Path,
) -> None:
    # given a job due in a second, and no worker running
    async with app_database.session() as session, session.begin():
        due = datetime.now(UTC) + timedelta(seconds=1)
        job_id = await jobs.defer(session, probe.RECORD, {"file": str(probe_file)}, at=due)

    # when its time passes with no worker
    await eventually(
        lambda: _db_time_after(owner, due + timedelta(seconds=0.2)), what="the due time"
    )
    assert probe.runs(probe_file) == []
    assert (await job_states(owner))[job_id] == "queued"

    # and then a worker starts
    with worker_process(owner_url, probe_file=probe_file, log_path=log_dir / "late.log"):
        await eventually(
            lambda: _status(owner, job_id, "successful"), within=90, what="the late run"
        )

    # then it ran exactly once
    assert [run["job"] for run in probe.runs(probe_file)] == [job_id]
    picks = await owner.fetchval(
        "SELECT count(*) FROM pgqueuer_log WHERE job_id = $1 AND status = 'picked'", job_id
    )
    assert picks == 1


async def test_two_workers_run_each_period_of_a_periodic_task_once(
    owner_url: URL, owner: asyncpg.Connection, probe_file: Path, log_dir: Path
) -> None:
    # given two worker processes with the same periodic task (every 3 s) on one database
    with (
        worker_process(owner_url, probe_file=probe_file, log_path=log_dir / "a.log") as a,
        worker_process(owner_url, probe_file=probe_file, log_path=log_dir / "b.log") as b,
    ):
        # when both are up (connected) and run for a few periods
        await eventually(
            lambda: _connected(owner, a.pid, b.pid), within=120, what="both workers' start"
        )
        started = len(probe.runs(probe_file))
        await eventually(
            lambda: _count_ticks(probe_file, started + 3), within=120, what="3 more runs"
        )
        both_alive = a.poll() is None and b.poll() is None
        schedules = await owner.fetchval(
            "SELECT count(*) FROM pgqueuer_schedules WHERE entrypoint = 'probe.tick'"
        )

    # then each period ran once, as one job, in one of them
    ticks = [run for run in probe.runs(probe_file) if run["task"] == "probe.tick"]
    periods = [datetime.fromisoformat(run["period"]) for run in ticks]
    assert both_alive
    assert schedules == 1
    assert len(set(periods)) == len(periods), periods
    assert len({run["job"] for run in ticks}) == len(ticks)
    assert all(period.second % 3 == 0 and period.microsecond == 0 for period in periods)
    assert {run["pid"] for run in ticks} <= {a.pid, b.pid}


async def test_mutual_serve_runs_a_worker(
    app_database: Database,
    owner_url: URL,
    owner: asyncpg.Connection,
    probe_file: Path,
    log_dir: Path,
) -> None:
    with serve_in_subprocess(owner_url, env=PROBE_ENV, log_path=log_dir / "serve.log"):
        async with app_database.session() as session, session.begin():
            job_id = await jobs.defer(session, probe.RECORD, {"file": str(probe_file)})
        await eventually(lambda: _status(owner, job_id, "successful"), within=60)

    (run,) = probe.runs(probe_file)
    assert run["job"] == job_id


async def test_mutual_serve_with_no_worker_runs_no_job(
    app_database: Database,
    owner_url: URL,
    owner: asyncpg.Connection,
    probe_file: Path,
    log_dir: Path,
) -> None:
    log_path = log_dir / "serve-no-worker.log"
    # (a live server of another test may have a worker in this database already)
    workers_before = await _worker_names(owner)
    with serve_in_subprocess(owner_url, env=PROBE_ENV, log_path=log_path, args=["--no-worker"]):
        async with app_database.session() as session, session.begin():
            job_id = await jobs.defer(session, probe.RECORD, {"file": str(probe_file)})
        # a worker, woken by the job's notification, would run it within milliseconds
        await asyncio.sleep(2)
        workers = await _worker_names(owner)

    assert probe.runs(probe_file) == []
    assert (await job_states(owner))[job_id] == "queued"
    assert workers <= workers_before


async def test_mutual_jobs_lists_jobs_and_retries_failed_ones(
    app_database: Database,
    run_worker: Any,
    owner: asyncpg.Connection,
    probe_file: Path,
    owner_url: URL,
) -> None:
    # given a failed job, a succeeded one and one of a task that no longer exists
    async with app_database.session() as session, session.begin():
        failed = await jobs.defer(session, probe.FAIL, {"file": str(probe_file)})
        done = await jobs.defer(session, probe.RECORD, {"file": str(probe_file)})
        orphan = await jobs.defer(session, jobs.Task(name="gone.task", run=probe.record))
    async with run_worker():
        await eventually(lambda: _status(owner, failed, "failed"))
        await eventually(lambda: _status(owner, done, "successful"))

    # when
    listing = _mutual(owner_url, "jobs")
    retried = _mutual(owner_url, "jobs", "--retry", str(failed), str(done))

    # then
    rows = {line.split()[0]: line for line in listing.splitlines()[1:]}
    assert listing.splitlines()[0].split()[:4] == ["ID", "TASK", "STATE", "RUNS"]
    assert rows[str(failed)].split()[1:4] == ["probe.fail", "failed", "4"]
    assert "ValueError: boom on run 4" in rows[str(failed)]
    assert rows[str(done)].split()[1:4] == ["probe.record", "succeeded", "1"]
    assert "gone.task (no such task)" in rows[str(orphan)]
    assert rows[str(orphan)].split()[5:7] == ["waiting", "0"]
    assert retried.splitlines() == [
        f"Queued again: {failed}.",
        f"Not failed jobs, left alone: {done}.",
    ]
    assert (await job_states(owner))[failed] == "queued"


def _mutual(owner_url: URL, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": owner_url.render_as_string(hide_password=False)}
    done = subprocess.run(
        [sys.executable, "-m", "mutual.cli", *args],
        env={**env, **PROBE_ENV},
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


async def _db_time_after(owner: asyncpg.Connection, moment: datetime) -> bool:
    return bool(await owner.fetchval("SELECT clock_timestamp() > $1", moment))


async def _status(owner: asyncpg.Connection, job_id: int | None, status: str) -> bool:
    return (await job_states(owner)).get(job_id or 0) == status


async def _worker_names(owner: asyncpg.Connection) -> set[str]:
    """The application names of the workers connected to this database (one per process)."""
    rows = await owner.fetch(
        "SELECT DISTINCT application_name FROM pg_stat_activity "
        "WHERE datname = current_database() AND application_name LIKE 'mutual-worker %'"
    )
    return {row["application_name"] for row in rows}


async def _connected(owner: asyncpg.Connection, *pids: int) -> bool:
    return await _worker_names(owner) >= {f"mutual-worker {pid}" for pid in pids}


async def _count_ticks(path: Path, count: int) -> bool:
    return sum(run["task"] == "probe.tick" for run in probe.runs(path)) >= count
