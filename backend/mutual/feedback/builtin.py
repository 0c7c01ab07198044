"""The built-in feedback KPIs of each receiving side, from its feedback history, per month that
is over (of the last BUILTIN_MONTHS): first-response and resolution SLA attainment (% of the
clocks that stopped, or were breached, within target), their median times (business hours),
CSAT (the average rating, 1 to 5, and the share of 4 and 5) and the reopen rate. The
baseline is the first month with a figure; the target is a year after it. A side with no
figure yet has none of these KPIs (rather than an empty card)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import TextClause

from mutual.feedback import repository
from mutual.feedback.repository import MonthFigures
from mutual.kit.clock import today
from mutual.kpis.builtin import BuiltinSource, Row
from mutual.kpis.models import BuiltinKpi, ComputedMeasurement, Direction
from mutual.tenancy.workspace import Workspace

BUILTIN_NAMESPACE = uuid.UUID("3b0a7d52-2f7e-4d0e-8f54-8a1f0c6a9e21")
BUILTIN_MONTHS = 12

H, L = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER


def _hours(seconds: float | None) -> Decimal | None:
    return None if seconds is None else (Decimal(str(seconds)) / 3600).quantize(Decimal("0.1"))


def _average(row: Any) -> Decimal | None:
    return Decimal(str(row.rating_avg)).quantize(Decimal("0.01")) if row.rated else None


# (key, name, unit, direction, value of a monthly row or None, target, warning, critical)
KINDS: tuple[tuple[str, str, str, str, Any, Decimal, Decimal, Decimal], ...] = (
    ("first-response", "First-response SLA attainment", "%", H,
     lambda r: _share(r.fr_met, r.fr_due), Decimal(95), Decimal(90), Decimal(75)),
    ("resolution", "Resolution SLA attainment", "%", H,
     lambda r: _share(r.res_met, r.res_due), Decimal(90), Decimal(80), Decimal(65)),
    ("first-response-median", "Median first response (business hours)", "h", L,
     lambda r: _hours(r.fr_median_s), Decimal(4), Decimal(8), Decimal(24)),
    ("resolution-median", "Median resolution (business hours)", "h", L,
     lambda r: _hours(r.res_median_s), Decimal(24), Decimal(48), Decimal(120)),
    ("csat", "CSAT", "/5", H, _average, Decimal("4.5"), Decimal(4), Decimal("3.5")),
    ("csat-share", "CSAT rated 4 or 5", "%", H,
     lambda r: _share(r.rated_high, r.rated), Decimal(80), Decimal(70), Decimal(50)),
    ("reopen-rate", "Reopen rate", "%", L,
     lambda r: _share(r.reopened, r.resolved), Decimal(5), Decimal(10), Decimal(20)),
)  # fmt: skip


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")) if whole else None


def _a_year_after(day: date) -> date:
    return day.replace(year=day.year + 1)


def _rows(workspace: Workspace) -> TextClause:
    this_month = today().replace(day=1)
    year, month = divmod(this_month.year * 12 + this_month.month - 1 - BUILTIN_MONTHS, 12)
    return repository.monthly_rows(workspace.id, since=date(year, month + 1, 1), until=this_month)


def _kpis(workspace: Workspace, rows: list[Row]) -> list[BuiltinKpi]:
    by_party: defaultdict[uuid.UUID, list[MonthFigures]] = defaultdict(list)
    names: dict[uuid.UUID, str] = {}
    for figures in sorted(map(repository.month_figures_of, rows)):
        by_party[figures.party_id].append(figures)
        names[figures.party_id] = figures.organization
    partnership = workspace.partnership
    started_on = (partnership.activated_at or partnership.created_at).astimezone(UTC).date()
    kpis = []
    for party_id, months in by_party.items():
        for key, name, unit, direction, value_of, target, warning, critical in KINDS:
            values = [(m.month, value_of(m)) for m in months]
            measured = [(month, v) for month, v in values if v is not None]
            if not measured:
                continue
            baseline_date, baseline = measured[0]
            kpis.append(
                BuiltinKpi(
                    id=uuid.uuid5(BUILTIN_NAMESPACE, f"{key}:{party_id}"),
                    partnership_id=workspace.id,
                    owner_party_id=party_id,
                    name=f"{name} — {names[party_id]} (from feedback)",
                    unit=unit,
                    direction=direction,
                    baseline_value=baseline,
                    baseline_date=baseline_date,
                    target_value=target,
                    warning_threshold=warning,
                    critical_threshold=critical,
                    target_date=_a_year_after(baseline_date),
                    measurements=tuple(
                        ComputedMeasurement(period_start=month, value=v)
                        for month, v in reversed(measured)
                    ),
                    started_on=started_on,
                )
            )
    return kpis


# The feedback figures of each receiving side, as built-in KPIs.
FEEDBACK_KPIS = BuiltinSource(rows=_rows, kpis=_kpis)


def last_month_end() -> date:
    return today().replace(day=1) - timedelta(days=1)
