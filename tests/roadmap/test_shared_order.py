"""One order of milestones for both sides: positions are counted over what each side sees (no
duplicates, no gaps where the other side's INTERNAL milestones sit), a new milestone is last
for both, a move lands where the mover asked, and editors adding at once never collide."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx

from tests.commitments.factories import ClientFactory, both_sides, mutate, only_record
from tests.helpers import World, gql
from tests.roadmap.test_roadmap_rules import CREATE, MOVE, ROADMAP


async def _add(
    client: httpx.AsyncClient, world: World, title: str, visibility: str = "SHARED"
) -> str:
    result = await mutate(
        client,
        CREATE,
        partnershipId=world.nc_id,
        title=title,
        phase="STABILIZE",
        visibility=visibility,
    )
    return str(only_record(result, "milestone")["id"])


async def _stabilize(client: httpx.AsyncClient, world: World) -> list[tuple[str, int]]:
    body = await gql(client, ROADMAP, {"id": world.nc_id})
    phases = body["data"]["partnership"]["roadmap"]["phases"]
    (stabilize,) = (p["milestones"] for p in phases if p["phase"] == "STABILIZE")
    return [(m["title"], m["rank"]) for m in stabilize]


async def test_each_side_counts_positions_over_what_it_sees_and_new_ones_go_last(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: Northwind's INTERNAL milestone sits between two SHARED ones
        await _add(northwind, world, "A")
        await _add(northwind, world, "Hidden", "INTERNAL")
        await _add(northwind, world, "B")

        # when: Contoso adds one, then Northwind another INTERNAL one and Contoso a last one
        await _add(contoso, world, "C")
        await _add(northwind, world, "Hidden 2", "INTERNAL")
        await _add(contoso, world, "D")

        # then: one order, each side numbered 0..n-1 over what it sees, the newest last
        assert await _stabilize(northwind, world) == [
            ("A", 0), ("Hidden", 1), ("B", 2), ("C", 3), ("Hidden 2", 4), ("D", 5),
        ]  # fmt: skip
        assert await _stabilize(contoso, world) == [("A", 0), ("B", 1), ("C", 2), ("D", 3)]


async def test_a_move_lands_at_the_position_asked_among_what_the_mover_sees(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: Contoso sees A B C D; Northwind's INTERNAL ones sit among them
        ids = {}
        for title, side, visibility in (
            ("A", northwind, "SHARED"),
            ("H1", northwind, "INTERNAL"),
            ("B", contoso, "SHARED"),
            ("C", contoso, "SHARED"),
            ("H2", northwind, "INTERNAL"),
            ("D", contoso, "SHARED"),
        ):
            ids[title] = await _add(side, world, title, visibility)

        # when: Contoso moves D to position 1, then A to the end; Northwind moves H2 first
        moves = [
            (contoso, "D", 1),
            (contoso, "A", 3),
            (northwind, "H2", 0),
        ]
        answers = []
        for client, title, position in moves:
            fields = {"phase": "STABILIZE", "position": position}
            answers.append(
                await mutate(client, MOVE, milestoneId=ids[title], expectedVersion=1, **fields)
            )

        # then: each landed where its mover asked (A D B C, then D B C A), and both sides read
        # one order
        assert [a["milestone"]["rank"] for a in answers] == [1, 3, 0]
        assert await _stabilize(contoso, world) == [("D", 0), ("B", 1), ("C", 2), ("A", 3)]
        northwinds = await _stabilize(northwind, world)
        assert [rank for _title, rank in northwinds] == list(range(6))
        assert northwinds[0] == ("H2", 0)
        assert [t for t, _rank in northwinds if not t.startswith("H")] == ["D", "B", "C", "A"]


async def test_editors_adding_at_once_get_one_order_without_ties(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # when: both sides' editors add 20 milestones each, in pairs at the same moment
        for pair in range(20):
            await asyncio.gather(
                _add(northwind, world, f"N{pair}"), _add(contoso, world, f"C{pair}")
            )

        # then: 40 distinct keys in the database, and both sides number 0..39 in one order
        keys = await owner.fetch("SELECT DISTINCT sort_key FROM milestone")
        assert len(keys) == 40
        seen_by_northwind = await _stabilize(northwind, world)
        assert seen_by_northwind == await _stabilize(contoso, world)
        assert [rank for _title, rank in seen_by_northwind] == list(range(40))
        # each side's own additions keep the order they were made in
        titles = [title for title, _rank in seen_by_northwind]
        for side in "NC":
            assert [t for t in titles if t[0] == side] == [f"{side}{i}" for i in range(20)]
