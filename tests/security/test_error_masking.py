"""What a client hears of failures: a code for each, never a library's or the database's text.
A bad argument is its own coded error and costs no pooled connection; an unexpected failure is
INTERNAL_SERVER_ERROR with a request id (details in the server's log); a database outage is
SERVICE_UNAVAILABLE on /graphql and a JSON 503 on /auth/login, while /readyz says so as before."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy import event, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette

from mutual.app import create_app
from mutual.auth import service as auth_service
from mutual.config import Settings
from mutual.db import Database, settle
from mutual.devserver import free_port
from tests.conftest import LiveServer
from tests.graphql.conftest import database_rows
from tests.helpers import JSON_HEADERS, World, error_codes
from tests.security.factories import SESSION_COOKIE, sign_in

# The report: a field that loads (hasSso) beside a connection refusing `first: -1`.
BAD_PAGE_BESIDE_A_LOAD = (
    "{ viewer { organization { hasSso } partnerships(first: -1) { totalCount } } }"
)
# A statement in flight when its sibling fails: the sibling's failure cancels it.
BAD_PAGE_BESIDE_A_QUERY = """
{ viewer {
    a: partnerships(first: 1) { totalCount }
    organization { hasSso }
    b: partnerships(first: -1) { totalCount }
} }
"""
GOOD = "{ viewer { partnerships(first: 20) { totalCount } } }"
RENAME = """
mutation($input: AddWorkspaceMemberInput!) {
  addWorkspaceMember(input: $input) { member { id } userErrors { code } }
}
"""

LEAKS = ("sqlalchemy", "asyncpg", "Transaction", "SELECT", "Errno", "No such file", "Connect call")


def _leaks(text: str) -> list[str]:
    return [word for word in LEAKS if word.lower() in text.lower()]


async def _post(client: httpx.AsyncClient, query: str, variables: Any = None) -> httpx.Response:
    return await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=JSON_HEADERS
    )


async def test_a_bad_page_argument_is_its_code_and_keeps_every_pooled_connection(
    app: Starlette, client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    # given a signed-in user, and a watch on the pool's connections
    await sign_in(client, owner, world.user_id("lead@contoso.example"))
    invalidated: list[Any] = []
    pool = app.state.database.engine.sync_engine.pool
    record = lambda *args: invalidated.append(args)  # noqa: E731
    event.listen(pool, "invalidate", record)
    event.listen(pool, "soft_invalidate", record)
    try:
        # when the report's query (and one with a statement in flight) is sent, three times each
        answers = [
            await _post(client, query)
            for query in (BAD_PAGE_BESIDE_A_LOAD, BAD_PAGE_BESIDE_A_QUERY) * 3
        ]
        after = await _post(client, GOOD)
    finally:
        event.remove(pool, "invalidate", record)
        event.remove(pool, "soft_invalidate", record)

    # then each answer is the bad argument's own coded error, and no connection was lost
    for response in answers:
        assert response.status_code == 200
        body = response.json()
        assert body["data"] is None
        assert error_codes(body) == ["INVALID_PAGE"], body
        assert body["errors"][0]["message"] == "`first` must not be negative."
    assert invalidated == []
    assert after.json() == {"data": {"viewer": {"partnerships": {"totalCount": 2}}}}


async def test_the_production_server_answers_the_report_with_the_arguments_code(
    production_server: LiveServer, world: World, owner: asyncpg.Connection
) -> None:
    async with httpx.AsyncClient(base_url=production_server.url) as client:
        await sign_in(client, owner, world.user_id("lead@contoso.example"))
        answers = [await _post(client, BAD_PAGE_BESIDE_A_LOAD) for _ in range(3)]
        after = await _post(client, GOOD)

    for response in answers:
        assert error_codes(response.json()) == ["INVALID_PAGE"], response.text
        assert _leaks(response.text) == []
    assert after.json() == {"data": {"viewer": {"partnerships": {"totalCount": 2}}}}


async def test_a_failure_around_execution_is_masked_and_logged_with_the_request_id(
    client: httpx.AsyncClient,
    world: World,
    owner: asyncpg.Connection,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # given checking the session fails with a library error carrying SQL (a bug, not an outage)
    await sign_in(client, owner, world.user_id("lead@contoso.example"))

    async def failing(*args: Any, **kwargs: Any) -> Any:
        raise sa_exc.ProgrammingError(
            "SELECT secret_column FROM user_session", {}, Exception("syntax error")
        )

    monkeypatch.setattr(auth_service, "authenticate_session", failing)

    # when
    with caplog.at_level(logging.ERROR):
        response = await _post(client, GOOD)

    # then the client hears a code and the request id, the log has the details
    request_id = response.headers["x-request-id"]
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"] for e in body["errors"]] == [
        {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    ]
    assert _leaks(response.text) == []
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and all(r.exc_info is not None for r in logged)
    assert "secret_column" in logging.Formatter().formatException(logged[0].exc_info)  # type: ignore[arg-type]


async def test_a_failed_commit_answers_no_data_masked_and_writes_nothing(
    client: httpx.AsyncClient,
    world: World,
    owner: asyncpg.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a mutation whose commit fails with the report's library error
    await sign_in(client, owner, world.user_id("lead@contoso.example"))
    before = await database_rows(owner)

    async def failing_commit(self: AsyncSession) -> None:
        raise sa_exc.InterfaceError(
            "COMMIT", {}, Exception("cannot call Transaction.commit(): the connection is closed")
        )

    monkeypatch.setattr(AsyncSession, "commit", failing_commit)
    member = {"partnershipId": world.nc_id, "email": "viewer@contoso.example", "role": "VIEWER"}

    # when
    response = await _post(client, RENAME, {"input": member})

    # then
    body = response.json()
    assert body["data"] is None
    assert error_codes(body) == ["INTERNAL_SERVER_ERROR"]
    assert _leaks(response.text) == []
    monkeypatch.undo()
    assert await database_rows(owner) == before


@pytest.fixture(params=["missing-socket", "closed-port"])
async def unreachable_app(
    request: pytest.FixtureRequest, settings: Settings, app_database_url: URL
) -> AsyncIterator[Starlette]:
    """The application against a database it cannot reach: a socket directory that does not
    exist ("[Errno 2] No such file or directory"), or a port nobody listens on."""
    if request.param == "missing-socket":
        url = app_database_url.set(host=None, port=None, query={"host": "/nonexistent/mutual"})
    else:
        url = app_database_url.set(host="127.0.0.1", port=free_port())
    production = settings.model_copy(update={"env": "production", "allow_insecure": True})
    app = create_app(production, app_database_url=url)
    try:
        yield app
    finally:
        await app.state.database.dispose()


async def test_a_database_outage_is_service_unavailable_without_its_details(
    unreachable_app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    transport = httpx.ASGITransport(app=unreachable_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        client.cookies.set(SESSION_COOKIE, "mut_s_whatever")
        with caplog.at_level(logging.ERROR):
            graphql = await _post(client, GOOD)
            login = await client.post(
                "/auth/login",
                json={"email": "lead@contoso.example", "password": "mutual-demo"},
                headers=JSON_HEADERS,
            )
        ready = await client.get("/readyz")

    assert graphql.status_code == 200
    body = graphql.json()
    assert body["data"] is None
    assert error_codes(body) == ["SERVICE_UNAVAILABLE"]
    assert _leaks(graphql.text) == []
    assert login.status_code == 503
    assert login.headers["content-type"] == "application/json"
    assert login.json()["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert _leaks(login.text) == []
    # /readyz as before
    assert (ready.status_code, ready.text) == (503, "database unreachable")
    # the details are in the server's log
    assert any(r.exc_info is not None for r in caplog.records)


async def test_a_statement_whose_caller_is_cancelled_finishes_on_its_connection(
    app_database_url: URL,
) -> None:
    # given a session of the application's database, and a watch on its pool
    database = Database(app_database_url, pool_size=1)
    invalidated: list[Any] = []
    event.listen(database.engine.sync_engine.pool, "invalidate", lambda *a: invalidated.append(a))
    try:
        async with database.session() as session:
            # when a slow statement's caller is cancelled while it runs, and another one fails
            # after its caller was cancelled
            slow = asyncio.ensure_future(session.execute(text("SELECT pg_sleep(0.3)")))
            await asyncio.sleep(0.1)
            slow.cancel()
            failing = asyncio.ensure_future(
                session.execute(text("SELECT 1 / (SELECT 0 FROM pg_sleep(0.2))"))
            )
            await asyncio.sleep(0.1)
            failing.cancel()
            unheard = await settle(session)
            await session.rollback()
            after = (await session.execute(text("SELECT 42"))).scalar_one()
    finally:
        await database.dispose()

    # then both ran to their end on the connection, which stayed in the pool; the failure
    # nobody awaited is reported, so the operation does not commit
    assert slow.cancelled() and failing.cancelled()
    assert len(unheard) == 1 and isinstance(unheard[0], sa_exc.DBAPIError)
    assert "division by zero" in str(unheard[0])
    assert invalidated == []
    assert after == 42
