"""Two `mutual serve` processes, each with its job worker, on one database: a clock whose due
time passed while no worker ran is breached once, with one breach notice per side, not one per
server (the scan is a periodic task run once per period across workers, and the row it fires
is marked in the same statement). The servers scan every 2 seconds, not every minute, so the
test waits for two periods in seconds."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import URL

from mutual.config import REPO_ROOT
from mutual.db import connect_owner
from mutual.devserver import serve_in_subprocesses
from mutual.feedback.tasks import SCAN_CLOCKS
from tests.commitments.factories import ClientFactory, both_sides
from tests.feedback import notice_probe
from tests.feedback.factories import raw_id, submit
from tests.helpers import World

JOB_TABLES = ("pgqueuer", "pgqueuer_log", "pgqueuer_schedules", "pgqueuer_statistics")


@pytest.fixture
async def empty_queue(owner_url: URL) -> None:
    conn = await connect_owner(owner_url)
    try:
        for table in JOB_TABLES:
            await conn.execute(f"DELETE FROM {table}")
    finally:
        await conn.close()


async def _breaches(owner: asyncpg.Connection) -> int:
    count: int = await owner.fetchval(
        "SELECT count(*) FROM audit_event WHERE action = 'feedback.sla_breached'"
    )
    return count


async def _scans_done(owner: asyncpg.Connection) -> int:
    done: int = await owner.fetchval(
        "SELECT count(*) FROM pgqueuer_log WHERE entrypoint = 'feedback.scan_clocks' "
        "AND status = 'successful'"
    )
    return done


async def _until(check: Callable[[], Awaitable[bool]], what: str, within: float = 180) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.5)


async def test_two_servers_send_one_breach_notification(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    owner_url: URL,
    world: World,
    empty_queue: None,
    tmp_path: Path,
) -> None:
    # given CRITICAL feedback whose first-response due time passed while no worker ran
    async with both_sides(make_client, owner, world) as (_northwind, contoso):
        item = await submit(contoso, world, severity="CRITICAL")
    item_id = raw_id(item["id"])
    await owner.execute(
        "UPDATE feedback SET fr_risk_at = now() - interval '2 minutes', "
        "fr_due_at = now() - interval '1 minute', alarm_at = now() - interval '2 minutes' "
        "WHERE id = $1",
        item_id,
    )
    notice_file = tmp_path / "notices.jsonl"
    env = {
        "MUTUAL_TASK_MODULES": "tests.feedback.notice_probe",
        "MUTUAL_JOB_POLL_SECONDS": "1",
        "MUTUAL_TASK_EVERY_SECONDS": json.dumps({SCAN_CLOCKS.name: 2}),
        notice_probe.NOTICE_FILE_ENV: str(notice_file),
    }
    logs = REPO_ROOT / ".mutual" / "test-jobs"

    # when two servers with workers run through two scans
    with serve_in_subprocesses(
        owner_url, env=env, log_paths=[logs / "feedback-a.log", logs / "feedback-b.log"]
    ):
        await _until(lambda: _breach_seen(owner), "the breach")
        scans = await _scans_done(owner)
        await _until(lambda: _more_scans(owner, scans), "one more scan")

    # then the breach fired once: one audit event, one notice per side, from one process
    assert await _breaches(owner) == 1
    breach = [n for n in notice_probe.sent(notice_file) if n["kind"] == "feedback.breached"]
    parties = {str(world.parties[("nc", side)].id) for side in ("northwind", "contoso")}
    assert sorted(n["party_id"] for n in breach) == sorted(parties), breach
    assert len({n["pid"] for n in breach}) == 1
    assert {n["subject_id"] for n in breach} == {str(item_id)}


async def _breach_seen(owner: asyncpg.Connection) -> bool:
    return await _breaches(owner) >= 1


async def _more_scans(owner: asyncpg.Connection, before: int) -> bool:
    return await _scans_done(owner) > before
