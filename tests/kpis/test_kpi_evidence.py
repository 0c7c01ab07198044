"""Progress from baseline towards target, in the KPI's direction; none to report when the
baseline already meets the target (as a built-in on-time KPI's first month may)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from mutual.kpis import service
from mutual.kpis.models import BuiltinKpi, ComputedMeasurement, Direction


def _progress(direction: Direction, baseline: str, target: str, latest: str) -> float | None:
    chain = service.Evidence(
        baseline_value=Decimal(baseline),
        baseline_date=date(2026, 1, 1),
        latest=ComputedMeasurement(period_start=date(2026, 6, 1), value=Decimal(latest)),
        target_value=Decimal(target),
        target_date=date(2026, 12, 1),
        trend=[],
        direction=direction,
    )
    return chain.progress_percent


def test_progress_is_the_share_of_the_way_covered_in_either_direction() -> None:
    assert _progress(Direction.HIGHER_IS_BETTER, "55", "95", "75") == 50.0
    assert _progress(Direction.LOWER_IS_BETTER, "40", "10", "31") == 30.0
    assert _progress(Direction.HIGHER_IS_BETTER, "55", "95", "50") == -12.5  # went backwards


def test_no_progress_is_reported_when_the_baseline_already_meets_the_target() -> None:
    assert _progress(Direction.HIGHER_IS_BETTER, "97", "95", "80") is None
    assert _progress(Direction.LOWER_IS_BETTER, "5", "10", "7") is None
    assert _progress(Direction.HIGHER_IS_BETTER, "95", "95", "99") is None


def test_a_builtin_on_time_kpi_whose_first_month_was_on_target_shows_no_odd_progress() -> None:
    months = (
        ComputedMeasurement(period_start=date(2026, 3, 1), value=Decimal("80.0")),
        ComputedMeasurement(period_start=date(2026, 2, 1), value=Decimal("100.0")),
    )
    kpi = BuiltinKpi(
        id=uuid.uuid4(),
        partnership_id=uuid.uuid4(),
        owner_party_id=uuid.uuid4(),
        name="On-time delivery (Supplier)",
        baseline_value=months[-1].value,
        baseline_date=months[-1].period_start,
        target_date=date(2026, 9, 1),
        measurements=months,
    )

    chain = service.evidence(kpi, kpi.measurements)

    assert chain.latest is not None and chain.latest.value == Decimal("80.0")
    assert chain.progress_percent is None  # before: (80 - 100) / (95 - 100) = +400 %
