"""Feedback between the two sides, its SLA clocks, comments, history and the agreed SLA policy."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKeyConstraint, Index, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from mutual.kit.columns import server_default, text_field, uuid_key
from mutual.kit.records import OwnedRecord, timestamp_field

# The stated limits of a feedback's text (and of a comment's).
TITLE_LIMIT = 200
BODY_LIMIT = 20_000


class FeedbackStatus(enum.StrEnum):
    SUBMITTED = "SUBMITTED"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    IN_PROGRESS = "IN_PROGRESS"
    WAITING_ON_SUBMITTER = "WAITING_ON_SUBMITTER"
    RESOLVED = "RESOLVED"
    CLOSED = "CLOSED"


OPEN_STATUSES = (
    FeedbackStatus.SUBMITTED,
    FeedbackStatus.ACKNOWLEDGED,
    FeedbackStatus.IN_PROGRESS,
    FeedbackStatus.WAITING_ON_SUBMITTER,
)


class FeedbackCategory(enum.StrEnum):
    DELIVERY = "DELIVERY"
    QUALITY = "QUALITY"
    COMMUNICATION = "COMMUNICATION"
    BILLING = "BILLING"
    OTHER = "OTHER"


class Severity(enum.StrEnum):
    CRITICAL = "CRITICAL"
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


class FeedbackAction(enum.StrEnum):
    SUBMIT = "SUBMIT"
    ACKNOWLEDGE = "ACKNOWLEDGE"
    START = "START"
    ASK_SUBMITTER = "ASK_SUBMITTER"
    RESUME = "RESUME"
    RESOLVE = "RESOLVE"
    ACCEPT = "ACCEPT"
    REOPEN = "REOPEN"
    AUTO_CLOSE = "AUTO_CLOSE"


class PolicyStatus(enum.StrEnum):
    PROPOSED = "PROPOSED"
    ACTIVE = "ACTIVE"
    SUPERSEDED = "SUPERSEDED"
    DECLINED = "DECLINED"


class Feedback(OwnedRecord, table=True):
    """Owned by the submitting side; the clock runs against `receiving_party_id`.

    Each clock (fr_: first response, res_: resolution) keeps its target and the business time
    used before it last started running (`*_used_s`), when it runs since (NULL while paused or
    stopped), its at-risk and due moments while it runs, when it stopped, and when its at-risk
    and breach events fired. `alarm_at` is the earliest moment still to fire (the SLA scan's
    index); `closes_at` when a resolved item closes itself."""

    __tablename__ = "feedback"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="feedback_partnership_id_owner_party_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "receiving_party_id"],
            ["party.partnership_id", "party.id"],
            name="feedback_partnership_id_receiving_party_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "commitment_id"],
            ["commitment.partnership_id", "commitment.id"],
            name="feedback_partnership_id_commitment_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "milestone_id"],
            ["milestone.partnership_id", "milestone.id"],
            name="feedback_partnership_id_milestone_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "kpi_id"],
            ["kpi.partnership_id", "kpi.id"],
            name="feedback_partnership_id_kpi_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "fix_commitment_id"],
            ["commitment.partnership_id", "commitment.id"],
            name="feedback_partnership_id_fix_commitment_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "fix_milestone_id"],
            ["milestone.partnership_id", "milestone.id"],
            name="feedback_partnership_id_fix_milestone_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "policy_id"],
            ["feedback_policy.partnership_id", "feedback_policy.id"],
            name="feedback_partnership_id_policy_id_fkey",
        ),
        UniqueConstraint("id", name="feedback_id_key"),
        Index("feedback_due_idx", "partnership_id", "due_at", "id"),
        Index("feedback_updated_idx", "partnership_id", "updated_at", "id"),
        Index("feedback_alarm_idx", "alarm_at", postgresql_where=text("alarm_at IS NOT NULL")),
        Index("feedback_closes_idx", "closes_at", postgresql_where=text("closes_at IS NOT NULL")),
        Index(
            "feedback_waiting_idx",
            "status_at",
            postgresql_where=text("status <> 'CLOSED'"),
        ),
    )

    title: str = text_field()
    body: str = text_field("", server_default="''")
    category: str = text_field()
    severity: str = text_field()
    status: str = text_field(FeedbackStatus.SUBMITTED)
    status_at: datetime = timestamp_field()
    receiving_party_id: uuid.UUID
    commitment_id: uuid.UUID | None = None
    milestone_id: uuid.UUID | None = None
    kpi_id: uuid.UUID | None = None
    policy_id: uuid.UUID | None = None
    calendar: dict[str, Any] = Field(
        default_factory=dict,
        sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb")),
    )
    resolution_note: str | None = text_field(None)
    fix_commitment_id: uuid.UUID | None = None
    fix_milestone_id: uuid.UUID | None = None
    rating: int | None = None
    rating_comment: str | None = text_field(None)
    reopen_count: int = Field(default=0, sa_column_kwargs=server_default("0"))
    first_response_at: datetime | None = timestamp_field(nullable=True)
    resolved_at: datetime | None = timestamp_field(nullable=True)
    closed_at: datetime | None = timestamp_field(nullable=True)
    closes_at: datetime | None = timestamp_field(nullable=True)
    due_at: datetime | None = timestamp_field(nullable=True)
    alarm_at: datetime | None = timestamp_field(nullable=True)

    fr_target_s: int
    fr_used_s: int = Field(default=0, sa_column_kwargs=server_default("0"))
    fr_running_since: datetime | None = timestamp_field(nullable=True)
    fr_risk_at: datetime | None = timestamp_field(nullable=True)
    fr_due_at: datetime | None = timestamp_field(nullable=True)
    fr_stopped_at: datetime | None = timestamp_field(nullable=True)
    fr_risk_fired_at: datetime | None = timestamp_field(nullable=True)
    fr_breach_fired_at: datetime | None = timestamp_field(nullable=True)

    res_target_s: int
    res_used_s: int = Field(default=0, sa_column_kwargs=server_default("0"))
    res_running_since: datetime | None = timestamp_field(nullable=True)
    res_risk_at: datetime | None = timestamp_field(nullable=True)
    res_due_at: datetime | None = timestamp_field(nullable=True)
    res_stopped_at: datetime | None = timestamp_field(nullable=True)
    res_risk_fired_at: datetime | None = timestamp_field(nullable=True)
    res_breach_fired_at: datetime | None = timestamp_field(nullable=True)


class FeedbackComment(SQLModel, table=True):
    """A comment: SHARED for both sides, or an INTERNAL note of its author's side."""

    __tablename__ = "feedback_comment"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "feedback_id"],
            ["feedback.partnership_id", "feedback.id"],
            name="feedback_comment_partnership_id_feedback_id_fkey",
        ),
        Index("feedback_comment_idx", "partnership_id", "feedback_id", "created_at"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    feedback_id: uuid.UUID
    body: str = text_field()
    author_user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field(server_default="clock_timestamp()")
    owner_party_id: uuid.UUID  # the author's side
    visibility: str = text_field()


class FeedbackTransition(SQLModel, table=True):
    """Every step of a feedback's life (append-only): its timeline and its figures' source."""

    __tablename__ = "feedback_transition"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "feedback_id"],
            ["feedback.partnership_id", "feedback.id"],
            name="feedback_transition_partnership_id_feedback_id_fkey",
        ),
        Index("feedback_transition_idx", "partnership_id", "feedback_id", "at"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    feedback_id: uuid.UUID
    action: str = text_field()
    from_status: str | None = text_field(None)
    to_status: str = text_field()
    actor_user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    actor_party_id: uuid.UUID | None = None
    note: str = text_field("", server_default="''")
    at: datetime = timestamp_field(server_default="clock_timestamp()")
    owner_party_id: uuid.UUID
    visibility: str = text_field()


class FeedbackPolicy(OwnedRecord, table=True):
    """One version of a partnership's SLA policy, proposed by one side (its owner) and in force
    once the other side's LEAD accepts it. `targets` is {severity: {"first_response": minutes,
    "resolution": minutes}}; `calendars` is {party id: calendar} (business_time.Calendar)."""

    __tablename__ = "feedback_policy"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="feedback_policy_partnership_id_owner_party_id_fkey",
        ),
        UniqueConstraint("id", name="feedback_policy_id_key"),
        UniqueConstraint(
            "partnership_id", "number", name="feedback_policy_partnership_id_number_key"
        ),
        Index(
            "feedback_policy_active_key",
            "partnership_id",
            unique=True,
            postgresql_where=text("status = 'ACTIVE'"),
        ),
    )

    number: int
    status: str = text_field(PolicyStatus.PROPOSED)
    business_hours: bool = True
    targets: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    calendars: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    auto_close_days: int = 7
    note: str = text_field("", server_default="''")
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = timestamp_field(nullable=True)
    effective_at: datetime | None = timestamp_field(nullable=True)
