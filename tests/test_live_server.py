"""The real server process: health, readiness, a signed-in GraphQL call over HTTP, and what
`mutual serve` prints."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy.engine import URL

from mutual.devserver import serve_in_subprocess
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


def test_serve_prints_the_port_it_listens_on(owner_url: URL, tmp_path: Path) -> None:
    # given a public URL on another port (a proxy in front, or the default 8000)
    log_path = tmp_path / "serve.log"
    env = {"MUTUAL_ENV": "test", "MUTUAL_PUBLIC_URL": "http://127.0.0.1:8000"}

    # when `mutual serve --port N` has started
    with serve_in_subprocess(owner_url, env=env, log_path=log_path) as url:
        port = urlsplit(url).port
        assert port is not None and port != 8000
        printed = log_path.read_text()

    # then its line names the port it listens on, and the public URL
    (line,) = [text for text in printed.splitlines() if text.startswith("Mutual portal on")]
    assert line.startswith(f"Mutual portal on http://127.0.0.1:{port} ")
    assert f"(GraphQL at http://127.0.0.1:{port}/graphql)" in line
    assert line.endswith("; public URL http://127.0.0.1:8000")
