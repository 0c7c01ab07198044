"""Members: a side's LEAD manages its own side only; VIEWERs write nothing."""

from __future__ import annotations

import httpx

from tests.helpers import World, error_codes, gql, login

MEMBERS = """
query($id: ID!) {
  partnership(id: $id) {
    members(first: 50) { totalCount nodes { id role user { email } party { label isOwn } } }
  }
}
"""

ADD_MEMBER = """
mutation($input: AddWorkspaceMemberInput!) {
  addWorkspaceMember(input: $input) {
    member { role user { email } party { isOwn } }
    userErrors { field code message }
  }
}
"""

REMOVE_MEMBER = """
mutation($input: RemoveWorkspaceMemberInput!) {
  removeWorkspaceMember(input: $input) { removedMemberId userErrors { field code message } }
}
"""


async def _member_emails(client: httpx.AsyncClient, world: World) -> set[str]:
    body = await gql(client, MEMBERS, {"id": world.nc_id})
    return {n["user"]["email"] for n in body["data"]["partnership"]["members"]["nodes"]}


async def test_lead_sees_both_sides_members(client: httpx.AsyncClient, world: World) -> None:
    await login(client, "lead@contoso.example")

    emails = await _member_emails(client, world)

    assert "lead@northwind.example" in emails
    assert "viewer@contoso.example" in emails
    assert len(emails) == 8


async def test_viewer_cannot_add_a_member_and_nothing_changes(
    client: httpx.AsyncClient, world: World
) -> None:
    await login(client, "viewer@contoso.example")
    before = await _member_emails(client, world)

    body = await gql(
        client,
        ADD_MEMBER,
        {
            "input": {
                "partnershipId": world.nc_id,
                "email": "editor@contoso.example",
                "role": "LEAD",
            }
        },
    )

    errors = body["data"]["addWorkspaceMember"]["userErrors"]
    assert len(errors) == 1
    assert errors[0]["code"] == "FORBIDDEN"
    assert body["data"]["addWorkspaceMember"]["member"] is None
    assert await _member_emails(client, world) == before


async def test_lead_cannot_add_a_user_of_the_other_side(
    client: httpx.AsyncClient, world: World
) -> None:
    await login(client, "lead@contoso.example")

    body = await gql(
        client,
        ADD_MEMBER,
        {
            "input": {
                "partnershipId": world.fc_id,
                "email": "lead@northwind.example",
                "role": "VIEWER",
            }
        },
    )

    errors = body["data"]["addWorkspaceMember"]["userErrors"]
    assert [e["code"] for e in errors] == ["NOT_FOUND"]
    assert errors[0]["field"] == "email"


async def test_lead_removes_own_member_but_not_the_other_sides(
    client: httpx.AsyncClient, world: World
) -> None:
    await login(client, "lead@contoso.example")
    body = await gql(client, MEMBERS, {"id": world.nc_id})
    nodes = body["data"]["partnership"]["members"]["nodes"]
    own_viewer = next(n for n in nodes if n["user"]["email"] == "viewer@contoso.example")
    their_viewer = next(n for n in nodes if n["user"]["email"] == "viewer@northwind.example")

    theirs = await gql(client, REMOVE_MEMBER, {"input": {"memberId": their_viewer["id"]}})
    mine = await gql(client, REMOVE_MEMBER, {"input": {"memberId": own_viewer["id"]}})

    assert [e["code"] for e in theirs["data"]["removeWorkspaceMember"]["userErrors"]] == [
        "FORBIDDEN"
    ]
    assert mine["data"]["removeWorkspaceMember"]["userErrors"] == []
    emails = await _member_emails(client, world)
    assert "viewer@contoso.example" not in emails
    assert "viewer@northwind.example" in emails


async def test_unauthenticated_viewer_query_is_refused(
    client: httpx.AsyncClient, world: World
) -> None:
    body = await gql(client, "{ viewer { user { email } } }", expect_errors=True)

    assert error_codes(body) == ["UNAUTHENTICATED"]
