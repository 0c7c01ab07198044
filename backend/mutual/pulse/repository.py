"""Every SQL statement of the pulse domain. Answers are read back only as "has the caller
answered" (their author's rows); the figures come from `pulse_results` (migration 0019), the
comments, without their authors, from `pulse_comments` (migration 0020)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.kit.labels import Label
from mutual.kit.repository import columns_of, read_only, read_rows
from mutual.kit.visibility import readable
from mutual.pulse.models import CadenceStatus, PulseAnswer, PulseCadence, PulseRound

# --- cadences ---------------------------------------------------------------------------------


async def cadence(session: AsyncSession, cadence_id: uuid.UUID) -> PulseCadence | None:
    stmt = select(PulseCadence).where(col(PulseCadence.id) == cadence_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def cadences_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[PulseCadence]:
    stmt = select(*columns_of(PulseCadence)).where(col(PulseCadence.id).in_(ids))
    return read_only(PulseCadence, await read_rows(session, stmt))


async def cadences_of(
    session: AsyncSession, partnership_id: uuid.UUID, *, viewer_party_id: uuid.UUID
) -> list[PulseCadence]:
    """Every version, newest first."""
    stmt = (
        select(*columns_of(PulseCadence))
        .where(
            readable(PulseCadence, partnership_id=partnership_id, viewer_party_id=viewer_party_id)
        )
        .order_by(col(PulseCadence.number).desc())
    )
    return read_only(PulseCadence, await read_rows(session, stmt))


async def insert_cadence(session: AsyncSession, **values: Any) -> PulseCadence:
    # The next number of the partnership, in the same statement (the unique key guards a race).
    number = (
        select(func.coalesce(func.max(col(PulseCadence.number)), 0) + 1)
        .where(col(PulseCadence.partnership_id) == values["partnership_id"])
        .scalar_subquery()
    )
    stmt = insert(PulseCadence).values(**values, number=number).returning(PulseCadence)
    return (await session.execute(stmt)).scalar_one()


async def supersede_active(session: AsyncSession, partnership_id: uuid.UUID) -> None:
    await session.execute(
        update(PulseCadence)
        .where(
            col(PulseCadence.partnership_id) == partnership_id,
            col(PulseCadence.status) == CadenceStatus.ACTIVE,
        )
        .values(status=CadenceStatus.SUPERSEDED, updated_at=func.now())
        .execution_options(synchronize_session=False)
    )


# --- rounds -----------------------------------------------------------------------------------


async def round_(session: AsyncSession, round_id: uuid.UUID) -> PulseRound | None:
    stmt = select(*columns_of(PulseRound)).where(col(PulseRound.id) == round_id)
    found = read_only(PulseRound, await read_rows(session, stmt))
    return found[0] if found else None


async def rounds_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[PulseRound]:
    stmt = select(*columns_of(PulseRound)).where(col(PulseRound.id).in_(ids))
    return read_only(PulseRound, await read_rows(session, stmt))


async def rounds_of(
    session: AsyncSession, partnership_id: uuid.UUID, *, limit: int, before: datetime | None = None
) -> list[PulseRound]:
    """The latest rounds (opened by `before`, if given), newest first."""
    stmt = select(*columns_of(PulseRound)).where(col(PulseRound.partnership_id) == partnership_id)
    if before is not None:
        stmt = stmt.where(col(PulseRound.opens_at) <= before)
    stmt = stmt.order_by(col(PulseRound.number).desc()).limit(limit)
    return read_only(PulseRound, await read_rows(session, stmt))


# --- answers ----------------------------------------------------------------------------------


async def answered(
    session: AsyncSession, round_ids: Sequence[uuid.UUID], user_id: uuid.UUID
) -> set[uuid.UUID]:
    """Which of the rounds the user has answered (their own rows: nothing else is readable)."""
    if not round_ids:
        return set()
    stmt = select(col(PulseAnswer.round_id)).where(
        col(PulseAnswer.round_id).in_(round_ids), col(PulseAnswer.user_id) == user_id
    )
    return {row[0] for row in await read_rows(session, stmt)}


async def insert_answer(session: AsyncSession, **values: Any) -> uuid.UUID | None:
    """The answer's id, or None when the author answered the round already (a race the unique
    key decides: no error, nothing written)."""
    stmt = (
        pg_insert(PulseAnswer)
        .values(**values)
        .on_conflict_do_nothing(constraint="pulse_answer_once_key")
        .returning(col(PulseAnswer.id))
    )
    return (await session.execute(stmt)).scalar_one_or_none()


_RESULTS = text(
    "SELECT round_id, rating_party_id, members, respondents, nps, transparency, consistency, "
    "interaction FROM pulse_results(:rounds)"
).bindparams(bindparam("rounds", type_=ARRAY(UUID(as_uuid=True))))


async def results(
    session: AsyncSession, round_ids: Sequence[uuid.UUID]
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Aggregates per round and rating side (no figure below 3 respondents), one statement."""
    if not round_ids:
        return []
    return await read_rows(session, _RESULTS, {"rounds": list(round_ids)})


_COMMENTS = text(
    "SELECT round_id, rating_party_id, comments FROM pulse_comments(:rounds)"
).bindparams(bindparam("rounds", type_=ARRAY(UUID(as_uuid=True))))


async def comments(
    session: AsyncSession, round_ids: Sequence[uuid.UUID]
) -> Sequence[Row[*tuple[Any, ...]]]:
    """Per closed round and rating side with 3 respondents or more: the comments' text, sorted
    by it (migration 0020), one statement."""
    if not round_ids:
        return []
    return await read_rows(session, _COMMENTS, {"rounds": list(round_ids)})


# --- the worker's functions (no identity: SECURITY DEFINER, migration 0019) -------------------


async def open_due(session: AsyncSession, *, now: datetime, limit: int) -> Sequence[Row[Any]]:
    stmt = text(
        "SELECT partnership_id, round_id, number, closes_at, party_ids "
        "FROM pulse_open_due(:now, :limit)"
    )
    return (await session.execute(stmt, {"now": now, "limit": limit})).all()


async def unanswered(
    session: AsyncSession, *, now: datetime, opened_before: datetime, limit: int
) -> Sequence[Row[Any]]:
    stmt = text(
        "SELECT partnership_id, round_id, number, closes_at, party_id, user_ids "
        "FROM pulse_unanswered(:now, :before, :limit)"
    )
    params = {"now": now, "before": opened_before, "limit": limit}
    return (await session.execute(stmt, params)).all()


# --- titles for the audit trail ---------------------------------------------------------------


async def cadence_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    stmt = select(
        col(PulseCadence.id), col(PulseCadence.number), col(PulseCadence.every_days)
    ).where(
        readable(PulseCadence, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(PulseCadence.id).in_(ids),
    )
    return {
        r[0]: Label(f"Pulse cadence v{r[1]}: every {r[2]} days", "PulseCadence", r[0])
        for r in await read_rows(session, stmt)
    }


async def round_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    del viewer_party_id  # every round is shared by both sides
    stmt = select(col(PulseRound.id), col(PulseRound.number)).where(
        col(PulseRound.partnership_id) == partnership_id, col(PulseRound.id).in_(ids)
    )
    return {
        r[0]: Label(f"Pulse survey #{r[1]}", "PulseRound", r[0])
        for r in await read_rows(session, stmt)
    }
