"""Risk and compliance reports: a frozen snapshot per report, its documents, the partner's
acknowledgements and the schedules that generate reports by themselves."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import Column, ForeignKeyConstraint, Index, LargeBinary, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from mutual.kit.columns import text_field, timestamp_column, uuid_key
from mutual.kit.records import OwnedRecord


class ReportCadence(enum.StrEnum):
    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"

    @property
    def months(self) -> int:
        return 1 if self == ReportCadence.MONTHLY else 3


class ReportSchedule(OwnedRecord, table=True):
    __tablename__ = "report_schedule"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="report_schedule_partnership_id_owner_party_id_fkey",
        ),
        UniqueConstraint("id", name="report_schedule_id_key"),
        Index("report_schedule_due_idx", "next_run_on", postgresql_where=text("active")),
    )

    title: str = text_field()
    cadence: str = text_field()
    # The day its next report is generated (as of the day before: the period just ended).
    next_run_on: date
    active: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})


class Report(OwnedRecord, table=True):
    """A report's record; its documents (the snapshot, the PDF) are in ReportDocument."""

    __tablename__ = "report"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="report_partnership_id_owner_party_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "schedule_id"],
            ["report_schedule.partnership_id", "report_schedule.id"],
            name="report_partnership_id_schedule_id_fkey",
        ),
        UniqueConstraint("id", name="report_id_key"),
        Index("report_list_idx", "partnership_id", "created_at"),
        Index("report_sha256_idx", "sha256"),
    )

    title: str = text_field()
    as_of: date
    # sha256 (hex) of the canonical JSON snapshot (ReportDocument.content).
    sha256: str = text_field()
    # The hash of the partnership's latest SHARED audit event when the report was generated.
    audit_head_hash: str | None = text_field(None)
    schedule_id: uuid.UUID | None = None


class ReportDocument(SQLModel, table=True):
    __tablename__ = "report_document"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "report_id"],
            ["report.partnership_id", "report.id"],
            name="report_document_partnership_id_report_id_fkey",
        ),
        Index("report_document_pdf_idx", "pdf_sha256"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True)
    report_id: uuid.UUID = Field(primary_key=True)
    content: str = text_field()
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    pdf_sha256: str = text_field()


class ReportAcknowledgement(SQLModel, table=True):
    __tablename__ = "report_acknowledgement"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "report_id"],
            ["report.partnership_id", "report.id"],
            name="report_acknowledgement_partnership_id_report_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "party_id"],
            ["party.partnership_id", "party.id"],
            name="report_acknowledgement_partnership_id_party_id_fkey",
        ),
        UniqueConstraint(
            "partnership_id", "report_id", "party_id", name="report_acknowledgement_side_key"
        ),
    )

    partnership_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = uuid_key(primary_key=True)
    report_id: uuid.UUID
    party_id: uuid.UUID
    user_id: uuid.UUID = Field(foreign_key="app_user.id")
    # The report's sha256 the acknowledging person saw.
    sha256: str = text_field()
    acknowledged_at: datetime = Field(sa_column=timestamp_column())
