"""The co-edited roadmap: both sides edit SHARED milestones, versions guard every update."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.helpers import World, error_codes, gql, login

CREATE = """
mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) {
    milestone { id title phase status rank version visibility ownerParty { label } }
    userErrors { field code message }
  }
}
"""

UPDATE = """
mutation($input: UpdateMilestoneInput!) {
  updateMilestone(input: $input) {
    milestone { id title status version targetDate }
    userErrors { field code message current { title version status } }
  }
}
"""

MOVE = """
mutation($input: MoveMilestoneInput!) {
  moveMilestone(input: $input) {
    milestone { id phase rank version } userErrors { field code message }
  }
}
"""

ROADMAP = """
query($id: ID!) {
  partnership(id: $id) {
    roadmap { phases { phase milestones { id title rank status visibility } } }
  }
}
"""

HISTORY = """
query($id: ID!) {
  node(id: $id) {
    ... on Milestone {
      history(first: 10) { totalCount nodes { action changes actor { email } } }
    }
  }
}
"""


async def _create(client: httpx.AsyncClient, world: World, **fields: Any) -> dict[str, Any]:
    variables = {"input": {"partnershipId": world.nc_id, "phase": "STABILIZE", **fields}}
    payload: dict[str, Any] = (await gql(client, CREATE, variables))["data"]["createMilestone"]
    return payload


async def _phases(client: httpx.AsyncClient, world: World) -> dict[str, list[str]]:
    body = await gql(client, ROADMAP, {"id": world.nc_id})
    return {
        p["phase"]: [m["title"] for m in p["milestones"]]
        for p in body["data"]["partnership"]["roadmap"]["phases"]
    }


async def test_both_sides_see_and_edit_a_shared_milestone(make_client: Any, world: World) -> None:
    async with make_client() as northwind, make_client() as contoso:
        await login(northwind, "editor@northwind.example")
        await login(contoso, "editor@contoso.example")

        created = await _create(northwind, world, title="Root-cause analysis")
        milestone = created["milestone"]
        edited = await gql(
            contoso,
            UPDATE,
            {
                "input": {
                    "milestoneId": milestone["id"],
                    "expectedVersion": 1,
                    "status": "IN_PROGRESS",
                    "targetDate": "2026-12-15",
                }
            },
        )

        assert created["userErrors"] == []
        assert milestone["ownerParty"]["label"] == "Supplier"
        assert (milestone["phase"], milestone["rank"], milestone["version"]) == ("STABILIZE", 0, 1)
        result = edited["data"]["updateMilestone"]
        assert result["userErrors"] == []
        assert result["milestone"]["status"] == "IN_PROGRESS"
        assert result["milestone"]["version"] == 2
        assert result["milestone"]["targetDate"] == "2026-12-15"
        assert (await _phases(northwind, world))["STABILIZE"] == ["Root-cause analysis"]


async def test_concurrent_edits_from_both_sides_lose_nothing_silently(
    make_client: Any, world: World
) -> None:
    async with make_client() as northwind, make_client() as contoso:
        await login(northwind, "editor@northwind.example")
        await login(contoso, "lead@contoso.example")
        milestone_id = (await _create(northwind, world, title="Joint oversight group"))[
            "milestone"
        ]["id"]

        results = await asyncio.gather(
            gql(
                northwind,
                UPDATE,
                {
                    "input": {
                        "milestoneId": milestone_id,
                        "expectedVersion": 1,
                        "title": "Oversight group (weekly)",
                    }
                },
            ),
            gql(
                contoso,
                UPDATE,
                {
                    "input": {
                        "milestoneId": milestone_id,
                        "expectedVersion": 1,
                        "title": "Oversight group (bi-weekly)",
                    }
                },
            ),
        )

        payloads = [r["data"]["updateMilestone"] for r in results]
        winners = [p for p in payloads if not p["userErrors"]]
        losers = [p for p in payloads if p["userErrors"]]
        assert len(winners) == 1
        assert len(losers) == 1
        assert len(losers[0]["userErrors"]) == 1
        conflict = losers[0]["userErrors"][0]
        assert conflict["code"] == "CONFLICT"
        assert conflict["current"]["version"] == 2
        assert conflict["current"]["title"] == winners[0]["milestone"]["title"]
        assert losers[0]["milestone"] is None
        history = await gql(northwind, HISTORY, {"id": milestone_id})
        actions = [n["action"] for n in history["data"]["node"]["history"]["nodes"]]
        assert actions == ["milestone.updated", "milestone.created"]


async def test_move_between_phases_and_reorder(client: httpx.AsyncClient, world: World) -> None:
    await login(client, "lead@northwind.example")
    ids = [(await _create(client, world, title=t))["milestone"]["id"] for t in "ABC"]

    to_first = await gql(
        client,
        MOVE,
        {
            "input": {
                "milestoneId": ids[2],
                "expectedVersion": 1,
                "phase": "STABILIZE",
                "position": 0,
            }
        },
    )
    to_rebuild = await gql(
        client,
        MOVE,
        {"input": {"milestoneId": ids[0], "expectedVersion": 1, "phase": "REBUILD", "position": 0}},
    )
    too_far = await gql(
        client,
        MOVE,
        {"input": {"milestoneId": ids[1], "expectedVersion": 1, "phase": "DEEPEN", "position": 5}},
    )

    assert to_first["data"]["moveMilestone"]["userErrors"] == []
    assert to_rebuild["data"]["moveMilestone"]["milestone"]["phase"] == "REBUILD"
    assert [e["code"] for e in too_far["data"]["moveMilestone"]["userErrors"]] == ["INVALID"]
    assert await _phases(client, world) == {"STABILIZE": ["C", "B"], "REBUILD": ["A"], "DEEPEN": []}


async def test_internal_milestone_stays_with_its_side(make_client: Any, world: World) -> None:
    async with make_client() as northwind, make_client() as contoso:
        await login(northwind, "editor@northwind.example")
        await login(contoso, "lead@contoso.example")
        created = await _create(northwind, world, title="Price floor", visibility="INTERNAL")
        milestone_id = created["milestone"]["id"]

        theirs = await _phases(contoso, world)
        node = await gql(contoso, HISTORY, {"id": milestone_id}, expect_errors=True)
        edit = await gql(
            contoso,
            UPDATE,
            {"input": {"milestoneId": milestone_id, "expectedVersion": 1, "title": "x"}},
        )

        assert "Price floor" in (await _phases(northwind, world))["STABILIZE"]
        assert theirs["STABILIZE"] == []
        assert error_codes(node) == ["NOT_FOUND"]
        assert [e["code"] for e in edit["data"]["updateMilestone"]["userErrors"]] == ["NOT_FOUND"]


async def test_viewer_and_governance_cannot_edit_the_roadmap(
    client: httpx.AsyncClient, world: World
) -> None:
    await login(client, "viewer@contoso.example")

    created = await _create(client, world, title="Sneaky")

    assert created["milestone"] is None
    assert [e["code"] for e in created["userErrors"]] == ["FORBIDDEN"]
    assert (await _phases(client, world))["STABILIZE"] == []


async def test_stale_version_changes_nothing(client: httpx.AsyncClient, world: World) -> None:
    await login(client, "lead@northwind.example")
    milestone_id = (await _create(client, world, title="Remedies"))["milestone"]["id"]
    await gql(
        client,
        UPDATE,
        {"input": {"milestoneId": milestone_id, "expectedVersion": 1, "title": "First remedies"}},
    )

    stale = await gql(
        client,
        UPDATE,
        {"input": {"milestoneId": milestone_id, "expectedVersion": 1, "status": "DONE"}},
    )

    errors = stale["data"]["updateMilestone"]["userErrors"]
    assert len(errors) == 1
    assert errors[0]["code"] == "CONFLICT"
    assert errors[0]["current"] == {"title": "First remedies", "version": 2, "status": "PLANNED"}
