"""Application-level behaviour: the per-principal cost budget, GraphiQL only in development,
and the CLI's idempotent seed."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
from sqlalchemy.engine import URL

from mutual.app import create_app
from mutual.cli import seed_if_empty
from mutual.config import Settings
from mutual.db import _asyncpg_kwargs, app_url
from tests.helpers import World, error_codes, gql, login

MEMBERS = "query($id: ID!) { partnership(id: $id) { members(first: 50) { totalCount } } }"


async def test_a_principal_over_its_minute_budget_is_refused(owner_url: URL, world: World) -> None:
    # members(first: 50) costs 1 + 1 + 50 * 1 = 52; a budget of 120 allows two such queries.
    settings = Settings(env="test", principal_cost_per_minute=120)
    app = create_app(settings, app_database_url=app_url(owner_url, settings))
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as c:
            await login(c, "lead@contoso.example")
            first = await gql(c, MEMBERS, {"id": world.nc_id}, expect_errors=True)
            second = await gql(c, MEMBERS, {"id": world.nc_id}, expect_errors=True)
            third = await gql(c, MEMBERS, {"id": world.nc_id}, expect_errors=True)
    finally:
        await app.state.database.dispose()

    assert error_codes(first) == []
    assert error_codes(second) == []
    assert error_codes(third) == ["RATE_LIMITED"]
    assert third["data"] is None


async def test_graphiql_is_served_in_development_only(owner_url: URL, world: World) -> None:
    pages = {}
    for env in ("development", "production"):
        settings = Settings(env=env, allow_insecure=True)  # type: ignore[arg-type]
        app = create_app(settings, app_database_url=app_url(owner_url, settings))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as c:
            pages[env] = await c.get("/graphql", headers={"accept": "text/html"})
        await app.state.database.dispose()

    assert pages["development"].status_code == 200
    assert "graphiql" in pages["development"].text.lower()
    assert pages["production"].status_code == 404


async def test_seed_runs_once_and_a_second_run_keeps_the_data(
    owner_url: URL, settings: Settings, world: World
) -> None:
    conn = await asyncpg.connect(**_asyncpg_kwargs(owner_url))
    try:
        await conn.execute(
            "INSERT INTO login_attempt (email, ip, succeeded) VALUES ('x', 'y', true)"
        )
        before = await conn.fetchval("SELECT count(*) FROM app_user")
        attempts = await conn.fetchval("SELECT count(*) FROM login_attempt")

        seeded_again = await asyncio.to_thread(seed_if_empty, owner_url, settings)

        assert seeded_again is False
        assert await conn.fetchval("SELECT count(*) FROM app_user") == before
        assert await conn.fetchval("SELECT count(*) FROM login_attempt") == attempts
    finally:
        await conn.close()
