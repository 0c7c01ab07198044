"""The audit trail: one event per write, hash-chained per partnership, tampering reported."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from mutual.graphql.ids import to_global_id
from tests.helpers import JSON_HEADERS, World, gql
from tests.security.factories import add_user, sign_in

ClientFactory = Callable[[], AbstractAsyncContextManager[httpx.AsyncClient]]

ADD_MEMBER = """
mutation($input: AddWorkspaceMemberInput!) {
  addWorkspaceMember(input: $input) {
    member { id role user { email } }
    userErrors { field code message }
  }
}
"""

VERIFY = """
query($id: ID!) {
  partnership(id: $id) {
    verifyAuditChain {
      intact checkedEvents firstBrokenSeq
      firstBrokenEvent { id seq action hash }
    }
  }
}
"""

LATEST_EVENT = """
query($id: ID!) {
  partnership(id: $id) {
    auditTrail(first: 1) {
      totalCount
      nodes {
        id seq action objectType objectId changes visibility requestId prevHash hash
        actor { email } actorParty { label isOwn }
      }
    }
  }
}
"""

CHAIN = """
SELECT a.*, mutual_audit_canonical(a) AS canonical
FROM audit_event a WHERE partnership_id = $1 ORDER BY seq
"""


async def _chain(owner: asyncpg.Connection, partnership_id: uuid.UUID) -> list[asyncpg.Record]:
    return list(await owner.fetch(CHAIN, partnership_id))


def _assert_chain_links(events: list[asyncpg.Record]) -> None:
    """Seq 1..n, each prev_hash the previous hash, each hash sha256(prev_hash + canonical)."""
    previous = "0" * 64
    for expected_seq, event in enumerate(events, start=1):
        assert event["seq"] == expected_seq
        assert event["prev_hash"] == previous
        recomputed = hashlib.sha256((event["prev_hash"] + event["canonical"]).encode()).hexdigest()
        assert event["hash"] == recomputed, event["seq"]
        previous = event["hash"]


async def _add_member(
    client: httpx.AsyncClient, partnership: str, email: str, role: str = "EDITOR"
) -> httpx.Response:
    return await client.post(
        "/graphql",
        json={
            "query": ADD_MEMBER,
            "variables": {"input": {"partnershipId": partnership, "email": email, "role": role}},
        },
        headers=JSON_HEADERS,
    )


async def _verify(client: httpx.AsyncClient, partnership: str) -> dict[str, Any]:
    body = await gql(client, VERIFY, {"id": partnership})
    result: dict[str, Any] = body["data"]["partnership"]["verifyAuditChain"]
    return result


async def test_a_mutation_appends_one_chained_event_with_who_what_and_the_request_id(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given: a new Northwind user, not yet in the workspace
    nc = world.northwind_contoso.id
    newcomer = await add_user(
        owner, organization_id=world.orgs["northwind"].id, email="analyst@northwind.example"
    )
    before = await _chain(owner, nc)
    await sign_in(client, owner, world.user_id("lead@northwind.example"))
    started = datetime.now(UTC)

    # when
    response = await _add_member(client, world.nc_id, "analyst@northwind.example")

    # then: exactly one event, describing the change
    assert response.status_code == 200
    payload = response.json()["data"]["addWorkspaceMember"]
    assert len(payload["userErrors"]) == 0
    after = await _chain(owner, nc)
    assert len(after) == len(before) + 1
    event = after[-1]
    member_id = await owner.fetchval(
        "SELECT id FROM workspace_member WHERE partnership_id = $1 AND user_id = $2", nc, newcomer
    )
    assert payload["member"]["id"] == to_global_id("WorkspaceMember", member_id)
    assert event["actor_user_id"] == world.user_id("lead@northwind.example")
    assert event["actor_party_id"] == world.parties[("nc", "northwind")].id
    assert event["owner_party_id"] == world.parties[("nc", "northwind")].id
    assert event["action"] == "member.added"
    assert event["object_type"] == "WorkspaceMember"
    assert event["object_id"] == member_id
    assert json.loads(event["changes"]) == {
        "user": {"from": None, "to": "analyst@northwind.example"},
        "role": {"from": None, "to": "EDITOR"},
    }
    assert event["visibility"] == "SHARED"
    assert event["request_id"] == response.headers["x-request-id"]
    assert started - timedelta(seconds=1) <= event["created_at"] <= datetime.now(UTC)
    # and: chained to the previous event, with a hash over every other column
    assert event["seq"] == before[-1]["seq"] + 1
    assert event["prev_hash"] == before[-1]["hash"]
    _assert_chain_links(after)
    hashed = set(json.loads(event["canonical"]))
    assert hashed == set(event.keys()) - {"prev_hash", "hash", "canonical"}


async def test_the_trail_shows_the_event_to_members_of_both_sides(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given
    await add_user(
        owner, organization_id=world.orgs["northwind"].id, email="analyst@northwind.example"
    )
    async with make_client() as lead:
        await sign_in(lead, owner, world.user_id("lead@northwind.example"))
        response = await _add_member(lead, world.nc_id, "analyst@northwind.example", "VIEWER")

    # when
    latest: dict[str, dict[str, Any]] = {}
    for email in ("viewer@northwind.example", "viewer@contoso.example"):
        async with make_client() as reader:
            await sign_in(reader, owner, world.user_id(email))
            body = await gql(reader, LATEST_EVENT, {"id": world.nc_id})
        latest[email] = body["data"]["partnership"]["auditTrail"]["nodes"][0]

    # then
    northwind, contoso = latest["viewer@northwind.example"], latest["viewer@contoso.example"]
    assert northwind["action"] == "member.added"
    assert northwind["requestId"] == response.headers["x-request-id"]
    assert northwind["actor"] == {"email": "lead@northwind.example"}
    assert northwind["actorParty"] == {"label": "Supplier", "isOwn": True}
    assert contoso["actorParty"] == {"label": "Supplier", "isOwn": False}
    assert northwind["changes"]["role"] == {"from": None, "to": "VIEWER"}
    # each side's view chains it with its own links
    own_links = {"actorParty", "prevHash", "hash"}
    assert {k: v for k, v in contoso.items() if k not in own_links} == {
        k: v for k, v in northwind.items() if k not in own_links
    }
    assert contoso["hash"] != northwind["hash"]


async def test_a_refused_mutation_appends_nothing(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given
    nc = world.northwind_contoso.id
    before = await _chain(owner, nc)

    # when: a VIEWER tries to write, and a LEAD adds someone who is already a member
    async with make_client() as viewer:
        await sign_in(viewer, owner, world.user_id("viewer@northwind.example"))
        forbidden = (await _add_member(viewer, world.nc_id, "editor@northwind.example")).json()
    async with make_client() as lead:
        await sign_in(lead, owner, world.user_id("lead@northwind.example"))
        duplicate = (await _add_member(lead, world.nc_id, "editor@northwind.example")).json()

    # then
    forbidden_errors = forbidden["data"]["addWorkspaceMember"]["userErrors"]
    duplicate_errors = duplicate["data"]["addWorkspaceMember"]["userErrors"]
    assert len(forbidden_errors) == 1
    assert forbidden_errors[0]["code"] == "FORBIDDEN"
    assert len(duplicate_errors) == 1
    assert duplicate_errors[0]["code"] == "ALREADY_MEMBER"
    assert await _chain(owner, nc) == before


async def test_the_seeded_chains_verify_intact(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given
    await sign_in(client, owner, world.user_id("lead@contoso.example"))

    # when
    nc = await _verify(client, world.nc_id)
    fc = await _verify(client, world.fc_id)

    # then: invitation sent and accepted, then the members each side added
    assert nc == {
        "intact": True,
        "checkedEvents": 8,
        "firstBrokenSeq": None,
        "firstBrokenEvent": None,
    }
    assert fc == {
        "intact": True,
        "checkedEvents": 5,
        "firstBrokenSeq": None,
        "firstBrokenEvent": None,
    }
    _assert_chain_links(await _chain(owner, world.northwind_contoso.id))
    _assert_chain_links(await _chain(owner, world.fabrikam_contoso.id))


async def test_an_event_altered_in_sql_is_reported_as_the_first_break(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given: someone with owner rights rewrites history at seq 3
    nc = world.northwind_contoso.id
    tampered = await owner.fetchrow(
        'UPDATE audit_event SET changes = \'{"role": {"from": null, "to": "LEAD"}}\' '
        "WHERE partnership_id = $1 AND seq = 3 RETURNING id, action, hash",
        nc,
    )
    assert tampered is not None
    await sign_in(client, owner, world.user_id("viewer@northwind.example"))

    # when
    result = await _verify(client, world.nc_id)
    await sign_in(client, owner, world.user_id("lead@contoso.example"))
    other_side = await _verify(client, world.nc_id)
    untouched = await _verify(client, world.fc_id)

    # then: both sides' views hold it (SHARED), at number 3, and report it there
    for side, verified in (("northwind", result), ("contoso", other_side)):
        link_hash = await owner.fetchval(
            "SELECT hash FROM audit_link WHERE partnership_id = $1 AND party_id = $2 "
            "AND event_seq = 3",
            nc,
            world.parties[("nc", side)].id,
        )
        assert verified == {
            "intact": False,
            "checkedEvents": 3,
            "firstBrokenSeq": 3,
            "firstBrokenEvent": {
                "id": to_global_id("AuditEvent", tampered["id"]),
                "seq": 3,
                "action": tampered["action"],
                "hash": link_hash,
            },
        }
    assert untouched["intact"] is True


async def test_a_deleted_event_is_reported_at_the_next_seq(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given: seq 4 vanishes, with its links in both views (they hold it by a foreign key)
    nc = world.northwind_contoso.id
    links = await owner.execute(
        "DELETE FROM audit_link WHERE partnership_id = $1 AND event_seq = 4", nc
    )
    status = await owner.execute(
        "DELETE FROM audit_event WHERE partnership_id = $1 AND seq = 4", nc
    )
    assert (links, status) == ("DELETE 2", "DELETE 1")
    await sign_in(client, owner, world.user_id("lead@northwind.example"))

    # when
    result = await _verify(client, world.nc_id)

    # then
    assert result["intact"] is False
    assert result["firstBrokenSeq"] == 5
    assert result["firstBrokenEvent"]["seq"] == 5


async def test_concurrent_mutations_keep_one_valid_chain(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given: two new users on each side, and both sides' leads signed in on their own clients
    nc = world.northwind_contoso.id
    newcomers = {
        "northwind": ["a1@northwind.example", "a2@northwind.example"],
        "contoso": ["b1@contoso.example", "b2@contoso.example"],
    }
    for org, emails in newcomers.items():
        for email in emails:
            await add_user(owner, organization_id=world.orgs[org].id, email=email)
    before = await _chain(owner, nc)

    async with make_client() as northwind, make_client() as contoso:
        await sign_in(northwind, owner, world.user_id("lead@northwind.example"))
        await sign_in(contoso, owner, world.user_id("lead@contoso.example"))

        # when: all four writes race
        responses = await asyncio.gather(
            *(_add_member(northwind, world.nc_id, e) for e in newcomers["northwind"]),
            *(_add_member(contoso, world.nc_id, e) for e in newcomers["contoso"]),
        )
        verified = await _verify(contoso, world.nc_id)

    # then
    for response in responses:
        assert response.status_code == 200
        assert len(response.json()["data"]["addWorkspaceMember"]["userErrors"]) == 0
    after = await _chain(owner, nc)
    assert len(after) == len(before) + 4
    assert {e["request_id"] for e in after[len(before) :]} == {
        r.headers["x-request-id"] for r in responses
    }
    _assert_chain_links(after)
    assert verified == {
        "intact": True,
        "checkedEvents": len(before) + 4,
        "firstBrokenSeq": None,
        "firstBrokenEvent": None,
    }
