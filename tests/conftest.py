"""Test harness: a real PostgreSQL (embedded unless DATABASE_URL is set), the real migrations,
the application role, and a clean database before every test (TRUNCATE, then the demo seed)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import URL, make_url
from starlette.applications import Starlette

from mutual.config import REPO_ROOT, Settings
from mutual.db import (
    Database,
    _asyncpg_kwargs,
    app_url,
    connect_owner,
    ensure_database,
    run_migrations,
    start_embedded_postgres,
)
from mutual.devserver import free_port as free_port
from mutual.devserver import serve_in_subprocess
from mutual.kit.sealing import data_key
from tests.helpers import World, build_world

TABLES = (
    "audit_event, api_token, invitation, workspace_member, party, partnership, "
    "oidc_provider, login_attempt, login_throttle, user_identity, user_session, app_user, "
    "organization"
)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def server_url() -> URL:
    """The PostgreSQL server the suite uses (a URL without a database chosen yet)."""
    configured = os.environ.get("DATABASE_URL")
    if configured:
        return make_url(configured).set(drivername="postgresql+asyncpg")
    uri = start_embedded_postgres(REPO_ROOT / ".mutual" / "test")
    return make_url(uri).set(drivername="postgresql+asyncpg")


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(
        env="test",
        database_url=None,
        public_url="http://127.0.0.1:8000",
        login_max_failures_per_ip=1000,
    )


async def _drop_database(owner: URL) -> None:
    admin = await asyncpg.connect(**_asyncpg_kwargs(owner.set(database="postgres")))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{owner.database}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture(scope="session")
async def owner_url(server_url: URL, settings: Settings) -> AsyncIterator[URL]:
    """A fresh, migrated database for this test process (one per xdist worker), dropped after."""
    owner = server_url.set(database=f"mutual_test_{_worker()}_{os.getpid()}")
    await _drop_database(owner)
    await ensure_database(owner, settings)
    await asyncio.to_thread(run_migrations, owner, data_key=data_key(settings))
    yield owner
    await _drop_database(owner)


@pytest.fixture(scope="session")
def app_database_url(owner_url: URL, settings: Settings) -> URL:
    return app_url(owner_url, settings)


@pytest.fixture(scope="session")
def app(settings: Settings, app_database_url: URL) -> Starlette:
    from mutual.app import create_app

    return create_app(settings, app_database_url=app_database_url)


@pytest.fixture
async def owner(owner_url: URL) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection as the table owner, bypassing the service layer and RLS."""
    conn = await connect_owner(owner_url)
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
async def app_conn(app_database_url: URL) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection as the application role: RLS applies, the services do not."""
    conn = await asyncpg.connect(**_asyncpg_kwargs(app_database_url))
    try:
        yield conn
    finally:
        await conn.close()


# The tables `TRUNCATE {TABLES} CASCADE` empties (TABLES and, transitively, every table with a
# foreign key to one of them) and the sequences they own, which RESTART IDENTITY restarts.
_CASCADE = """
WITH RECURSIVE emptied(oid) AS (
    SELECT unnest($1::regclass[])::oid
    UNION
    SELECT c.conrelid FROM pg_constraint c JOIN emptied e ON c.confrelid = e.oid
    WHERE c.contype = 'f'
)
SELECT
    ARRAY(SELECT e.oid::regclass::text FROM emptied e ORDER BY 1) AS tables,
    ARRAY(
        SELECT DISTINCT d.objid::regclass::text FROM pg_depend d
        JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
        WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
        AND d.deptype IN ('a', 'i') AND d.refobjid IN (SELECT oid FROM emptied)
        ORDER BY 1
    ) AS sequences
"""


@pytest.fixture(scope="session")
async def emptying(owner_url: URL) -> str:
    """The statements that empty the database as TRUNCATE ... RESTART IDENTITY CASCADE would.

    DELETE of a few rows a table takes a tenth of the time TRUNCATE of sixty tables does (new
    files for every table and index) before each of the suite's hundreds of tests. As the table
    owner in the `replica` replication role, like TRUNCATE, it fires no row trigger (the
    append-only ones would refuse it, the access ones would notify) and checks no foreign key:
    every referencing table is emptied in the same transaction. Setting that role takes a
    superuser; any other owner (a DATABASE_URL's) gets the TRUNCATE itself.
    """
    conn = await connect_owner(owner_url)
    try:
        if not await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
            return f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"
        found = await conn.fetchrow(_CASCADE, [t.strip() for t in TABLES.split(",")])
    finally:
        await conn.close()
    statements = [
        "BEGIN",
        "SET LOCAL session_replication_role = replica",
        *(f"DELETE FROM {table}" for table in found["tables"]),
        *(f"ALTER SEQUENCE {sequence} RESTART" for sequence in found["sequences"]),
        "COMMIT",
    ]
    return ";\n".join(statements)


@pytest.fixture(scope="session")
async def seed_databases(
    owner_url: URL, app_database_url: URL
) -> AsyncIterator[tuple[Database, Database]]:
    """The owner's and the application role's engines the world fixture seeds on, kept for the
    session: a seed on new ones connects twice more and compiles each statement again."""
    owner_db = Database(owner_url, pool_size=1)
    app_db = Database(app_database_url, pool_size=1)
    try:
        yield owner_db, app_db
    finally:
        await owner_db.dispose()
        await app_db.dispose()


@pytest.fixture
async def world(
    owner_url: URL,
    settings: Settings,
    emptying: str,
    seed_databases: tuple[Database, Database],
) -> World:
    """The demo world (Northwind, Contoso, Fabrikam) in an otherwise empty database."""
    conn = await connect_owner(owner_url)
    try:
        # A connection a previous test left idle in a transaction would block the emptying
        # forever.
        await conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state LIKE 'idle in transaction%'"
        )
        await conn.execute("SET lock_timeout = '30s'")
        await conn.execute(emptying)
    finally:
        await conn.close()
    owner_db, app_db = seed_databases
    return await build_world(owner_url, settings, owner_db=owner_db, app_db=app_db)


@pytest.fixture
async def client(app: Starlette, world: World) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app) as c:
        yield c


@pytest.fixture
def make_client(app: Starlette, world: World) -> Iterator[Any]:
    """A factory of independent clients (each with its own cookie jar)."""
    yield lambda: _client(app)


def _client(app: Starlette) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000)),
        base_url="http://127.0.0.1:8000",
    )


@dataclass(frozen=True)
class LiveServer:
    url: str
    owner_url: URL


def _live(owner_url: URL, name: str) -> Iterator[LiveServer]:
    log_path = REPO_ROOT / ".mutual" / f"{name}-{_worker()}-{os.getpid()}.log"
    env = {"MUTUAL_ENV": "test", "MUTUAL_LOGIN_MAX_FAILURES_PER_IP": "1000"}
    # No job worker: its periodic tasks would hold locks the world fixture's TRUNCATE waits for
    # (tests of jobs across processes start servers of their own).
    with serve_in_subprocess(owner_url, env=env, log_path=log_path, args=("--no-worker",)) as url:
        yield LiveServer(url=url, owner_url=owner_url)


@pytest.fixture(scope="session")
def live_server(owner_url: URL) -> Iterator[LiveServer]:
    """`mutual serve` in its own process on a free port, against this worker's database.

    Tests that use it also request `world` (directly or through another fixture) so the
    data is fresh; the server only holds pooled connections between requests.
    """
    yield from _live(owner_url, "live-server")


@pytest.fixture(scope="session")
def second_live_server(owner_url: URL) -> Iterator[LiveServer]:
    """Another server process on the same database (fan-out across processes)."""
    yield from _live(owner_url, "live-server-2")
