"""Contingency test helpers: plan documents, a plan approved by both LEADs, a firing sent as the
job worker would (the application role, no identity), and a recording notice sink."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy.engine import URL

from mutual.db import Database
from mutual.graphql.ids import to_global_id
from mutual.kit import notices, triggers
from mutual.kit.notices import Notice
from mutual.kit.triggers import Firing
from tests.helpers import World, gql

PLAN = """
plan { id title version
  latest { id number status approvedByYourSide approvals { party { label } } }
  inForce { id number status }
  versions { id number status triggers { kind source } steps { title ownerParty { label } } } }
userErrors { field code message }
"""
CREATE = f"""
mutation($input: CreateContingencyPlanInput!) {{
  createContingencyPlan(input: $input) {{ {PLAN} }} }}
"""
REVISE = f"""
mutation($input: ReviseContingencyPlanInput!) {{
  reviseContingencyPlan(input: $input) {{ {PLAN} }} }}
"""
SUBMIT = f"""
mutation($id: ID!) {{ submitPlanVersion(planVersionId: $id) {{ {PLAN} }} }}
"""
APPROVE = f"""
mutation($input: ApprovePlanVersionInput!) {{ approvePlanVersion(input: $input) {{ {PLAN} }} }}
"""
ROOM = """
activation { id drill source status severity escalationLevel score missedUpdates updatesOnTime
  plan { title }
  steps { id position title late completedAt ownerParty { label } }
  timeline { kind body actorParty { label } }
  postMortem { summary rootCauses followUps { title status } } }
userErrors { field code message }
"""
ACTIVATE = f"""
mutation($input: ActivatePlanInput!) {{ activatePlan(input: $input) {{ {ROOM} }} }}
"""
COMPLETE = f"""
mutation($id: ID!) {{ completeActivationStep(stepId: $id) {{ {ROOM} }} }}
"""
UPDATE = f"""
mutation($id: ID!, $body: String!) {{
  postActivationUpdate(activationId: $id, body: $body) {{ {ROOM} }} }}
"""
ESCALATE = f"""
mutation($id: ID!, $reason: String!) {{
  escalateActivation(activationId: $id, reason: $reason) {{ {ROOM} }} }}
"""
CLOSE = f"""
mutation($input: CloseActivationInput!) {{ closeActivation(input: $input) {{ {ROOM} }} }}
"""
ACTIVATIONS = """
query($id: ID!) { partnership(id: $id) { activations { id drill source status
  plan { title } steps { title } } } }
"""

DETECTOR = "commitments_delayed"


def party_gid(world: World, org: str) -> str:
    return to_global_id("Party", world.parties[("nc", org)].id)


def content(world: World, *, detector: str = DETECTOR, minutes: int = 60) -> dict[str, Any]:
    return {
        "severity": "HIGH",
        "scenario": "Commitments slip and nobody says so.",
        "triggers": [{"kind": "DETECTOR", "detector": detector}, {"kind": "MANUAL"}],
        "steps": [
            {
                "title": "Call the partner",
                "ownerPartyId": party_gid(world, "northwind"),
                "role": "LEAD",
                "actWithinMinutes": minutes,
            },
            {
                "title": "Confirm the impact",
                "ownerPartyId": party_gid(world, "contoso"),
                "role": "EDITOR",
                "actWithinMinutes": minutes * 2,
            },
        ],
        "protocol": "Northwind's lead calls Contoso's lead.",
        "cadence": [{"severity": "HIGH", "minutes": 120}],
    }


async def mutate(client: httpx.AsyncClient, document: str, **variables: Any) -> dict[str, Any]:
    body = await gql(client, document, variables)
    data: dict[str, Any] = next(iter(body["data"].values()))
    return data


def ok(payload: dict[str, Any], field: str) -> dict[str, Any]:
    assert payload["userErrors"] == [], payload["userErrors"]
    record: dict[str, Any] = payload[field]
    return record


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def draft(client: httpx.AsyncClient, world: World, **options: Any) -> dict[str, Any]:
    payload = await mutate(
        client,
        CREATE,
        input={
            "partnershipId": world.nc_id,
            "title": "Commitments delayed",
            "content": content(world, **options),
        },
    )
    return ok(payload, "plan")


async def approved(
    northwind: httpx.AsyncClient, contoso: httpx.AsyncClient, world: World, **options: Any
) -> dict[str, Any]:
    """A plan drafted, submitted and approved by both sides' LEADs (the clients are LEADs)."""
    plan = await draft(northwind, world, **options)
    version = plan["latest"]["id"]
    ok(await mutate(northwind, SUBMIT, id=version), "plan")
    ok(await mutate(northwind, APPROVE, input={"planVersionId": version}), "plan")
    return ok(await mutate(contoso, APPROVE, input={"planVersionId": version}), "plan")


async def fire(
    app_database_url: URL, partnership_id: uuid.UUID, *, source: str, episode: str
) -> None:
    """A firing as the health domain's worker sends it: the application role, no identity."""
    database = Database(app_database_url, pool_size=1)
    try:
        async with database.session() as session, session.begin():
            await triggers.fire(
                session,
                Firing(
                    partnership_id=partnership_id,
                    source=source,
                    episode=episode,
                    summary="3 commitments missed in 4 weeks",
                ),
            )
    finally:
        await database.dispose()


@contextmanager
def recorded_notices() -> Iterator[list[Notice]]:
    """Notices sent while it is open, recorded (delivery through notify still happens)."""
    sent: list[Notice] = []
    before = list(notices.SINKS)

    async def record(_session: Any, batch: Sequence[Notice]) -> None:
        sent.extend(batch)

    notices.use([*before, record])
    try:
        yield sent
    finally:
        notices.use(before)
