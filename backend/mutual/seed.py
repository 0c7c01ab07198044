"""The demo seed: each domain's part (`<domain>/demo.py`), in the domains' order.

`seed_demo` is the minimal world every test starts from: organizations and people (tenancy),
their passwords (auth), partnerships and members (membership, through the services as the app
role, so the demo's audit trail is the real one). `seed_story` adds the Northwind ↔ Contoso
recovery story (roadmap, KPIs with six months of history, commitments kept, missed,
renegotiated and disputed) for `mutual serve` and `mutual seed`; it is too slow to run before
every test.
"""

from __future__ import annotations

from contextlib import AsyncExitStack

from sqlalchemy import select
from sqlalchemy.engine import URL
from sqlmodel import col

from mutual.config import Settings
from mutual.db import Database, app_url, connect_owner
from mutual.kit.demo import DEMO_PASSWORD, World
from mutual.kit.domain import demo_order
from mutual.schema import DOMAINS
from mutual.tenancy.demo import demo_logins, load_story
from mutual.tenancy.models import Organization

__all__ = ["DEMO_PASSWORD", "demo_logins", "is_seeded", "seed_demo", "seed_story"]


async def is_seeded(owner: URL) -> bool:
    database = Database(owner, pool_size=1)
    try:
        async with database.session() as session:
            return (
                await session.execute(select(col(Organization.id)).limit(1))
            ).first() is not None
    finally:
        await database.dispose()


async def seed_demo(
    owner: URL,
    settings: Settings,
    *,
    owner_db: Database | None = None,
    app_db: Database | None = None,
) -> None:
    """The minimal world, on the owner's and the application role's engines: those given are
    left open (the tests seed before every test and keep theirs: no new connections, statements
    compiled once), the others made for this seed alone."""
    async with AsyncExitStack() as engines:
        if owner_db is None:
            owner_db = Database(owner, pool_size=1)
            engines.push_async_callback(owner_db.dispose)
        if app_db is None:
            app_db = Database(app_url(owner, settings), pool_size=1)
            engines.push_async_callback(app_db.dispose)
        world = World(owner_database=owner_db, settings=settings, database=app_db)
        for domain in demo_order(DOMAINS):
            if domain.demo_world is not None:
                await domain.demo_world(world)


async def seed_story(owner: URL, settings: Settings) -> None:
    """The Northwind ↔ Contoso recovery story, on top of `seed_demo` (for `mutual serve`)."""
    owner_db = Database(owner, pool_size=1)
    app_db = Database(app_url(owner, settings), pool_size=1)
    try:
        story = await load_story(owner_db, app_db)
        for domain in demo_order(DOMAINS):
            if domain.demo_story is not None:
                await domain.demo_story(story)
    finally:
        await app_db.dispose()
        await owner_db.dispose()
    # The story's own timestamps move into the past (owner role; audit_event untouched).
    conn = await connect_owner(owner)
    try:
        async with conn.transaction():
            for sql, args in story.backdates:
                await conn.execute(sql, *args)
    finally:
        await conn.close()
