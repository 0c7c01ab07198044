"""node(id): every Node type resolves for those who may see it, NOT_FOUND for everyone else."""

from __future__ import annotations

from typing import Any

import httpx

from tests.helpers import World, error_codes, gql, login

IDS = """
query($id: ID!) {
  viewer { user { id organization { id } } pendingInvitations { id } }
  partnership(id: $id) {
    id
    ownParty { id }
    members(first: 1) { nodes { id } }
    auditTrail(first: 1) { nodes { id } }
    apiTokens { id }
  }
}
"""

CREATE_TOKEN = """
mutation($id: ID!) {
  createApiToken(input: {partnershipId: $id, name: "erp", scopes: [READ]}) {
    apiToken { id } userErrors { code }
  }
}
"""

INVITE = """
mutation {
  inviteOrganization(input: {inviteeOrganizationSlug: "northwind", name: "Pilot",
                             ownLabel: "Logistics", inviteeLabel: "Supplier"}) {
    invitation { id } userErrors { code }
  }
}
"""

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


async def _node(client: httpx.AsyncClient, global_id: str) -> dict[str, Any]:
    return await gql(client, NODE, {"id": global_id}, expect_errors=True)


async def test_every_node_type_resolves_for_its_side_and_is_hidden_from_outsiders(
    make_client: Any, world: World
) -> None:
    async with make_client() as lead, make_client() as fabrikam:
        await login(lead, "lead@contoso.example")
        await login(fabrikam, "admin@fabrikam.example")
        await gql(lead, CREATE_TOKEN, {"id": world.nc_id})
        invitation = (await gql(fabrikam, INVITE))["data"]["inviteOrganization"]["invitation"]
        data = (await gql(lead, IDS, {"id": world.nc_id}))["data"]
        p = data["partnership"]
        ids = {
            "User": data["viewer"]["user"]["id"],
            "Organization": data["viewer"]["user"]["organization"]["id"],
            "Partnership": p["id"],
            "Party": p["ownParty"]["id"],
            "WorkspaceMember": p["members"]["nodes"][0]["id"],
            "AuditEvent": p["auditTrail"]["nodes"][0]["id"],
            "ApiToken": p["apiTokens"][0]["id"],
        }

        for type_name, global_id in ids.items():
            own = await _node(lead, global_id)
            foreign = await _node(fabrikam, global_id)

            assert own["data"]["node"] == {"__typename": type_name, "id": global_id}
            assert foreign["data"]["node"] is None, type_name
            assert error_codes(foreign) == ["NOT_FOUND"], type_name

        sent = await _node(fabrikam, invitation["id"])
        unrelated = await _node(lead, invitation["id"])
        assert sent["data"]["node"]["__typename"] == "Invitation"
        assert error_codes(unrelated) == ["NOT_FOUND"]
