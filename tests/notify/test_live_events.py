"""Live events: a change committed through one server process reaches a subscriber of
another, and INTERNAL changes never reach the other side."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import websockets

from tests.conftest import LiveServer
from tests.helpers import JSON_HEADERS, World

SUBSCRIBE = """
subscription($id: ID!) {
  partnershipEvents(partnershipId: $id) {
    seq action objectType objectId subjectId visibility byOwnSide
  }
}
"""

CREATE = """
mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { code } }
}
"""


async def _session_cookie(server: LiveServer, email: str) -> str:
    async with httpx.AsyncClient(base_url=server.url) as client:
        response = await client.post(
            "/auth/login", json={"email": email, "password": "mutual-demo"}, headers=JSON_HEADERS
        )
        assert response.status_code == 200
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


async def _mutate(server: LiveServer, email: str, query: str, variables: dict[str, Any]) -> Any:
    async with httpx.AsyncClient(base_url=server.url) as client:
        await client.post(
            "/auth/login", json={"email": email, "password": "mutual-demo"}, headers=JSON_HEADERS
        )
        response = await client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=JSON_HEADERS
        )
        return response.json()


class Subscriber:
    def __init__(self, server: LiveServer, cookie: str, partnership_id: str) -> None:
        self.server, self.cookie, self.partnership_id = server, cookie, partnership_id

    async def __aenter__(self) -> Subscriber:
        ws_url = self.server.url.replace("http://", "ws://") + "/graphql"
        self.ws = await websockets.connect(
            ws_url,
            subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
            additional_headers={"Cookie": self.cookie, "Origin": self.server.url},
        )
        await self.ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await self.ws.recv())["type"] == "connection_ack"
        await self.ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIBE, "variables": {"id": self.partnership_id}},
                }
            )
        )
        # The subscription is registered once the server has answered a ping after it.
        await self.ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await asyncio.wait_for(self.ws.recv(), 10))["type"] == "pong"
        return self

    async def next_event(self) -> dict[str, Any]:
        message = json.loads(await asyncio.wait_for(self.ws.recv(), 10))
        assert message["type"] == "next", message
        event: dict[str, Any] = message["payload"]["data"]["partnershipEvents"]
        return event

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()


async def test_a_change_through_one_process_reaches_a_subscriber_of_another(
    live_server: LiveServer, second_live_server: LiveServer, world: World
) -> None:
    cookie = await _session_cookie(live_server, "viewer@contoso.example")
    async with Subscriber(live_server, cookie, world.nc_id) as contoso:
        body = await _mutate(
            second_live_server,
            "editor@northwind.example",
            CREATE,
            {"input": {"partnershipId": world.nc_id, "title": "Joint RCA", "phase": "STABILIZE"}},
        )

        event = await contoso.next_event()

    milestone_id = body["data"]["createMilestone"]["milestone"]["id"]
    assert event["action"] == "milestone.created"
    assert event["objectType"] == "Milestone"
    assert event["objectId"] == milestone_id
    assert event["byOwnSide"] is False


async def test_internal_changes_never_reach_the_other_side(
    live_server: LiveServer, second_live_server: LiveServer, world: World
) -> None:
    contoso_cookie = await _session_cookie(live_server, "viewer@contoso.example")
    northwind_cookie = await _session_cookie(live_server, "viewer@northwind.example")
    async with (
        Subscriber(live_server, contoso_cookie, world.nc_id) as contoso,
        Subscriber(live_server, northwind_cookie, world.nc_id) as northwind,
    ):
        for title, visibility in (("Price floor", "INTERNAL"), ("Weekly call", "SHARED")):
            await _mutate(
                second_live_server,
                "editor@northwind.example",
                CREATE,
                {
                    "input": {
                        "partnershipId": world.nc_id,
                        "title": title,
                        "phase": "REBUILD",
                        "visibility": visibility,
                    }
                },
            )

        theirs = await contoso.next_event()
        ours = [await northwind.next_event(), await northwind.next_event()]

    assert theirs["visibility"] == "SHARED"
    assert [e["visibility"] for e in ours] == ["INTERNAL", "SHARED"]
    # the same change, numbered in each side's view: Contoso's counts no INTERNAL event
    assert ours[1]["objectId"] == theirs["objectId"]
    assert theirs["seq"] == ours[1]["seq"] - 1


async def test_an_outsider_cannot_subscribe(live_server: LiveServer, world: World) -> None:
    cookie = await _session_cookie(live_server, "admin@fabrikam.example")
    ws_url = live_server.url.replace("http://", "ws://") + "/graphql"
    async with websockets.connect(
        ws_url,
        subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
        additional_headers={"Cookie": cookie, "Origin": live_server.url},
    ) as ws:
        await ws.send(json.dumps({"type": "connection_init"}))
        await ws.recv()
        await ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": SUBSCRIBE, "variables": {"id": world.nc_id}},
                }
            )
        )
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))

    assert message["type"] == "next"
    assert message["payload"]["data"] is None
    assert [e["extensions"]["code"] for e in message["payload"]["errors"]] == ["NOT_FOUND"]
