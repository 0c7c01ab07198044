"""Progress from baseline towards target, in the KPI's direction, as a share from 0 to 100:
never "-236 %" for a month far below a baseline close to its target, never "+400 %" when the
baseline already met the target (as a built-in on-time KPI's first commitments may)."""

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
    assert _progress(Direction.HIGHER_IS_BETTER, "55", "95", "50") == 0.0  # went backwards


def test_progress_stays_between_0_and_100() -> None:
    # the demo's built-in before: baseline 66.7 %, a month at 0 % read "-235.7 %"
    assert _progress(Direction.HIGHER_IS_BETTER, "66.7", "95", "0") == 0.0
    assert _progress(Direction.LOWER_IS_BETTER, "40", "10", "90") == 0.0
    # beyond the target is the target reached, and only the target reads 100
    assert _progress(Direction.HIGHER_IS_BETTER, "55", "95", "100") == 100.0
    assert _progress(Direction.LOWER_IS_BETTER, "40", "10", "2") == 100.0
    assert _progress(Direction.HIGHER_IS_BETTER, "55", "95", "95") == 100.0
    assert _progress(Direction.HIGHER_IS_BETTER, "0", "10000", "9999.99") == 99.9


def test_a_baseline_already_on_target_gives_100_while_the_target_holds_else_0() -> None:
    assert _progress(Direction.HIGHER_IS_BETTER, "97", "95", "80") == 0.0
    assert _progress(Direction.HIGHER_IS_BETTER, "95", "95", "99") == 100.0
    assert _progress(Direction.LOWER_IS_BETTER, "5", "10", "7") == 100.0
    assert _progress(Direction.LOWER_IS_BETTER, "5", "10", "12") == 0.0


def test_no_progress_without_a_measurement() -> None:
    chain = service.Evidence(
        baseline_value=Decimal(55),
        baseline_date=date(2026, 1, 1),
        latest=None,
        target_value=Decimal(95),
        target_date=date(2026, 12, 1),
        trend=[],
        direction=Direction.HIGHER_IS_BETTER,
    )
    assert chain.progress_percent is None


def test_a_builtin_on_time_kpi_whose_first_month_was_on_target_shows_no_odd_progress() -> None:
    months = (
        ComputedMeasurement(period_start=date(2026, 3, 1), value=Decimal("80.0")),
        ComputedMeasurement(period_start=date(2026, 2, 1), value=Decimal("100.0")),
    )
    kpi = BuiltinKpi(
        id=uuid.uuid4(),
        partnership_id=uuid.uuid4(),
        owner_party_id=uuid.uuid4(),
        name="On-time delivery — Northwind Components (from commitments)",
        baseline_value=months[-1].value,
        baseline_date=months[-1].period_start,
        target_date=date(2027, 2, 1),
        measurements=months,
        started_on=date(2026, 1, 15),
    )

    chain = service.evidence(kpi, kpi.measurements)

    assert chain.latest is not None and chain.latest.value == Decimal("80.0")
    # (80 - 100) / (95 - 100) would be +400 %; 80 % is short of the 95 % target: 0
    assert chain.progress_percent == 0.0
