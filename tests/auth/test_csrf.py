"""CSRF: cookie-authenticated writes must be JSON, carry X-Mutual-CSRF and come from our origin."""

from __future__ import annotations

import json
from typing import Any

import asyncpg
import httpx
import pytest

from mutual.seed import DEMO_PASSWORD
from tests.helpers import JSON_HEADERS, World, gql
from tests.security.factories import add_user, insert_api_token, sign_in

ADD_ANALYST = """
mutation($id: ID!) {
  addWorkspaceMember(input: {partnershipId: $id, email: "analyst@northwind.example", role: LEAD}) {
    member { id }
    userErrors { field code message }
  }
}
"""

PARTNERSHIP_NAME = "query($id: ID!) { partnership(id: $id) { name } }"


@pytest.fixture
async def signed_in(client: httpx.AsyncClient, world: World, owner: asyncpg.Connection) -> World:
    """Northwind's lead signed in on `client`, and a Northwind user not yet in the workspace."""
    await add_user(
        owner, organization_id=world.orgs["northwind"].id, email="analyst@northwind.example"
    )
    await sign_in(client, owner, world.user_id("lead@northwind.example"))
    return world


async def _state(owner: asyncpg.Connection) -> tuple[int, int]:
    """Workspace members and audit events: what a forged write would change."""
    members = await owner.fetchval("SELECT count(*) FROM workspace_member")
    events = await owner.fetchval("SELECT count(*) FROM audit_event")
    return members, events


def _operation(world: World) -> dict[str, Any]:
    return {"query": ADD_ANALYST, "variables": {"id": world.nc_id}}


@pytest.mark.parametrize("kind", ["form", "text", "text-charset", "multipart", "none"])
async def test_a_cookie_post_with_a_simple_content_type_is_refused(
    kind: str, client: httpx.AsyncClient, signed_in: World, owner: asyncpg.Connection
) -> None:
    # given: what an HTML form or a no-cors fetch on another site can send (header included)
    operation = _operation(signed_in)
    before = await _state(owner)
    csrf = {"x-mutual-csrf": "1"}
    requests: dict[str, dict[str, Any]] = {
        "form": {"data": {"query": ADD_ANALYST, "variables": json.dumps(operation["variables"])}},
        "text": {"content": json.dumps(operation), "headers": {"content-type": "text/plain"}},
        "text-charset": {
            "content": json.dumps(operation),
            "headers": {"content-type": "text/plain;charset=UTF-8"},
        },
        "multipart": {"files": {"operations": (None, json.dumps(operation))}},
        "none": {"content": json.dumps(operation)},
    }
    request = requests[kind]
    request["headers"] = {**csrf, **request.get("headers", {})}

    # when
    response = await client.post("/graphql", **request)

    # then
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "CSRF_REJECTED"
    assert await _state(owner) == before


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://127.0.0.1:8001", "https://127.0.0.1:8000", "null"]
)
async def test_a_cookie_json_post_from_a_foreign_origin_is_refused(
    origin: str, client: httpx.AsyncClient, signed_in: World, owner: asyncpg.Connection
) -> None:
    # given
    before = await _state(owner)

    # when
    response = await client.post(
        "/graphql",
        json=_operation(signed_in),
        headers={**JSON_HEADERS, "origin": origin},
    )

    # then
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "CSRF_REJECTED"
    assert await _state(owner) == before


async def test_a_cookie_json_post_without_the_csrf_header_is_refused(
    client: httpx.AsyncClient, signed_in: World, owner: asyncpg.Connection
) -> None:
    # given
    before = await _state(owner)

    # when
    response = await client.post(
        "/graphql",
        json=_operation(signed_in),
        headers={"content-type": "application/json", "origin": "http://127.0.0.1:8000"},
    )

    # then
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "CSRF_REJECTED"
    assert await _state(owner) == before


# Blank bearers: the token part is whitespace only (U+00A0, spaces, a tab, U+0085, U+001F).
BLANK_BEARERS = [b"Bearer \xa0", b"Bearer    ", b"bearer \t", b"Bearer \x85", b"BEARER \x1f"]


@pytest.mark.parametrize("authorization", BLANK_BEARERS, ids=repr)
async def test_a_blank_bearer_beside_the_cookie_gets_the_cookies_csrf_checks(
    authorization: bytes, client: httpx.AsyncClient, signed_in: World, owner: asyncpg.Connection
) -> None:
    # given: a forged write that carries the ambient cookie and a bearer of whitespace only
    before = await _state(owner)
    operation = _operation(signed_in)

    # when: without the CSRF header, and from a foreign origin with it
    without_header = await client.post(
        "/graphql",
        json=operation,
        headers={"content-type": "application/json", "authorization": authorization},
    )
    foreign = await client.post(
        "/graphql",
        json=operation,
        headers={**JSON_HEADERS, "origin": "https://evil.example", "authorization": authorization},
    )

    # then both are refused as the cookie's, and nothing changed
    for response in (without_header, foreign):
        assert response.status_code == 403, response.text
        assert response.json()["error"]["code"] == "CSRF_REJECTED"
    assert await _state(owner) == before


async def test_the_same_json_post_from_our_origin_with_the_header_goes_through(
    client: httpx.AsyncClient, signed_in: World, owner: asyncpg.Connection
) -> None:
    # given: the control for the refusals above
    before = await _state(owner)

    # when
    response = await client.post(
        "/graphql",
        json=_operation(signed_in),
        headers={**JSON_HEADERS, "origin": "http://127.0.0.1:8000"},
    )

    # then
    assert response.status_code == 200
    assert len(response.json()["data"]["addWorkspaceMember"]["userErrors"]) == 0
    assert await _state(owner) == (before[0] + 1, before[1] + 1)


async def test_a_mutation_over_get_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, signed_in: World, owner: asyncpg.Connection
) -> None:
    # given
    before = await _state(owner)
    params = {"query": ADD_ANALYST, "variables": json.dumps({"id": signed_in.nc_id})}

    # when
    mutation = await client.get("/graphql", params=params, headers={"x-mutual-csrf": "1"})
    query = await client.get(
        "/graphql",
        params={"query": PARTNERSHIP_NAME, "variables": json.dumps({"id": signed_in.nc_id})},
    )

    # then: GET is for queries only
    assert mutation.status_code == 400
    assert "mutations are not allowed when using GET" in mutation.text
    assert await _state(owner) == before
    assert query.status_code == 200
    assert query.json()["data"]["partnership"]["name"] == signed_in.northwind_contoso.name


async def test_a_form_login_is_refused(client: httpx.AsyncClient, world: World) -> None:
    # when: login CSRF (signing the victim in as the attacker) through a cross-site form
    response = await client.post(
        "/auth/login", data={"email": "lead@northwind.example", "password": DEMO_PASSWORD}
    )

    # then
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


async def test_a_bearer_token_request_needs_no_csrf_header(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given: an API token; it is sent explicitly, never by a browser on its own
    _token_id, secret = await insert_api_token(
        owner,
        partnership_id=world.northwind_contoso.id,
        party_id=world.parties[("nc", "northwind")].id,
        user_id=world.user_id("lead@northwind.example"),
    )

    # when
    response = await client.post(
        "/graphql",
        json={"query": PARTNERSHIP_NAME, "variables": {"id": world.nc_id}},
        headers={"authorization": f"Bearer {secret}"},
    )

    # then
    assert response.status_code == 200
    assert response.json() == {"data": {"partnership": {"name": world.northwind_contoso.name}}}


async def test_a_json_post_without_any_credential_needs_no_csrf_header(
    client: httpx.AsyncClient, world: World
) -> None:
    # when: nothing ambient to abuse, so the API answers (and asks for credentials)
    body = await gql(
        client,
        "{ viewer { user { email } } }",
        headers={"x-mutual-csrf": ""},
        expect_errors=True,
    )

    # then
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
