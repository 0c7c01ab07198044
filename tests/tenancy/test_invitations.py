"""Invitations: an org admin invites, the invited org's admin accepts or declines."""

from __future__ import annotations

from typing import Any

from tests.helpers import World, gql, login

INVITE = """
mutation($slug: String!) {
  inviteOrganization(input: {inviteeOrganizationSlug: $slug, name: "Fabrikam x Northwind",
                             ownLabel: "Logistics", inviteeLabel: "Supplier",
                             message: "Shall we?"}) {
    invitation { id status direction partnershipName inviteeOrganization { name } }
    userErrors { field code message }
  }
}
"""

PENDING = """
{ viewer { pendingInvitations { id status direction partnershipName message
                                inviterOrganization { name } } } }
"""

ACCEPT = """
mutation($id: ID!) {
  acceptInvitation(input: {invitationId: $id}) {
    invitation { status }
    partnership { name status viewerRole parties { label organization { name } } }
    userErrors { field code message }
  }
}
"""

DECLINE = """
mutation($id: ID!) {
  declineInvitation(input: {invitationId: $id}) {
    invitation { status } userErrors { field code message }
  }
}
"""

PARTNERSHIPS = "{ viewer { partnerships(first: 20) { nodes { name status } } } }"


async def _invite(client: Any, slug: str = "northwind") -> dict[str, Any]:
    body = await gql(client, INVITE, {"slug": slug})
    payload: dict[str, Any] = body["data"]["inviteOrganization"]
    return payload


async def test_invited_admin_sees_and_accepts_and_both_sides_enter(
    make_client: Any, world: World
) -> None:
    async with make_client() as fabrikam, make_client() as northwind:
        await login(fabrikam, "admin@fabrikam.example")
        await login(northwind, "lead@northwind.example")

        sent = await _invite(fabrikam)
        pending = (await gql(northwind, PENDING))["data"]["viewer"]["pendingInvitations"]
        accepted = (await gql(northwind, ACCEPT, {"id": sent["invitation"]["id"]}))["data"]

        assert sent["userErrors"] == []
        assert sent["invitation"]["direction"] == "SENT"
        assert sent["invitation"]["inviteeOrganization"]["name"] == "Northwind Components"
        assert len(pending) == 1
        assert pending[0]["direction"] == "RECEIVED"
        assert pending[0]["inviterOrganization"]["name"] == "Fabrikam"
        assert pending[0]["message"] == "Shall we?"
        assert accepted["acceptInvitation"]["userErrors"] == []
        assert accepted["acceptInvitation"]["invitation"]["status"] == "ACCEPTED"
        partnership = accepted["acceptInvitation"]["partnership"]
        assert partnership["status"] == "ACTIVE"
        assert partnership["viewerRole"] == "LEAD"
        assert {p["label"] for p in partnership["parties"]} == {"Logistics", "Supplier"}
        for client in (fabrikam, northwind):
            names = (await gql(client, PARTNERSHIPS))["data"]["viewer"]["partnerships"]["nodes"]
            assert {"name": "Fabrikam x Northwind", "status": "ACTIVE"} in names


async def test_pending_partnership_is_not_a_workspace_until_accepted(
    make_client: Any, world: World
) -> None:
    async with make_client() as fabrikam, make_client() as northwind:
        await login(fabrikam, "admin@fabrikam.example")
        await login(northwind, "lead@northwind.example")
        await _invite(fabrikam)

        names = (await gql(northwind, PARTNERSHIPS))["data"]["viewer"]["partnerships"]["nodes"]

        assert "Fabrikam x Northwind" not in {n["name"] for n in names}


async def test_decline_ends_the_partnership_and_accepting_later_is_refused(
    make_client: Any, world: World
) -> None:
    async with make_client() as fabrikam, make_client() as northwind:
        await login(fabrikam, "admin@fabrikam.example")
        await login(northwind, "lead@northwind.example")
        invitation_id = (await _invite(fabrikam))["invitation"]["id"]

        declined = (await gql(northwind, DECLINE, {"id": invitation_id}))["data"]
        late = (await gql(northwind, ACCEPT, {"id": invitation_id}))["data"]["acceptInvitation"]

        assert declined["declineInvitation"]["invitation"]["status"] == "DECLINED"
        assert len(late["userErrors"]) == 1
        assert late["userErrors"][0]["code"] == "INVITATION_CLOSED"
        assert late["partnership"] is None
        names = (await gql(northwind, PARTNERSHIPS))["data"]["viewer"]["partnerships"]["nodes"]
        assert "Fabrikam x Northwind" not in {n["name"] for n in names}


async def test_only_the_invited_organization_may_answer(make_client: Any, world: World) -> None:
    async with make_client() as fabrikam, make_client() as contoso:
        await login(fabrikam, "admin@fabrikam.example")
        await login(contoso, "lead@contoso.example")
        invitation_id = (await _invite(fabrikam))["invitation"]["id"]

        own = (await gql(fabrikam, ACCEPT, {"id": invitation_id}))["data"]["acceptInvitation"]
        other = (await gql(contoso, ACCEPT, {"id": invitation_id}))["data"]["acceptInvitation"]

        assert [e["code"] for e in own["userErrors"]] == ["NOT_FOUND"]
        assert [e["code"] for e in other["userErrors"]] == ["NOT_FOUND"]


async def test_a_member_who_is_not_an_admin_cannot_invite(client: Any, world: World) -> None:
    await login(client, "editor@northwind.example")

    payload = await _invite(client, "fabrikam")

    assert payload["invitation"] is None
    assert [e["code"] for e in payload["userErrors"]] == ["FORBIDDEN"]


async def test_an_organization_cannot_invite_itself_or_an_unknown_one(
    client: Any, world: World
) -> None:
    await login(client, "admin@fabrikam.example")

    itself = await _invite(client, "fabrikam")
    unknown = await _invite(client, "nobody")
    existing = await _invite(client, "contoso")

    assert [e["code"] for e in itself["userErrors"]] == ["SELF_INVITATION"]
    assert [e["code"] for e in unknown["userErrors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in existing["userErrors"]] == ["ALREADY_PARTNERS"]
