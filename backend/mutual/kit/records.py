"""The columns every owned, versioned workspace record shares, and its optimistic update."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import DateTime, func, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col

from mutual.kit.columns import server_default, text_field, uuid_key
from mutual.kit.errors import conflict


class Visibility(enum.StrEnum):
    SHARED = "SHARED"
    INTERNAL = "INTERNAL"


class Owned(Protocol):
    """Anything with a visibility and an accountable party: records, audit events."""

    @property
    def visibility(self) -> str: ...
    @property
    def owner_party_id(self) -> uuid.UUID: ...


def timestamp_field(*, nullable: bool = False, server_default: str | None = "now()") -> Any:
    """A timestamptz field for inheritable models; NOT NULL ones default to `server_default`
    (SQL: now() unless told otherwise, None for no default) in the database."""
    kwargs = {} if nullable or server_default is None else {"server_default": text(server_default)}
    return Field(
        default=None, sa_type=DateTime(timezone=True), nullable=nullable, sa_column_kwargs=kwargs
    )


class OwnedRecord(SQLModel):
    """partnership_id and id (the key), the accountable party, visibility and version.

    Each table also declares, in its __table_args__, the foreign key (partnership_id,
    owner_party_id) -> party and the UNIQUE (id) its migration has."""

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    owner_party_id: uuid.UUID
    visibility: str = text_field(Visibility.SHARED)
    version: int = Field(default=1, sa_column_kwargs=server_default("1"))
    created_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


R = TypeVar("R", bound=OwnedRecord)


async def update_versioned(
    session: AsyncSession, record: R, *, expected_version: int, values: dict[str, Any]
) -> R | None:
    """Apply `values` only if the row still has `expected_version`; None when it moved on."""
    model = type(record)
    stmt = (
        update(model)
        .where(
            col(model.partnership_id) == record.partnership_id,
            col(model.id) == record.id,
            col(model.version) == expected_version,
        )
        .values(**values, version=col(model.version) + 1, updated_at=func.now())
        .returning(model)
    )
    # No in-memory synchronisation: when no row matches, the loaded record must stay as read.
    options = {"populate_existing": True, "synchronize_session": False}
    result = await session.execute(stmt, execution_options=options)
    return result.scalar_one_or_none()


async def apply_versioned(
    session: AsyncSession,
    workspace: Any,
    record: R,
    *,
    expected_version: int,
    values: dict[str, Any],
    refetch: Callable[[AsyncSession, uuid.UUID], Awaitable[R | None]],
) -> R:
    """update_versioned, or a CONFLICT carrying the record as it is now."""
    what = type(record).__name__.lower()
    if record.version != expected_version:
        raise conflict(workspace, record, what)
    updated = await update_versioned(
        session, record, expected_version=expected_version, values=values
    )
    if updated is None:
        raise conflict(workspace, await refetch(session, record.id), what)
    return updated
