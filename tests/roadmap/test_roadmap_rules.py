"""Roadmap rules: history per milestone, gapless ranks after moves, drop, and every refused
edit (stale, wrong role, the other side's INTERNAL milestone, invalid values) changes nothing."""

from __future__ import annotations

from functools import partial
from typing import Any

import asyncpg
import httpx

from mutual.graphql.ids import to_global_id
from tests.commitments.factories import (
    ClientFactory,
    audit_count,
    both_sides,
    mutate,
    only_error,
    only_record,
    signed_in,
)
from tests.helpers import World, error_codes, gql

CREATE = """
mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) {
    milestone { id title phase rank status version }
    userErrors { field code message }
  }
}
"""

UPDATE = """
mutation($input: UpdateMilestoneInput!) {
  updateMilestone(input: $input) {
    milestone { id title status version targetDate }
    userErrors { field code message current { title version status phase rank } }
  }
}
"""

MOVE = """
mutation($input: MoveMilestoneInput!) {
  moveMilestone(input: $input) {
    milestone { id phase rank version }
    userErrors { field code message current { title version status phase rank } }
  }
}
"""

DROP = """
mutation($input: DropMilestoneInput!) {
  dropMilestone(input: $input) {
    milestone { id status version }
    userErrors { field code message current { title version status phase rank } }
  }
}
"""

ROADMAP = """
query($id: ID!) {
  partnership(id: $id) {
    roadmap { phases { phase milestones { title rank status } } }
  }
}
"""

HISTORY = """
query($id: ID!) {
  node(id: $id) {
    ... on Milestone {
      history(first: 10) {
        totalCount
        nodes { action changes actor { email } actorParty { label } }
      }
    }
  }
}
"""

NODE = "query($id: ID!) { node(id: $id) { id } }"


async def _create(
    client: httpx.AsyncClient, world: World, title: str, phase: str = "STABILIZE", **fields: Any
) -> dict[str, Any]:
    result = await mutate(
        client, CREATE, partnershipId=world.nc_id, title=title, phase=phase, **fields
    )
    return only_record(result, "milestone")


async def _ranks(client: httpx.AsyncClient, world: World) -> dict[str, list[tuple[str, int]]]:
    body = await gql(client, ROADMAP, {"id": world.nc_id})
    return {
        p["phase"]: [(m["title"], m["rank"]) for m in p["milestones"]]
        for p in body["data"]["partnership"]["roadmap"]["phases"]
    }


async def _stored(owner: asyncpg.Connection) -> list[dict[str, Any]]:
    """Every milestone as stored, by title."""
    rows = await owner.fetch(
        "SELECT title, phase, sort_key, status, version, target_date, visibility "
        "FROM milestone ORDER BY title"
    )
    return [dict(r) for r in rows]


_only_error = partial(only_error, record="milestone")


async def test_history_shows_who_changed_which_field_from_what_to_what(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given
        milestone = await _create(northwind, world, "Root-cause analysis")
        await mutate(
            contoso,
            UPDATE,
            milestoneId=milestone["id"],
            expectedVersion=1,
            title="Joint root-cause analysis",
        )
        await mutate(
            northwind,
            UPDATE,
            milestoneId=milestone["id"],
            expectedVersion=2,
            status="IN_PROGRESS",
            targetDate="2099-03-31",
        )
        await mutate(
            contoso,
            MOVE,
            milestoneId=milestone["id"],
            expectedVersion=3,
            phase="REBUILD",
            position=0,
        )

        # when
        body = await gql(contoso, HISTORY, {"id": milestone["id"]})

    # then: newest first
    history = body["data"]["node"]["history"]
    assert history["totalCount"] == 4
    assert [
        (n["action"], n["actor"]["email"], n["actorParty"]["label"], n["changes"])
        for n in history["nodes"]
    ] == [
        (
            "milestone.moved",
            "editor@contoso.example",
            "Customer",
            {"phase": {"from": "STABILIZE", "to": "REBUILD"}},
        ),
        (
            "milestone.updated",
            "editor@northwind.example",
            "Supplier",
            {
                "status": {"from": "PLANNED", "to": "IN_PROGRESS"},
                "target_date": {"from": None, "to": "2099-03-31"},
            },
        ),
        (
            "milestone.updated",
            "editor@contoso.example",
            "Customer",
            {"title": {"from": "Root-cause analysis", "to": "Joint root-cause analysis"}},
        ),
        (
            "milestone.created",
            "editor@northwind.example",
            "Supplier",
            {
                "title": {"from": None, "to": "Root-cause analysis"},
                "phase": {"from": None, "to": "STABILIZE"},
                "status": {"from": None, "to": "PLANNED"},
            },
        ),
    ]


async def test_moves_keep_ranks_gapless_in_the_phase_left_and_the_phase_entered(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given: STABILIZE A B C D, REBUILD E F
        ids = {t: (await _create(northwind, world, t))["id"] for t in "ABCD"}
        ids |= {t: (await _create(northwind, world, t, "REBUILD"))["id"] for t in "EF"}

        # when: B moves to REBUILD between E and F, then D moves to the top of STABILIZE
        across = await mutate(
            northwind, MOVE, milestoneId=ids["B"], expectedVersion=1, phase="REBUILD", position=1
        )
        within = await mutate(
            northwind, MOVE, milestoneId=ids["D"], expectedVersion=1, phase="STABILIZE", position=0
        )
        to_end = await mutate(
            northwind, MOVE, milestoneId=ids["A"], expectedVersion=1, phase="DEEPEN", position=0
        )

        # then
        assert across["milestone"] == {"id": ids["B"], "phase": "REBUILD", "rank": 1, "version": 2}
        assert within["milestone"]["rank"] == 0
        assert to_end["milestone"]["rank"] == 0
        assert await _ranks(northwind, world) == {
            "STABILIZE": [("D", 0), ("C", 1)],
            "REBUILD": [("E", 0), ("B", 1), ("F", 2)],
            "DEEPEN": [("A", 0)],
        }
        stored = await owner.fetch(
            "SELECT phase, array_agg(title ORDER BY sort_key, id) AS titles FROM milestone "
            "GROUP BY phase"
        )
        assert {r["phase"]: r["titles"] for r in stored} == {
            "STABILIZE": ["D", "C"],
            "REBUILD": ["E", "B", "F"],
            "DEEPEN": ["A"],
        }


async def test_a_new_milestone_after_a_move_goes_last_without_a_gap(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given: A B C, then A leaves the phase
        ids = {t: (await _create(northwind, world, t))["id"] for t in "ABC"}
        await mutate(
            northwind, MOVE, milestoneId=ids["A"], expectedVersion=1, phase="DEEPEN", position=0
        )

        # when
        created = await _create(northwind, world, "D")

        # then
        assert created["rank"] == 2
        assert (await _ranks(northwind, world))["STABILIZE"] == [("B", 0), ("C", 1), ("D", 2)]


async def test_drop_sets_dropped_and_dropping_twice_is_an_error(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given
        milestone = await _create(northwind, world, "Temporary oversight group")

        # when
        dropped = await mutate(northwind, DROP, milestoneId=milestone["id"], expectedVersion=1)
        stored = await _stored(owner)
        again = await mutate(northwind, DROP, milestoneId=milestone["id"], expectedVersion=2)

        # then
        assert dropped["userErrors"] == []
        assert dropped["milestone"] == {"id": milestone["id"], "status": "DROPPED", "version": 2}
        error = _only_error(again)
        assert (error["code"], error["field"]) == ("DROPPED", "milestoneId")
        assert await _stored(owner) == stored
        assert stored[0]["status"] == "DROPPED"
        history = await gql(northwind, HISTORY, {"id": milestone["id"]})
        assert [n["action"] for n in history["data"]["node"]["history"]["nodes"]] == [
            "milestone.dropped",
            "milestone.created",
        ]


async def test_stale_moves_and_drops_are_conflicts_carrying_the_milestone_now(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, contoso="lead") as (northwind, contoso):
        # given: Contoso renamed the milestone (version 2) while Northwind held version 1
        milestone = await _create(northwind, world, "Weekly call")
        await _create(northwind, world, "Second")
        await mutate(
            contoso, UPDATE, milestoneId=milestone["id"], expectedVersion=1, title="Weekly review"
        )
        stored = await _stored(owner)
        events = await audit_count(owner, world.northwind_contoso.id)

        # when
        move = await mutate(
            northwind,
            MOVE,
            milestoneId=milestone["id"],
            expectedVersion=1,
            phase="STABILIZE",
            position=1,
        )
        drop = await mutate(northwind, DROP, milestoneId=milestone["id"], expectedVersion=1)

        # then
        now = {
            "title": "Weekly review",
            "version": 2,
            "status": "PLANNED",
            "phase": "STABILIZE",
            "rank": 0,
        }
        for result in (move, drop):
            error = _only_error(result)
            assert (error["code"], error["field"]) == ("CONFLICT", "expectedVersion")
            assert error["current"] == now
        assert await _stored(owner) == stored
        assert await audit_count(owner, world.northwind_contoso.id) == events


async def test_governance_and_viewer_members_cannot_edit_the_roadmap(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        milestone = await _create(northwind, world, "Shared milestone")
    stored = await _stored(owner)
    events = await audit_count(owner, world.northwind_contoso.id)

    for email in (
        "governance@northwind.example",
        "governance@contoso.example",
        "viewer@northwind.example",
        "viewer@contoso.example",
    ):
        async with signed_in(make_client, owner, world, email) as member:
            # when
            attempts = [
                await mutate(member, CREATE, partnershipId=world.nc_id, title="x", phase="DEEPEN"),
                await mutate(
                    member, UPDATE, milestoneId=milestone["id"], expectedVersion=1, title="x"
                ),
                await mutate(
                    member,
                    MOVE,
                    milestoneId=milestone["id"],
                    expectedVersion=1,
                    phase="DEEPEN",
                    position=0,
                ),
                await mutate(member, DROP, milestoneId=milestone["id"], expectedVersion=1),
            ]

            # then
            assert [_only_error(a)["code"] for a in attempts] == ["FORBIDDEN"] * 4, email
    assert await _stored(owner) == stored
    assert await audit_count(owner, world.northwind_contoso.id) == events


async def test_the_other_sides_internal_milestone_is_not_found(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, contoso="lead") as (northwind, contoso):
        # given
        internal = await _create(northwind, world, "Price floor", visibility="INTERNAL")
        unknown = "TWlsZXN0b25lOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA"
        stored = await _stored(owner)

        # when
        node = await gql(contoso, NODE, {"id": internal["id"]}, expect_errors=True)
        attempts = {
            milestone_id: [
                await mutate(
                    contoso, UPDATE, milestoneId=milestone_id, expectedVersion=1, title="x"
                ),
                await mutate(
                    contoso,
                    MOVE,
                    milestoneId=milestone_id,
                    expectedVersion=1,
                    phase="DEEPEN",
                    position=0,
                ),
                await mutate(contoso, DROP, milestoneId=milestone_id, expectedVersion=1),
            ]
            for milestone_id in (internal["id"], unknown)
        }

        # then: answered exactly like an id that does not exist
        assert error_codes(node) == ["NOT_FOUND"]
        assert node["data"]["node"] is None
        answers = [_only_error(a) for a in attempts[internal["id"]]]
        assert [a["code"] for a in answers] == ["NOT_FOUND"] * 3
        assert answers == [_only_error(a) for a in attempts[unknown]]
        assert await _stored(owner) == stored


async def test_invalid_values_are_refused_and_change_nothing(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given
        milestone = await _create(northwind, world, "Shared")
        northwind_party = to_global_id("Party", world.parties[("nc", "northwind")].id)
        fabrikam_party = to_global_id("Party", world.parties[("fc", "fabrikam")].id)
        stored = await _stored(owner)

        # when
        attempts = [
            await mutate(northwind, CREATE, partnershipId=world.nc_id, title="", phase="DEEPEN"),
            await mutate(
                northwind, CREATE, partnershipId=world.nc_id, title="x" * 201, phase="DEEPEN"
            ),
            await mutate(
                northwind, UPDATE, milestoneId=milestone["id"], expectedVersion=1, title="  "
            ),
            await mutate(
                northwind,
                MOVE,
                milestoneId=milestone["id"],
                expectedVersion=1,
                phase="STABILIZE",
                position=-1,
            ),
            await mutate(
                contoso,
                CREATE,
                partnershipId=world.nc_id,
                title="Theirs, secretly",
                phase="DEEPEN",
                visibility="INTERNAL",
                ownerPartyId=northwind_party,
            ),
            await mutate(
                northwind,
                UPDATE,
                milestoneId=milestone["id"],
                expectedVersion=1,
                ownerPartyId=fabrikam_party,
            ),
        ]

        # then
        assert [(_only_error(a)["code"], _only_error(a)["field"]) for a in attempts] == [
            ("INVALID", "title"),
            ("INVALID", "title"),
            ("INVALID", "title"),
            ("INVALID", "position"),
            ("INVALID", "visibility"),
            ("NOT_FOUND", "ownerPartyId"),
        ]
        assert await _stored(owner) == stored
