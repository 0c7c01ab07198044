"""Services and RLS together, through the GraphQL API: the other tenant's data does not exist."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import asyncpg
import httpx

from mutual.graphql.ids import to_global_id
from tests.helpers import World, error_codes, gql
from tests.security.factories import insert_audit_event, sign_in

ClientFactory = Callable[[], AbstractAsyncContextManager[httpx.AsyncClient]]

PARTNERSHIP = """
query($id: ID!) {
  partnership(id: $id) { id name members(first: 50) { totalCount } }
}
"""

NODE = """
query($id: ID!) {
  node(id: $id) { id ... on WorkspaceMember { role user { email } } ... on Party { label } }
}
"""

NODES = """
query($ids: [ID!]!) {
  nodes(ids: $ids) { id }
}
"""

VIEWER_PARTNERSHIPS = """
{ viewer { partnerships(first: 100) { totalCount nodes { id name } } } }
"""

AUDIT_TRAIL = """
query($id: ID!) {
  partnership(id: $id) {
    auditTrail(first: 100) { totalCount nodes { id seq action visibility } }
  }
}
"""

ADD_MEMBER = """
mutation($input: AddWorkspaceMemberInput!) {
  addWorkspaceMember(input: $input) {
    member { id }
    userErrors { field code message }
  }
}
"""


def _without_path(error: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in error.items() if key != "path"}


async def _global_ids(
    owner: asyncpg.Connection, table: str, type_name: str, partnership_id: uuid.UUID
) -> list[str]:
    rows = await owner.fetch(
        f"SELECT id FROM {table} WHERE partnership_id = $1 ORDER BY id", partnership_id
    )
    return [to_global_id(type_name, row["id"]) for row in rows]


async def test_a_foreign_partnership_answers_exactly_like_an_unknown_one(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given
    await sign_in(client, owner, world.user_id("admin@fabrikam.example"))
    unknown = to_global_id("Partnership", uuid.uuid4())

    # when
    foreign = await gql(client, PARTNERSHIP, {"id": world.nc_id}, expect_errors=True)
    missing = await gql(client, PARTNERSHIP, {"id": unknown}, expect_errors=True)
    own = await gql(client, PARTNERSHIP, {"id": world.fc_id})

    # then
    assert foreign["data"] == missing["data"] == {"partnership": None}
    assert len(foreign["errors"]) == len(missing["errors"]) == 1
    assert error_codes(foreign) == ["NOT_FOUND"]
    assert _without_path(foreign["errors"][0]) == _without_path(missing["errors"][0])
    assert own["data"]["partnership"]["id"] == world.fc_id


async def test_foreign_members_and_parties_by_node_id_answer_like_unknown_ones(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given: every member and party of Northwind ↔ Contoso, and ids that never existed
    nc = world.northwind_contoso.id
    members = await _global_ids(owner, "workspace_member", "WorkspaceMember", nc)
    parties = await _global_ids(owner, "party", "Party", nc)
    unknown = [
        to_global_id("WorkspaceMember", uuid.uuid4()),
        to_global_id("Party", uuid.uuid4()),
    ]
    await sign_in(client, owner, world.user_id("admin@fabrikam.example"))

    # when
    bodies = {
        gid: await gql(client, NODE, {"id": gid}, expect_errors=True)
        for gid in [*members, *parties, *unknown]
    }
    listed = await gql(client, NODES, {"ids": [*members, *parties]})

    # then
    assert len(members) == 8
    assert len(parties) == 2
    reference = _without_path(bodies[unknown[0]]["errors"][0])
    for gid, body in bodies.items():
        assert body["data"] == {"node": None}, gid
        assert len(body["errors"]) == 1, gid
        assert error_codes(body) == ["NOT_FOUND"], gid
        assert _without_path(body["errors"][0]) == reference, gid
    assert listed["data"]["nodes"] == [None] * 10


async def test_a_member_reads_its_own_members_by_node_id(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given: the control for the test above
    members = await _global_ids(
        owner, "workspace_member", "WorkspaceMember", world.northwind_contoso.id
    )
    await sign_in(client, owner, world.user_id("viewer@northwind.example"))

    # when
    listed = await gql(client, NODES, {"ids": members})

    # then
    assert [node["id"] for node in listed["data"]["nodes"]] == members


async def test_a_foreign_partnership_refuses_writes_like_an_unknown_one(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given
    await sign_in(client, owner, world.user_id("admin@fabrikam.example"))
    variables = {"email": "admin@fabrikam.example", "role": "LEAD"}
    unknown = to_global_id("Partnership", uuid.uuid4())

    # when
    foreign = await gql(client, ADD_MEMBER, {"input": {**variables, "partnershipId": world.nc_id}})
    missing = await gql(client, ADD_MEMBER, {"input": {**variables, "partnershipId": unknown}})

    # then
    errors = foreign["data"]["addWorkspaceMember"]["userErrors"]
    assert len(errors) == 1
    assert errors[0]["code"] == "NOT_FOUND"
    assert foreign["data"] == missing["data"]
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM workspace_member WHERE partnership_id = $1",
            world.northwind_contoso.id,
        )
        == 8
    )


async def test_northwinds_partnership_lists_never_contain_fabrikams_partnership(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given: every Northwind user (lead@ is an org admin, who also sees non-member partnerships)
    emails = [f"{local}@northwind.example" for local in ("lead", "editor", "governance", "viewer")]

    # when
    listed: dict[str, list[str]] = {}
    for email in emails:
        async with make_client() as client:
            await sign_in(client, owner, world.user_id(email))
            body = await gql(client, VIEWER_PARTNERSHIPS)
        listed[email] = [n["id"] for n in body["data"]["viewer"]["partnerships"]["nodes"]]
    async with make_client() as client:
        await sign_in(client, owner, world.user_id("lead@contoso.example"))
        contoso = await gql(client, VIEWER_PARTNERSHIPS)

    # then
    assert listed == {email: [world.nc_id] for email in emails}
    contoso_ids = {n["id"] for n in contoso["data"]["viewer"]["partnerships"]["nodes"]}
    assert contoso_ids == {world.nc_id, world.fc_id}


async def test_the_other_sides_internal_audit_events_are_not_returned(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given: an INTERNAL event of Northwind's side in Northwind ↔ Contoso
    event_id = await insert_audit_event(
        owner,
        partnership_id=world.northwind_contoso.id,
        party_id=world.parties[("nc", "northwind")].id,
        actor_user_id=world.user_id("lead@northwind.example"),
    )
    internal = to_global_id("AuditEvent", event_id)

    # when
    trails: dict[str, dict[str, Any]] = {}
    for email in ("lead@contoso.example", "viewer@northwind.example"):
        async with make_client() as client:
            await sign_in(client, owner, world.user_id(email))
            body = await gql(client, AUDIT_TRAIL, {"id": world.nc_id})
        trails[email] = body["data"]["partnership"]["auditTrail"]

    # then
    contoso, northwind = trails["lead@contoso.example"], trails["viewer@northwind.example"]
    contoso_ids = {n["id"] for n in contoso["nodes"]}
    northwind_ids = {n["id"] for n in northwind["nodes"]}
    assert internal not in contoso_ids
    assert {n["visibility"] for n in contoso["nodes"]} == {"SHARED"}
    assert northwind_ids - contoso_ids == {internal}
    assert contoso["totalCount"] == northwind["totalCount"] - 1
