"""Two-sided commitments, their evidence and every step of their life."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from mutual.kit.records import OwnedRecord, timestamp_field


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

    title: str
    description: str = ""
    proposed_by_party_id: uuid.UUID
    due_date: date
    milestone_id: uuid.UUID | None = None
    kpi_id: uuid.UUID | None = None
    status: str = CommitmentStatus.PROPOSED
    delivered_at: datetime | None = timestamp_field(nullable=True)
    confirmed_at: datetime | None = timestamp_field(nullable=True)
    dispute_reason: str | None = None
    renegotiation_due_date: date | None = None
    renegotiation_reason: str | None = None

    def effective_status(self, today: date) -> CommitmentStatus:
        if self.status in OPEN_STATUSES and self.due_date < today:
            return CommitmentStatus.MISSED
        return CommitmentStatus(self.status)


class CommitmentEvidence(SQLModel, table=True):
    __tablename__ = "commitment_evidence"

    partnership_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    commitment_id: uuid.UUID
    url: str
    title: str
    note: str = ""
    added_by: uuid.UUID | None = None
    created_at: datetime = timestamp_field()
    owner_party_id: uuid.UUID
    visibility: str


class CommitmentTransition(SQLModel, table=True):
    __tablename__ = "commitment_transition"

    partnership_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    commitment_id: uuid.UUID
    action: str
    from_status: str | None = None
    to_status: str
    actor_user_id: uuid.UUID | None = None
    actor_party_id: uuid.UUID
    due_date_before: date | None = None
    due_date_after: date | None = None
    reason: str = ""
    at: datetime = timestamp_field()
    owner_party_id: uuid.UUID
    visibility: str
