"""What the demo's domains share (mutual/seed.py runs them in the domains' order).

`World` is the minimal world every test starts from; `Story` is the Northwind ↔ Contoso
recovery story for `mutual serve`. Everything in the story is created through the services, as
the user of the side that would act, so the audit trail is the real one. The services stamp
"now"; a story whose deliveries happened months ago then moves the workspace rows' own
timestamps into the past with owner-role UPDATEs each domain queues (`Story.backdate`), run
after every domain's part. audit_event rows are never touched: the trail truthfully says when
the seed ran, and its hash chain stays intact.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.config import Settings
from mutual.db import Database
from mutual.kit.clock import stopped_at, today, utcnow
from mutual.kit.identity import set_user_identity
from mutual.kit.principal import Principal

DEMO_PASSWORD = "mutual-demo"
STORY_PARTNERSHIP = "Northwind ↔ Contoso supply recovery"
NORTHWIND, CONTOSO = "northwind", "contoso"


def other(side: str) -> str:
    return CONTOSO if side == NORTHWIND else NORTHWIND


def moment(day: int, order: int = 0) -> datetime:
    """A time on the story's day `day` (relative to today), never later than an hour ago."""
    at = datetime.combine(today() + timedelta(days=day), time(8, 0), UTC)
    return min(at + timedelta(minutes=40 * order), utcnow() - timedelta(hours=1))


@asynccontextmanager
async def acting(
    database: Database, actor: Principal, *, at: datetime | None = None
) -> AsyncIterator[AsyncSession]:
    """One transaction as `actor`, as one request of theirs would be; `at` (a `moment`) is when
    the story says it happened: the services' clock reads it, so their rules about dates (a
    due date must not be in the past...) judge the step on that day. The database's own
    timestamps still say now; `Story.backdate` moves them."""
    with stopped_at(at) if at is not None else nullcontext():
        async with database.session() as session, session.begin():
            await set_user_identity(session, actor.user_id)
            yield session


@dataclass
class World:
    """The minimal demo: tenancy adds the organizations and their people, membership the
    partnerships between them."""

    owner_database: Database  # the table owner's: no row-level security
    settings: Settings
    database: Database  # the application role's
    people: dict[str, Principal] = field(default_factory=dict)  # by email


@dataclass
class Story:
    """The story's partnership, its two sides and the people who act, and what each domain's
    part made (by its keys) for the parts after it."""

    database: Database  # the application role's
    partnership_id: uuid.UUID
    parties: dict[str, uuid.UUID]  # by side
    people: dict[str, Principal]  # by email
    made: dict[str, dict[str, uuid.UUID]] = field(default_factory=dict)
    backdates: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def principal(self, side: str, role: str) -> Principal:
        return self.people[f"{role}@{side}.example"]

    def acting(self, actor: Principal, *, at: datetime | None = None) -> Any:
        return acting(self.database, actor, at=at)

    def backdate(self, sql: str, *args: Any) -> None:
        """An owner-role statement, run after every domain's part; `$1`.. are `args` and the
        last one is the partnership's id."""
        self.backdates.append((sql, (*args, self.partnership_id)))
