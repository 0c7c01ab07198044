"""Live events beyond milestones: commitment and KPI changes made through one server process
reach a VIEWER subscribed on another, and the other side's INTERNAL ones never do."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.commitments.factories import ACCEPT, PROPOSE
from tests.conftest import LiveServer
from tests.helpers import JSON_HEADERS, World
from tests.kpis.factories import CREATE_KPI, DEFINITION, RECORD, periods_ago
from tests.notify.test_live_events import Subscriber
from tests.security.factories import SESSION_COOKIE, sign_in

CREATE_MILESTONE = """
mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { code } }
}
"""


async def _cookie(owner: asyncpg.Connection, world: World, email: str) -> str:
    async with httpx.AsyncClient() as client:
        secret = await sign_in(client, owner, world.user_id(email))
    return f"{SESSION_COOKIE}={secret}"


async def _mutate(
    server: LiveServer, cookie: str, document: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """One mutation through a server process; its single payload, without userErrors."""
    async with httpx.AsyncClient(base_url=server.url) as client:
        response = await client.post(
            "/graphql",
            json={"query": document, "variables": {"input": fields}},
            headers={**JSON_HEADERS, "cookie": cookie},
        )
    assert response.status_code == 200, response.text
    (payload,) = response.json()["data"].values()
    assert payload["userErrors"] == [], payload
    result: dict[str, Any] = payload
    return result


async def test_a_viewer_receives_commitment_and_kpi_events_but_no_internal_ones(
    live_server: LiveServer, second_live_server: LiveServer, owner: asyncpg.Connection, world: World
) -> None:
    # given: a viewer of each side subscribed on one process
    northwind = await _cookie(owner, world, "editor@northwind.example")
    contoso = await _cookie(owner, world, "editor@contoso.example")
    async with (
        Subscriber(
            live_server, await _cookie(owner, world, "viewer@contoso.example"), world.nc_id
        ) as contoso_viewer,
        Subscriber(
            live_server, await _cookie(owner, world, "viewer@northwind.example"), world.nc_id
        ) as northwind_viewer,
    ):
        # when: both sides change commitments and KPIs through the other process
        await _mutate(
            second_live_server,
            northwind,
            PROPOSE,
            {
                "partnershipId": world.nc_id,
                "title": "Margin plan",
                "dueDate": "2099-01-31",
                "visibility": "INTERNAL",
            },
        )
        proposed = await _mutate(
            second_live_server,
            northwind,
            PROPOSE,
            {"partnershipId": world.nc_id, "title": "Weekly shipments", "dueDate": "2099-01-31"},
        )
        commitment_id = proposed["commitment"]["id"]
        await _mutate(
            second_live_server,
            contoso,
            ACCEPT,
            {"commitmentId": commitment_id, "expectedVersion": 1},
        )
        kpi = await _mutate(
            second_live_server,
            northwind,
            CREATE_KPI,
            {"partnershipId": world.nc_id, "name": "On-time delivery", **DEFINITION},
        )
        await _mutate(
            second_live_server,
            northwind,
            CREATE_KPI,
            {
                "partnershipId": world.nc_id,
                "name": "Margin",
                "visibility": "INTERNAL",
                **DEFINITION,
            },
        )
        await _mutate(
            second_live_server,
            northwind,
            RECORD,
            {
                "partnershipId": world.nc_id,
                "measurements": [
                    {
                        "kpiId": kpi["kpi"]["id"],
                        "period": str(periods_ago("MONTHLY", 0)),
                        "value": 80,
                    }
                ],
            },
        )
        await _mutate(
            second_live_server,
            northwind,
            CREATE_MILESTONE,
            {"partnershipId": world.nc_id, "title": "Joint RCA", "phase": "STABILIZE"},
        )

        theirs = [await contoso_viewer.next_event() for _ in range(5)]
        ours = [await northwind_viewer.next_event() for _ in range(7)]

    # then
    assert [(e["action"], e["objectType"], e["visibility"], e["byOwnSide"]) for e in theirs] == [
        ("commitment.proposed", "Commitment", "SHARED", False),
        ("commitment.accept", "Commitment", "SHARED", True),
        ("kpi.created", "Kpi", "SHARED", False),
        ("kpi.measurement_recorded", "KpiMeasurement", "SHARED", False),
        ("milestone.created", "Milestone", "SHARED", False),
    ]
    assert theirs[0]["objectId"] == theirs[0]["subjectId"] == commitment_id
    assert theirs[2]["objectId"] == theirs[2]["subjectId"] == kpi["kpi"]["id"]
    # A measurement is no Node: its event names the KPI to refetch.
    assert theirs[3]["objectId"] != kpi["kpi"]["id"]
    assert theirs[3]["subjectId"] == kpi["kpi"]["id"]
    assert [(e["action"], e["visibility"]) for e in ours] == [
        ("commitment.proposed", "INTERNAL"),
        ("commitment.proposed", "SHARED"),
        ("commitment.accept", "SHARED"),
        ("kpi.created", "SHARED"),
        ("kpi.created", "INTERNAL"),
        ("kpi.measurement_recorded", "SHARED"),
        ("milestone.created", "SHARED"),
    ]
    # Each side's numbers run on without gaps in its own view: Contoso's count nothing of
    # Northwind's INTERNAL events, and come from both servers alike.
    for events in (theirs, ours):
        first = events[0]["seq"]
        assert [e["seq"] for e in events] == list(range(first, first + len(events)))
