"""Relay connections: first/after and last/before walk every item once, with the right
totalCount and pageInfo."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.graphql.conftest import NcObjects, SignIn, add_user
from tests.helpers import World, gql

MEMBERS = """
query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  partnership(id: $id) {
    members(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { id user { email } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""

AUDIT_TRAIL = """
query($id: ID!, $first: Int, $after: String) {
  partnership(id: $id) {
    auditTrail(first: $first, after: $after) {
      totalCount
      edges { cursor node { id seq } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""

EXTRA_MEMBERS = 17  # with the demo's 8: 25, so pages of 4 end on a partial page


async def _more_members(owner: asyncpg.Connection, world: World) -> None:
    """Contoso users added to the partnership directly as the owner (paging needs only rows)."""
    party = world.parties[("nc", "contoso")]
    for i in range(EXTRA_MEMBERS):
        user_id = await add_user(owner, email=f"member{i:02}@contoso.example", org_slug="contoso")
        await owner.execute(
            "INSERT INTO workspace_member (partnership_id, party_id, user_id, role) "
            "VALUES ($1, $2, $3, 'VIEWER')",
            world.northwind_contoso.id,
            party.id,
            user_id,
        )


async def _page(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    body = await gql(client, query, variables)
    partnership: dict[str, Any] = body["data"]["partnership"]
    return partnership


def _ids(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


def _check_page_info(connection: dict[str, Any]) -> None:
    edges = connection["edges"]
    info = connection["pageInfo"]
    assert info["startCursor"] == (edges[0]["cursor"] if edges else None)
    assert info["endCursor"] == (edges[-1]["cursor"] if edges else None)


async def test_first_and_after_walk_every_member_once(
    sign_in: SignIn, nc: NcObjects, world: World, owner: asyncpg.Connection
) -> None:
    # given 25 members and the whole list in one page
    await _more_members(owner, world)
    lead = await sign_in("lead@contoso.example")
    everyone = (await _page(lead, MEMBERS, id=nc.partnership, first=100))["members"]
    assert everyone["totalCount"] == 25
    assert len(everyone["edges"]) == 25
    assert everyone["pageInfo"]["hasNextPage"] is False
    assert everyone["pageInfo"]["hasPreviousPage"] is False

    # when walking forward four at a time
    walked: list[str] = []
    pages: list[dict[str, Any]] = []
    after = None
    while True:
        page = (await _page(lead, MEMBERS, id=nc.partnership, first=4, after=after))["members"]
        pages.append(page)
        walked += _ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    # then every member comes once, in the order of the whole list
    assert walked == _ids(everyone)
    assert len(set(walked)) == 25
    assert [len(p["edges"]) for p in pages] == [4, 4, 4, 4, 4, 4, 1]
    assert all(p["totalCount"] == 25 for p in pages)
    assert [p["pageInfo"]["hasNextPage"] for p in pages] == [True] * 6 + [False]
    assert [p["pageInfo"]["hasPreviousPage"] for p in pages] == [False] + [True] * 6
    for page in pages:
        _check_page_info(page)


async def test_last_and_before_walk_backwards(
    sign_in: SignIn, nc: NcObjects, world: World, owner: asyncpg.Connection
) -> None:
    # given 25 members
    await _more_members(owner, world)
    lead = await sign_in("lead@contoso.example")
    everyone = _ids((await _page(lead, MEMBERS, id=nc.partnership, first=100))["members"])

    # when walking backwards ten at a time from the end
    walked: list[str] = []
    pages: list[dict[str, Any]] = []
    before = None
    while True:
        page = (await _page(lead, MEMBERS, id=nc.partnership, last=10, before=before))["members"]
        pages.append(page)
        walked = _ids(page) + walked
        if not page["pageInfo"]["hasPreviousPage"]:
            break
        before = page["pageInfo"]["startCursor"]

    # then the pages, read back to front, are the whole list
    assert walked == everyone
    assert [len(p["edges"]) for p in pages] == [10, 10, 5]
    assert all(p["totalCount"] == 25 for p in pages)
    assert [p["pageInfo"]["hasPreviousPage"] for p in pages] == [True, True, False]
    assert [p["pageInfo"]["hasNextPage"] for p in pages] == [False, True, True]
    for page in pages:
        _check_page_info(page)


async def test_a_window_between_after_and_before(sign_in: SignIn, nc: NcObjects) -> None:
    lead = await sign_in("lead@contoso.example")
    whole = (await _page(lead, MEMBERS, id=nc.partnership, first=8))["members"]
    cursors = [edge["cursor"] for edge in whole["edges"]]

    between = await _page(lead, MEMBERS, id=nc.partnership, after=cursors[1], before=cursors[6])
    head = await _page(
        lead, MEMBERS, id=nc.partnership, first=2, after=cursors[1], before=cursors[6]
    )
    tail = await _page(
        lead, MEMBERS, id=nc.partnership, last=2, after=cursors[1], before=cursors[6]
    )

    assert _ids(between["members"]) == _ids(whole)[2:6]
    assert _ids(head["members"]) == _ids(whole)[2:4]
    assert _ids(tail["members"]) == _ids(whole)[4:6]
    assert head["members"]["pageInfo"]["hasNextPage"] is True
    assert tail["members"]["pageInfo"]["hasPreviousPage"] is True


async def test_empty_pages_keep_the_total(sign_in: SignIn, nc: NcObjects) -> None:
    lead = await sign_in("lead@contoso.example")
    whole = (await _page(lead, MEMBERS, id=nc.partnership, first=100))["members"]
    end = whole["pageInfo"]["endCursor"]

    count_only = (await _page(lead, MEMBERS, id=nc.partnership, first=0))["members"]
    past_the_end = (await _page(lead, MEMBERS, id=nc.partnership, first=5, after=end))["members"]

    for page in (count_only, past_the_end):
        assert page["edges"] == []
        assert page["totalCount"] == 8
        assert page["pageInfo"]["startCursor"] is None
        assert page["pageInfo"]["endCursor"] is None
    assert count_only["pageInfo"]["hasNextPage"] is True
    assert past_the_end["pageInfo"]["hasNextPage"] is False
    assert past_the_end["pageInfo"]["hasPreviousPage"] is True


async def test_the_audit_trail_pages_newest_first_without_duplicates(
    sign_in: SignIn, nc: NcObjects
) -> None:
    lead = await sign_in("lead@contoso.example")

    seqs: list[int] = []
    ids: list[str] = []
    totals: set[int] = set()
    after = None
    while True:
        page = (await _page(lead, AUDIT_TRAIL, id=nc.partnership, first=3, after=after))[
            "auditTrail"
        ]
        totals.add(page["totalCount"])
        seqs += [edge["node"]["seq"] for edge in page["edges"]]
        ids += _ids(page)
        _check_page_info(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert totals == {len(nc.audit_events)}
    assert sorted(ids) == sorted(nc.audit_events)
    assert seqs == sorted(seqs, reverse=True)
    assert len(set(seqs)) == len(seqs)
