"""Two-sided commitments, their evidence and every step of their life."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKeyConstraint, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from mutual.kit.columns import text_field, uuid_key
from mutual.kit.records import OwnedRecord, timestamp_field
from mutual.kit.search import search_index


class CommitmentStatus(enum.StrEnum):
    PROPOSED = "PROPOSED"
    AGREED = "AGREED"
    DECLINED = "DECLINED"
    IN_PROGRESS = "IN_PROGRESS"
    DELIVERED = "DELIVERED"
    CONFIRMED = "CONFIRMED"
    DISPUTED = "DISPUTED"
    # Derived from the clock, never stored: past due and not delivered.
    MISSED = "MISSED"


OPEN_STATUSES = (CommitmentStatus.AGREED, CommitmentStatus.IN_PROGRESS)


class CommitmentAction(enum.StrEnum):
    PROPOSE = "PROPOSE"
    ACCEPT = "ACCEPT"
    DECLINE = "DECLINE"
    START = "START"
    DELIVER = "DELIVER"
    CONFIRM = "CONFIRM"
    DISPUTE = "DISPUTE"
    REQUEST_RENEGOTIATION = "REQUEST_RENEGOTIATION"
    ACCEPT_RENEGOTIATION = "ACCEPT_RENEGOTIATION"
    DECLINE_RENEGOTIATION = "DECLINE_RENEGOTIATION"


class Commitment(OwnedRecord, table=True):
    __tablename__ = "commitment"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="commitment_partnership_id_owner_party_id_fkey",
        ),
        UniqueConstraint("id", name="commitment_id_key"),
        search_index("commitment"),
        ForeignKeyConstraint(
            ["partnership_id", "proposed_by_party_id"],
            ["party.partnership_id", "party.id"],
            name="commitment_partnership_id_proposed_by_party_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "milestone_id"],
            ["milestone.partnership_id", "milestone.id"],
            name="commitment_partnership_id_milestone_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "kpi_id"],
            ["kpi.partnership_id", "kpi.id"],
            name="commitment_partnership_id_kpi_id_fkey",
        ),
        Index("commitment_due_idx", "partnership_id", "due_date", "id"),
        Index("commitment_updated_idx", "partnership_id", "updated_at", "id"),
        Index("commitment_milestone_idx", "partnership_id", "milestone_id"),
    )

    title: str = text_field()
    description: str = text_field("", server_default="''")
    proposed_by_party_id: uuid.UUID
    due_date: date
    milestone_id: uuid.UUID | None = None
    kpi_id: uuid.UUID | None = None
    status: str = text_field(CommitmentStatus.PROPOSED)
    delivered_at: datetime | None = timestamp_field(nullable=True)
    confirmed_at: datetime | None = timestamp_field(nullable=True)
    dispute_reason: str | None = text_field(None)
    renegotiation_due_date: date | None = None
    renegotiation_reason: str | None = text_field(None)

    def effective_status(self, today: date) -> CommitmentStatus:
        if self.status in OPEN_STATUSES and self.due_date < today:
            return CommitmentStatus.MISSED
        return CommitmentStatus(self.status)


class CommitmentEvidence(SQLModel, table=True):
    __tablename__ = "commitment_evidence"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "commitment_id"],
            ["commitment.partnership_id", "commitment.id"],
            name="commitment_evidence_partnership_id_commitment_id_fkey",
        ),
        Index("commitment_evidence_idx", "partnership_id", "commitment_id"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    commitment_id: uuid.UUID
    url: str = text_field()
    title: str = text_field()
    note: str = text_field("", server_default="''")
    added_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()
    owner_party_id: uuid.UUID
    visibility: str = text_field()


class CommitmentTransition(SQLModel, table=True):
    __tablename__ = "commitment_transition"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "commitment_id"],
            ["commitment.partnership_id", "commitment.id"],
            name="commitment_transition_partnership_id_commitment_id_fkey",
        ),
        Index("commitment_transition_idx", "partnership_id", "commitment_id", "at"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    commitment_id: uuid.UUID
    action: str = text_field()
    from_status: str | None = text_field(None)
    to_status: str = text_field()
    actor_user_id: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    actor_party_id: uuid.UUID
    due_date_before: date | None = None
    due_date_after: date | None = None
    reason: str = text_field("", server_default="''")
    # clock_timestamp(): the steps of one transaction keep their order.
    at: datetime = timestamp_field(server_default="clock_timestamp()")
    owner_party_id: uuid.UUID
    visibility: str = text_field()
