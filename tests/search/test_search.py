"""The partnership's search and its "waiting on your side" list: what each side may read and
no more, words matched by their beginnings, bad input refused with a code, and a constant
number of statements whatever the partnership's size."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import asyncpg
import httpx

from bench.generate import Shape
from mutual.db import counting
from tests.commitments.factories import (
    ACCEPT,
    CONFIRM,
    DELIVER,
    EVIDENCE,
    ClientFactory,
    both_sides,
    mutate,
    propose,
    step,
)
from tests.helpers import World, fill_shape, gql, login
from tests.roadmap.test_roadmap_rules import CREATE

SEARCH = """
query($id: ID!, $text: String!, $first: Int) {
  partnership(id: $id) {
    search(text: $text, first: $first) {
      objectType objectId title excerpt
      node { id ... on Milestone { phase } ... on Commitment { status } }
    }
  }
}
"""

WAITING = """
query($id: ID!) {
  partnership(id: $id) {
    waitingOnYourSide { objectType objectId title asked since node { id } }
  }
}
"""


async def _search(client: httpx.AsyncClient, pid: str, text: str, **more: Any) -> Any:
    body = await gql(client, SEARCH, {"id": pid, "text": text, **more}, expect_errors=True)
    return body


async def _titles(client: httpx.AsyncClient, world: World, text: str) -> list[str]:
    body = await _search(client, world.nc_id, text)
    assert "errors" not in body, body
    return [hit["title"] for hit in body["data"]["partnership"]["search"]]


async def _waiting(client: httpx.AsyncClient, world: World) -> list[tuple[str, str]]:
    body = await gql(client, WAITING, {"id": world.nc_id})
    return [(i["title"], i["asked"]) for i in body["data"]["partnership"]["waitingOnYourSide"]]


async def test_search_finds_by_word_beginnings_what_the_side_may_read(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: milestones and a commitment, one milestone INTERNAL to Northwind
        for title, description, visibility in (
            ("Delivery recovery plan", "Weekly deliveries back on schedule", "SHARED"),
            ("Price floor for deliveries", "Our margin under the new contract", "INTERNAL"),
            ("Quality audit", "Joint audit of the inbound line", "SHARED"),
        ):
            await mutate(
                northwind, CREATE, partnershipId=world.nc_id, title=title, phase="REBUILD",
                description=description, visibility=visibility,
            )  # fmt: skip
        await propose(contoso, world, "Forecast deliveries monthly", "2099-01-31")

        # when / then: "deliv" finds delivery, deliveries, delivered; every word must match
        assert set(await _titles(contoso, world, "deliv")) == {
            "Delivery recovery plan",
            "Forecast deliveries monthly",
        }
        assert set(await _titles(northwind, world, "DELIV")) == {
            "Delivery recovery plan",
            "Forecast deliveries monthly",
            "Price floor for deliveries",
        }
        assert await _titles(northwind, world, "audit inbound") == ["Quality audit"]
        assert await _titles(contoso, world, "margin") == []  # INTERNAL to Northwind
        # and: each hit carries its node, checked like any read
        body = await _search(contoso, world.nc_id, "forecast")
        (hit,) = body["data"]["partnership"]["search"]
        assert hit["objectType"] == "Commitment"
        assert hit["node"] == {"id": hit["objectId"], "status": "PROPOSED"}


async def test_odd_search_text_finds_nothing_and_bad_arguments_are_coded_errors(
    client: httpx.AsyncClient, owner: asyncpg.Connection, world: World
) -> None:
    await login(client, "lead@contoso.example")

    # when: tsquery syntax, quotes, NUL-free punctuation, and nothing at all
    for text in ("'&|!:*()", "a:* & !b", "", "   ", "\\'; DROP TABLE milestone; --"):
        body = await _search(client, world.nc_id, text)
        assert "errors" not in body, (text, body)
        assert body["data"]["partnership"]["search"] == [] or text.startswith("a:*")

    # then: too long, or too many results asked for, is a coded error
    too_long = await _search(client, world.nc_id, "x" * 201)
    too_many = await _search(client, world.nc_id, "x", first=500)
    for body, field in ((too_long, "text"), (too_many, "first")):
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "INVALID", error
        assert error["extensions"]["field"] == field


async def test_a_commitment_waits_on_the_side_asked_to_answer_until_it_answers(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: Northwind proposes
        proposed = await propose(northwind, world, "Ship the spare parts", "2099-03-31")

        # then: it waits on Contoso, not on Northwind
        assert await _waiting(contoso, world) == [
            ("Ship the spare parts", "Accept or decline the proposal")
        ]
        assert await _waiting(northwind, world) == []

        # when: Contoso accepts and Northwind delivers, it waits on Contoso's confirmation
        agreed = await step(contoso, ACCEPT, proposed)
        assert await _waiting(contoso, world) == []
        delivered = await step(northwind, DELIVER, agreed, evidence=EVIDENCE)
        assert await _waiting(contoso, world) == [
            ("Ship the spare parts", "Confirm or dispute the delivery")
        ]

        # when: Contoso confirms, nothing waits any more
        await step(contoso, CONFIRM, delivered)
        assert await _waiting(contoso, world) == []
        assert await _waiting(northwind, world) == []


async def test_search_and_waiting_take_the_same_statements_at_two_sizes(
    client: httpx.AsyncClient, owner: asyncpg.Connection, world: World
) -> None:
    small = Shape(milestones=3, commitments=8, kpis=1, measurements=1)
    await fill_shape(owner, world.northwind_contoso, small)
    await fill_shape(owner, world.fabrikam_contoso, replace(small, milestones=40, commitments=40))
    # and in each, Northwind's or Fabrikam's proposals waiting on Contoso
    await owner.execute(
        "UPDATE commitment c SET status = 'PROPOSED', proposed_by_party_id = c.owner_party_id "
        "FROM party p JOIN organization o ON o.id = p.organization_id "
        "WHERE p.partnership_id = c.partnership_id AND p.id = c.owner_party_id "
        "AND o.name <> 'Contoso Retail' AND c.visibility = 'SHARED'"
    )
    await login(client, "lead@contoso.example")

    counts = []
    for partnership in (world.northwind_contoso, world.fabrikam_contoso):
        async with counting() as searched:
            body = await _search(client, world.gid(partnership), "generated bench", first=50)
        async with counting() as waited:
            waiting = await gql(client, WAITING, {"id": world.gid(partnership)})
        assert waiting["data"]["partnership"]["waitingOnYourSide"], "both sizes have some"
        hits = body["data"]["partnership"]["search"]
        assert all(hit["node"] for hit in hits)
        assert {hit["objectType"] for hit in hits} == {"Milestone", "Commitment"}
        counts.append((len(hits), searched.statements, waited.statements))

    (few, small_search, small_wait), (many, large_search, large_wait) = counts
    assert few <= 11 and many == 50
    # identity, the workspace, the search, then the nodes: one statement per type
    assert len(small_search) == len(large_search) == 5, large_search
    # identity, the workspace, the commitments awaiting an answer, the feedback awaiting one,
    # the risks whose review is overdue, governance's versions to acknowledge and decisions
    # awaiting a verdict, the reports awaiting an acknowledgement, their nodes
    assert len(small_wait) == len(large_wait) == 9, large_wait
