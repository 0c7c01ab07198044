"""The feedback jobs run as the worker's role (no identity): the SLA scan fires each clock's
at-risk and breach event once, at its time or at the first run after it; resolved items close
themselves; items waiting on a side for a day are told to that side."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta

import asyncpg
import pytest
from sqlalchemy.engine import URL

from mutual.config import Settings
from mutual.db import Database
from mutual.feedback import tasks
from mutual.kit import notices
from mutual.kit.clock import stopped_at, utcnow
from mutual.kit.jobs import JobContext
from mutual.kit.notices import Notice
from tests.commitments.factories import ClientFactory, both_sides, only_record
from tests.feedback.factories import (
    NODE,
    RESOLVE,
    START,
    act,
    raw_id,
    recorded_notices,
    submit,
)
from tests.helpers import World, gql


@pytest.fixture
async def app_database(app_database_url: URL) -> AsyncIterator[Database]:
    database = Database(app_database_url, pool_size=2)
    yield database
    await database.dispose()


def _job(database: Database, settings: Settings, name: str) -> JobContext:
    return JobContext(
        job_id=0, task=name, payload={}, attempt=1, database=database, settings=settings
    )


async def _run_at(
    moment: datetime,
    run: Callable[[JobContext], Awaitable[None]],
    database: Database,
    settings: Settings,
) -> list[Notice]:
    with stopped_at(moment), recorded_notices() as sent:
        await run(_job(database, settings, "feedback.test"))
    return sent


async def _events(owner: asyncpg.Connection, action: str) -> list[str]:
    rows = await owner.fetch(
        "SELECT changes->>'clock' AS clock FROM audit_event WHERE action = $1 ORDER BY seq",
        action,
    )
    return [r["clock"] for r in rows]


async def test_a_breach_while_no_worker_ran_fires_once_at_the_next_scan(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    # given CRITICAL feedback (1 business hour to answer, 8 to resolve), and no scan for weeks
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        item = await submit(contoso, world, severity="CRITICAL")
        later = utcnow() + timedelta(days=21)

        # when a scan finally runs
        sent = await _run_at(later, tasks.scan_clocks, app_database, settings)
        # and again, and another worker's a minute later
        again = await _run_at(later, tasks.scan_clocks, app_database, settings)
        later_again = await _run_at(
            later + timedelta(minutes=1), tasks.scan_clocks, app_database, settings
        )

        with stopped_at(later):
            seen = (await gql(northwind, LIST_CLOCKS, {"id": item["id"]}))["data"]["node"]
        trail = (await gql(contoso, TRAIL, {"id": world.nc_id}))["data"]["partnership"]

    # then each clock's breach fired once, to both sides, and no at-risk after it
    nw, co = world.parties[("nc", "northwind")].id, world.parties[("nc", "contoso")].id
    assert sorted((n.kind, n.party_id, n.title.split(":")[0]) for n in sent) == sorted(
        [
            ("feedback.breached", nw, "SLA breached (first response)"),
            ("feedback.breached", co, "SLA breached (first response)"),
            ("feedback.breached", nw, "SLA breached (resolution)"),
            ("feedback.breached", co, "SLA breached (resolution)"),
        ]
    )
    assert len({n.dedupe_key for n in sent}) == 4
    assert again == [] and later_again == []
    assert await _events(owner, "feedback.sla_breached") == ["FIRST_RESPONSE", "RESOLUTION"]
    assert await _events(owner, "feedback.sla_at_risk") == []
    assert seen["firstResponseClock"]["breached"] is True
    assert seen["resolutionClock"]["breached"] is True
    # both sides' audit trails tell of the breaches, by no one, titled with the item
    breaches = [e for e in trail["auditTrail"]["nodes"] if e["action"] == "feedback.sla_breached"]
    assert [(e["objectTitle"], e["actorParty"]) for e in breaches] == [("Late pallets", None)] * 2
    assert trail["verifyAuditChain"]["intact"] is True
    item_id = raw_id(item["id"])
    alarm = await owner.fetchval("SELECT alarm_at FROM feedback WHERE id = $1", item_id)
    assert alarm is None


TRAIL = """
query($id: ID!) { partnership(id: $id) {
  auditTrail(first: 50) { nodes { action objectTitle actorParty { label } } }
  verifyAuditChain { intact } } }
"""
LIST_CLOCKS = """
query($id: ID!) { node(id: $id) { ... on Feedback {
  firstResponseClock { atRisk breached } resolutionClock { atRisk breached } } } }
"""


async def test_at_risk_fires_at_80_percent_then_the_breach_at_the_due_time(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    async with both_sides(make_client, owner, world) as (_northwind, contoso):
        item = await submit(contoso, world, severity="HIGH")
    item_id = raw_id(item["id"])
    row = await owner.fetchrow(
        "SELECT fr_risk_at, fr_due_at, alarm_at FROM feedback WHERE id = $1", item_id
    )
    assert row is not None and row["alarm_at"] == row["fr_risk_at"] < row["fr_due_at"]

    before = await _run_at(
        row["fr_risk_at"] - timedelta(seconds=1), tasks.scan_clocks, app_database, settings
    )
    at_risk = await _run_at(row["fr_risk_at"], tasks.scan_clocks, app_database, settings)
    breached = await _run_at(row["fr_due_at"], tasks.scan_clocks, app_database, settings)

    assert before == []
    assert [(n.kind, n.party_id) for n in at_risk] == [
        ("feedback.at_risk", world.parties[("nc", "northwind")].id)
    ]
    assert {n.kind for n in breached} == {"feedback.breached"}
    assert await _events(owner, "feedback.sla_at_risk") == ["FIRST_RESPONSE"]
    assert await _events(owner, "feedback.sla_breached") == ["FIRST_RESPONSE"]


async def test_a_resolved_item_left_alone_closes_itself_unrated(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        item = await submit(contoso, world)
        item = only_record(await act(northwind, START, item), "feedback")
        item = only_record(await act(northwind, RESOLVE, item, note="Fixed."), "feedback")
        closes_at = datetime.fromisoformat(item["closesAt"])
        assert closes_at - utcnow() > timedelta(days=6, hours=23)

        early = await _run_at(
            closes_at - timedelta(minutes=1), tasks.close_resolved, app_database, settings
        )
        closed = await _run_at(closes_at, tasks.close_resolved, app_database, settings)
        again = await _run_at(closes_at, tasks.close_resolved, app_database, settings)
        node = (await gql(contoso, NODE, {"id": item["id"]}))["data"]["node"]

    assert early == [] and again == []
    assert {n.kind for n in closed} == {"feedback.closed"} and len(closed) == 2
    assert node["history"][-1]["action"] == "AUTO_CLOSE"
    status = await owner.fetchrow(
        "SELECT status, rating, version FROM feedback WHERE id = $1",
        raw_id(item["id"]),
    )
    assert status is not None
    assert (status["status"], status["rating"], status["version"]) == ("CLOSED", None, 4)
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM audit_event WHERE action = 'feedback.auto_closed'"
        )
        == 1
    )


async def test_feedback_waiting_on_a_side_for_a_day_is_told_to_that_side_once_a_day(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    async with both_sides(make_client, owner, world) as (_northwind, contoso):
        await submit(contoso, world, "Unanswered")
    now = utcnow()

    too_soon = await _run_at(
        now + timedelta(hours=23), tasks.remind_waiting, app_database, settings
    )
    day_one = await _run_at(now + timedelta(hours=25), tasks.remind_waiting, app_database, settings)
    same_day = await _run_at(
        now + timedelta(hours=26), tasks.remind_waiting, app_database, settings
    )
    day_two = await _run_at(now + timedelta(hours=49), tasks.remind_waiting, app_database, settings)

    assert too_soon == []
    ((notice,),) = [day_one]
    assert notice.kind == "feedback.waiting"
    assert notice.party_id == world.parties[("nc", "northwind")].id
    assert "1 day" in notice.title
    # the same key within the day (notify drops a repeated key), a new one the next day
    assert [n.dedupe_key for n in same_day] == [notice.dedupe_key]
    assert [n.dedupe_key for n in day_two] != [notice.dedupe_key]


async def test_a_scan_that_raises_changes_nothing_and_the_next_run_fires(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    # given a breach due, and a delivery of notices that fails (notify down, say)
    async with both_sides(make_client, owner, world) as (_northwind, contoso):
        await submit(contoso, world, severity="CRITICAL")
    later = utcnow() + timedelta(days=21)
    before = list(notices.SINKS)

    async def broken(_session: object, _batch: object) -> None:
        raise RuntimeError("delivery is down")

    notices.use([broken])
    try:
        with stopped_at(later), pytest.raises(RuntimeError):
            await tasks.scan_clocks(_job(app_database, settings, "feedback.scan_clocks"))
    finally:
        notices.use(before)

    # then nothing was marked fired (the job's transaction rolled back; the queue retries it)
    assert await _events(owner, "feedback.sla_breached") == []
    assert await owner.fetchval("SELECT count(*) FROM feedback WHERE alarm_at IS NOT NULL") == 1
    # and the next run fires it, once
    sent = await _run_at(later, tasks.scan_clocks, app_database, settings)
    assert len(sent) == 4
    assert await _events(owner, "feedback.sla_breached") == ["FIRST_RESPONSE", "RESOLUTION"]
