"""KPI mutations: define, edit, and record measurements (one or a batch, from people or tokens)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id, parse_global_id
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility
from mutual.kpis import models, service
from mutual.kpis.errors import KpiErrorCode
from mutual.kpis.models import Cadence, Direction
from mutual.kpis.types import Kpi, KpiError, KpiMeasurement
from mutual.tenancy.workspace import Workspace

Change = tuple[Workspace, models.Kpi]


@strawberry.input
class CreateKpiInput:
    partnership_id: strawberry.ID
    name: str
    direction: Direction
    baseline_value: float
    baseline_date: date
    target_value: float
    target_date: date
    warning_threshold: float
    critical_threshold: float
    cadence: Cadence
    unit: str = ""
    owner_party_id: strawberry.ID | None = None
    visibility: Visibility = Visibility.SHARED


@strawberry.input
class UpdateKpiInput:
    kpi_id: strawberry.ID
    expected_version: int
    name: str | None = None
    unit: str | None = None
    baseline_value: float | None = None
    baseline_date: date | None = None
    target_value: float | None = None
    target_date: date | None = None
    warning_threshold: float | None = None
    critical_threshold: float | None = None
    cadence: Cadence | None = None


@strawberry.input
class MeasurementInput:
    kpi_id: strawberry.ID
    period: date = strawberry.field(description="Any day of the period; it is normalised.")
    value: float
    note: str = ""


@strawberry.input
class RecordKpiMeasurementsInput:
    partnership_id: strawberry.ID
    measurements: list[MeasurementInput]


@strawberry.type
class KpiPayload:
    kpi: Kpi | None
    user_errors: list[KpiError]


@strawberry.type
class RecordKpiMeasurementsPayload:
    created: int
    corrected: int
    unchanged: int
    measurements: list[KpiMeasurement] = strawberry.field(
        description="The created and corrected measurements."
    )
    user_errors: list[KpiError]


def _decimal(value: float | None) -> Any:
    return None if value is None else Decimal(str(value))


KPI: MutationAnswer[Change, KpiPayload] = MutationAnswer(
    KpiPayload,
    field="kpi",
    shape=lambda change: Kpi.from_model(change[1], change[0]),
    error=KpiError,
    codes=KpiErrorCode,
    with_current=True,
)

MEASUREMENTS_RECORDED: MutationAnswer[service.BatchResult, RecordKpiMeasurementsPayload] = (
    MutationAnswer(
        RecordKpiMeasurementsPayload,
        shape=lambda result: {
            "created": len(result.created),
            "corrected": len(result.corrected),
            "unchanged": len(result.unchanged),
            "measurements": [
                KpiMeasurement.from_model(m) for m in result.created + result.corrected
            ],
        },
        empty=lambda: {"created": 0, "corrected": 0, "unchanged": 0, "measurements": []},
        error=KpiError,
        codes=KpiErrorCode,
        with_current=True,
    )
)


@strawberry.type
class KpiMutation:
    @strawberry.mutation(description="Define a KPI: baseline, target, thresholds and cadence.")
    async def create_kpi(
        self,
        info: Info[Context, None],
        input: CreateKpiInput,  # noqa: A002
    ) -> KpiPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            definition = {
                "name": input.name,
                "unit": input.unit,
                "direction": input.direction,
                "baseline_value": _decimal(input.baseline_value),
                "baseline_date": input.baseline_date,
                "target_value": _decimal(input.target_value),
                "target_date": input.target_date,
                "warning_threshold": _decimal(input.warning_threshold),
                "critical_threshold": _decimal(input.critical_threshold),
                "cadence": input.cadence,
            }
            return await service.create_kpi(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                definition=definition,
                owner_party_id=decode_id(input.owner_party_id, "Party", field="ownerPartyId")
                if input.owner_party_id
                else None,
                visibility=input.visibility,
            )

        return await KPI.run(info, call)

    @strawberry.mutation(description="Edit a KPI's definition (owner side); versions guard it.")
    async def update_kpi(
        self,
        info: Info[Context, None],
        input: UpdateKpiInput,  # noqa: A002
    ) -> KpiPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            raw: dict[str, Any] = {
                "name": input.name,
                "unit": input.unit,
                "baseline_value": _decimal(input.baseline_value),
                "baseline_date": input.baseline_date,
                "target_value": _decimal(input.target_value),
                "target_date": input.target_date,
                "warning_threshold": _decimal(input.warning_threshold),
                "critical_threshold": _decimal(input.critical_threshold),
                "cadence": input.cadence,
            }
            return await service.update_kpi(
                session,
                actor=actor,
                kpi_id=decode_id(input.kpi_id, "Kpi", field="kpiId"),
                expected_version=input.expected_version,
                changes={k: v for k, v in raw.items() if v is not None},
            )

        return await KPI.run(info, call)

    @strawberry.mutation(
        description="Record measurements atomically (API tokens need kpi:write); re-sending a "
        "row changes nothing, a new value for a period is a correction."
    )
    async def record_kpi_measurements(
        self,
        info: Info[Context, None],
        input: RecordKpiMeasurementsInput,  # noqa: A002
    ) -> RecordKpiMeasurementsPayload:
        async def call(session: AsyncSession, actor: Principal) -> service.BatchResult:
            rows = []
            for row in input.measurements:
                parsed = parse_global_id(row.kpi_id)
                kpi_id = parsed[1] if parsed and parsed[0] == "Kpi" else None
                rows.append(
                    service.MeasurementRow(
                        kpi_id=kpi_id, period=row.period, value=row.value, note=row.note
                    )
                )
            _workspace, result = await service.record_measurements(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                rows=rows,
            )
            return result

        return await MEASUREMENTS_RECORDED.run(info, call)
