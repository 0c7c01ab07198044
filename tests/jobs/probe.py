"""Tasks the job tests run, in-process and in `mutual worker` subprocesses (named there by
MUTUAL_TASK_MODULES=tests.jobs.probe). Each run appends a JSON line to a file: the payload's
`file`, or MUTUAL_PROBE_FILE for the periodic one, so a test counts runs across processes."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

from mutual.kit.jobs import JobContext, Task

PROBE_FILE_ENV = "MUTUAL_PROBE_FILE"


def note(path: str | Path, job: JobContext, **extra: Any) -> None:
    line = {"task": job.task, "job": job.job_id, "attempt": job.attempt, "pid": os.getpid()}
    # One write of one short line on an O_APPEND file: lines of two processes never mix.
    with open(path, "a") as file:
        file.write(json.dumps({**line, **job.payload, **extra}) + "\n")


def runs(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


async def record(job: JobContext) -> None:
    note(job.payload["file"], job)


async def fail(job: JobContext) -> None:
    note(job.payload["file"], job)
    raise ValueError(f"boom on run {job.attempt}")


async def hang(job: JobContext) -> None:
    note(job.payload["file"], job)
    await asyncio.Event().wait()


async def tick(job: JobContext) -> None:
    path = os.environ.get(PROBE_FILE_ENV)
    if path:
        note(path, job)


RECORD = Task(name="probe.record", run=record)
FAIL = Task(
    name="probe.fail",
    run=fail,
    max_attempts=4,
    retry_after=timedelta(seconds=0.2),
    max_retry_after=timedelta(seconds=0.5),
)
HANG = Task(name="probe.hang", run=hang, max_attempts=1, timeout=timedelta(seconds=0.5))
TICK = Task(name="probe.tick", run=tick, every=timedelta(seconds=3))

DEFERRED = (RECORD, FAIL, HANG)  # the in-process worker's: no periodic job comes in between
TASKS = (*DEFERRED, TICK)
