"""GraphQL types of KPIs and their evidence chain."""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Sequence
from datetime import date, datetime
from typing import cast

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context, operation_context
from mutual.graphql.errors import UserError
from mutual.graphql.loaders import now_or_later, shaped
from mutual.graphql.node import Node
from mutual.graphql.records import record_field
from mutual.kit.clock import today
from mutual.kit.records import Visibility
from mutual.kpis import models, service
from mutual.kpis.errors import KpiErrorCode
from mutual.kpis.loaders import kpi_loaders
from mutual.kpis.models import Cadence, Direction, KpiStatus, MeasurementSource, status_of
from mutual.tenancy.loaders import tenancy_loaders
from mutual.tenancy.types import Party, User, party_of
from mutual.tenancy.workspace import Workspace

for _enum in (Cadence, Direction, KpiStatus, MeasurementSource, KpiErrorCode):
    strawberry.enum(_enum)

TREND_DEFAULT = 12
TREND_MAX = 104


@strawberry.type
class KpiMeasurementRevision:
    value: float
    source: MeasurementSource
    note: str
    reported_at: datetime
    replaced_at: datetime


@strawberry.type
class KpiMeasurement:
    # A dashboard builds hundreds of these and asks each for its period and value: plain
    # attributes. The rest of a stored measurement's row is loaded by id when asked for.
    period: date = strawberry.field(description="First day of the cadence period.")
    value: float
    stored_id: strawberry.Private[uuid.UUID | None]  # None: computed, never stored
    record: strawberry.Private[models.StoredMeasurement | None]

    @classmethod
    def from_model(cls, m: models.StoredMeasurement) -> KpiMeasurement:
        return cls(period=m.period_start, value=float(m.value), stored_id=m.id, record=m)

    def _stored(
        self,
    ) -> models.StoredMeasurement | Awaitable[models.StoredMeasurement | None] | None:
        """The whole row: at hand after a write, else loaded (one statement for a list)."""
        if self.record is not None or self.stored_id is None:
            return self.record
        return now_or_later(kpi_loaders(operation_context()).measurement, self.stored_id)

    @strawberry.field
    def source(self) -> MeasurementSource:
        return shaped(
            self._stored(),
            lambda r: MeasurementSource(r.source) if r else MeasurementSource.COMPUTED,
        )

    @strawberry.field
    def note(self) -> str:
        return shaped(self._stored(), lambda r: r.note if r else "")

    @strawberry.field
    def version(self) -> int:
        return shaped(self._stored(), lambda r: r.version if r else 1)

    @strawberry.field
    def recorded_at(self) -> datetime | None:
        return shaped(self._stored(), lambda r: r.updated_at if r else None)

    @strawberry.field
    async def reported_by(self, info: Info[Context, None]) -> User | None:
        stored = self._stored()
        record = await stored if inspect.isawaitable(stored) else stored
        if record is None or record.reported_by is None:
            return None
        user = await tenancy_loaders(info.context).user.load(record.reported_by)
        return User.from_model(user) if user else None

    @strawberry.field(description="Earlier values of a corrected measurement, oldest first.")
    async def revisions(self, info: Info[Context, None]) -> list[KpiMeasurementRevision]:
        if self.stored_id is None:
            return []
        rows = await kpi_loaders(info.context).revisions.load(self.stored_id)
        return [
            KpiMeasurementRevision(
                value=float(r.value),
                source=MeasurementSource(r.source),
                note=r.note,
                reported_at=r.reported_at,
                replaced_at=r.replaced_at,
            )
            for r in rows
        ]


@strawberry.type(description="Baseline → latest vs target: what the KPI proves so far.")
class KpiEvidence:
    baseline_value: float
    baseline_date: date
    latest_value: float | None
    latest_period: date | None
    target_value: float
    target_date: date
    progress_percent: float | None = strawberry.field(
        description="How much of the way from baseline to target the latest value has come, "
        "0 to 100: 0 at or behind the baseline, 100 once the target is met (when the "
        "baseline already met it: 100 while the latest value still does, else 0); null "
        "without a measurement."
    )
    oldest_first: strawberry.Private[list[models.Measured]]

    @strawberry.field(description="Oldest first.")
    def trend(self) -> list[KpiMeasurement]:
        # Built only when asked for: a dashboard reads the progress, not the trend.
        return [to_measurement(m) for m in self.oldest_first]


@strawberry.type
class Kpi(Node):
    name: str = record_field("name", str)
    unit: str = record_field("unit", str)
    direction: Direction = record_field("direction", Direction, convert=Direction)
    baseline_value: float = record_field("baseline_value", float, convert=float)
    baseline_date: date = record_field("baseline_date", date)
    target_value: float = record_field("target_value", float, convert=float)
    target_date: date = record_field("target_date", date)
    warning_threshold: float = record_field("warning_threshold", float, convert=float)
    critical_threshold: float = record_field("critical_threshold", float, convert=float)
    cadence: Cadence = record_field("cadence", Cadence, convert=Cadence)
    visibility: Visibility = record_field("visibility", Visibility, convert=Visibility)
    version: int = record_field("version", int)
    builtin: bool = strawberry.field(
        description="Computed from commitments, not typed in: a side's share of commitments "
        "kept on time per month; baseline its first five commitments due, target 95 %."
    )
    record: strawberry.Private[models.Kpi | models.BuiltinKpi]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, kpi: models.Kpi | models.BuiltinKpi, workspace: Workspace) -> Kpi:
        builtin = isinstance(kpi, models.BuiltinKpi)
        return cls(raw_id=kpi.id, builtin=builtin, record=kpi, workspace=workspace)

    @strawberry.field
    def owner_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    # The fields below take no `info`: on a list of KPIs whose measurements kpis_for
    # prefetched, the executor answers them in its loop (graphql/execution.py).
    def _newest(
        self, count: int
    ) -> Sequence[models.Measured] | Awaitable[Sequence[models.Measured]]:
        """The last `count` measurements, newest first: at hand when the KPI list prefetched
        them (kpis_for), else through the loader."""
        if isinstance(self.record, models.BuiltinKpi):
            return self.record.measurements[:count]
        loaders = kpi_loaders(operation_context())
        return now_or_later(loaders.latest_measurements, (self.raw_id, count))

    @strawberry.field(description="The latest measurements, oldest first (at most 104).")
    def measurements(self, last: int = TREND_DEFAULT) -> list[KpiMeasurement]:
        return shaped(
            self._newest(max(1, min(last, TREND_MAX))),
            lambda newest: oldest_first(newest),
        )

    @strawberry.field
    def latest_measurement(self) -> KpiMeasurement | None:
        return shaped(
            self._newest(TREND_DEFAULT),
            lambda newest: to_measurement(newest[0]) if newest else None,
        )

    @strawberry.field(
        description="From the latest measurement (the baseline before the first one) and the "
        "thresholds; STALE when the last whole cadence period has no measurement, once a "
        "whole period has passed since the KPI started (its creation, or its baseline date "
        "if later; a built-in one: the partnership's start)."
    )
    def status(self) -> KpiStatus:
        return shaped(
            self._newest(TREND_DEFAULT),
            lambda newest: status_of(self.record, newest[0] if newest else None, today=today()),
        )

    @strawberry.field
    def evidence(self, trend: int = TREND_DEFAULT) -> KpiEvidence:
        return shaped(self._newest(max(1, min(trend, TREND_MAX))), self._evidence)

    def _evidence(self, newest: Sequence[models.Measured]) -> KpiEvidence:
        chain = service.evidence(self.record, newest)
        return KpiEvidence(
            baseline_value=float(chain.baseline_value),
            baseline_date=chain.baseline_date,
            latest_value=float(chain.latest.value) if chain.latest else None,
            latest_period=chain.latest.period_start if chain.latest else None,
            target_value=float(chain.target_value),
            target_date=chain.target_date,
            progress_percent=chain.progress_percent,
            oldest_first=chain.trend,
        )


def oldest_first(newest: Sequence[models.Measured]) -> list[KpiMeasurement]:
    """A trend read newest first, as the measurements the API lists (oldest first)."""
    if newest and isinstance(newest[0], models.LatestMeasurement):
        # What a KPI list read: unpacked as tuples, without a call per measurement.
        latest = cast(Sequence[models.LatestMeasurement], newest)
        return [
            KpiMeasurement(period=period, value=float(value), stored_id=id_, record=None)
            for id_, period, value in reversed(latest)
        ]
    return [to_measurement(m) for m in reversed(newest)]


def to_measurement(m: models.Measured) -> KpiMeasurement:
    """A measurement of a trend: stored (read by a list) or computed (built-in KPIs)."""
    stored_id = m.id if isinstance(m, models.LatestMeasurement) else None
    return KpiMeasurement(
        period=m.period_start, value=float(m.value), stored_id=stored_id, record=None
    )


@strawberry.type
class KpiError(UserError):
    code: KpiErrorCode
    current: Kpi | None = strawberry.field(description="On CONFLICT: the KPI as it is now.")
