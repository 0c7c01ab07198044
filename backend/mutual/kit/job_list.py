"""Jobs as operators see them (`mutual jobs`): those in the queue (waiting, retrying, running,
failed) and the latest finished, each with its runs, last error and next run. Read from
pgqueuer's tables as the owner; a failed job runs again with `requeue`."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import orjson
from pgqueuer import AsyncpgDriver, JobId, Queries

# Queued rows are waiting (or retrying: they ran before), picked rows running, failed rows kept
# after their last attempt; the log has the finished ones and every run ('picked') and error.
JOBS = """
WITH queue AS (
    SELECT id, entrypoint, status::text AS status, attempts, execute_after, updated
    FROM pgqueuer
    WHERE NOT $2 OR status = 'failed'
    ORDER BY updated DESC
    LIMIT $1
), finished AS (
    SELECT DISTINCT ON (job_id) job_id AS id, entrypoint, status::text AS status,
           0 AS attempts, NULL::timestamptz AS execute_after, created AS updated
    FROM (
        SELECT job_id, entrypoint, status, created FROM pgqueuer_log
        WHERE status IN ('successful', 'exception', 'canceled', 'deleted')
          AND (NOT $2 OR status = 'exception')
        ORDER BY created DESC
        LIMIT $1
    ) latest
    WHERE job_id NOT IN (SELECT id FROM pgqueuer)
    ORDER BY job_id, created DESC
)
SELECT job.*,
       (SELECT count(*) FROM pgqueuer_log run
        WHERE run.job_id = job.id AND run.status = 'picked') AS runs,
       (SELECT error.traceback FROM pgqueuer_log error
        WHERE error.job_id = job.id AND error.traceback IS NOT NULL
        ORDER BY error.created DESC LIMIT 1) AS error
FROM (SELECT * FROM queue UNION ALL SELECT * FROM finished) job
ORDER BY job.updated DESC, job.id DESC
LIMIT $1
"""

STATES = {"picked": "running", "successful": "succeeded", "exception": "failed"}


@dataclass(frozen=True)
class JobRow:
    id: int
    task: str
    state: str  # waiting, retrying, running, failed, succeeded, canceled, deleted
    runs: int
    next_run: datetime | None  # when a waiting or retrying job is due
    updated: datetime
    error: str | None  # the last error: its type and message
    known: bool  # whether a worker of this code has the task


async def list_jobs(
    conn: asyncpg.Connection,
    *,
    known_tasks: Collection[str],
    failed_only: bool = False,
    limit: int = 50,
) -> list[JobRow]:
    rows = await conn.fetch(JOBS, limit, failed_only)
    return [_row(row, known_tasks) for row in rows]


def _row(row: Any, known_tasks: Collection[str]) -> JobRow:
    status = row["status"]
    state = STATES.get(status, status)
    if status == "queued":
        state = "retrying" if row["attempts"] else "waiting"
    return JobRow(
        id=row["id"],
        task=row["entrypoint"],
        state=state,
        runs=row["runs"],
        next_run=row["execute_after"] if status == "queued" else None,
        updated=row["updated"],
        error=_error(row["error"]),
        known=row["entrypoint"] in known_tasks,
    )


def _error(traceback: str | None) -> str | None:
    """`Type: message` of pgqueuer's traceback record (a retry's reason already reads so)."""
    if traceback is None:
        return None
    record = orjson.loads(traceback)
    if record.get("exception_type") == "RetryRequested":
        return str(record.get("exception_message"))
    return f"{record.get('exception_type')}: {record.get('exception_message')}"


async def requeue(conn: asyncpg.Connection, job_ids: Sequence[int]) -> list[int]:
    """Failed jobs run again from their first attempt; returns those that were failed."""
    failed = await conn.fetch(
        "SELECT id FROM pgqueuer WHERE id = ANY($1::bigint[]) AND status = 'failed'",
        list(job_ids),
    )
    ids = [JobId(row["id"]) for row in failed]
    await Queries(AsyncpgDriver(conn)).requeue_jobs(ids)
    return [int(job_id) for job_id in ids]


def format_jobs(jobs: Sequence[JobRow]) -> str:
    """A plain table, one job a line."""
    header = ("ID", "TASK", "STATE", "RUNS", "NEXT RUN (UTC)", "UPDATED (UTC)", "LAST ERROR")
    lines = [
        (
            str(job.id),
            job.task if job.known else f"{job.task} (no such task)",
            job.state,
            str(job.runs),
            _time(job.next_run),
            _time(job.updated),
            _clip(job.error or "", 70),
        )
        for job in jobs
    ]
    widths = [max(len(cell) for cell in column) for column in zip(header, *lines, strict=False)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, *lines]
    )


def _time(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
