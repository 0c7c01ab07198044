"""KPIs: definitions with baseline, target and thresholds; measurements and their revisions."""

from __future__ import annotations

import enum
import uuid
from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple, Protocol

from sqlalchemy import ForeignKeyConstraint, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from mutual.kit.columns import text_field, uuid_key
from mutual.kit.records import OwnedRecord, timestamp_field


class Direction(enum.StrEnum):
    HIGHER_IS_BETTER = "HIGHER_IS_BETTER"
    LOWER_IS_BETTER = "LOWER_IS_BETTER"


class Cadence(enum.StrEnum):
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"

    def period_start(self, day: date) -> date:
        """The first day of the period that contains `day`."""
        if self == Cadence.WEEKLY:
            return day - timedelta(days=day.weekday())
        if self == Cadence.MONTHLY:
            return day.replace(day=1)
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)

    def previous_period_start(self, day: date) -> date:
        start = self.period_start(day)
        return self.period_start(start - timedelta(days=1))

    def one_period_after(self, day: date) -> date:
        """The same day one whole period later (a week, a month, three months; the 31st of
        January gives the last day of February)."""
        if self == Cadence.WEEKLY:
            return day + timedelta(days=7)
        months = day.year * 12 + day.month - 1 + (1 if self == Cadence.MONTHLY else 3)
        year, month = divmod(months, 12)
        return date(year, month + 1, min(day.day, monthrange(year, month + 1)[1]))


class KpiStatus(enum.StrEnum):
    ON_TRACK = "ON_TRACK"
    AT_RISK = "AT_RISK"
    OFF_TRACK = "OFF_TRACK"
    STALE = "STALE"


class MeasurementSource(enum.StrEnum):
    MANUAL = "MANUAL"
    API = "API"
    # Built-in KPIs: computed from other records, never stored.
    COMPUTED = "COMPUTED"


class Kpi(OwnedRecord, table=True):
    __tablename__ = "kpi"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="kpi_partnership_id_owner_party_id_fkey",
        ),
        UniqueConstraint("id", name="kpi_id_key"),
        # Names are unique among SHARED KPIs and within a side.
        Index(
            "kpi_shared_name_key",
            "partnership_id",
            "name",
            unique=True,
            postgresql_where=text("visibility = 'SHARED'"),
        ),
        Index("kpi_party_name_key", "partnership_id", "owner_party_id", "name", unique=True),
    )

    name: str = text_field()
    unit: str = text_field("", server_default="''")
    direction: str = text_field()
    baseline_value: Decimal
    baseline_date: date
    target_value: Decimal
    target_date: date
    warning_threshold: Decimal
    critical_threshold: Decimal
    cadence: str = text_field()

    @property
    def started_on(self) -> date:
        """From when it is expected to report: the day it was defined (UTC), or its baseline
        date when that is later."""
        return max(self.created_at.astimezone(UTC).date(), self.baseline_date)


class KpiMeasurement(OwnedRecord, table=True):
    __tablename__ = "kpi_measurement"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "owner_party_id"],
            ["party.partnership_id", "party.id"],
            name="kpi_measurement_partnership_id_owner_party_id_fkey",
        ),
        UniqueConstraint("id", name="kpi_measurement_id_key"),
        UniqueConstraint(
            "partnership_id",
            "kpi_id",
            "period_start",
            name="kpi_measurement_partnership_id_kpi_id_period_start_key",
        ),
        ForeignKeyConstraint(
            ["partnership_id", "kpi_id"],
            ["kpi.partnership_id", "kpi.id"],
            name="kpi_measurement_partnership_id_kpi_id_fkey",
        ),
    )

    kpi_id: uuid.UUID
    period_start: date
    value: Decimal
    source: str = text_field(MeasurementSource.MANUAL)
    note: str = text_field("", server_default="''")
    reported_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")


class KpiMeasurementRevision(SQLModel, table=True):
    __tablename__ = "kpi_measurement_revision"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "measurement_id"],
            ["kpi_measurement.partnership_id", "kpi_measurement.id"],
            name="kpi_measurement_revision_partnership_id_measurement_id_fkey",
        ),
        Index("kpi_measurement_revision_idx", "partnership_id", "measurement_id"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    measurement_id: uuid.UUID
    value: Decimal
    source: str = text_field()
    note: str = text_field()
    reported_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")
    reported_at: datetime = timestamp_field(server_default=None)
    replaced_at: datetime = timestamp_field()
    owner_party_id: uuid.UUID
    visibility: str = text_field()


class Measured(Protocol):
    @property
    def period_start(self) -> date: ...
    @property
    def value(self) -> Decimal: ...


class LatestMeasurement(NamedTuple):
    """A measurement as a list of trends reads it: period and value (plus what names it). The
    rest of the row (source, note, reporter...) is loaded by id when a query asks for it."""

    id: uuid.UUID
    period_start: date
    value: Decimal


class StoredMeasurement(Measured, Protocol):
    """A measurement as stored (the whole row)."""

    @property
    def id(self) -> uuid.UUID: ...
    @property
    def kpi_id(self) -> uuid.UUID: ...
    @property
    def source(self) -> str: ...
    @property
    def note(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def reported_by(self) -> uuid.UUID | None: ...


class Judged(Protocol):
    @property
    def cadence(self) -> str: ...
    @property
    def started_on(self) -> date: ...
    @property
    def baseline_value(self) -> Decimal: ...
    @property
    def direction(self) -> str: ...
    @property
    def warning_threshold(self) -> Decimal: ...
    @property
    def critical_threshold(self) -> Decimal: ...


@dataclass(frozen=True)
class ComputedMeasurement:
    period_start: date
    value: Decimal


def status_of(kpi: Judged, latest: Measured | None, *, today: date) -> KpiStatus:
    """Thresholds on the latest value, or on the baseline (the last value known) until the
    first measurement. STALE when the last whole period has no measurement, but only once a
    whole period has passed since the KPI started: one defined today is not stale."""
    cadence = Cadence(kpi.cadence)
    reported = latest is not None and latest.period_start >= cadence.previous_period_start(today)
    if not reported and today >= cadence.one_period_after(kpi.started_on):
        return KpiStatus.STALE
    value = latest.value if latest is not None else kpi.baseline_value
    if kpi.direction == Direction.HIGHER_IS_BETTER:
        if value >= kpi.warning_threshold:
            return KpiStatus.ON_TRACK
        return KpiStatus.AT_RISK if value >= kpi.critical_threshold else KpiStatus.OFF_TRACK
    if value <= kpi.warning_threshold:
        return KpiStatus.ON_TRACK
    return KpiStatus.AT_RISK if value <= kpi.critical_threshold else KpiStatus.OFF_TRACK


@dataclass(frozen=True)
class BuiltinKpi:
    """A KPI computed from other records, not typed in: a party's on-time delivery rate."""

    id: uuid.UUID
    partnership_id: uuid.UUID
    owner_party_id: uuid.UUID
    name: str
    baseline_value: Decimal
    baseline_date: date
    target_date: date
    measurements: tuple[ComputedMeasurement, ...]  # newest first
    started_on: date  # the partnership's start: not STALE within a period of it
    unit: str = "%"
    direction: str = Direction.HIGHER_IS_BETTER
    target_value: Decimal = Decimal(95)
    warning_threshold: Decimal = Decimal(90)
    critical_threshold: Decimal = Decimal(75)
    cadence: str = Cadence.MONTHLY
    visibility: str = "SHARED"
    version: int = 1
