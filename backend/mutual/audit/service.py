"""Appending to and reading the hash-chained audit trail."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import repository
from mutual.audit.labels import KINDS
from mutual.audit.repository import SeenEvent, TrailFilter
from mutual.kit.errors import Invalid, NotFound
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.records import OwnedRecord, Visibility
from mutual.kit.request import current_request_id
from mutual.tenancy.workspace import Workspace


def _plain(value: Any) -> Any:
    """JSON-safe form of a changed value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (uuid.UUID, date, datetime)):
        return value.isoformat() if not isinstance(value, uuid.UUID) else str(value)
    return value


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """{field: {"from": old, "to": new}} for the fields whose value changed."""
    return {
        key: {"from": _plain(before.get(key)), "to": _plain(value)}
        for key, value in after.items()
        if before.get(key) != value
    }


def created(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: {"from": None, "to": _plain(value)} for key, value in values.items()}


@dataclass(frozen=True)
class Event:
    """One event to append: its partnership's chain, who did what to which object, and which
    sides may read it (SHARED: both; INTERNAL: the owner's)."""

    partnership_id: uuid.UUID
    actor_user_id: uuid.UUID | None
    actor_party_id: uuid.UUID | None
    action: str
    object_type: str
    object_id: uuid.UUID
    owner_party_id: uuid.UUID
    changes: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    visibility: Visibility = Visibility.SHARED


async def record_all(session: AsyncSession, events: Sequence[Event]) -> None:
    """Append events, in one statement whatever their number, in the caller's transaction.
    Ordered by partnership: each chain's lock is taken in the same order by every writer, so
    two writes spanning the same partnerships never deadlock."""
    if not events:
        return
    request_id = current_request_id()
    await repository.append_all(
        session,
        [
            {
                "partnership_id": e.partnership_id,
                "actor_user_id": e.actor_user_id,
                "actor_party_id": e.actor_party_id,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "changes": dict(e.changes),
                "visibility": e.visibility.value,
                "owner_party_id": e.owner_party_id,
                "request_id": request_id,
            }
            for e in sorted(events, key=lambda e: e.partnership_id)
        ],
    )


async def record(
    session: AsyncSession,
    *,
    partnership_id: uuid.UUID,
    actor_user_id: uuid.UUID | None,
    actor_party_id: uuid.UUID | None,
    action: str,
    object_type: str,
    object_id: uuid.UUID,
    owner_party_id: uuid.UUID,
    changes: Mapping[str, Any] | None = None,
    visibility: Visibility = Visibility.SHARED,
) -> None:
    """Append one event in the caller's transaction; it commits or rolls back with the change."""
    await record_all(
        session,
        [
            Event(
                partnership_id=partnership_id,
                actor_user_id=actor_user_id,
                actor_party_id=actor_party_id,
                action=action,
                object_type=object_type,
                object_id=object_id,
                owner_party_id=owner_party_id,
                changes=changes or {},
                visibility=visibility,
            )
        ],
    )


def _utc(moment: datetime | None) -> datetime | None:
    """A moment with its time zone; one given without is read as UTC (the API's timestamps)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def trail_filter(
    workspace: Workspace,
    *,
    object_types: Sequence[str] = (),
    actor_party_id: uuid.UUID | None = None,
    actor_user_id: uuid.UUID | None = None,
    created_from: datetime | None = None,
    created_before: datetime | None = None,
) -> TrailFilter:
    """The trail's filter, checked: known object types, a side of this partnership, and a
    period that ends after it starts."""
    types = tuple(dict.fromkeys(object_types))
    unknown = [t for t in types if t not in KINDS]
    if unknown:
        raise Invalid(
            f"No event names an object of type {', '.join(unknown)}; "
            f"the types are {', '.join(sorted(KINDS))}.",
            field="filter.objectTypes",
        )
    if actor_party_id is not None and all(p.id != actor_party_id for p in workspace.parties):
        raise NotFound("side of this partnership", field="filter.partyId")
    start, end = _utc(created_from), _utc(created_before)
    if start is not None and end is not None and end <= start:
        raise Invalid("createdBefore must come after createdFrom.", field="filter.createdBefore")
    return TrailFilter(
        object_types=types,
        actor_party_id=actor_party_id,
        actor_user_id=actor_user_id,
        created_from=start,
        created_before=end,
    )


async def trail(
    session: AsyncSession,
    *,
    workspace: Workspace,
    page: PageRequest,
    object_type: str | None = None,
    object_id: uuid.UUID | None = None,
    where: TrailFilter | None = None,
) -> Page[SeenEvent]:
    """The events this side may see (SHARED ones and its own INTERNAL ones), as its view
    numbers and chains them (not only by RLS: the view holds just those), filtered."""
    where = where or TrailFilter()
    if object_type is not None:
        where = dataclasses.replace(where, object_types=(object_type,))
    if object_id is not None:
        where = dataclasses.replace(where, object_id=object_id)
    return await repository.trail(
        session, workspace.id, page, viewer_party_id=workspace.own_party.id, where=where
    )


@dataclass(frozen=True)
class ChainVerification:
    intact: bool
    checked: int
    first_broken_seq: int | None
    first_broken: SeenEvent | None


async def verify(session: AsyncSession, *, workspace: Workspace) -> ChainVerification:
    """Check the caller's side's view from its first link: it counts what this side may read,
    and nothing of the other side's INTERNAL events."""
    checked, broken_seq = await repository.verify_view(session, workspace.id)
    broken = (
        await repository.seen_at(session, workspace.id, workspace.own_party.id, broken_seq)
        if broken_seq is not None
        else None
    )
    return ChainVerification(
        intact=broken_seq is None, checked=checked, first_broken_seq=broken_seq, first_broken=broken
    )


async def record_change(
    session: AsyncSession,
    *,
    actor_user_id: uuid.UUID,
    actor_party_id: uuid.UUID,
    target: OwnedRecord,
    action: str,
    changes: Mapping[str, Any],
) -> None:
    """Audit a change to an owned workspace record with its own owner and visibility."""
    await record(
        session,
        partnership_id=target.partnership_id,
        actor_user_id=actor_user_id,
        actor_party_id=actor_party_id,
        action=action,
        object_type=type(target).__name__,
        object_id=target.id,
        owner_party_id=target.owner_party_id,
        changes=changes,
        visibility=Visibility(target.visibility),
    )


async def workspace_change(
    session: AsyncSession,
    workspace: Workspace,
    *,
    target: OwnedRecord,
    action: str,
    changes: Mapping[str, Any],
) -> None:
    """Audit a change made by the workspace's caller, on behalf of the caller's side."""
    await record_change(
        session,
        actor_user_id=workspace.actor.user_id,
        actor_party_id=workspace.own_party.id,
        target=target,
        action=action,
        changes=changes,
    )
