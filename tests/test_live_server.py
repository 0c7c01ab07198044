"""The real server process: health, readiness, and a signed-in GraphQL call over HTTP."""

from __future__ import annotations

import httpx

from tests.conftest import LiveServer
from tests.helpers import JSON_HEADERS, World


async def test_live_server_serves_health_and_a_signed_in_query(
    live_server: LiveServer, world: World
) -> None:
    async with httpx.AsyncClient(base_url=live_server.url) as client:
        assert (await client.get("/healthz")).text == "ok"
        assert (await client.get("/readyz")).status_code == 200
        login = await client.post(
            "/auth/login",
            json={"email": "lead@northwind.example", "password": "mutual-demo"},
            headers=JSON_HEADERS,
        )
        assert login.status_code == 200
        response = await client.post(
            "/graphql",
            json={"query": "{ viewer { partnerships(first: 20) { totalCount } } }"},
            headers=JSON_HEADERS,
        )

    assert response.json() == {"data": {"viewer": {"partnerships": {"totalCount": 1}}}}
