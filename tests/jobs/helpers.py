"""Helpers of the job tests: waiting for a condition, jobs' states, `mutual worker` in a
subprocess."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import URL

from mutual.config import REPO_ROOT
from tests.jobs import probe


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


async def eventually(
    check: Callable[[], Awaitable[bool]], *, within: float = 30.0, what: str = "the condition"
) -> None:
    """Polls `check` until it holds; fails after `within` seconds (a loaded machine is slow)."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {within} s")
        await asyncio.sleep(0.05)


async def job_states(conn: asyncpg.Connection) -> dict[int, str]:
    """Each job's latest status in pgqueuer's log."""
    rows = await conn.fetch(
        "SELECT DISTINCT ON (job_id) job_id, status::text FROM pgqueuer_log "
        "ORDER BY job_id, created DESC, id DESC"
    )
    return {row["job_id"]: row["status"] for row in rows}
