"""Every SQL statement of the roadmap domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text
from sqlalchemy.dialects.postgresql import ARRAY, INTEGER, UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.kit.repository import columns_of, read_only, read_rows
from mutual.kit.visibility import PARTNERSHIP, VIEWER_PARTY, readable, readable_bound
from mutual.roadmap.models import Milestone

# Built once: read on every roadmap, and building it cost more than running it.
_ROADMAP = (
    select(*columns_of(Milestone))
    .where(readable_bound(Milestone))
    .order_by(col(Milestone.phase), col(Milestone.rank), col(Milestone.id))
)


async def milestones_of(
    session: AsyncSession, partnership_id: uuid.UUID, *, viewer_party_id: uuid.UUID
) -> list[Milestone]:
    params = {PARTNERSHIP: partnership_id, VIEWER_PARTY: viewer_party_id}
    return read_only(Milestone, await read_rows(session, _ROADMAP, params))


async def milestone(session: AsyncSession, milestone_id: uuid.UUID) -> Milestone | None:
    stmt = select(Milestone).where(col(Milestone.id) == milestone_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def milestones_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Milestone]:
    stmt = select(Milestone).where(col(Milestone.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def next_rank(session: AsyncSession, partnership_id: uuid.UUID, phase: str) -> int:
    stmt = select(func.coalesce(func.max(Milestone.rank) + 1, 0)).where(
        col(Milestone.partnership_id) == partnership_id, col(Milestone.phase) == phase
    )
    return int((await session.execute(stmt)).scalar_one())


async def phase_ids(
    session: AsyncSession, partnership_id: uuid.UUID, phase: str, *, viewer_party_id: uuid.UUID
) -> list[uuid.UUID]:
    """Ids of a phase's milestones in rank order (those the caller can see)."""
    stmt = (
        select(col(Milestone.id))
        .where(
            readable(Milestone, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
            col(Milestone.phase) == phase,
        )
        .order_by(col(Milestone.rank), col(Milestone.id))
    )
    return list((await session.execute(stmt)).scalars().all())


_RERANK = text(
    """
    UPDATE milestone m SET rank = v.rank
    FROM unnest(:ids, :ranks) AS v(id, rank)
    WHERE m.partnership_id = :partnership_id AND m.id = v.id AND m.rank <> v.rank
    """
).bindparams(
    bindparam("ids", type_=ARRAY(UUID(as_uuid=True))),
    bindparam("ranks", type_=ARRAY(INTEGER)),
)


async def rerank(
    session: AsyncSession, partnership_id: uuid.UUID, ordered_ids: Sequence[uuid.UUID]
) -> None:
    """Give the milestones ranks 0..n-1 in this order, in one statement."""
    await session.execute(
        _RERANK,
        {
            "ids": list(ordered_ids),
            "ranks": list(range(len(ordered_ids))),
            "partnership_id": partnership_id,
        },
    )


async def insert_milestone(session: AsyncSession, **values: Any) -> Milestone:
    stmt = insert(Milestone).values(**values).returning(Milestone)
    return (await session.execute(stmt)).scalar_one()
