"""Fixtures of the GraphQL tests: the objects of the Northwind ↔ Contoso partnership by global
id, signed-in clients, and the database's rows to compare before and after a refused request."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import URL
from starlette.applications import Starlette

from bench.generate import Shape
from mutual.app import create_app
from mutual.auth.tokens import SESSION_PREFIX, new_secret, secret_hash
from mutual.config import Settings
from mutual.graphql.ids import to_global_id
from tests.helpers import JSON_HEADERS, World, fill_shape, login

# Sign-in bookkeeping changes with every login; every other table must not change.
NOT_COMPARED = ("user_session", "login_attempt", "login_throttle", "alembic_version")

Rows = dict[str, list[str]]
SignIn = Callable[[str], Awaitable[httpx.AsyncClient]]


async def database_rows(owner: asyncpg.Connection) -> Rows:
    """Every row of every table as text, read as the owner (no row-level security)."""
    tables = await owner.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> ALL($1::text[]) ORDER BY tablename",
        list(NOT_COMPARED),
    )
    assert len(tables) >= 9, tables
    return {
        t["tablename"]: [
            r[0] for r in await owner.fetch(f'SELECT t::text FROM "{t["tablename"]}" t ORDER BY 1')
        ]
        for t in tables
    }


async def audit_count(owner: asyncpg.Connection, partnership_id: uuid.UUID) -> int:
    count = await owner.fetchval(
        "SELECT count(*) FROM audit_event WHERE partnership_id = $1", partnership_id
    )
    return int(count)


@dataclass(frozen=True)
class NcObjects:
    """The Northwind ↔ Contoso partnership and everything in it, by global id."""

    raw_id: uuid.UUID
    name: str
    partnership: str
    members: dict[str, str]  # user email -> WorkspaceMember id
    parties: dict[str, str]  # organization slug -> Party id
    invitation: str
    api_token: str
    audit_events: list[str]

    @property
    def every_id(self) -> list[str]:
        return [
            self.partnership,
            *self.members.values(),
            *self.parties.values(),
            self.invitation,
            self.api_token,
            *self.audit_events,
        ]


@pytest.fixture
async def nc(world: World, owner: asyncpg.Connection) -> NcObjects:
    """The demo's Northwind ↔ Contoso objects, plus an active API token of Contoso's side."""
    pid = world.northwind_contoso.id
    contoso_party = world.parties[("nc", "contoso")]
    token_id = await owner.fetchval(
        "INSERT INTO api_token (partnership_id, party_id, user_id, name, token_hash, scopes, "
        "expires_at) VALUES ($1, $2, $3, 'matrix', $4, ARRAY['read'], now() + interval '1 day') "
        "RETURNING id",
        pid,
        contoso_party.id,
        world.user_id("lead@contoso.example"),
        os.urandom(32),
    )
    members = await owner.fetch(
        "SELECT m.id, u.email FROM workspace_member m JOIN app_user u ON u.id = m.user_id "
        "WHERE m.partnership_id = $1",
        pid,
    )
    invitation = await owner.fetchval("SELECT id FROM invitation WHERE partnership_id = $1", pid)
    events = await owner.fetch("SELECT id FROM audit_event WHERE partnership_id = $1", pid)
    return NcObjects(
        raw_id=pid,
        name=world.northwind_contoso.name,
        partnership=world.nc_id,
        members={r["email"]: to_global_id("WorkspaceMember", r["id"]) for r in members},
        parties={
            slug: to_global_id("Party", party.id)
            for (key, slug), party in world.parties.items()
            if key == "nc"
        },
        invitation=to_global_id("Invitation", invitation),
        api_token=to_global_id("ApiToken", token_id),
        audit_events=[to_global_id("AuditEvent", r["id"]) for r in events],
    )


@pytest.fixture
async def sign_in(
    make_client: Callable[[], httpx.AsyncClient],
    owner: asyncpg.Connection,
    settings: Settings,
) -> AsyncIterator[SignIn]:
    """sign_in(email) -> a client with its own cookie jar and a live session of that user.

    The session row is the one /auth/login creates, made directly so the tests do not pay an
    argon2 verification each (logging in has its own tests).
    """
    async with AsyncExitStack() as stack:

        async def signed_in(email: str) -> httpx.AsyncClient:
            secret = new_secret(SESSION_PREFIX)
            status = await owner.execute(
                "INSERT INTO user_session (token_hash, user_id, expires_at) "
                "SELECT $1, id, now() + interval '1 hour' FROM app_user WHERE email = $2",
                secret_hash(secret),
                email,
            )
            assert status == "INSERT 0 1", email
            client = await stack.enter_async_context(make_client())
            client.cookies.set(settings.session_cookie, secret)
            return client

        yield signed_in


async def add_user(
    owner: asyncpg.Connection, *, email: str, org_slug: str, org_role: str = "MEMBER"
) -> uuid.UUID:
    """A new user of an existing organization, with the demo password (copied hash)."""
    user_id = await owner.fetchval(
        "INSERT INTO app_user (organization_id, email, display_name, password_hash, org_role) "
        "SELECT o.id, $1, $1, (SELECT password_hash FROM app_user WHERE password_hash IS NOT NULL "
        "LIMIT 1), $3 FROM organization o WHERE o.slug = $2 RETURNING id",
        email,
        org_slug,
        org_role,
    )
    assert user_id is not None, org_slug
    return uuid.UUID(str(user_id))


async def add_organization(owner: asyncpg.Connection, *, name: str, slug: str) -> None:
    await owner.execute(
        "INSERT INTO organization (name, slug, email_domain) VALUES ($1, $2, $3)",
        name,
        slug,
        f"{slug}.example",
    )


# The application under both executors (MUTUAL_EXECUTOR), for tests that compare answers.
EXECUTOR_SHAPE = Shape(milestones=6, commitments=8, kpis=4, measurements=5)


def with_executor(settings: Settings, executor: str) -> Settings:
    return settings.model_copy(update={"executor": executor})


@pytest.fixture(scope="module")
async def apps(settings: Settings, app_database_url: URL) -> AsyncIterator[dict[str, Starlette]]:
    """The application twice on the same database: with the fast and the standard executor."""
    made = {
        name: create_app(with_executor(settings, name), app_database_url=app_database_url)
        for name in ("fast", "standard")
    }
    yield made
    for app in made.values():
        await app.state.events.close()
        await app.state.database.dispose()


@pytest.fixture
async def clients(
    apps: dict[str, Starlette], world: World, owner: asyncpg.Connection
) -> AsyncIterator[dict[str, httpx.AsyncClient]]:
    """A client of each app, signed in as Contoso's lead with one session, on a filled
    Northwind ↔ Contoso workspace."""
    await fill_shape(owner, world.northwind_contoso, EXECUTOR_SHAPE)
    async with AsyncExitStack() as stack:
        made = {
            name: await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)),
                    base_url="http://127.0.0.1:8000",
                )
            )
            for name, app in apps.items()
        }
        await login(made["fast"], "lead@contoso.example")
        made["standard"].cookies = made["fast"].cookies
        yield made


async def post_bytes(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> bytes:
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=JSON_HEADERS
    )
    assert response.status_code == 200, response.text
    return response.content
