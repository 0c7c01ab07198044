"""Every SQL statement of the audit trail. Sequence and hashes are set by the database trigger."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.audit.models import AuditEvent, AuditLink
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.repository import paginate


async def append_all(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """One INSERT of every row (the chain trigger numbers and hashes each in turn)."""
    await session.execute(insert(AuditEvent).values(list(rows)))


@dataclass(frozen=True)
class SeenEvent:
    """An event as one side sees it: its number and links in that side's view."""

    event: AuditEvent
    seq: int
    prev_hash: str
    hash: str


_VIEW_JOIN = and_(
    col(AuditLink.partnership_id) == col(AuditEvent.partnership_id),
    col(AuditLink.event_seq) == col(AuditEvent.seq),
)


# The event, then its number and links in the viewer's view (read by _as_seen).
_SEEN_COLUMNS: tuple[Any, ...] = (
    AuditEvent,
    col(AuditLink.seq),
    col(AuditLink.prev_hash),
    col(AuditLink.hash),
)


def _seen(partnership_id: uuid.UUID, viewer_party_id: uuid.UUID) -> Select[Any]:
    """Events joined to the viewer's side's view of them: a side has a link for exactly the
    events it may read (SHARED and its own INTERNAL ones), so the join is the visibility."""
    return (
        select(*_SEEN_COLUMNS)
        .join(AuditLink, _VIEW_JOIN)
        .where(
            col(AuditLink.partnership_id) == partnership_id,
            col(AuditLink.party_id) == viewer_party_id,
        )
    )


def _as_seen(row: Any) -> SeenEvent:
    return SeenEvent(event=row[0], seq=row[1], prev_hash=row[2], hash=row[3])


@dataclass(frozen=True)
class TrailFilter:
    """Which events of a side's view to list; None (or empty) leaves a criterion out."""

    object_types: tuple[str, ...] = ()
    object_id: uuid.UUID | None = None
    actor_party_id: uuid.UUID | None = None
    actor_user_id: uuid.UUID | None = None
    created_from: datetime | None = None  # inclusive
    created_before: datetime | None = None  # exclusive


async def trail(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    page: PageRequest,
    *,
    viewer_party_id: uuid.UUID,
    where: TrailFilter = TrailFilter(),  # frozen: a safe default
) -> Page[SeenEvent]:
    """One statement for a page and its total (the filters are plain conditions, whatever
    they are)."""
    stmt = _seen(partnership_id, viewer_party_id)
    if where.object_types:
        stmt = stmt.where(col(AuditEvent.object_type).in_(where.object_types))
    if where.object_id is not None:
        stmt = stmt.where(col(AuditEvent.object_id) == where.object_id)
    if where.actor_party_id is not None:
        stmt = stmt.where(col(AuditEvent.actor_party_id) == where.actor_party_id)
    if where.actor_user_id is not None:
        stmt = stmt.where(col(AuditEvent.actor_user_id) == where.actor_user_id)
    if where.created_from is not None:
        stmt = stmt.where(col(AuditEvent.created_at) >= where.created_from)
    if where.created_before is not None:
        stmt = stmt.where(col(AuditEvent.created_at) < where.created_before)
    stmt = stmt.order_by(col(AuditLink.seq).desc())
    rows = await paginate(session, stmt, page, scalar=False)
    return Page(items=[_as_seen(row) for row in rows.items], offset=rows.offset, total=rows.total)


async def verify_view(session: AsyncSession, partnership_id: uuid.UUID) -> tuple[int, int | None]:
    """(links checked, first broken number) of the caller's side's view."""
    row = (
        await session.execute(
            text("SELECT checked, first_broken_seq FROM mutual_verify_audit_view(:p)"),
            {"p": partnership_id},
        )
    ).first()
    if row is None:
        return 0, None
    return int(row.checked), row.first_broken_seq


async def seen_at(
    session: AsyncSession, partnership_id: uuid.UUID, viewer_party_id: uuid.UUID, seq: int
) -> SeenEvent | None:
    """The event numbered `seq` in the viewer's side's view."""
    stmt = _seen(partnership_id, viewer_party_id).where(col(AuditLink.seq) == seq)
    row = (await session.execute(stmt)).first()
    return _as_seen(row) if row is not None else None


async def seen_by_id(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    event_id: uuid.UUID,
) -> SeenEvent | None:
    stmt = _seen(partnership_id, viewer_party_id).where(col(AuditEvent.id) == event_id)
    row = (await session.execute(stmt)).first()
    return _as_seen(row) if row is not None else None


async def event_by_id(session: AsyncSession, event_id: uuid.UUID) -> AuditEvent | None:
    stmt = select(AuditEvent).where(col(AuditEvent.id) == event_id)
    return (await session.execute(stmt)).scalar_one_or_none()
