"""The /graphql transports on the real server: GET for queries, and WebSocket with the
graphql-transport-ws protocol (queries for now; subscriptions come with their domains)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidStatus
from websockets.typing import Origin, Subprotocol

from tests.conftest import LiveServer
from tests.helpers import JSON_HEADERS, World

PROTOCOL = Subprotocol("graphql-transport-ws")
VIEWER_EMAIL = "{ viewer { user { email } } }"
VIEWER_ORGANIZATION = "{ viewer { organization { name } } }"
PARTIES = "{ viewer { partnerships(first: 5) { nodes { name parties { label } } } } }"


async def _session_cookie(live_server: LiveServer, email: str) -> str:
    async with httpx.AsyncClient(base_url=live_server.url) as client:
        response = await client.post(
            "/auth/login",
            json={"email": email, "password": "mutual-demo"},
            headers=JSON_HEADERS,
        )
        assert response.status_code == 200, response.text
        return f"mutual_session={client.cookies['mutual_session']}"


@asynccontextmanager
async def _socket(
    live_server: LiveServer, *, cookie: str | None, origin: str | None = None
) -> AsyncIterator[ClientConnection]:
    url = live_server.url.replace("http://", "ws://") + "/graphql"
    async with connect(
        url,
        subprotocols=[PROTOCOL],
        additional_headers={"Cookie": cookie} if cookie else {},
        origin=Origin(origin or live_server.url),
        open_timeout=10,
    ) as socket:
        yield socket


async def _receive(socket: ClientConnection) -> dict[str, Any]:
    async with asyncio.timeout(10):
        message: dict[str, Any] = json.loads(await socket.recv())
    return message


async def _acknowledged(socket: ClientConnection) -> None:
    await socket.send(json.dumps({"type": "connection_init"}))
    assert await _receive(socket) == {"type": "connection_ack"}


async def _subscribe(socket: ClientConnection, operation_id: str, query: str) -> None:
    message = {"id": operation_id, "type": "subscribe", "payload": {"query": query}}
    await socket.send(json.dumps(message))


async def test_a_query_over_get_works_with_a_session_cookie(
    live_server: LiveServer, world: World
) -> None:
    cookie = await _session_cookie(live_server, "lead@northwind.example")

    async with httpx.AsyncClient(base_url=live_server.url) as client:
        response = await client.get(
            "/graphql",
            params={"query": "{ viewer { partnerships(first: 20) { totalCount } } }"},
            headers={"Cookie": cookie},
        )

    assert response.status_code == 200
    assert response.json() == {"data": {"viewer": {"partnerships": {"totalCount": 1}}}}


async def test_the_websocket_answers_a_query_with_next_then_complete(
    live_server: LiveServer, world: World
) -> None:
    cookie = await _session_cookie(live_server, "lead@northwind.example")

    async with _socket(live_server, cookie=cookie) as socket:
        assert socket.subprotocol == PROTOCOL
        await _acknowledged(socket)
        await _subscribe(socket, "1", VIEWER_EMAIL)
        answer = await _receive(socket)
        done = await _receive(socket)

    assert answer == {
        "id": "1",
        "type": "next",
        "payload": {"data": {"viewer": {"user": {"email": "lead@northwind.example"}}}},
    }
    assert done == {"id": "1", "type": "complete"}


async def test_each_websocket_operation_has_its_own_transaction(
    live_server: LiveServer, world: World
) -> None:
    # given a socket whose first operation used data loaders
    cookie = await _session_cookie(live_server, "lead@contoso.example")
    async with _socket(live_server, cookie=cookie) as socket:
        await _acknowledged(socket)
        await _subscribe(socket, "1", VIEWER_ORGANIZATION)
        first = await _receive(socket)
        assert await _receive(socket) == {"id": "1", "type": "complete"}

        # when a later operation loads more, and two more run at the same time
        await _subscribe(socket, "2", PARTIES)
        later = await _receive(socket)
        assert await _receive(socket) == {"id": "2", "type": "complete"}
        await _subscribe(socket, "3", PARTIES)
        await _subscribe(socket, "4", VIEWER_EMAIL)
        concurrent = [await _receive(socket) for _ in range(4)]

    # then each answer is whole: nothing read through another operation's closed transaction
    assert first["payload"] == {"data": {"viewer": {"organization": {"name": "Contoso Retail"}}}}
    partnerships = later["payload"]["data"]["viewer"]["partnerships"]["nodes"]
    assert len(partnerships) == 2
    assert all(len(p["parties"]) == 2 for p in partnerships), partnerships
    answers = {m["id"]: m["payload"] for m in concurrent if m["type"] == "next"}
    assert answers == {
        "3": later["payload"],
        "4": {"data": {"viewer": {"user": {"email": "lead@contoso.example"}}}},
    }


async def test_a_websocket_without_a_session_is_unauthenticated(
    live_server: LiveServer, world: World
) -> None:
    async with _socket(live_server, cookie=None) as socket:
        await _acknowledged(socket)
        await _subscribe(socket, "1", VIEWER_EMAIL)
        answer = await _receive(socket)

    assert answer["type"] == "next"
    assert answer["payload"]["data"] is None
    codes = [e["extensions"]["code"] for e in answer["payload"]["errors"]]
    assert codes == ["UNAUTHENTICATED"]


async def test_a_websocket_from_a_foreign_origin_is_refused(
    live_server: LiveServer, world: World
) -> None:
    cookie = await _session_cookie(live_server, "lead@northwind.example")

    with pytest.raises(InvalidStatus) as refused:
        async with _socket(live_server, cookie=cookie, origin="https://evil.example"):
            pass

    assert refused.value.response.status_code == 403
