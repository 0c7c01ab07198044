"""Health: detector thresholds (agreed by both sides), detector states and their history, and
the daily snapshots of the trust health index."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, ForeignKeyConstraint, Index, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION, JSONB
from sqlmodel import Field, SQLModel

from mutual.kit.columns import text_field, uuid_key
from mutual.kit.records import OwnedRecord, timestamp_field


class DetectorName(enum.StrEnum):
    COMMUNICATION_DECLINING = "communication_declining"
    COMMITMENTS_DELAYED = "commitments_delayed"
    INFORMATION_ASYMMETRY = "information_asymmetry"
    DISPUTES_RISING = "disputes_rising"
    DECISIONS_BYPASSED = "decisions_bypassed"
    RESULTS_REEVALUATED = "results_reevaluated"


class DetectorStatus(enum.StrEnum):
    CLEAR = "CLEAR"
    WATCH = "WATCH"
    FIRING = "FIRING"


class ThresholdStatus(enum.StrEnum):
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    SUPERSEDED = "SUPERSEDED"


def _double(nullable: bool = False) -> Any:
    return Field(sa_column=Column(DOUBLE_PRECISION, nullable=nullable))


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSONB, nullable=False))


class DetectorThreshold(OwnedRecord, table=True):
    """One side's proposal of a detector's thresholds; in force once the other side's LEAD
    accepts it (the latest ACCEPTED one of a detector, else the defaults)."""

    __tablename__ = "detector_threshold"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="detector_threshold_partnership_id_owner_party_id_fkey",
        ),
        UniqueConstraint("id", name="detector_threshold_id_key"),
        Index("detector_threshold_idx", "partnership_id", "detector", "status"),
    )

    detector: str = text_field()
    watch: float = _double()
    fire: float = _double()
    status: str = text_field(ThresholdStatus.PROPOSED)
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = timestamp_field(nullable=True)


class DetectorState(SQLModel, table=True):
    __tablename__ = "detector_state"

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    detector: str = text_field(primary_key=True)
    status: str = text_field()
    since: datetime = timestamp_field(server_default=None)
    # The moment it last started FIRING (ISO): one activation of plans per episode.
    episode: str | None = text_field(None)
    score: float = _double()
    inputs: dict[str, Any] = _json()
    evidence: list[Any] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    evaluated_at: datetime = timestamp_field(server_default=None)


class DetectorEvent(SQLModel, table=True):
    """A detector's change of status (its history)."""

    __tablename__ = "detector_event"
    __table_args__ = (
        Index("detector_event_idx", "partnership_id", "detector", "at"),
        Index("detector_event_pending_idx", "at", postgresql_where=text("pending IS NOT NULL")),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    detector: str = text_field()
    status: str = text_field()
    previous: str | None = text_field(None)
    score: float = _double()
    evidence: list[Any] = Field(default_factory=list, sa_column=Column(JSONB, nullable=False))
    at: datetime = timestamp_field(server_default=None)
    # What a start of FIRING still has to fire and tell (its trigger, the notices): taken and
    # cleared by the daily job (health_take_pending), in the transaction that fires them.
    pending: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))


class HealthSnapshot(SQLModel, table=True):
    __tablename__ = "health_snapshot"

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    day: date = Field(primary_key=True)
    value: float | None = _double(nullable=True)
    components: dict[str, Any] = _json()
    taken_at: datetime = timestamp_field()
