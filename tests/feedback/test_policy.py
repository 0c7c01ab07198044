"""The SLA policy is versioned and agreed by both LEADs: a new version supersedes the one in
force once accepted; a declined one changes nothing; items keep the targets and the receiving
side's calendar they were submitted under."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx

from mutual.graphql.ids import to_global_id
from tests.commitments.factories import ClientFactory, both_sides, mutate, only_record
from tests.feedback.factories import (
    ACCEPT_POLICY,
    DECLINE_POLICY,
    POLICIES,
    PROPOSE_POLICY,
    TARGETS,
    submit,
)
from tests.helpers import World, gql


async def test_versions_supersede_each_other_once_the_other_side_accepts(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    northwind_party = to_global_id("Party", world.parties[("nc", "northwind")].id)
    berlin = {
        "partyId": northwind_party,
        "timeZone": "Europe/Berlin",
        "start": "08:00",
        "end": "16:00",
        "holidays": ["2099-12-25"],
    }
    async with both_sides(make_client, owner, world, northwind="lead", contoso="lead") as (
        northwind,
        contoso,
    ):

        async def propose(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
            payload = await mutate(
                client,
                PROPOSE_POLICY,
                partnershipId=world.nc_id,
                **{"targets": TARGETS, **fields},
            )
            return only_record(payload, "policy")

        async def decide(client: httpx.AsyncClient, document: str, policy: dict[str, Any]) -> Any:
            payload = await mutate(
                client,
                document,
                policyId=policy["id"],
                expectedVersion=policy["version"],
            )
            return only_record(payload, "policy")

        first = await propose(northwind, calendars=[berlin])
        await decide(contoso, ACCEPT_POLICY, first)
        before = await submit(contoso, world, "Under v1", severity="CRITICAL")

        slower = [{**t, "firstResponseMinutes": 90} for t in TARGETS]
        second = await propose(contoso, targets=slower, businessHours=False)
        await decide(northwind, ACCEPT_POLICY, second)
        third = await propose(northwind, autoCloseDays=3)
        await decide(contoso, DECLINE_POLICY, third)
        after = await submit(contoso, world, "Under v2", severity="CRITICAL")

        versions = (await gql(northwind, POLICIES, {"id": world.nc_id}))["data"]["partnership"]
        calendar = first["calendars"]

    assert versions["feedbackPolicies"] == [
        {"number": 3, "status": "DECLINED"},
        {"number": 2, "status": "ACTIVE"},
        {"number": 1, "status": "SUPERSEDED"},
    ]
    assert calendar == [
        {
            "timeZone": "Europe/Berlin",
            "workingDays": [1, 2, 3, 4, 5],
            "start": "08:00",
            "end": "16:00",
            "holidays": ["2099-12-25"],
            "party": {"label": world.parties[("nc", "northwind")].label},
        }
    ]
    # v1: 30 business minutes in Berlin's 08:00-16:00; v2: 90 minutes around the clock
    assert before["firstResponseClock"]["targetSeconds"] == 30 * 60
    assert after["firstResponseClock"]["targetSeconds"] == 90 * 60
    due = datetime.fromisoformat(before["firstResponseClock"]["dueAt"]).astimezone(
        ZoneInfo("Europe/Berlin")
    )
    assert due.isoweekday() <= 5 and (8, 0) <= (due.hour, due.minute) <= (16, 0)
