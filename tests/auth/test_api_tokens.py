"""API tokens: shown once, stored hashed, bound to one partnership and its scopes, revocable."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import asyncpg
import httpx

from mutual.auth.tokens import secret_hash
from mutual.graphql.ids import to_global_id
from tests.helpers import JSON_HEADERS, World, error_codes, gql
from tests.security.factories import sign_in

ClientFactory = Callable[[], AbstractAsyncContextManager[httpx.AsyncClient]]

CREATE_TOKEN = """
mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    apiToken { id name scopes isActive }
    secret
    userErrors { field code message }
  }
}
"""

API_TOKENS = """
query($id: ID!) {
  partnership(id: $id) {
    apiTokens { id name scopes createdAt expiresAt revokedAt isActive }
  }
}
"""

REVOKE_TOKEN = """
mutation($input: RevokeApiTokenInput!) {
  revokeApiToken(input: $input) {
    apiToken { id isActive }
    userErrors { field code message }
  }
}
"""

PARTNERSHIP = "query($id: ID!) { partnership(id: $id) { id name viewerRole } }"

TRAIL_ACTIONS = """
query($id: ID!) { partnership(id: $id) { auditTrail(first: 50) { nodes { action } } } }
"""

VIEWER_PARTNERSHIPS = "{ viewer { partnerships(first: 50) { nodes { id } } } }"

ADD_MEMBER = """
mutation($input: AddWorkspaceMemberInput!) {
  addWorkspaceMember(input: $input) {
    member { id }
    userErrors { field code message }
  }
}
"""


def _bearer(secret: str) -> dict[str, str]:
    return {"authorization": f"Bearer {secret}"}


async def _create_token(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    email: str,
    scopes: list[str],
) -> dict[str, Any]:
    """A token for Northwind ↔ Contoso, created through the API by a signed-in user."""
    async with make_client() as browser:
        await sign_in(browser, owner, world.user_id(email))
        body = await gql(
            browser,
            CREATE_TOKEN,
            {"input": {"partnershipId": world.nc_id, "name": "ERP sync", "scopes": scopes}},
        )
    payload: dict[str, Any] = body["data"]["createApiToken"]
    return payload


async def test_a_lead_creates_a_token_whose_secret_is_shown_once_and_stored_hashed(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # when
    async with make_client() as browser:
        await sign_in(browser, owner, world.user_id("lead@contoso.example"))
        created = await browser.post(
            "/graphql",
            json={
                "query": CREATE_TOKEN,
                "variables": {
                    "input": {"partnershipId": world.nc_id, "name": "ERP sync", "scopes": ["READ"]}
                },
            },
            headers=JSON_HEADERS,
        )
        listed = await browser.post(
            "/graphql",
            json={"query": API_TOKENS, "variables": {"id": world.nc_id}},
            headers=JSON_HEADERS,
        )

    # then: the secret comes back once
    payload = created.json()["data"]["createApiToken"]
    assert len(payload["userErrors"]) == 0
    secret = payload["secret"]
    assert secret.startswith("mut_")
    assert len(secret) > 40
    assert payload["apiToken"]["scopes"] == ["READ"]
    assert payload["apiToken"]["isActive"] is True
    # and: never again
    tokens = listed.json()["data"]["partnership"]["apiTokens"]
    assert [t["id"] for t in tokens] == [payload["apiToken"]["id"]]
    assert secret not in listed.text
    assert secret[4:] not in listed.text
    # and: the database holds its sha256 only, nowhere the secret itself
    row = await owner.fetchrow(
        "SELECT token_hash, to_jsonb(t)::text AS everything FROM api_token t"
    )
    assert row is not None
    assert bytes(row["token_hash"]) == secret_hash(secret)
    assert bytes(row["token_hash"]) != secret.encode()
    assert secret[4:] not in row["everything"]
    trail = await owner.fetchval("SELECT string_agg(to_jsonb(a)::text, ' ') FROM audit_event a")
    assert secret[4:] not in trail


async def test_a_read_token_reads_its_partnership_and_nothing_else_its_user_may_see(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given: Contoso's lead is a member of both partnerships; the token is for one
    created = await _create_token(make_client, owner, world, "lead@contoso.example", ["READ"])
    bearer = _bearer(created["secret"])
    unknown = to_global_id("Partnership", uuid.uuid4())

    # when
    async with make_client() as system:
        own = await gql(system, PARTNERSHIP, {"id": world.nc_id}, headers=bearer)
        other = await gql(
            system, PARTNERSHIP, {"id": world.fc_id}, headers=bearer, expect_errors=True
        )
        missing = await gql(
            system, PARTNERSHIP, {"id": unknown}, headers=bearer, expect_errors=True
        )
        listed = await gql(system, VIEWER_PARTNERSHIPS, headers=bearer)

    # then
    assert own["data"]["partnership"]["id"] == world.nc_id
    assert other["data"] == {"partnership": None}
    assert len(other["errors"]) == 1
    assert error_codes(other) == ["NOT_FOUND"]
    assert other["errors"][0]["message"] == missing["errors"][0]["message"]
    assert listed["data"]["viewer"]["partnerships"]["nodes"] == [{"id": world.nc_id}]


async def test_a_token_without_the_read_scope_is_forbidden_to_read(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given
    created = await _create_token(
        make_client, owner, world, "lead@northwind.example", ["KPI_WRITE"]
    )
    assert len(created["userErrors"]) == 0

    # when
    async with make_client() as system:
        body = await gql(
            system,
            PARTNERSHIP,
            {"id": world.nc_id},
            headers=_bearer(created["secret"]),
            expect_errors=True,
        )

    # then
    assert body["data"] == {"partnership": None}
    assert len(body["errors"]) == 1
    assert error_codes(body) == ["FORBIDDEN"]


async def test_an_expired_token_is_unauthenticated(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given
    created = await _create_token(make_client, owner, world, "lead@northwind.example", ["READ"])
    bearer = _bearer(created["secret"])
    async with make_client() as system:
        before = await gql(system, PARTNERSHIP, {"id": world.nc_id}, headers=bearer)
    await owner.execute("UPDATE api_token SET expires_at = now() - interval '1 second'")

    # when
    async with make_client() as system:
        after = await gql(
            system, PARTNERSHIP, {"id": world.nc_id}, headers=bearer, expect_errors=True
        )

    # then
    assert before["data"]["partnership"]["id"] == world.nc_id
    assert after.get("data") is None
    assert len(after["errors"]) == 1
    assert error_codes(after) == ["UNAUTHENTICATED"]


async def test_a_revoked_token_is_unauthenticated(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given
    created = await _create_token(make_client, owner, world, "lead@northwind.example", ["READ"])
    bearer = _bearer(created["secret"])

    # when
    async with make_client() as browser:
        await sign_in(browser, owner, world.user_id("lead@northwind.example"))
        revoked = await gql(
            browser, REVOKE_TOKEN, {"input": {"tokenId": created["apiToken"]["id"]}}
        )
    async with make_client() as system:
        after = await gql(
            system, PARTNERSHIP, {"id": world.nc_id}, headers=bearer, expect_errors=True
        )
        unknown = await gql(
            system,
            PARTNERSHIP,
            {"id": world.nc_id},
            headers=_bearer("mut_nonsense"),
            expect_errors=True,
        )

    # then
    assert len(revoked["data"]["revokeApiToken"]["userErrors"]) == 0
    assert revoked["data"]["revokeApiToken"]["apiToken"]["isActive"] is False
    assert error_codes(after) == ["UNAUTHENTICATED"]
    assert len(after["errors"]) == 1
    assert after["errors"] == unknown["errors"]


async def test_the_other_side_cannot_revoke_a_token(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given: a token of Contoso's side
    created = await _create_token(make_client, owner, world, "lead@contoso.example", ["READ"])

    # when: Northwind's lead, a LEAD of the same partnership, tries to revoke it
    async with make_client() as browser:
        await sign_in(browser, owner, world.user_id("lead@northwind.example"))
        refused = await gql(
            browser, REVOKE_TOKEN, {"input": {"tokenId": created["apiToken"]["id"]}}
        )
    async with make_client() as system:
        still = await gql(
            system, PARTNERSHIP, {"id": world.nc_id}, headers=_bearer(created["secret"])
        )

    # then
    errors = refused["data"]["revokeApiToken"]["userErrors"]
    assert len(errors) == 1
    assert errors[0]["code"] == "NOT_FOUND"
    assert refused["data"]["revokeApiToken"]["apiToken"] is None
    assert still["data"]["partnership"]["id"] == world.nc_id


async def test_a_token_cannot_manage_members_or_mint_tokens(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given: a token with every scope, made by a LEAD who is also an org admin
    created = await _create_token(
        make_client, owner, world, "lead@northwind.example", ["READ", "KPI_WRITE", "REPORTS_READ"]
    )
    bearer = _bearer(created["secret"])
    members_before = await owner.fetchval("SELECT count(*) FROM workspace_member")

    # when
    async with make_client() as system:
        add = await gql(
            system,
            ADD_MEMBER,
            {
                "input": {
                    "partnershipId": world.nc_id,
                    "email": "lead@northwind.example",
                    "role": "VIEWER",
                }
            },
            headers=bearer,
        )
        mint = await gql(
            system,
            CREATE_TOKEN,
            {"input": {"partnershipId": world.nc_id, "name": "child", "scopes": ["READ"]}},
            headers=bearer,
        )

    # then
    add_errors = add["data"]["addWorkspaceMember"]["userErrors"]
    assert len(add_errors) == 1
    assert add_errors[0]["code"] == "FORBIDDEN"
    mint_errors = mint["data"]["createApiToken"]["userErrors"]
    assert len(mint_errors) == 1
    assert mint_errors[0]["code"] == "FORBIDDEN"
    assert mint["data"]["createApiToken"]["secret"] is None
    assert await owner.fetchval("SELECT count(*) FROM workspace_member") == members_before
    assert await owner.fetchval("SELECT count(*) FROM api_token") == 1


async def test_a_viewer_cannot_create_a_token(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # when
    created = await _create_token(make_client, owner, world, "viewer@contoso.example", ["READ"])

    # then
    assert len(created["userErrors"]) == 1
    assert created["userErrors"][0]["code"] == "FORBIDDEN"
    assert created["secret"] is None
    assert created["apiToken"] is None
    assert await owner.fetchval("SELECT count(*) FROM api_token") == 0


async def test_token_audit_events_stay_with_their_side(
    make_client: ClientFactory, world: World, owner: asyncpg.Connection
) -> None:
    # given: Contoso's lead creates a token
    created = await _create_token(make_client, owner, world, "lead@contoso.example", ["READ"])
    assert len(created["userErrors"]) == 0

    # when
    actions: dict[str, list[str]] = {}
    for email in ("lead@contoso.example", "lead@northwind.example"):
        async with make_client() as browser:
            await sign_in(browser, owner, world.user_id(email))
            body = await gql(browser, TRAIL_ACTIONS, {"id": world.nc_id})
        nodes = body["data"]["partnership"]["auditTrail"]["nodes"]
        actions[email] = [n["action"] for n in nodes]

    # then: managing tokens is a side's internal matter
    assert "api_token.created" in actions["lead@contoso.example"]
    assert "api_token.created" not in actions["lead@northwind.example"]
