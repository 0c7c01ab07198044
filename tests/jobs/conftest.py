"""Job tests: a clean queue before each, an in-process worker of the probe tasks, and
`mutual worker` in subprocesses against the same database."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

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
def run_worker(app_database: Database, app_database_url: URL) -> Callable[..., Any]:
    """`async with run_worker(): ...` runs a worker of the probe tasks in this event loop."""

    @asynccontextmanager
    async def running(tasks: tuple[Any, ...] = probe.DEFERRED) -> AsyncIterator[Worker]:
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


@pytest.fixture
def log_dir() -> Path:
    path = REPO_ROOT / ".mutual" / "test-jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path
