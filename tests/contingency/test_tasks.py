"""Contingency's periodic tasks as the worker runs them (the application role, no identity):
late steps are reminded to their side once and flagged on the timeline, a missed status update
is flagged and told; the trigger scan fires the plans watching N SLA breaches in a window."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import asyncpg
import pytest
from sqlalchemy.engine import URL

from mutual.config import Settings
from mutual.contingency.tasks import remind, scan_triggers
from mutual.db import Database
from mutual.graphql.ids import to_global_id
from mutual.kit.clock import stopped_at
from mutual.kit.jobs import JobContext
from tests.commitments.factories import ClientFactory, signed_in
from tests.contingency.factories import (
    ACTIVATE,
    APPROVE,
    CREATE,
    REVISE,
    SUBMIT,
    approved,
    content,
    mutate,
    ok,
    recorded_notices,
)
from tests.helpers import World, gql

LEADS = ("lead@northwind.example", "lead@contoso.example")


@pytest.fixture
async def app_database(app_database_url: URL) -> AsyncIterator[Database]:
    database = Database(app_database_url, pool_size=2)
    yield database
    await database.dispose()


def _job(database: Database, settings: Settings) -> JobContext:
    return JobContext(
        job_id=0, task="contingency.test", payload={}, attempt=1, database=database,
        settings=settings,
    )  # fmt: skip


async def test_late_steps_are_reminded_once_and_missed_updates_flagged(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    # given an activation whose first step is due within 60 minutes, the second within 120,
    # and an update every 120 minutes
    async with (
        signed_in(make_client, owner, world, LEADS[0]) as northwind,
        signed_in(make_client, owner, world, LEADS[1]) as contoso,
    ):
        plan = await approved(northwind, contoso, world)
        ok(await mutate(northwind, ACTIVATE, input={"planId": plan["id"]}), "activation")
    later = datetime.now(UTC) + timedelta(minutes=90)

    # when the reminder runs 90 minutes later, twice
    with stopped_at(later), recorded_notices() as sent:
        await remind(_job(app_database, settings))
        await remind(_job(app_database, settings))

    # then the one late step is told to its side once; the update is not due yet
    assert [(n.kind, n.party_id, n.title) for n in sent] == [
        ("contingency.step_late", world.parties[("nc", "northwind")].id,
         "Past its time to act: Call the partner"),
    ]  # fmt: skip
    kinds = [r["kind"] for r in await owner.fetch("SELECT kind FROM contingency_entry ORDER BY at")]
    assert kinds == ["ACTIVATED", "STEP_LATE"]

    # when it runs again past the update's due time
    with stopped_at(later + timedelta(minutes=60)), recorded_notices() as sent:
        await remind(_job(app_database, settings))
    # then the second step is late and the missed update flagged
    assert sorted(n.kind for n in sent) == ["contingency.step_late", "contingency.update_missed"]
    row = await owner.fetchrow("SELECT missed_updates FROM contingency_activation")
    assert row is not None and row["missed_updates"] == 1


async def test_the_scan_fires_plans_watching_sla_breaches_once_per_day(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    # given a plan approved by both that fires on 2 SLA breaches within 7 days, and one plan
    # with the same trigger that is not approved
    trigger = {"kind": "SLA_BREACHES", "count": 2, "windowDays": 7}
    async with (
        signed_in(make_client, owner, world, LEADS[0]) as northwind,
        signed_in(make_client, owner, world, LEADS[1]) as contoso,
    ):
        watching = {**content(world), "triggers": [trigger]}
        made = ok(
            await mutate(
                northwind,
                CREATE,
                input={"partnershipId": world.nc_id, "title": "SLA", "content": watching},
            ),
            "plan",
        )
        version = made["latest"]["id"]
        ok(await mutate(northwind, SUBMIT, id=version), "plan")
        for client in (northwind, contoso):
            ok(await mutate(client, APPROVE, input={"planVersionId": version}), "plan")
        ok(
            await mutate(
                northwind,
                CREATE,
                input={"partnershipId": world.nc_id, "title": "Draft", "content": watching},
            ),
            "plan",
        )
    party = world.parties[("nc", "northwind")].id

    async def breaches(n: int) -> None:
        for _ in range(n):
            await owner.execute(
                "INSERT INTO audit_event (partnership_id, action, object_type, object_id, "
                "changes, visibility, owner_party_id, request_id) VALUES ($1, "
                "'feedback.sla_breached', 'Feedback', gen_random_uuid(), '{}', 'SHARED', $2, 't')",
                world.northwind_contoso.id,
                party,
            )

    # when one breach is recorded and the scan runs: nothing
    await breaches(1)
    await scan_triggers(_job(app_database, settings))
    assert await owner.fetchval("SELECT count(*) FROM contingency_activation") == 0
    # when a second one is, and the scan runs twice: the approved plan activates once
    await breaches(1)
    with recorded_notices() as sent:
        await scan_triggers(_job(app_database, settings))
        await scan_triggers(_job(app_database, settings))
    rows = await owner.fetch("SELECT p.title, a.source FROM contingency_activation a "
                             "JOIN contingency_plan p ON p.id = a.plan_id")  # fmt: skip
    assert [(r["title"], r["source"]) for r in rows] == [("SLA", "sla_breaches.2.7")]
    assert [n.kind for n in sent] == ["contingency.activated"] * 2


KPI_AND_RISK = """
WITH nw AS (SELECT id FROM party WHERE partnership_id = $1 ORDER BY label LIMIT 1),
kpi AS (
  INSERT INTO kpi (partnership_id, id, name, direction, baseline_value, baseline_date,
    target_value, target_date, warning_threshold, critical_threshold, cadence, owner_party_id,
    visibility)
  SELECT $1, $2, 'On-time delivery', 'HIGHER_IS_BETTER', 70, current_date - 60, 95,
         current_date + 60, 85, 75, 'WEEKLY', nw.id, 'SHARED' FROM nw RETURNING id
), measured AS (
  INSERT INTO kpi_measurement (partnership_id, kpi_id, period_start, value, source,
                               owner_party_id, visibility)
  SELECT $1, kpi.id, current_date - 7, 60, 'MANUAL', nw.id, 'SHARED' FROM kpi, nw RETURNING id
), risk AS (
  INSERT INTO risk (partnership_id, id, title, category, status, next_review_on,
                    owner_party_id, visibility)
  SELECT $1, $3, 'Plant outage', 'DELIVERY', 'OPEN', current_date + 30, nw.id, 'SHARED'
  FROM nw RETURNING id
)
INSERT INTO risk_assessment (partnership_id, id, risk_id, owner_party_id, visibility,
  inherent_likelihood, inherent_impact, residual_likelihood, residual_impact)
SELECT $1, $4, risk.id, nw.id, 'SHARED', 5, 5, 4, 4 FROM risk, nw
"""


async def test_the_scan_fires_plans_watching_a_kpi_off_track_and_a_residual_risk_score(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database: Database,
    settings: Settings,
) -> None:
    # given a KPI measured at 60 (critical threshold 75) and a risk assessed at residual 16
    kpi_id, risk_id, assessment_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await owner.execute(KPI_AND_RISK, world.northwind_contoso.id, kpi_id, risk_id, assessment_id)
    await owner.execute(
        "UPDATE risk SET owner_assessment_id = $1 WHERE id = $2", assessment_id, risk_id
    )
    # and approved plans on: the KPI off track, the KPI under 50, residual >= 16, >= 20
    triggers = [
        {"kind": "KPI_OFF_TRACK", "kpiId": to_global_id("Kpi", kpi_id)},
        {"kind": "KPI_OFF_TRACK", "kpiId": to_global_id("Kpi", kpi_id), "threshold": 50},
        {"kind": "RISK_SCORE", "riskId": to_global_id("Risk", risk_id), "score": 16},
        {"kind": "RISK_SCORE", "riskId": to_global_id("Risk", risk_id), "score": 20},
    ]
    async with (
        signed_in(make_client, owner, world, LEADS[0]) as northwind,
        signed_in(make_client, owner, world, LEADS[1]) as contoso,
    ):
        for n, trigger in enumerate(triggers):
            plan = await approved(northwind, contoso, world)
            revised = {**content(world), "triggers": [trigger]}
            made = ok(
                await mutate(
                    northwind,
                    REVISE,
                    input={"planId": plan["id"], "title": f"Plan {n}", "content": revised},
                ),
                "plan",
            )
            version = made["latest"]["id"]
            ok(await mutate(northwind, SUBMIT, id=version), "plan")
            for client in (northwind, contoso):
                ok(await mutate(client, APPROVE, input={"planVersionId": version}), "plan")

    # when the scan runs twice
    await scan_triggers(_job(app_database, settings))
    await scan_triggers(_job(app_database, settings))

    # then the plans whose measure is past their value activate, once each
    rows = await owner.fetch(
        "SELECT p.title FROM contingency_activation a JOIN contingency_plan p ON p.id = a.plan_id"
        " ORDER BY p.title"
    )
    assert [r["title"] for r in rows] == ["Plan 0", "Plan 2"]


NAMED = """
query($id: ID!) { partnership(id: $id) { contingencyPlans {
  title latest { triggers { kind kpiName riskTitle } } } } }
"""


async def test_a_trigger_names_its_kpi_and_risk_to_the_sides_that_may_read_them(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    # given a plan watching a KPI and a risk of Contoso's
    kpi_id, risk_id, assessment_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await owner.execute(KPI_AND_RISK, world.northwind_contoso.id, kpi_id, risk_id, assessment_id)
    triggers = [
        {"kind": "KPI_OFF_TRACK", "kpiId": to_global_id("Kpi", kpi_id)},
        {"kind": "RISK_SCORE", "riskId": to_global_id("Risk", risk_id), "score": 16},
    ]

    async def names(email: str) -> list[tuple[str | None, str | None]]:
        async with signed_in(make_client, owner, world, email) as client:
            body = await gql(client, NAMED, {"id": world.nc_id})
        (plan,) = body["data"]["partnership"]["contingencyPlans"]
        return [(t["kpiName"], t["riskTitle"]) for t in plan["latest"]["triggers"]]

    async with signed_in(make_client, owner, world, LEADS[0]) as northwind:
        ok(
            await mutate(
                northwind,
                CREATE,
                input={
                    "partnershipId": world.nc_id,
                    "title": "Named",
                    "content": {**content(world), "triggers": triggers},
                },
            ),
            "plan",
        )
    # then both sides read the names of shared records
    expected = [("On-time delivery", None), (None, "Plant outage")]
    assert await names(LEADS[0]) == expected
    # and once the KPI is Contoso's internal one, Northwind reads no name, Contoso still does
    await owner.execute("UPDATE kpi SET visibility = 'INTERNAL' WHERE id = $1", kpi_id)
    assert await names(LEADS[0]) == [(None, None), (None, "Plant outage")]
    assert await names(LEADS[1]) == expected
