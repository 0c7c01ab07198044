"""KPI rules: definitions, measurements (idempotent, atomic batches, corrections kept), status
and the evidence chain baseline → latest → target, plus the built-in on-time delivery KPIs."""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.kit.clock import today
from mutual.kit.errors import DomainError, Invalid, conflict
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility, apply_versioned, update_versioned
from mutual.kit.scopes import Scope
from mutual.kpis import repository
from mutual.kpis.errors import KpiErrorCode as Code
from mutual.kpis.models import (
    BuiltinKpi,
    Cadence,
    Direction,
    Kpi,
    KpiMeasurement,
    LatestMeasurement,
    Measured,
    MeasurementSource,
)
from mutual.tenancy.workspace import (
    EDIT_ROLES,
    Workspace,
    check_owner_party,
    load_workspace,
    record_workspace,
)

DEFINITION_FIELDS = (
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "warning_threshold",
    "critical_threshold",
    "cadence",
)
MAX_BATCH = 500


def _check_definition(values: dict[str, Any]) -> None:
    name = values["name"]
    if not name.strip() or len(name) > 120:
        raise Invalid("Give a name of 1 to 120 characters.", field="name")
    if len(values["unit"]) > 20:
        raise Invalid("A unit has at most 20 characters.", field="unit")
    for key in ("baseline_value", "target_value", "warning_threshold", "critical_threshold"):
        if not Decimal(values[key]).is_finite():
            raise Invalid("Give a finite number.", field=key)
    warning, critical = values["warning_threshold"], values["critical_threshold"]
    higher = values["direction"] == Direction.HIGHER_IS_BETTER
    if (higher and critical > warning) or (not higher and critical < warning):
        order = "at or below" if higher else "at or above"
        raise Invalid(
            f"The critical threshold must be {order} the warning threshold for "
            f"{values['direction']}.",
            field="criticalThreshold",
        )
    if values["target_date"] < values["baseline_date"]:
        raise Invalid("The target date comes after the baseline date.", field="targetDate")


async def _check_name_free(
    session: AsyncSession,
    workspace: Workspace,
    name: str,
    *,
    owner_party_id: uuid.UUID,
    visibility: Visibility,
) -> None:
    """Names are unique among SHARED KPIs and within a side; the other side's INTERNAL names
    are neither visible nor in the way."""
    for other in await repository.kpis_named(session, workspace.id, name):
        if other.owner_party_id == owner_party_id or (
            visibility == Visibility.SHARED and other.visibility == Visibility.SHARED
        ):
            raise DomainError(Code.DUPLICATE_NAME, "A KPI with this name exists.", field="name")


async def create_kpi(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    definition: dict[str, Any],
    owner_party_id: uuid.UUID | None = None,
    visibility: Visibility = Visibility.SHARED,
) -> tuple[Workspace, Kpi]:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    workspace.require_editor("Defining a KPI")
    owner = owner_party_id or workspace.own_party.id
    await check_owner_party(session, workspace, owner, visibility, what="KPI")
    values = {**definition, "name": definition["name"].strip()}
    _check_definition(values)
    await _check_name_free(
        session, workspace, values["name"], owner_party_id=owner, visibility=visibility
    )
    kpi = await repository.insert_kpi(
        session,
        partnership_id=workspace.id,
        owner_party_id=owner,
        visibility=visibility,
        created_by=actor.user_id,
        **values,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=kpi,
        action="kpi.created",
        changes=audit.created(values),
    )
    return workspace, kpi


async def visible_kpi(
    session: AsyncSession, actor: Principal, kpi_id: uuid.UUID, *, scope: Scope = Scope.READ
) -> tuple[Workspace, Kpi]:
    return await record_workspace(
        session,
        actor=actor,
        record=await repository.kpi(session, kpi_id),
        what="KPI",
        field="kpiId",
        scope=scope,
    )


async def update_kpi(
    session: AsyncSession,
    *,
    actor: Principal,
    kpi_id: uuid.UUID,
    expected_version: int,
    changes: dict[str, Any],
) -> tuple[Workspace, Kpi]:
    workspace, kpi = await visible_kpi(session, actor, kpi_id)
    workspace.require_editor("Editing a KPI")
    if kpi.owner_party_id != workspace.own_party.id:
        raise DomainError(
            Code.FORBIDDEN, "Only the KPI's owner side edits its definition.", field="kpiId"
        )
    if kpi.version != expected_version:
        raise conflict(workspace, kpi, "KPI")
    if "name" in changes:
        # As on create: "Defect rate " must not pass for a new name beside "Defect rate".
        changes = {**changes, "name": changes["name"].strip()}
    merged = {key: changes.get(key, getattr(kpi, key)) for key in DEFINITION_FIELDS}
    _check_definition(merged)
    values = {k: v for k, v in changes.items() if getattr(kpi, k) != v}
    if "name" in values:
        await _check_name_free(
            session,
            workspace,
            values["name"],
            owner_party_id=kpi.owner_party_id,
            visibility=Visibility(kpi.visibility),
        )
    if not values:
        return workspace, kpi
    before = {key: getattr(kpi, key) for key in values}
    updated = await apply_versioned(
        session,
        workspace,
        kpi,
        expected_version=expected_version,
        values=values,
        refetch=repository.kpi,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="kpi.updated",
        changes=audit.diff(before, values),
    )
    return workspace, updated


@dataclass(frozen=True)
class MeasurementRow:
    kpi_id: uuid.UUID | None  # None: the id did not parse; reported as a bad row
    period: date
    value: float
    note: str = ""


@dataclass
class BatchResult:
    created: list[KpiMeasurement] = field(default_factory=list)
    corrected: list[KpiMeasurement] = field(default_factory=list)
    unchanged: list[KpiMeasurement] = field(default_factory=list)


def _bad_row(index: int, column: str, reason: str) -> DomainError:
    return DomainError(
        Code.BAD_ROW,
        f"Row {index}: {reason} Nothing was recorded.",
        field=f"measurements[{index}].{column}",
    )


def _as_decimal(index: int, value: float) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _bad_row(index, "value", "the value is not a number.") from None
    if not math.isfinite(value) or not number.is_finite():
        raise _bad_row(index, "value", "the value must be a finite number.")
    return number


async def record_measurements(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    rows: Sequence[MeasurementRow],
) -> tuple[Workspace, BatchResult]:
    """Record a batch atomically: any bad row rejects all. Re-sending a row changes nothing;
    a new value for a recorded period is a correction and keeps the old value as a revision."""
    workspace = await load_workspace(
        session, actor=actor, partnership_id=partnership_id, scope=Scope.KPI_WRITE
    )
    workspace.require_role(EDIT_ROLES, "Reporting KPI measurements")
    workspace.require_active()
    if not rows or len(rows) > MAX_BATCH:
        raise Invalid(f"Send 1 to {MAX_BATCH} measurements.", field="measurements")
    source = MeasurementSource.API if actor.token_id else MeasurementSource.MANUAL
    kpis = {
        k.id: k
        for k in await repository.kpis_by_id(
            session, list({r.kpi_id for r in rows if r.kpi_id is not None})
        )
    }
    planned: dict[tuple[uuid.UUID, date], tuple[int, Kpi, Decimal, str]] = {}
    for index, row in enumerate(rows):
        kpi = kpis.get(row.kpi_id) if row.kpi_id is not None else None
        if (
            kpi is None
            or kpi.partnership_id != workspace.id
            or (
                kpi.visibility == Visibility.INTERNAL
                and kpi.owner_party_id != workspace.own_party.id
            )
        ):
            raise _bad_row(index, "kpiId", "no KPI with this id in this partnership.")
        if kpi.owner_party_id != workspace.own_party.id:
            raise _bad_row(index, "kpiId", "only the KPI's owner side reports its measurements.")
        period = Cadence(kpi.cadence).period_start(row.period)
        if period > today():
            raise _bad_row(index, "period", "the period has not started yet.")
        value = _as_decimal(index, row.value)
        note = row.note.strip()[:2000]
        key = (kpi.id, period)
        if key in planned and (planned[key][2], planned[key][3]) != (value, note):
            raise _bad_row(index, "period", f"row {planned[key][0]} reports this period too.")
        planned[key] = (index, kpi, value, note)
    existing = {
        (m.kpi_id, m.period_start): m
        for m in await repository.measurements_at(session, list(planned))
    }
    result = BatchResult()
    inserts: list[dict[str, Any]] = []
    for key, (_index, kpi, value, note) in planned.items():
        current = existing.get(key)
        if current is None:
            inserts.append(
                {
                    "partnership_id": workspace.id,
                    "kpi_id": kpi.id,
                    "period_start": key[1],
                    "value": value,
                    "note": note,
                    "source": source,
                    "reported_by": actor.user_id,
                    "owner_party_id": kpi.owner_party_id,
                    "visibility": kpi.visibility,
                }
            )
        elif (current.value, current.note) == (value, note):
            result.unchanged.append(current)
        else:
            result.corrected.append(
                await _correct(session, current, value=value, note=note, source=source, actor=actor)
            )
    result.created = await repository.insert_measurements(session, inserts)
    for measurement in result.created:
        await audit.workspace_change(
            session,
            workspace,
            target=measurement,
            action="kpi.measurement_recorded",
            changes=audit.created(
                {
                    "kpi_id": measurement.kpi_id,
                    "period": measurement.period_start,
                    "value": str(measurement.value),
                    "source": source,
                }
            ),
        )
    return workspace, result


async def _correct(
    session: AsyncSession,
    current: KpiMeasurement,
    *,
    value: Decimal,
    note: str,
    source: MeasurementSource,
    actor: Principal,
) -> KpiMeasurement:
    await repository.insert_revisions(
        session,
        [
            {
                "partnership_id": current.partnership_id,
                "measurement_id": current.id,
                "value": current.value,
                "source": current.source,
                "note": current.note,
                "reported_by": current.reported_by,
                "reported_at": current.updated_at,
                "owner_party_id": current.owner_party_id,
                "visibility": current.visibility,
            }
        ],
    )
    before = {"value": str(current.value), "note": current.note}
    updated = await update_versioned(
        session,
        current,
        expected_version=current.version,
        values={"value": value, "note": note, "source": source, "reported_by": actor.user_id},
    )
    if updated is None:
        raise DomainError("CONFLICT", "This measurement changed at the same time; send again.")
    await audit.record_change(
        session,
        actor_user_id=actor.user_id,
        actor_party_id=updated.owner_party_id,
        target=updated,
        action="kpi.measurement_corrected",
        changes=audit.diff(before, {"value": str(value), "note": note}),
    )
    return updated


@dataclass(frozen=True)
class Evidence:
    """The chain a KPI proves: from its baseline, the latest value, towards its target."""

    baseline_value: Decimal
    baseline_date: date
    latest: Measured | None
    target_value: Decimal
    target_date: date
    trend: list[Measured]
    direction: str

    @property
    def progress_percent(self) -> float | None:
        """How much of the way from baseline to target the latest value has come, clamped to
        0..100: a bar, never a ratio such as "-236 %" when one month of a few commitments
        falls far below a baseline close to its target. 100 only once the target is met.
        With a baseline that already meets the target there is no way to cover: 100 while
        the latest value still meets it, else 0. None without a measurement."""
        if self.latest is None:
            return None
        higher = self.direction == Direction.HIGHER_IS_BETTER
        sign = 1 if higher else -1
        if sign * (self.latest.value - self.target_value) >= 0:
            return 100.0
        way = sign * (self.target_value - self.baseline_value)
        if way <= 0:
            return 0.0
        covered = sign * (self.latest.value - self.baseline_value)
        # Short of the target: at most 99.9, so rounding never reads as reached.
        return min(max(round(float(covered / way * 100), 1), 0.0), 99.9)


def evidence(kpi: Kpi | BuiltinKpi, newest_first: Sequence[Measured]) -> Evidence:
    return Evidence(
        baseline_value=kpi.baseline_value,
        baseline_date=kpi.baseline_date,
        latest=newest_first[0] if newest_first else None,
        target_value=kpi.target_value,
        target_date=kpi.target_date,
        trend=list(reversed(newest_first)),
        direction=kpi.direction,
    )


async def list_kpis(session: AsyncSession, workspace: Workspace) -> list[Kpi]:
    return [k for k in await repository.kpis_of(session, workspace.id) if workspace.shows(k)]


async def list_kpis_with_latest(
    session: AsyncSession, workspace: Workspace, *, per_kpi: int
) -> tuple[list[Kpi], dict[uuid.UUID, list[LatestMeasurement]]]:
    """list_kpis, with the last `per_kpi` measurements of each (newest first) by KPI id."""
    kpis, latest = await repository.kpis_with_latest(session, workspace.id, per_kpi=per_kpi)
    shown = [k for k in kpis if workspace.shows(k)]
    return shown, {k.id: latest[k.id] for k in shown if k.id in latest}
