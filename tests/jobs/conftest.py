"""Job tests: a clean queue before each, an in-process worker of the probe tasks, and
`mutual worker` in subprocesses against the same database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import URL

from mutual.config import REPO_ROOT, Settings
from mutual.db import Database, connect_owner
from mutual.kit.worker import Worker
from tests.jobs import probe

JOB_TABLES = "pgqueuer, pgqueuer_log, pgqueuer_schedules, pgqueuer_statistics"


@pytest.fixture(autouse=True)
async def empty_queue(owner_url: URL) -> None:
    conn = await connect_owner(owner_url)
    try:
        # DELETE, not TRUNCATE: a live server's worker in this database holds no lock for long.
        for table in JOB_TABLES.split(", "):
            await conn.execute(f"DELETE FROM {table}")
    finally:
        await conn.close()


@pytest.fixture
async def app_database(app_database_url: URL) -> AsyncIterator[Database]:
    database = Database(app_database_url, pool_size=2)
    yield database
    await database.dispose()


@pytest.fixture
def probe_file(tmp_path: Path) -> Path:
    return tmp_path / "runs.jsonl"


# Fast enough to test on: no fallback poll longer than a second.
WORKER_SETTINGS = Settings(env="test", job_poll_seconds=1.0, job_heartbeat_seconds=5.0)


@pytest.fixture
def run_worker(
    app_database: Database, app_database_url: URL
) -> Callable[..., Any]:
    """`async with run_worker(): ...` runs a worker of the probe tasks in this event loop."""

    @asynccontextmanager
    async def running(tasks: tuple[Any, ...] = probe.TASKS) -> AsyncIterator[Worker]:
        worker = Worker(
            tasks, database=app_database, url=app_database_url, settings=WORKER_SETTINGS
        )
        task = asyncio.create_task(worker.run())
        try:
            yield worker
        finally:
            worker.stop()
            await asyncio.wait_for(task, 30)

    return running


@contextmanager
def worker_process(
    owner_url: URL, *, probe_file: Path, log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """`mutual worker` in its own process, with the probe tasks, until the block ends."""
    env = {
        **os.environ,
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
        "MUTUAL_ENV": "test",
        "MUTUAL_TASK_MODULES": "tests.jobs.probe",
        "MUTUAL_JOB_POLL_SECONDS": "1",
        probe.PROBE_FILE_ENV: str(probe_file),
    }
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mutual.cli", "worker"],
            env=env,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def log_dir() -> Path:
    path = REPO_ROOT / ".mutual" / "test-jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


async def eventually(
    check: Callable[[], Awaitable[bool]], *, timeout: float = 30.0, what: str = "the condition"
) -> None:
    """Polls `check` until it holds; fails after `timeout` seconds (a loaded machine is slow)."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        await asyncio.sleep(0.05)


async def job_states(conn: asyncpg.Connection) -> dict[int, str]:
    """Each job's latest status in pgqueuer's log."""
    rows = await conn.fetch(
        "SELECT DISTINCT ON (job_id) job_id, status::text FROM pgqueuer_log "
        "ORDER BY job_id, created DESC, id DESC"
    )
    return {row["job_id"]: row["status"] for row in rows}
