"""Contingency plans (joint, versioned, approved by both sides' LEADs), their activations, each
activation's steps and append-only timeline (migration 0017_contingency)."""

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


class Severity(enum.StrEnum):
    CRITICAL = "CRITICAL"
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    LOW = "LOW"


# Escalation raises the severity one step (CRITICAL stays).
SEVERITY_UP = {
    Severity.LOW: Severity.MEDIUM,
    Severity.MEDIUM: Severity.HIGH,
    Severity.HIGH: Severity.CRITICAL,
    Severity.CRITICAL: Severity.CRITICAL,
}
# Minutes between status updates by severity, unless the protocol says otherwise.
DEFAULT_CADENCE = {
    Severity.CRITICAL: 60,
    Severity.HIGH: 240,
    Severity.MEDIUM: 1440,
    Severity.LOW: 4320,
}


class VersionStatus(enum.StrEnum):
    DRAFT = "DRAFT"
    PENDING_APPROVAL = "PENDING_APPROVAL"
    APPROVED = "APPROVED"
    SUPERSEDED = "SUPERSEDED"


class TriggerKind(enum.StrEnum):
    DETECTOR = "DETECTOR"
    KPI_OFF_TRACK = "KPI_OFF_TRACK"
    SLA_BREACHES = "SLA_BREACHES"
    RISK_SCORE = "RISK_SCORE"
    MANUAL = "MANUAL"


class ActivationStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"


class EntryKind(enum.StrEnum):
    ACTIVATED = "ACTIVATED"
    STEP_DONE = "STEP_DONE"
    UPDATE = "UPDATE"
    UPDATE_MISSED = "UPDATE_MISSED"
    STEP_LATE = "STEP_LATE"
    ESCALATED = "ESCALATED"
    NOTE = "NOTE"
    CLOSED = "CLOSED"


class ContingencyPlan(OwnedRecord, table=True):
    __tablename__ = "contingency_plan"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="contingency_plan_partnership_id_owner_party_id_fkey",
        ),
        UniqueConstraint("id", name="contingency_plan_id_key"),
        Index("contingency_plan_list_idx", "partnership_id", "created_at", "id"),
    )

    title: str = text_field()
    in_force_version_id: uuid.UUID | None = None
    latest_number: int = Field(default=1, sa_column_kwargs=server_default("1"))


class PlanVersion(SQLModel, table=True):
    __tablename__ = "contingency_plan_version"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "plan_id"],
            ["contingency_plan.partnership_id", "contingency_plan.id"],
            name="contingency_plan_version_partnership_id_plan_id_fkey",
        ),
        UniqueConstraint("id", name="contingency_plan_version_id_key"),
        UniqueConstraint(
            "partnership_id", "plan_id", "number", name="contingency_plan_version_number_key"
        ),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    plan_id: uuid.UUID
    number: int
    status: str = text_field()
    scenario: str = text_field("", server_default="''")
    severity: str = text_field()
    # {"triggers": [...], "steps": [...], "protocol": str, "cadence": {severity: minutes},
    #  "oversight": [user id, ...]}
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))
    created_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()
    submitted_at: datetime | None = timestamp_field(nullable=True)
    approved_at: datetime | None = timestamp_field(nullable=True)


class PlanApproval(SQLModel, table=True):
    __tablename__ = "contingency_approval"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "version_id"],
            ["contingency_plan_version.partnership_id", "contingency_plan_version.id"],
            name="contingency_approval_partnership_id_version_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "party_id"],
            ["party.partnership_id", "party.id"],
            name="contingency_approval_partnership_id_party_id_fkey",
        ),
        UniqueConstraint(
            "partnership_id", "version_id", "party_id", name="contingency_approval_side_key"
        ),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    version_id: uuid.UUID
    party_id: uuid.UUID
    user_id: uuid.UUID = Field(foreign_key="app_user.id")
    approved_at: datetime = timestamp_field()


class Activation(OwnedRecord, table=True):
    __tablename__ = "contingency_activation"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="contingency_activation_partnership_id_owner_party_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "plan_id"],
            ["contingency_plan.partnership_id", "contingency_plan.id"],
            name="contingency_activation_partnership_id_plan_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "version_id"],
            ["contingency_plan_version.partnership_id", "contingency_plan_version.id"],
            name="contingency_activation_partnership_id_version_id_fkey",
        ),
        UniqueConstraint("id", name="contingency_activation_id_key"),
        UniqueConstraint(
            "partnership_id",
            "plan_id",
            "source",
            "episode",
            name="contingency_activation_episode_key",
        ),
        Index("contingency_activation_list_idx", "partnership_id", "started_at", "id"),
        Index(
            "contingency_activation_update_due_idx",
            "next_update_due_at",
            postgresql_where=text("status = 'ACTIVE'"),
        ),
    )

    plan_id: uuid.UUID
    version_id: uuid.UUID
    drill: bool = Field(default=False, sa_column_kwargs=server_default("false"))
    source: str = text_field()
    episode: str = text_field()
    summary: str = text_field("", server_default="''")
    status: str = text_field()
    severity: str = text_field()
    escalation_level: int = Field(default=0, sa_column_kwargs=server_default("0"))
    started_at: datetime = timestamp_field()
    closed_at: datetime | None = timestamp_field(nullable=True)
    next_update_due_at: datetime | None = timestamp_field(nullable=True)
    missed_updates: int = Field(default=0, sa_column_kwargs=server_default("0"))
    updates_on_time: int = Field(default=0, sa_column_kwargs=server_default("0"))
    # {"summary": str, "rootCauses": [str], "commitmentIds": [id]}
    postmortem: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB))
    score: int | None = None


class Step(SQLModel, table=True):
    __tablename__ = "contingency_step"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "activation_id"],
            ["contingency_activation.partnership_id", "contingency_activation.id"],
            name="contingency_step_partnership_id_activation_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="contingency_step_partnership_id_owner_party_id_fkey",
        ),
        UniqueConstraint("id", name="contingency_step_id_key"),
        UniqueConstraint(
            "partnership_id", "activation_id", "position", name="contingency_step_position_key"
        ),
        Index(
            "contingency_step_due_idx",
            "due_at",
            postgresql_where=text("completed_at IS NULL AND reminded_at IS NULL"),
        ),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    activation_id: uuid.UUID
    position: int
    title: str = text_field()
    owner_party_id: uuid.UUID
    role: str = text_field()
    act_within_minutes: int
    due_at: datetime = timestamp_field(server_default=None)
    completed_at: datetime | None = timestamp_field(nullable=True)
    completed_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    reminded_at: datetime | None = timestamp_field(nullable=True)


class Entry(SQLModel, table=True):
    """One line of an activation's timeline (append-only)."""

    __tablename__ = "contingency_entry"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "activation_id"],
            ["contingency_activation.partnership_id", "contingency_activation.id"],
            name="contingency_entry_partnership_id_activation_id_fkey",
        ),
        Index("contingency_entry_idx", "partnership_id", "activation_id", "at"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    activation_id: uuid.UUID
    kind: str = text_field()
    body: str = text_field("", server_default="''")
    actor_user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    actor_party_id: uuid.UUID | None = None
    at: datetime = timestamp_field(server_default="clock_timestamp()")
