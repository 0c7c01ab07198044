"""The audit trail: append-only, hash-chained per partnership by a trigger in the database."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    FetchedValue,
    ForeignKeyConstraint,
    Index,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from mutual.kit.columns import text_field, timestamp_column, uuid_key


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (
        UniqueConstraint("id", name="audit_event_id_key"),
        Index("audit_event_object_idx", "partnership_id", "object_type", "object_id"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    # Set by the chain trigger in the database.
    seq: int = Field(
        primary_key=True, sa_type=BigInteger, sa_column_kwargs={"server_default": FetchedValue()}
    )
    id: uuid.UUID = uuid_key()
    actor_user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    actor_party_id: uuid.UUID | None = None
    action: str = text_field()
    object_type: str = text_field()
    object_id: uuid.UUID
    changes: dict[str, Any] = Field(
        sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    )
    visibility: str = text_field()
    owner_party_id: uuid.UUID
    request_id: str = text_field()
    created_at: datetime = Field(sa_column=timestamp_column())
    prev_hash: str = text_field()
    hash: str = text_field()


class AuditLink(SQLModel, table=True):
    """An event as one side sees it: numbered 1..n in that side's view, chained to the view's
    previous link (migration 0007). Written by a trigger; each side reads only its own."""

    __tablename__ = "audit_link"
    __table_args__ = (
        UniqueConstraint("partnership_id", "party_id", "event_seq", name="audit_link_event_key"),
        ForeignKeyConstraint(
            ["partnership_id", "party_id"],
            ["party.partnership_id", "party.id"],
            name="audit_link_partnership_id_party_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "event_seq"],
            ["audit_event.partnership_id", "audit_event.seq"],
            name="audit_link_partnership_id_event_seq_fkey",
        ),
    )

    partnership_id: uuid.UUID = Field(primary_key=True)
    party_id: uuid.UUID = Field(primary_key=True)
    seq: int = Field(primary_key=True, sa_type=BigInteger)
    event_seq: int = Field(sa_type=BigInteger)
    prev_hash: str = text_field()
    hash: str = text_field()
