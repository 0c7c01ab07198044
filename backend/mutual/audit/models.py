"""The audit trail: append-only, hash-chained per partnership by a trigger in the database."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, FetchedValue
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from mutual.kit.columns import timestamp_column


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    partnership_id: uuid.UUID = Field(primary_key=True)
    # Set by the chain trigger in the database.
    seq: int = Field(primary_key=True, sa_column_kwargs={"server_default": FetchedValue()})
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    actor_user_id: uuid.UUID | None = None
    actor_party_id: uuid.UUID | None = None
    action: str
    object_type: str
    object_id: uuid.UUID
    changes: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    visibility: str
    owner_party_id: uuid.UUID
    request_id: str
    created_at: datetime = Field(sa_column=timestamp_column())
    prev_hash: str
    hash: str
