"""SQL statements per request: fixed for the main queries, whatever the number of rows.

`counting()` sees the statements of the in-process app because httpx's ASGITransport runs it in
the test's own task (and context).
"""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from mutual.db import counting
from tests.graphql.conftest import NcObjects, SignIn, add_user
from tests.helpers import gql

VIEWER_PARTNERSHIPS = "{ viewer { partnerships(first: 20) { totalCount } } }"

MEMBERS = """
query($id: ID!) {
  partnership(id: $id) {
    members(first: 100) {
      totalCount
      nodes { id role user { email displayName } party { label isOwn organization { name } } }
    }
  }
}
"""

AUDIT_TRAIL = """
query($id: ID!) {
  partnership(id: $id) {
    auditTrail(first: 100) {
      totalCount
      nodes { seq action actor { email organization { name } } actorParty { label } }
    }
  }
}
"""

ADD_MEMBER = """
mutation($input: AddWorkspaceMemberInput!) {
  addWorkspaceMember(input: $input) { member { id } userErrors { code message } }
}
"""

CHANGE_ROLE = """
mutation($input: ChangeWorkspaceMemberRoleInput!) {
  changeWorkspaceMemberRole(input: $input) { member { id } userErrors { code message } }
}
"""


async def _statements(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> tuple[list[str], dict[str, Any]]:
    async with counting() as counter:
        body = await gql(client, query, variables)
    return counter.statements, body


async def _grow(
    lead: httpx.AsyncClient, owner: asyncpg.Connection, nc: NcObjects, *, members: int
) -> None:
    """More members and more audit events, through the API (each add and change is audited)."""
    for i in range(members):
        email = f"grown{i:02}@contoso.example"
        await add_user(owner, email=email, org_slug="contoso")
        added = await gql(
            lead,
            ADD_MEMBER,
            {"input": {"partnershipId": nc.partnership, "email": email, "role": "VIEWER"}},
        )
        payload = added["data"]["addWorkspaceMember"]
        assert payload["userErrors"] == []
        changed = await gql(
            lead, CHANGE_ROLE, {"input": {"memberId": payload["member"]["id"], "role": "EDITOR"}}
        )
        assert changed["data"]["changeWorkspaceMemberRole"]["userErrors"] == []


async def test_the_counter_sees_the_apps_statements(sign_in: SignIn, nc: NcObjects) -> None:
    lead = await sign_in("lead@contoso.example")

    statements, _ = await _statements(lead, VIEWER_PARTNERSHIPS)
    async with counting() as outside:
        pass

    assert any("set_config('mutual.user_id'" in s for s in statements)
    assert outside.statements == []


async def test_viewer_partnerships_takes_two_statements(sign_in: SignIn, nc: NcObjects) -> None:
    lead = await sign_in("lead@contoso.example")

    statements, body = await _statements(lead, VIEWER_PARTNERSHIPS)

    assert body == {"data": {"viewer": {"partnerships": {"totalCount": 2}}}}
    # identity and authentication in one; the page with its total in the other
    assert len(statements) == 2, statements
    assert "set_config('mutual.user_id'" in statements[0]
    assert "count(*) OVER ()" in statements[1]


async def test_the_members_page_does_not_grow_with_the_members(
    sign_in: SignIn, nc: NcObjects, owner: asyncpg.Connection
) -> None:
    lead = await sign_in("lead@contoso.example")
    small, small_body = await _statements(lead, MEMBERS, {"id": nc.partnership})

    await _grow(lead, owner, nc, members=12)
    large, large_body = await _statements(lead, MEMBERS, {"id": nc.partnership})

    assert small_body["data"]["partnership"]["members"]["totalCount"] == 8
    assert len(large_body["data"]["partnership"]["members"]["nodes"]) == 20
    # identity, the workspace, the page, users, parties, organizations
    assert len(small) == len(large) == 6, large


async def test_the_audit_trail_does_not_grow_with_the_events(
    sign_in: SignIn, nc: NcObjects, owner: asyncpg.Connection
) -> None:
    lead = await sign_in("lead@contoso.example")
    small, small_body = await _statements(lead, AUDIT_TRAIL, {"id": nc.partnership})

    await _grow(lead, owner, nc, members=6)
    large, large_body = await _statements(lead, AUDIT_TRAIL, {"id": nc.partnership})

    small_total = small_body["data"]["partnership"]["auditTrail"]["totalCount"]
    large_total = large_body["data"]["partnership"]["auditTrail"]["totalCount"]
    assert large_total == small_total + 12
    nodes = large_body["data"]["partnership"]["auditTrail"]["nodes"]
    # both leads act in the trail; their users come in one batched statement
    actors = {n["actor"]["email"] for n in nodes}
    assert actors == {"lead@contoso.example", "lead@northwind.example"}
    # identity, the workspace (with both parties), the page, actors, organizations
    assert len(small) == len(large) == 5, large
