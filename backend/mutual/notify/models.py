"""Notifications: notices, each recipient's inbox, preferences, webhook endpoints and their
delivery log (migration 0013_notifications)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ARRAY, Column, ForeignKeyConstraint, Index, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from mutual.kit.columns import server_default, text_field, uuid_key
from mutual.kit.records import OwnedRecord, timestamp_field


class Delivery(enum.StrEnum):
    """How a user is told of a kind of notice."""

    INBOX_ONLY = "INBOX_ONLY"
    EMAIL = "EMAIL"
    DAILY_DIGEST = "DAILY_DIGEST"


class DeliveryStatus(enum.StrEnum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    RETRYING = "RETRYING"
    FAILED = "FAILED"


class Notice(SQLModel, table=True):
    __tablename__ = "notice"
    __table_args__ = (
        UniqueConstraint("partnership_id", "kind", "dedupe_key", name="notice_dedupe_key"),
        ForeignKeyConstraint(
            ["partnership_id", "party_id"],
            ["party.partnership_id", "party.id"],
            name="notice_partnership_id_party_id_fkey",
        ),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    kind: str = text_field()
    party_id: uuid.UUID
    subject_type: str = text_field()
    subject_id: uuid.UUID
    title: str = text_field()
    body: str = text_field("", server_default="''")
    dedupe_key: str | None = text_field(None)
    created_at: datetime = timestamp_field()


class InboxItem(SQLModel, table=True):
    __tablename__ = "inbox_item"
    __table_args__ = (
        UniqueConstraint(
            "partnership_id", "notice_id", "user_id", name="inbox_item_notice_user_key"
        ),
        ForeignKeyConstraint(
            ["partnership_id", "notice_id"],
            ["notice.partnership_id", "notice.id"],
            name="inbox_item_partnership_id_notice_id_fkey",
        ),
        Index("inbox_item_user_idx", "user_id", "created_at", "id"),
        Index("inbox_item_unread_idx", "user_id", "read_at"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    notice_id: uuid.UUID
    user_id: uuid.UUID = Field(foreign_key="app_user.id")
    delivery: str = text_field()
    created_at: datetime = timestamp_field(server_default="clock_timestamp()")
    read_at: datetime | None = timestamp_field(nullable=True)
    emailed_at: datetime | None = timestamp_field(nullable=True)


class NotificationPreference(SQLModel, table=True):
    __tablename__ = "notification_preference"

    user_id: uuid.UUID = Field(primary_key=True, foreign_key="app_user.id")
    kind: str = Field(primary_key=True, sa_type=Text)
    delivery: str = text_field()
    updated_at: datetime = timestamp_field()


class WebhookEndpoint(OwnedRecord, table=True):
    """One side's endpoint (INTERNAL to it): what it is sent, and how it has been answering."""

    __tablename__ = "webhook_endpoint"
    __table_args__ = (
        UniqueConstraint("id", name="webhook_endpoint_id_key"),
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="webhook_endpoint_partnership_id_owner_party_id_fkey",
        ),
    )

    url: str = text_field()
    description: str = text_field("", server_default="''")
    event_types: list[str] = Field(
        default_factory=list,
        sa_column=Column(ARRAY(Text), nullable=False, server_default=text("'{}'")),
    )
    secret: str = text_field()
    previous_secret: str | None = text_field(None)
    previous_secret_expires_at: datetime | None = timestamp_field(nullable=True)
    enabled: bool = Field(default=True, sa_column_kwargs=server_default("true"))
    disabled_reason: str | None = text_field(None)
    failure_count: int = Field(default=0, sa_column_kwargs=server_default("0"))


class WebhookDelivery(SQLModel, table=True):
    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("id", name="webhook_delivery_id_key"),
        ForeignKeyConstraint(
            ["partnership_id", "endpoint_id"],
            ["webhook_endpoint.partnership_id", "webhook_endpoint.id"],
            name="webhook_delivery_partnership_id_endpoint_id_fkey",
            ondelete="CASCADE",
        ),
        Index("webhook_delivery_endpoint_idx", "partnership_id", "endpoint_id", "created_at"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    endpoint_id: uuid.UUID
    owner_party_id: uuid.UUID
    event_type: str = text_field()
    payload: dict[str, object] = Field(sa_column=Column(JSONB, nullable=False))
    status: str = text_field(DeliveryStatus.PENDING, server_default="'PENDING'")
    attempts: int = Field(default=0, sa_column_kwargs=server_default("0"))
    response_status: int | None = None
    response_ms: int | None = None
    error: str | None = text_field(None)
    created_at: datetime = timestamp_field(server_default="clock_timestamp()")
    last_attempt_at: datetime | None = timestamp_field(nullable=True)
    delivered_at: datetime | None = timestamp_field(nullable=True)
