"""Auth's demo: every demo person signs in with the password `mutual-demo`."""

from __future__ import annotations

from functools import cache

from sqlalchemy import update
from sqlmodel import col

from mutual.auth.passwords import hash_password
from mutual.kit.demo import DEMO_PASSWORD, World
from mutual.tenancy.models import User


@cache
def _demo_password_hash() -> str:
    # argon2id is slow on purpose; one hash per process serves every re-seed (the test suite).
    return hash_password(DEMO_PASSWORD)


async def seed_world(world: World) -> None:
    async with world.owner_database.session() as session, session.begin():
        await session.execute(
            update(User)
            .where(col(User.email).in_(list(world.people)))
            .values(password_hash=_demo_password_hash())
        )
