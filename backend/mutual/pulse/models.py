"""Pulse surveys: the agreed cadence, the rounds (one per period) and the answers.

An answer's values are readable by its author only (migration 0019's row-level security); every
other reader gets the aggregates of `pulse_results`, and none below 3 respondents."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKeyConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from mutual.kit.columns import text_field, timestamp_column, uuid_key
from mutual.kit.records import OwnedRecord, timestamp_field

# A period shows figures from this many respondents of the rating side on.
MIN_RESPONDENTS = 3
COMMENT_LIMIT = 2000
# A round stays open this long (or the cadence's period, if shorter).
OPEN_DAYS = 14


class CadenceStatus(enum.StrEnum):
    PROPOSED = "PROPOSED"
    ACTIVE = "ACTIVE"
    DECLINED = "DECLINED"
    SUPERSEDED = "SUPERSEDED"


class PulseCadence(OwnedRecord, table=True):
    """One proposed cadence (a round every `every_days`), in force once the other side's LEAD
    accepts it; `next_round_at` is when the worker opens the next round."""

    __tablename__ = "pulse_cadence"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="pulse_cadence_partnership_id_owner_party_id_fkey",
        ),
        UniqueConstraint("id", name="pulse_cadence_id_key"),
        UniqueConstraint("partnership_id", "number", name="pulse_cadence_number_key"),
        Index("pulse_cadence_due_idx", "next_round_at"),
        Index(
            "pulse_cadence_active_key",
            "partnership_id",
            unique=True,
            postgresql_where=text("status = 'ACTIVE'"),
        ),
    )

    number: int
    every_days: int
    status: str = text_field(CadenceStatus.PROPOSED)
    note: str = text_field("", server_default="''")
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = timestamp_field(nullable=True)
    next_round_at: datetime | None = timestamp_field(nullable=True)


class PulseRound(SQLModel, table=True):
    """One period's survey, opened by the worker (pulse_open_due); open until `closes_at`."""

    __tablename__ = "pulse_round"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "cadence_id"],
            ["pulse_cadence.partnership_id", "pulse_cadence.id"],
            name="pulse_round_partnership_id_cadence_id_fkey",
        ),
        UniqueConstraint("id", name="pulse_round_id_key"),
        UniqueConstraint("partnership_id", "number", name="pulse_round_number_key"),
        Index("pulse_round_closes_idx", "closes_at"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    cadence_id: uuid.UUID
    number: int
    opens_at: datetime = Field(sa_column=timestamp_column(server_default=None))
    closes_at: datetime = Field(sa_column=timestamp_column(server_default=None))
    created_at: datetime = Field(sa_column=timestamp_column())

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


class PulseAnswer(SQLModel, table=True):
    """One member's answer to a round: readable by its author only."""

    __tablename__ = "pulse_answer"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "round_id"],
            ["pulse_round.partnership_id", "pulse_round.id"],
            name="pulse_answer_partnership_id_round_id_fkey",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "party_id"],
            ["party.partnership_id", "party.id"],
            name="pulse_answer_partnership_id_party_id_fkey",
        ),
        UniqueConstraint("partnership_id", "round_id", "user_id", name="pulse_answer_once_key"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = uuid_key(primary_key=True)
    round_id: uuid.UUID
    # The rating side (the author's); it rates the other side.
    party_id: uuid.UUID
    user_id: uuid.UUID = Field(foreign_key="app_user.id")
    nps: int
    transparency: int
    consistency: int
    interaction: int
    comment: str = text_field("", server_default="''")
    answered_at: datetime = Field(sa_column=timestamp_column())
