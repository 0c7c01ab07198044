"""Governance: disclosures with immutable published versions, their attachments and the partner's
acknowledgements; the two-sided decision log with each side's approvers and verdicts."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from mutual.kit.columns import text_field, uuid_key
from mutual.kit.records import OwnedRecord, timestamp_field


class DisclosureType(enum.StrEnum):
    DECISION_PROCESS = "DECISION_PROCESS"
    CODE_OF_CONDUCT = "CODE_OF_CONDUCT"
    COMPLIANCE_POLICY = "COMPLIANCE_POLICY"
    THIRD_PARTY_ASSESSMENT = "THIRD_PARTY_ASSESSMENT"
    RISK_MANAGEMENT = "RISK_MANAGEMENT"
    OTHER = "OTHER"


class VersionStatus(enum.StrEnum):
    """Stored states; SUPERSEDED is derived (a later version of the disclosure is published)."""

    DRAFT = "DRAFT"
    IN_REVIEW = "IN_REVIEW"
    PUBLISHED = "PUBLISHED"
    SUPERSEDED = "SUPERSEDED"


class DecisionStatus(enum.StrEnum):
    PROPOSED = "PROPOSED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    SUPERSEDED = "SUPERSEDED"


class Verdict(enum.StrEnum):
    APPROVE = "APPROVE"
    REJECT = "REJECT"


def _owner_fk(table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["partnership_id", "owner_party_id"],
        ["party.partnership_id", "party.id"],
        name=f"{table}_partnership_id_owner_party_id_fkey",
    )


class Disclosure(OwnedRecord, table=True):
    """INTERNAL to its side until its first version is published, SHARED after; its title is
    that of the latest published version (a draft's title never shows on a SHARED record)."""

    __tablename__ = "disclosure"
    __table_args__ = (
        _owner_fk("disclosure"),
        UniqueConstraint("id", name="disclosure_id_key"),
        Index("disclosure_created_idx", "partnership_id", "created_at", "id"),
    )

    type: str = text_field()
    title: str = text_field()


class DisclosureVersion(OwnedRecord, table=True):
    """One version: DRAFT and IN_REVIEW are INTERNAL; a PUBLISHED one is SHARED and the database
    refuses to change or delete it (migration 0015's trigger)."""

    __tablename__ = "disclosure_version"
    __table_args__ = (
        _owner_fk("disclosure_version"),
        ForeignKeyConstraint(
            ["partnership_id", "disclosure_id"],
            ["disclosure.partnership_id", "disclosure.id"],
            name="disclosure_version_partnership_id_disclosure_id_fkey",
        ),
        UniqueConstraint("id", name="disclosure_version_id_key"),
        UniqueConstraint(
            "partnership_id", "disclosure_id", "number", name="disclosure_version_number_key"
        ),
    )

    disclosure_id: uuid.UUID
    number: int
    title: str = text_field()
    body: str = text_field("", server_default="''")
    status: str = text_field(VersionStatus.DRAFT)
    submitted_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    submitted_at: datetime | None = timestamp_field(nullable=True)
    published_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    published_at: datetime | None = timestamp_field(nullable=True)
    content_hash: str | None = text_field(None)


class DisclosureFile(SQLModel, table=True):
    """The PostgreSQL file store's blobs (storage.PostgresFileStore)."""

    __tablename__ = "disclosure_file"
    __table_args__ = (_owner_fk("disclosure_file"),)

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    sha256: str = text_field()
    size: int
    content: bytes = Field(sa_type=LargeBinary)
    owner_party_id: uuid.UUID
    visibility: str = text_field()
    created_at: datetime = timestamp_field()


class DisclosureAttachment(SQLModel, table=True):
    __tablename__ = "disclosure_attachment"
    __table_args__ = (
        _owner_fk("disclosure_attachment"),
        ForeignKeyConstraint(
            ["partnership_id", "version_id"],
            ["disclosure_version.partnership_id", "disclosure_version.id"],
            name="disclosure_attachment_partnership_id_version_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "file_id"],
            ["disclosure_file.partnership_id", "disclosure_file.id"],
            name="disclosure_attachment_partnership_id_file_id_fkey",
        ),
        Index("disclosure_attachment_version_idx", "partnership_id", "version_id"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    version_id: uuid.UUID
    file_id: uuid.UUID
    filename: str = text_field()
    content_type: str = text_field()
    size: int
    sha256: str = text_field()
    owner_party_id: uuid.UUID
    visibility: str = text_field()
    created_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = timestamp_field()


class DisclosureAcknowledgement(SQLModel, table=True):
    """The partner side's receipt of one published version (append-only): who, when, and the
    content hash they acknowledged."""

    __tablename__ = "disclosure_acknowledgement"
    __table_args__ = (
        _owner_fk("disclosure_acknowledgement"),
        ForeignKeyConstraint(
            ["partnership_id", "version_id"],
            ["disclosure_version.partnership_id", "disclosure_version.id"],
            name="disclosure_acknowledgement_partnership_id_version_id_fkey",
        ),
        UniqueConstraint(
            "partnership_id", "version_id", "owner_party_id", name="disclosure_acknowledgement_key"
        ),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    version_id: uuid.UUID
    disclosure_id: uuid.UUID
    # The acknowledging side.
    owner_party_id: uuid.UUID
    user_id: uuid.UUID = Field(foreign_key="app_user.id")
    content_hash: str = text_field()
    acknowledged_at: datetime = timestamp_field()
    visibility: str = text_field()


class Decision(OwnedRecord, table=True):
    """A decision of the log: always SHARED (both sides approve it)."""

    __tablename__ = "decision"
    __table_args__ = (
        _owner_fk("decision"),
        UniqueConstraint("id", name="decision_id_key"),
        ForeignKeyConstraint(
            ["partnership_id", "supersedes_id"],
            ["decision.partnership_id", "decision.id"],
            name="decision_partnership_id_supersedes_id_fkey",
        ),
        Index("decision_created_idx", "partnership_id", "created_at", "id"),
    )

    title: str = text_field()
    context: str = text_field("", server_default="''")
    options: list[str] = Field(
        default_factory=list,
        sa_type=ARRAY(Text),
        sa_column_kwargs={"server_default": text("'{}'::text[]")},
    )
    rationale: str = text_field("", server_default="''")
    approval_criteria: str = text_field("", server_default="''")
    decide_by: date | None = None
    status: str = text_field(DecisionStatus.PROPOSED)
    supersedes_id: uuid.UUID | None = None
    superseded_by_id: uuid.UUID | None = None
    decided_at: datetime | None = timestamp_field(nullable=True)


class DecisionApprover(SQLModel, table=True):
    """A GOVERNANCE (or LEAD) member a side names to approve for it; a side that names none
    approves through its LEADs."""

    __tablename__ = "decision_approver"
    __table_args__ = (
        _owner_fk("decision_approver"),
        ForeignKeyConstraint(
            ["partnership_id", "decision_id"],
            ["decision.partnership_id", "decision.id"],
            name="decision_approver_partnership_id_decision_id_fkey",
        ),
        UniqueConstraint("partnership_id", "decision_id", "user_id", name="decision_approver_key"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    decision_id: uuid.UUID
    owner_party_id: uuid.UUID
    user_id: uuid.UUID = Field(foreign_key="app_user.id")
    visibility: str = text_field()
    created_at: datetime = timestamp_field()


class DecisionVote(SQLModel, table=True):
    """One side's verdict on a decision, with its comment (append-only, one per side)."""

    __tablename__ = "decision_vote"
    __table_args__ = (
        _owner_fk("decision_vote"),
        ForeignKeyConstraint(
            ["partnership_id", "decision_id"],
            ["decision.partnership_id", "decision.id"],
            name="decision_vote_partnership_id_decision_id_fkey",
        ),
        UniqueConstraint(
            "partnership_id", "decision_id", "owner_party_id", name="decision_vote_key"
        ),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    decision_id: uuid.UUID
    owner_party_id: uuid.UUID
    user_id: uuid.UUID = Field(foreign_key="app_user.id")
    verdict: str = text_field()
    comment: str = text_field()
    at: datetime = timestamp_field()
    visibility: str = text_field()
