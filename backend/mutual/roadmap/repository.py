"""Every SQL statement of the roadmap domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Numeric, cast, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.kit.labels import Label
from mutual.kit.repository import columns_of, read_only, read_rows
from mutual.kit.visibility import PARTNERSHIP, VIEWER_PARTY, readable, readable_bound
from mutual.roadmap.models import Milestone
from mutual.roadmap.shapes import ROADMAP_MILESTONES

# Built once: read on every roadmap, and building it cost more than running it.
_ROADMAP = (
    select(*columns_of(Milestone))
    .where(readable_bound(Milestone))
    .order_by(col(Milestone.phase), col(Milestone.sort_key), col(Milestone.id))
)


async def milestones_of(
    session: AsyncSession, partnership_id: uuid.UUID, *, viewer_party_id: uuid.UUID
) -> list[Milestone]:
    params = {PARTNERSHIP: partnership_id, VIEWER_PARTY: viewer_party_id}
    return read_only(Milestone, await read_rows(session, _ROADMAP, params))


async def milestones_json_of(
    session: AsyncSession, partnership_id: uuid.UUID, *, viewer_party_id: uuid.UUID, json: str
) -> list[tuple[str, str]]:
    """`milestones_of`, each milestone as (phase, the JSON text of `json`: ROADMAP_MILESTONES')."""
    stmt = ROADMAP_MILESTONES.statement(_ROADMAP, json, col(Milestone.phase))
    params = {PARTNERSHIP: partnership_id, VIEWER_PARTY: viewer_party_id}
    return [(row[0], row[1]) for row in await read_rows(session, stmt, params)]


async def milestone(session: AsyncSession, milestone_id: uuid.UUID) -> Milestone | None:
    stmt = select(Milestone).where(col(Milestone.id) == milestone_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def milestones_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Milestone]:
    stmt = select(Milestone).where(col(Milestone.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


# Keys at the ends of a phase, from the database's clock: after (or before) every milestone
# of the phase, also those the caller cannot see, without reading them (migration 0006).
_CLOCK = func.extract("epoch", func.clock_timestamp()) * 1_000_000
LAST_KEY: ColumnElement[Decimal] = cast(_CLOCK, Numeric)
FIRST_KEY: ColumnElement[Decimal] = cast(-_CLOCK, Numeric)


async def phase_keys(
    session: AsyncSession, partnership_id: uuid.UUID, phase: str, *, viewer_party_id: uuid.UUID
) -> list[tuple[uuid.UUID, Decimal]]:
    """(id, sort key) of the phase's milestones the caller can see, in order."""
    stmt = (
        select(col(Milestone.id), col(Milestone.sort_key))
        .where(
            readable(Milestone, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
            col(Milestone.phase) == phase,
        )
        .order_by(col(Milestone.sort_key), col(Milestone.id))
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def insert_milestone(session: AsyncSession, **values: Any) -> Milestone:
    stmt = insert(Milestone).values(**values).returning(Milestone)
    return (await session.execute(stmt)).scalar_one()


async def milestone_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """The titles of the milestones the viewer's side may read, for the audit trail."""
    stmt = select(col(Milestone.id), col(Milestone.title)).where(
        readable(Milestone, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(Milestone.id).in_(ids),
    )
    return {r[0]: Label(r[1], "Milestone", r[0]) for r in await read_rows(session, stmt)}
