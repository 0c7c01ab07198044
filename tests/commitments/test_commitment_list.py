"""The commitments connection: filters (status with the derived MISSED, owner party, due range,
milestone), sorting by due date and update time, and stable pagination."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

from mutual.kit.clock import stopped_at
from tests.commitments.factories import (
    ACCEPT,
    START,
    ClientFactory,
    agreed,
    both_sides,
    delivered,
    mutate,
    propose,
    signed_in,
    step,
)
from tests.helpers import World, gql

LIST = """
query($id: ID!, $first: Int, $after: String, $filter: CommitmentFilterInput,
      $orderBy: CommitmentOrderInput) {
  partnership(id: $id) {
    commitments(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id title status dueDate }
    }
  }
}
"""

IN_2020 = datetime(2020, 1, 2, 9, tzinfo=UTC)

PARTIES = """
query($id: ID!) { partnership(id: $id) { ownParty { id } counterparty { id } } }
"""

CREATE_MILESTONE = """
mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { code } }
}
"""


async def _list(
    client: httpx.AsyncClient,
    world: World,
    *,
    first: int = 50,
    after: str | None = None,
    filter: dict[str, Any] | None = None,  # noqa: A002
    order_by: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body = await gql(
        client,
        LIST,
        {"id": world.nc_id, "first": first, "after": after, "filter": filter, "orderBy": order_by},
    )
    connection: dict[str, Any] = body["data"]["partnership"]["commitments"]
    return connection


async def _titles(
    client: httpx.AsyncClient,
    world: World,
    filter: dict[str, Any],  # noqa: A002
) -> list[str]:
    return [c["title"] for c in (await _list(client, world, filter=filter))["nodes"]]


async def test_an_agreed_commitment_past_its_due_date_is_missed(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: agreed ones past due (one made in 2020, one whose date passed) and current ones
        with stopped_at(IN_2020):  # a due date in the past is refused: they were made then
            await agreed(northwind, contoso, world, "Late from the start", "2020-01-10")
            await delivered(northwind, contoso, world, "Delivered late", "2020-03-10")
        passed = await agreed(northwind, contoso, world, "Date passed", "2099-01-10")
        await owner.execute(
            "UPDATE commitment SET due_date = current_date - 1 WHERE title = 'Date passed'"
        )
        started = await step(
            northwind, START, await agreed(northwind, contoso, world, "Started", "2099-02-10")
        )
        await owner.execute(
            "UPDATE commitment SET due_date = DATE '2020-02-10' WHERE title = 'Started'"
        )
        await agreed(northwind, contoso, world, "Still open", "2099-03-10")

        # when
        missed = await _list(northwind, world, filter={"status": ["MISSED"]})
        open_ones = await _titles(northwind, world, {"status": ["AGREED"]})
        in_progress = await _titles(northwind, world, {"status": ["IN_PROGRESS"]})
        either = await _titles(northwind, world, {"status": ["MISSED", "DELIVERED"]})

        # then
        assert [c["title"] for c in missed["nodes"]] == [
            "Late from the start",
            "Started",
            "Date passed",
        ]
        assert {c["status"] for c in missed["nodes"]} == {"MISSED"}
        assert missed["totalCount"] == 3
        assert open_ones == ["Still open"]
        assert in_progress == []
        assert either == ["Late from the start", "Started", "Delivered late", "Date passed"]
        assert passed["status"] == "AGREED"
        assert started["status"] == "IN_PROGRESS"


async def test_filters_by_owner_party_due_range_and_milestone(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given
        parties = (await gql(northwind, PARTIES, {"id": world.nc_id}))["data"]["partnership"]
        northwind_party, contoso_party = parties["ownParty"]["id"], parties["counterparty"]["id"]
        milestone = await mutate(
            northwind,
            CREATE_MILESTONE,
            partnershipId=world.nc_id,
            title="Stabilise deliveries",
            phase="STABILIZE",
        )
        milestone_id = milestone["milestone"]["id"]
        await propose(northwind, world, "N1 Jan", "2099-01-10", milestoneId=milestone_id)
        await propose(northwind, world, "N2 Feb", "2099-02-10")
        await propose(contoso, world, "C1 Feb", "2099-02-20")
        await propose(
            northwind,
            world,
            "C2 Mar (asked by Northwind)",
            "2099-03-10",
            ownerPartyId=contoso_party,
            milestoneId=milestone_id,
        )
        await propose(contoso, world, "C3 Apr", "2099-04-10")

        # when
        northwinds = await _titles(northwind, world, {"ownerPartyId": northwind_party})
        contosos = await _titles(contoso, world, {"ownerPartyId": contoso_party})
        february = await _titles(northwind, world, {"dueFrom": "2099-02-10", "dueTo": "2099-02-20"})
        from_march = await _titles(northwind, world, {"dueFrom": "2099-03-10"})
        on_milestone = await _titles(northwind, world, {"milestoneId": milestone_id})
        combined = await _titles(
            contoso,
            world,
            {
                "ownerPartyId": northwind_party,
                "dueTo": "2099-02-28",
                "status": ["PROPOSED"],
            },
        )

        # then
        assert northwinds == ["N1 Jan", "N2 Feb"]
        assert contosos == ["C1 Feb", "C2 Mar (asked by Northwind)", "C3 Apr"]
        assert february == ["N2 Feb", "C1 Feb"]
        assert from_march == ["C2 Mar (asked by Northwind)", "C3 Apr"]
        assert on_milestone == ["N1 Jan", "C2 Mar (asked by Northwind)"]
        assert combined == ["N1 Jan", "N2 Feb"]


async def test_due_date_order_pages_without_duplicates_in_both_directions(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        # given: seven commitments, three of them due the same day
        dues = ["2099-05-01", "2099-03-01", "2099-03-01", "2099-01-01", "2099-03-01"]
        dues += ["2099-02-01", "2099-04-01"]
        for index, due in enumerate(dues):
            await propose(northwind, world, f"C{index}", due)
        everything = (await _list(northwind, world))["nodes"]

        for descending in (False, True):
            # when: pages of three
            order = {"field": "DUE_DATE", "descending": descending}
            pages = [await _list(northwind, world, first=3, order_by=order)]
            while pages[-1]["pageInfo"]["hasNextPage"]:
                cursor = pages[-1]["pageInfo"]["endCursor"]
                pages.append(await _list(northwind, world, first=3, after=cursor, order_by=order))

            # then
            paged = [c for page in pages for c in page["nodes"]]
            assert [len(page["nodes"]) for page in pages] == [3, 3, 1]
            assert {page["totalCount"] for page in pages} == {7}
            assert len({c["id"] for c in paged}) == 7
            assert [c["dueDate"] for c in paged] == sorted(dues, reverse=descending)
            assert {c["id"] for c in paged} == {c["id"] for c in everything}
            whole = (await _list(northwind, world, first=7, order_by=order))["nodes"]
            assert paged == whole


async def test_update_time_order_follows_the_latest_change(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: A, B, C, D proposed in order, then B accepted last
        created = [await propose(northwind, world, t, "2099-01-01") for t in "ABCD"]
        await mutate(contoso, ACCEPT, commitmentId=created[1]["id"], expectedVersion=1)

        # when
        ascending = [
            await _list(northwind, world, first=2, order_by={"field": "UPDATED_AT"}),
        ]
        ascending.append(
            await _list(
                northwind,
                world,
                first=2,
                after=ascending[0]["pageInfo"]["endCursor"],
                order_by={"field": "UPDATED_AT"},
            )
        )
        descending = await _list(
            northwind, world, order_by={"field": "UPDATED_AT", "descending": True}
        )

        # then
        assert [c["title"] for page in ascending for c in page["nodes"]] == list("ACDB")
        assert ascending[1]["pageInfo"]["hasNextPage"] is False
        assert [c["title"] for c in descending["nodes"]] == list("BDCA")
        assert descending["totalCount"] == 4
