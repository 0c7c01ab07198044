"""The KPIs of the recovery story: six months of evidence, baseline to target."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from mutual.kit.clock import today
from mutual.kit.demo import CONTOSO, NORTHWIND, Story, moment
from mutual.kit.records import Visibility
from mutual.kpis import service as kpi_service
from mutual.kpis.models import Cadence, Direction


@dataclass(frozen=True)
class StoryKpi:
    key: str
    name: str
    unit: str
    direction: Direction
    cadence: Cadence
    side: str
    target: float
    warning: float
    critical: float
    values: tuple[float, ...]  # oldest first; the newest is the last finished period
    internal: bool = False
    # (index into values, value first reported): reported, then corrected to values[index]
    correction: tuple[int, float, str] | None = None


def _response_times() -> tuple[float, ...]:
    """26 weeks of mean response time falling from 48 h to about 9 h, with weekly noise."""
    return tuple(
        round(9 + 39 * math.exp(-week / 6) + ((week * 7) % 5 - 2) * 0.4 * (week > 0), 1)
        for week in range(26)
    )


KPIS = (
    StoryKpi(
        "on-time",
        # Order lines, as Northwind's ERP counts them: not the built-in "On-time delivery —
        # <side> (from commitments)", which counts the commitments kept.
        "Order lines delivered on time",
        "%",
        Direction.HIGHER_IS_BETTER,
        Cadence.MONTHLY,
        NORTHWIND,
        target=92,
        warning=85,
        critical=75,
        values=(55.0, 61.5, 68.0, 74.5, 80.1, 85.2),
    ),
    StoryKpi(
        "response",
        "Mean response time",
        "h",
        Direction.LOWER_IS_BETTER,
        Cadence.WEEKLY,
        NORTHWIND,
        target=6,
        warning=12,
        critical=24,
        values=_response_times(),
    ),
    StoryKpi(
        "csat",
        "Customer satisfaction (CSAT)",
        "/10",
        Direction.HIGHER_IS_BETTER,
        Cadence.MONTHLY,
        CONTOSO,
        target=8.8,
        warning=8.5,
        critical=8.0,
        values=(7.5, 7.6, 7.9, 8.1, 8.2, 8.4),
        correction=(4, 8.0, "Includes the late survey responses of the northern stores."),
    ),
    StoryKpi(
        "defects",
        "Defect rate at goods receipt",
        "%",
        Direction.LOWER_IS_BETTER,
        Cadence.MONTHLY,
        CONTOSO,
        target=0.3,
        warning=0.8,
        critical=1.2,
        values=(1.5, 1.4, 1.15, 0.95, 0.8, 0.6),
    ),
    StoryKpi(
        "freight",
        "Expedited freight cost",
        "k€",
        Direction.LOWER_IS_BETTER,
        Cadence.MONTHLY,
        NORTHWIND,
        target=40,
        warning=60,
        critical=100,
        values=(180, 165, 150, 128, 112, 104),
        internal=True,
    ),
    StoryKpi(
        "stock-outs",
        "Store stock-outs from late supply",
        "count",
        Direction.LOWER_IS_BETTER,
        Cadence.MONTHLY,
        CONTOSO,
        target=15,
        warning=40,
        critical=80,
        values=(142, 120, 96, 75, 58, 47),
        internal=True,
    ),
)


def _periods(cadence: Cadence, count: int) -> list[date]:
    """The starts of the last `count` finished periods, oldest first."""
    periods = [cadence.previous_period_start(today())]
    while len(periods) < count:
        periods.append(cadence.previous_period_start(periods[-1]))
    return periods[::-1]


NEXT_PERIOD_DAYS = {Cadence.WEEKLY: 7, Cadence.MONTHLY: 32, Cadence.QUARTERLY: 95}


def _reported(cadence: Cadence, period: date) -> datetime:
    """A measurement is reported on the day after its period ends."""
    next_start = cadence.period_start(period + timedelta(days=NEXT_PERIOD_DAYS[cadence]))
    return moment((next_start - today()).days + 1, 1)


async def seed_story(story: Story) -> None:
    """Six KPIs with their history (one corrected); commitments name them by key."""
    ids: dict[str, uuid.UUID] = {}
    created: dict[uuid.UUID, datetime] = {}
    measurements: dict[uuid.UUID, tuple[datetime, datetime]] = {}
    revisions: dict[uuid.UUID, tuple[datetime, datetime]] = {}
    for k in KPIS:
        actor = story.principal(k.side, "lead")
        cadence = k.cadence
        periods = _periods(cadence, len(k.values))
        async with story.acting(actor) as session:
            _workspace, kpi = await kpi_service.create_kpi(
                session,
                actor=actor,
                partnership_id=story.partnership_id,
                definition={
                    "name": k.name,
                    "unit": k.unit,
                    "direction": k.direction,
                    "baseline_value": Decimal(str(k.values[0])),
                    "baseline_date": periods[0],
                    "target_value": Decimal(str(k.target)),
                    "target_date": today() + timedelta(days=180),
                    "warning_threshold": Decimal(str(k.warning)),
                    "critical_threshold": Decimal(str(k.critical)),
                    "cadence": cadence,
                },
                owner_party_id=story.parties[k.side],
                visibility=Visibility.INTERNAL if k.internal else Visibility.SHARED,
            )
        ids[k.key] = kpi.id
        created[kpi.id] = moment((periods[0] - today()).days - 3)
        first_values = list(k.values)
        if k.correction is not None:
            first_values[k.correction[0]] = k.correction[1]
        rows = [
            kpi_service.MeasurementRow(kpi_id=kpi.id, period=period, value=value)
            for period, value in zip(periods, first_values, strict=True)
        ]
        async with story.acting(actor) as session:
            _workspace, result = await kpi_service.record_measurements(
                session, actor=actor, partnership_id=story.partnership_id, rows=rows
            )
        for measurement in result.created:
            at = _reported(cadence, measurement.period_start)
            measurements[measurement.id] = (at, at)
        if k.correction is not None:
            index, _first, note = k.correction
            fix = kpi_service.MeasurementRow(
                kpi_id=kpi.id, period=periods[index], value=k.values[index], note=note
            )
            async with story.acting(actor) as session:
                _workspace, result = await kpi_service.record_measurements(
                    session, actor=actor, partnership_id=story.partnership_id, rows=[fix]
                )
            (corrected,) = result.corrected
            reported, _ = measurements[corrected.id]
            replaced = min(reported + timedelta(days=6), moment(-1))
            measurements[corrected.id] = (reported, replaced)
            revisions[corrected.id] = (reported, replaced)
    story.made["kpis"] = ids
    _backdate(story, created, measurements, revisions)


def _backdate(
    story: Story,
    created: dict[uuid.UUID, datetime],
    measurements: dict[uuid.UUID, tuple[datetime, datetime]],
    revisions: dict[uuid.UUID, tuple[datetime, datetime]],
) -> None:
    story.backdate(
        "UPDATE kpi t SET created_at = v.at, updated_at = v.at "
        "FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, at) "
        "WHERE t.partnership_id = $3 AND t.id = v.id",
        list(created),
        list(created.values()),
    )
    story.backdate(
        "UPDATE kpi_measurement t SET created_at = v.created, updated_at = v.updated "
        "FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) "
        "AS v(id, created, updated) WHERE t.partnership_id = $4 AND t.id = v.id",
        list(measurements),
        [m[0] for m in measurements.values()],
        [m[1] for m in measurements.values()],
    )
    story.backdate(
        "UPDATE kpi_measurement_revision t SET reported_at = v.reported, "
        "replaced_at = v.replaced "
        "FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) "
        "AS v(id, reported, replaced) "
        "WHERE t.partnership_id = $4 AND t.measurement_id = v.id",
        list(revisions),
        [r[0] for r in revisions.values()],
        [r[1] for r in revisions.values()],
    )
