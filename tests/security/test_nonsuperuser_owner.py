"""Managed PostgreSQL: the table owner is often neither a superuser nor BYPASSRLS. The
migrations, the seed and the application must work with such an owner, and RLS must still
bind the application role."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import URL

from mutual.config import Settings
from mutual.db import _asyncpg_kwargs, app_url, run_migrations
from mutual.seed import seed_demo


@pytest.fixture
async def plain_owner(owner_url: URL) -> AsyncIterator[URL]:
    """A fresh database owned by a LOGIN role without SUPERUSER or BYPASSRLS."""
    role, database = f"plain_owner_{os.getpid()}", f"mutual_plain_{os.getpid()}"
    admin = await asyncpg.connect(**_asyncpg_kwargs(owner_url.set(database="postgres")))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.execute(f'DROP ROLE IF EXISTS "{role}"')
        await admin.execute(f"CREATE ROLE \"{role}\" LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD 'pw'")
        await admin.execute(f'CREATE DATABASE "{database}" OWNER "{role}"')
        await admin.execute(f'GRANT CONNECT ON DATABASE "{database}" TO mutual_app')
        in_db = await asyncpg.connect(**_asyncpg_kwargs(owner_url.set(database=database)))
        await in_db.execute(f'ALTER SCHEMA public OWNER TO "{role}"')
        await in_db.close()
        yield owner_url.set(database=database, username=role, password="pw")
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.execute(f'DROP ROLE IF EXISTS "{role}"')
        await admin.close()


async def test_a_plain_owner_migrates_and_seeds_and_rls_still_binds_the_app(
    plain_owner: URL, settings: Settings
) -> None:
    await asyncio.to_thread(run_migrations, plain_owner)
    await seed_demo(plain_owner, settings)

    owner = await asyncpg.connect(**_asyncpg_kwargs(plain_owner))
    app = await asyncpg.connect(**_asyncpg_kwargs(app_url(plain_owner, settings)))
    try:
        lead = await owner.fetchval(
            "SELECT id FROM app_user WHERE email = 'lead@northwind.example'"
        )
        all_partnerships = await owner.fetchval("SELECT count(*) FROM partnership")
        async with app.transaction():
            anonymous = await app.fetchval("SELECT count(*) FROM partnership")
        async with app.transaction():
            await app.execute("SELECT set_config('mutual.user_id', $1, true)", str(lead))
            visible = await app.fetchval("SELECT count(*) FROM partnership")
            members = await app.fetchval("SELECT count(*) FROM workspace_member")
    finally:
        await owner.close()
        await app.close()

    assert all_partnerships == 2
    assert anonymous == 0
    assert visible == 1
    assert members == 8
