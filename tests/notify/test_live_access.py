"""A live subscription lasts as long as its caller's access, over a real WebSocket against the
real server: revoking or expiring its API token, signing out, or removing the member from the
partnership ends it with a coded error and `complete`, and no later event reaches it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import asyncpg
import httpx
import websockets
from websockets.asyncio.client import ClientConnection

from mutual.graphql.ids import to_global_id
from tests.conftest import LiveServer
from tests.helpers import JSON_HEADERS, World
from tests.notify.test_live_events import CREATE, SUBSCRIBE

CREATE_TOKEN = """
mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { apiToken { id } secret userErrors { code } }
}
"""

REVOKE_TOKEN = """
mutation($input: RevokeApiTokenInput!) {
  revokeApiToken(input: $input) { apiToken { isActive } userErrors { code } }
}
"""

REMOVE_MEMBER = """
mutation($input: RemoveWorkspaceMemberInput!) {
  removeWorkspaceMember(input: $input) { removedMemberId userErrors { code } }
}
"""


@asynccontextmanager
async def signed_in(server: LiveServer, email: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        response = await client.post(
            "/auth/login", json={"email": email, "password": "mutual-demo"}, headers=JSON_HEADERS
        )
        assert response.status_code == 200, response.text
        yield client


def cookie_header(client: httpx.AsyncClient) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())}


async def graphql(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> Any:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=JSON_HEADERS
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


async def create_milestone(server: LiveServer, world: World, title: str) -> None:
    async with signed_in(server, "editor@northwind.example") as editor:
        data = await graphql(
            editor,
            CREATE,
            {"input": {"partnershipId": world.nc_id, "title": title, "phase": "REBUILD"}},
        )
    assert data["createMilestone"]["userErrors"] == []


@asynccontextmanager
async def subscription(
    server: LiveServer, headers: dict[str, str], partnership_id: str, *, query: str = SUBSCRIBE
) -> AsyncIterator[ClientConnection]:
    """partnershipEvents over graphql-transport-ws, registered on the server when yielded."""
    async with websockets.connect(
        server.url.replace("http://", "ws://") + "/graphql",
        subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
        additional_headers={**headers, "Origin": server.url},
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": query, "variables": {"id": partnership_id}},
                }
            )
        )
        # The server answers a ping after it has registered the subscription.
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "pong"
        yield ws


async def receive(ws: ClientConnection, within: float = 10) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), within))
    return message


async def assert_live(ws: ClientConnection, server: LiveServer, world: World) -> None:
    """The subscription delivers before its access ends (so the rest of a test means something)."""
    await create_milestone(server, world, "Before")
    message = await receive(ws)
    assert message["type"] == "next", message
    assert message["payload"]["data"]["partnershipEvents"]["action"] == "milestone.created"


async def assert_ended(ws: ClientConnection, code: str, *, within: float = 10) -> None:
    """The next messages are the error that ends the subscription, then `complete`; nothing
    after, not even the event of a change made now."""
    ended = await receive(ws, within)
    assert ended["type"] == "next", ended
    assert ended["payload"]["data"] is None
    assert [e["extensions"]["code"] for e in ended["payload"]["errors"]] == [code]
    assert (await receive(ws))["type"] == "complete"


async def assert_silent(ws: ClientConnection, seconds: float = 1.5) -> None:
    try:
        message = await asyncio.wait_for(ws.recv(), seconds)
    except TimeoutError:
        return
    raise AssertionError(f"expected no message, got {message!r}")


async def create_token(server: LiveServer, world: World) -> tuple[str, str]:
    """A READ token of Northwind's lead for Northwind ↔ Contoso: (its global id, its secret)."""
    async with signed_in(server, "lead@northwind.example") as lead:
        data = await graphql(
            lead,
            CREATE_TOKEN,
            {"input": {"partnershipId": world.nc_id, "name": "live feed", "scopes": ["READ"]}},
        )
    created = data["createApiToken"]
    assert created["userErrors"] == []
    return created["apiToken"]["id"], created["secret"]


async def test_revoking_the_api_token_ends_its_subscription(
    live_server: LiveServer, world: World
) -> None:
    token_id, secret = await create_token(live_server, world)
    bearer = {"Authorization": f"Bearer {secret}"}
    async with subscription(live_server, bearer, world.nc_id) as ws:
        await assert_live(ws, live_server, world)

        # when: the lead revokes the token, then a change is made
        async with signed_in(live_server, "lead@northwind.example") as lead:
            data = await graphql(lead, REVOKE_TOKEN, {"input": {"tokenId": token_id}})
        assert data["revokeApiToken"]["apiToken"]["isActive"] is False
        await create_milestone(live_server, world, "After the revocation")

        # then
        await assert_ended(ws, "UNAUTHENTICATED")
        await assert_silent(ws)


async def test_an_expiring_api_token_ends_its_subscription_when_it_expires(
    live_server: LiveServer, world: World, owner: asyncpg.Connection
) -> None:
    _token_id, secret = await create_token(live_server, world)
    bearer = {"Authorization": f"Bearer {secret}"}
    async with subscription(live_server, bearer, world.nc_id) as ws:
        await assert_live(ws, live_server, world)

        # when: the token is made to expire in two seconds (nothing else happens to it)
        await owner.execute(
            "UPDATE api_token SET expires_at = now() + $1::interval WHERE name = 'live feed'",
            timedelta(seconds=2),
        )

        # then: it ends by itself once expired
        await assert_ended(ws, "UNAUTHENTICATED", within=15)
        await create_milestone(live_server, world, "After the expiry")
        await assert_silent(ws)


async def test_signing_out_ends_the_subscriptions_of_the_session(
    live_server: LiveServer, world: World
) -> None:
    async with (
        signed_in(live_server, "viewer@contoso.example") as browser,
        subscription(live_server, cookie_header(browser), world.nc_id) as ws,
    ):
        await assert_live(ws, live_server, world)

        # when: the browser signs out, then a change is made
        logout = await browser.post("/auth/logout", headers=JSON_HEADERS)
        assert logout.status_code == 200
        await create_milestone(live_server, world, "After the sign-out")

        # then
        await assert_ended(ws, "UNAUTHENTICATED")
        await assert_silent(ws)


async def test_an_expiring_session_ends_its_subscriptions_when_it_expires(
    live_server: LiveServer, world: World, owner: asyncpg.Connection
) -> None:
    async with (
        signed_in(live_server, "viewer@contoso.example") as browser,
        subscription(live_server, cookie_header(browser), world.nc_id) as ws,
    ):
        await assert_live(ws, live_server, world)

        # when: the session is made to end in two seconds
        await owner.execute(
            "UPDATE user_session SET expires_at = now() + $1::interval WHERE user_id = $2",
            timedelta(seconds=2),
            world.user_id("viewer@contoso.example"),
        )

        # then
        await assert_ended(ws, "UNAUTHENTICATED", within=15)


async def test_removing_the_member_ends_their_subscription(
    live_server: LiveServer, world: World, owner: asyncpg.Connection
) -> None:
    member_id = await owner.fetchval(
        "SELECT id FROM workspace_member WHERE partnership_id = $1 AND user_id = $2",
        world.northwind_contoso.id,
        world.user_id("viewer@contoso.example"),
    )
    async with (
        signed_in(live_server, "viewer@contoso.example") as viewer,
        subscription(live_server, cookie_header(viewer), world.nc_id) as ws,
        # A colleague who stays: their subscription goes on.
        signed_in(live_server, "editor@contoso.example") as colleague,
        subscription(live_server, cookie_header(colleague), world.nc_id) as stays,
    ):
        await assert_live(ws, live_server, world)
        assert (await receive(stays))["type"] == "next"

        # when: Contoso's lead removes the viewer from the partnership, then a change is made
        async with signed_in(live_server, "lead@contoso.example") as lead:
            data = await graphql(
                lead,
                REMOVE_MEMBER,
                {"input": {"memberId": to_global_id("WorkspaceMember", member_id)}},
            )
        assert data["removeWorkspaceMember"]["userErrors"] == []
        await create_milestone(live_server, world, "After the removal")

        # then: the removed member's subscription ends; the colleague hears of both changes
        await assert_ended(ws, "NOT_FOUND")
        await assert_silent(ws)
        heard = [(await receive(stays))["payload"]["data"]["partnershipEvents"] for _ in "ab"]
        assert [e["action"] for e in heard] == ["member.removed", "milestone.created"]
