"""The joint risk register: risks scored on a 5x5 matrix by each side, their treatment, actions,
acceptances and the links to what the partnership does about them."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKeyConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from mutual.kit.columns import server_default, text_field, uuid_key
from mutual.kit.records import OwnedRecord, timestamp_field
from mutual.kit.search import search_index


class RiskCategory(enum.StrEnum):
    DELIVERY = "DELIVERY"
    QUALITY = "QUALITY"
    FINANCIAL = "FINANCIAL"
    COMPLIANCE = "COMPLIANCE"
    SECURITY = "SECURITY"
    RELATIONSHIP = "RELATIONSHIP"
    OTHER = "OTHER"


class RiskStatus(enum.StrEnum):
    OPEN = "OPEN"
    ACCEPTED = "ACCEPTED"  # an acceptance is in force
    IN_REVIEW = "IN_REVIEW"  # its acceptance expired: to be reviewed again
    CLOSED = "CLOSED"


class Treatment(enum.StrEnum):
    MITIGATE = "MITIGATE"
    ACCEPT = "ACCEPT"
    TRANSFER = "TRANSFER"
    AVOID = "AVOID"


class RiskActionStatus(enum.StrEnum):
    OPEN = "OPEN"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


class ScoreBasis(enum.StrEnum):
    INHERENT = "INHERENT"
    RESIDUAL = "RESIDUAL"


class RiskBand(enum.StrEnum):
    LOW = "LOW"
    MEDIUM = "MEDIUM"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


class LinkKind(enum.StrEnum):
    COMMITMENT = "COMMITMENT"
    MILESTONE = "MILESTONE"
    KPI = "KPI"


class Risk(OwnedRecord, table=True):
    __tablename__ = "risk"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="risk_partnership_id_owner_party_id_fkey",
        ),
        UniqueConstraint("id", name="risk_id_key"),
        Index("risk_register_idx", "partnership_id", "created_at", "id"),
        Index("risk_review_idx", "next_review_on", "status"),
        search_index("risk"),
    )

    title: str = text_field()
    description: str = text_field("", server_default="''")
    category: str = text_field()
    status: str = text_field(RiskStatus.OPEN)
    treatment: str | None = text_field(None)
    treatment_plan: str = text_field("", server_default="''")
    review_every_days: int = Field(default=90, sa_column_kwargs=server_default("90"))
    next_review_on: date
    last_reviewed_at: datetime | None = timestamp_field(nullable=True)
    # Each side's latest assessment (the owner side's, the other side's), kept by every new
    # assessment, so the register and heat map read both with two key lookups per risk. No
    # foreign key: risk_assessment already references risk, and the pair would be circular.
    owner_assessment_id: uuid.UUID | None = None
    partner_assessment_id: uuid.UUID | None = None


class RiskAssessment(SQLModel, table=True):
    """One side's score of a risk at one moment (append-only): who, when, why."""

    __tablename__ = "risk_assessment"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "risk_id"],
            ["risk.partnership_id", "risk.id"],
            name="risk_assessment_partnership_id_risk_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="risk_assessment_partnership_id_owner_party_id_fkey",
        ),
        # Serves "each side's latest assessment as of a moment" (DISTINCT ON) and the history.
        Index(
            "risk_assessment_latest_idx",
            "partnership_id",
            "risk_id",
            "owner_party_id",
            text("assessed_at DESC"),
        ),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    risk_id: uuid.UUID
    owner_party_id: uuid.UUID  # the assessing side
    visibility: str = text_field()  # the risk's
    inherent_likelihood: int
    inherent_impact: int
    residual_likelihood: int
    residual_impact: int
    rationale: str = text_field("", server_default="''")
    assessed_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    assessed_at: datetime = timestamp_field(server_default="clock_timestamp()")


class RiskAction(SQLModel, table=True):
    """A step of a risk's treatment: who does it by when; it may be a commitment."""

    __tablename__ = "risk_action"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "risk_id"],
            ["risk.partnership_id", "risk.id"],
            name="risk_action_partnership_id_risk_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="risk_action_partnership_id_owner_party_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "commitment_id"],
            ["commitment.partnership_id", "commitment.id"],
            name="risk_action_partnership_id_commitment_id_fkey",
        ),
        Index("risk_action_risk_idx", "partnership_id", "risk_id", "due_date"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    risk_id: uuid.UUID
    title: str = text_field()
    owner_party_id: uuid.UUID
    visibility: str = text_field()
    due_date: date | None = None
    status: str = text_field(RiskActionStatus.OPEN)
    commitment_id: uuid.UUID | None = None
    created_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class RiskAcceptance(SQLModel, table=True):
    """A side accepts a risk: approved by one of its LEADs or GOVERNANCE members, with a reason,
    until an expiry at most a year ahead; the risk returns to review when it expires."""

    __tablename__ = "risk_acceptance"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "risk_id"],
            ["risk.partnership_id", "risk.id"],
            name="risk_acceptance_partnership_id_risk_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="risk_acceptance_partnership_id_owner_party_id_fkey",
        ),
        Index("risk_acceptance_risk_idx", "partnership_id", "risk_id", "created_at"),
        # At most one acceptance in force per risk; the daily task finds the expired ones.
        Index(
            "risk_acceptance_active_key",
            "partnership_id",
            "risk_id",
            unique=True,
            postgresql_where=text("ended_at IS NULL"),
        ),
        Index(
            "risk_acceptance_expiry_idx", "expires_on", postgresql_where=text("ended_at IS NULL")
        ),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    risk_id: uuid.UUID
    owner_party_id: uuid.UUID  # the accepting side
    visibility: str = text_field()
    approver_user_id: uuid.UUID = Field(foreign_key="app_user.id")
    reason: str = text_field()
    expires_on: date
    accepted_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()
    ended_at: datetime | None = timestamp_field(nullable=True)
    end_reason: str | None = text_field(None)  # EXPIRED, REPLACED, TREATMENT_CHANGED


class RiskLink(SQLModel, table=True):
    """A risk linked to a commitment, milestone or KPI. A link to an INTERNAL record is INTERNAL
    to that record's side, so the other side never learns of it."""

    __tablename__ = "risk_link"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "risk_id"],
            ["risk.partnership_id", "risk.id"],
            name="risk_link_partnership_id_risk_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="risk_link_partnership_id_owner_party_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "commitment_id"],
            ["commitment.partnership_id", "commitment.id"],
            name="risk_link_partnership_id_commitment_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "milestone_id"],
            ["milestone.partnership_id", "milestone.id"],
            name="risk_link_partnership_id_milestone_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "kpi_id"],
            ["kpi.partnership_id", "kpi.id"],
            name="risk_link_partnership_id_kpi_id_fkey",
        ),
        Index("risk_link_risk_idx", "partnership_id", "risk_id"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    risk_id: uuid.UUID
    kind: str = text_field()
    commitment_id: uuid.UUID | None = None
    milestone_id: uuid.UUID | None = None
    kpi_id: uuid.UUID | None = None
    owner_party_id: uuid.UUID
    visibility: str = text_field()
    created_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()


class KeptState(SQLModel):
    """What every history row of the register holds besides the state it keeps: `backfilled`
    marks the first row of a record older than the history (its state from its last update)."""

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    owner_party_id: uuid.UUID
    visibility: str = text_field()
    backfilled: bool = Field(default=False, sa_column_kwargs=server_default("false"))
    at: datetime = timestamp_field(server_default="clock_timestamp()")


class RiskHistory(KeptState, table=True):
    """A risk's kept state (title, category, status, treatment, plan, next review) from `at`
    on: written by a trigger on every change (migration 0020), append-only."""

    __tablename__ = "risk_history"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "risk_id"],
            ["risk.partnership_id", "risk.id"],
            name="risk_history_partnership_id_risk_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="risk_history_partnership_id_owner_party_id_fkey",
        ),
        Index("risk_history_as_of_idx", "partnership_id", "risk_id", text("at DESC")),
    )

    risk_id: uuid.UUID
    title: str = text_field()
    category: str = text_field()
    status: str = text_field()
    treatment: str | None = text_field(None)
    treatment_plan: str = text_field("", server_default="''")
    next_review_on: date


class RiskActionHistory(KeptState, table=True):
    """An action's kept state (title, status, due date) from `at` on, like `RiskHistory`."""

    __tablename__ = "risk_action_history"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "action_id"],
            ["risk_action.partnership_id", "risk_action.id"],
            name="risk_action_history_partnership_id_action_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="risk_action_history_partnership_id_owner_party_id_fkey",
        ),
        Index("risk_action_history_as_of_idx", "partnership_id", "action_id", text("at DESC")),
    )

    action_id: uuid.UUID
    risk_id: uuid.UUID
    title: str = text_field()
    status: str = text_field()
    due_date: date | None = None
