"""Every SQL statement of the audit trail. Sequence and hashes are set by the database trigger."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.audit.models import AuditEvent
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.repository import paginate
from mutual.kit.visibility import readable


async def append(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(AuditEvent).values(**values))


async def trail(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    page: PageRequest,
    *,
    viewer_party_id: uuid.UUID,
    object_type: str | None = None,
    object_id: uuid.UUID | None = None,
) -> Page[AuditEvent]:
    stmt = select(AuditEvent).where(
        readable(AuditEvent, partnership_id=partnership_id, viewer_party_id=viewer_party_id)
    )
    if object_type is not None:
        stmt = stmt.where(col(AuditEvent.object_type) == object_type)
    if object_id is not None:
        stmt = stmt.where(col(AuditEvent.object_id) == object_id)
    stmt = stmt.order_by(col(AuditEvent.seq).desc())
    return await paginate(session, stmt, page)


async def verify_chain(session: AsyncSession, partnership_id: uuid.UUID) -> tuple[int, int | None]:
    row = (
        await session.execute(
            text("SELECT checked, first_broken_seq FROM mutual_verify_audit_chain(:p)"),
            {"p": partnership_id},
        )
    ).first()
    if row is None:
        return 0, None
    return int(row.checked), row.first_broken_seq


async def event_by_seq(
    session: AsyncSession, partnership_id: uuid.UUID, seq: int
) -> AuditEvent | None:
    return await session.get(AuditEvent, (partnership_id, seq))


async def event_by_id(session: AsyncSession, event_id: uuid.UUID) -> AuditEvent | None:
    stmt = select(AuditEvent).where(col(AuditEvent.id) == event_id)
    return (await session.execute(stmt)).scalar_one_or_none()
