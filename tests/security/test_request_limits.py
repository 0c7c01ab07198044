"""Request bodies are limited (MUTUAL_MAX_BODY_BYTES, 1 MB by default): a larger one is a 413
with a coded JSON error, found out while it streams in: with or without a Content-Length, and
when the Content-Length lies, having read no more than the limit of it. And verifying an audit
chain costs what it does: the request and per-principal budgets feel each one."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from graphql import get_operation_ast, parse
from sqlalchemy.engine import URL
from starlette.applications import Starlette
from starlette.types import Message
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Origin, Subprotocol

from mutual.app import create_app
from mutual.audit.partnership import VERIFY_AUDIT_CHAIN_COST
from mutual.config import Settings
from mutual.graphql.limits import operation_cost
from mutual.schema import build_schema
from tests.conftest import LiveServer
from tests.helpers import JSON_HEADERS, World, error_codes, gql, login

MB = 1024 * 1024


def _graphql_body(size: int) -> bytes:
    """A well-formed GraphQL request of about `size` bytes."""
    return json.dumps({"query": "{ __typename }", "variables": {"pad": "x" * size}}).encode()


async def _chunks(body: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    """The body without a Content-Length (Transfer-Encoding: chunked)."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def _is_too_large(response: httpx.Response, *, graphql: bool) -> None:
    assert response.status_code == 413, response.text[:300]
    body = response.json()
    error = body["errors"][0]["extensions"] if graphql else body["error"]
    assert error["code"] == "REQUEST_TOO_LARGE"
    assert error["limit"] == MB


async def test_a_body_over_the_limit_is_a_413_on_the_live_server(
    live_server: LiveServer, world: World
) -> None:
    async with httpx.AsyncClient(base_url=live_server.url, timeout=60) as client:
        sixteen = await client.post(
            "/graphql", content=_graphql_body(16 * MB), headers=JSON_HEADERS
        )
        just_over = await client.post("/graphql", content=_graphql_body(MB), headers=JSON_HEADERS)
        chunked = await client.post(
            "/graphql", content=_chunks(_graphql_body(16 * MB)), headers=JSON_HEADERS
        )
        login = await client.post(
            "/auth/login",
            content=json.dumps({"email": "x" * (2 * MB), "password": "p"}).encode(),
            headers=JSON_HEADERS,
        )
        under = await client.post(
            "/graphql", content=_graphql_body(MB - 1024), headers=JSON_HEADERS
        )

    assert "content-length" not in chunked.request.headers
    for response in (sixteen, just_over, chunked):
        _is_too_large(response, graphql=True)
    _is_too_large(login, graphql=False)
    assert under.status_code == 200
    assert under.json() == {"data": {"__typename": "Query"}}


class Upload:
    """An ASGI request whose body comes in chunks, counting what the application took."""

    def __init__(self, body_bytes: int, chunk: int = 64 * 1024) -> None:
        self.left = body_bytes
        self.chunk = chunk
        self.read = 0
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        size = min(self.chunk, self.left)
        self.left -= size
        self.read += size
        return {"type": "http.request", "body": b"x" * size, "more_body": self.left > 0}

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        return int(next(m["status"] for m in self.sent if m["type"] == "http.response.start"))

    @property
    def body(self) -> Any:
        return json.loads(b"".join(m.get("body", b"") for m in self.sent[1:]))


def _scope(path: str, content_length: int | None) -> dict[str, Any]:
    headers = [(b"content-type", b"application/json"), (b"host", b"127.0.0.1:8000")]
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


@pytest.mark.parametrize("content_length", [10, None], ids=["lying", "missing"])
@pytest.mark.parametrize("path", ["/graphql", "/auth/login"])
async def test_a_long_body_is_refused_having_read_no_more_than_the_limit(
    app: Starlette, content_length: int | None, path: str
) -> None:
    # given a 16 MB body announced as 10 bytes, or not announced at all
    upload = Upload(16 * MB)

    # when
    await app(_scope(path, content_length), upload.receive, upload.send)

    # then: a 413, after reading the limit and one chunk at most
    assert upload.status == 413
    assert upload.read <= MB + upload.chunk
    body = upload.body
    code = body["errors"][0]["extensions"]["code"] if path == "/graphql" else body["error"]["code"]
    assert code == "REQUEST_TOO_LARGE"


async def test_the_limit_is_the_setting(settings: Settings, app_database_url: URL) -> None:
    small = create_app(
        settings.model_copy(update={"max_body_bytes": 2000}), app_database_url=app_database_url
    )
    transport = httpx.ASGITransport(app=small, client=("127.0.0.1", 50000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as client:
            over = await client.post("/graphql", content=_graphql_body(2000), headers=JSON_HEADERS)
            under = await client.post("/graphql", content=_graphql_body(1000), headers=JSON_HEADERS)
    finally:
        await small.state.database.dispose()

    assert over.status_code == 413
    assert over.json()["errors"][0]["extensions"] == {"code": "REQUEST_TOO_LARGE", "limit": 2000}
    assert under.json() == {"data": {"__typename": "Query"}}
    assert Settings().max_body_bytes == MB


# The portal's audit page (frontend_static/js/pages/audit.js).
VERIFY = "query($id: ID!) { partnership(id: $id) { id verifyAuditChain { intact checkedEvents } } }"
VERIFY_TEN = "{ viewer { partnerships(first: 10) { nodes { verifyAuditChain { intact } } } } }"


def test_verifying_the_audit_chain_costs_its_work(settings: Settings) -> None:
    core = build_schema(settings)._schema

    def cost_of(document: str) -> int:
        operation = get_operation_ast(parse(document))
        assert operation is not None
        return operation_cost(core, operation, {}, {"id": "x"})

    assert VERIFY_AUDIT_CHAIN_COST == 1000
    assert VERIFY_AUDIT_CHAIN_COST < cost_of(VERIFY) < settings.max_cost
    assert cost_of(VERIFY_TEN) > 10 * VERIFY_AUDIT_CHAIN_COST > settings.max_cost


async def test_verifying_many_chains_is_refused_and_the_principals_budget_feels_each(
    settings: Settings, app_database_url: URL, world: World
) -> None:
    # given a budget of two verifications a minute
    budget = settings.model_copy(update={"principal_cost_per_minute": 2500})
    app = create_app(budget, app_database_url=app_database_url)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as client:
            await login(client, "governance@contoso.example")
            # when
            ten = await gql(client, VERIFY_TEN, expect_errors=True)
            answers = [
                await gql(client, VERIFY, {"id": world.nc_id}, expect_errors=True) for _ in range(3)
            ]
    finally:
        await app.state.database.dispose()

    # then ten at once are over a request's budget; the third in a minute is over the principal's
    assert error_codes(ten) == ["QUERY_TOO_COSTLY"]
    assert [error_codes(a) for a in answers] == [[], [], ["RATE_LIMITED"]]
    assert answers[0]["data"]["partnership"]["verifyAuditChain"]["intact"] is True


async def test_a_websocket_message_over_the_limit_closes_the_socket(
    live_server: LiveServer, world: World
) -> None:
    url = live_server.url.replace("http://", "ws://") + "/graphql"
    async with connect(
        url, subprotocols=[Subprotocol("graphql-transport-ws")], origin=Origin(live_server.url)
    ) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": {"pad": "x" * MB}}))
        with pytest.raises(ConnectionClosed) as closed:
            async with asyncio.timeout(10):
                await socket.recv()

    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009  # message too big


def test_a_documents_cost_is_reckoned_again_for_other_variables(settings: Settings) -> None:
    # The cost is kept per parsed operation and variables: a page size in a variable counts.
    core = build_schema(settings)._schema
    operation = get_operation_ast(
        parse("query($n: Int) { viewer { partnerships(first: $n) { nodes { id name } } } }")
    )
    assert operation is not None
    small = operation_cost(core, operation, {}, {"n": 1})
    large = operation_cost(core, operation, {}, {"n": 50})
    assert small < large
    assert operation_cost(core, operation, {}, {"n": 1}) == small
    assert operation_cost(core, operation, {}, {"n": 50}) == large
