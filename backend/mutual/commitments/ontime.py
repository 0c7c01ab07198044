"""The built-in on-time delivery KPIs: each party's monthly on-time rate, from its commitments.

Their figures are defined the same way for every partnership, so they read as evidence:

- a measurement, for each month that is over (of the last BUILTIN_MONTHS): the share of the
  party's SHARED commitments due that month that were kept on time (confirmed, and delivered
  on or before the due date); a month with nothing due has no measurement;
- the baseline: the same share over the party's first BASELINE_COMMITMENTS commitments ever
  due (over fewer while it has had fewer), dated the first day of the month the first of them
  fell due. A party with no commitment due in a month that is over has no figure at all, and
  no built-in KPI until it has one (rather than a card with nothing to show);
- the target: TARGET % a year after the baseline date; warning and critical thresholds below
  it (`BuiltinKpi`: 90 % and 75 %);
- the name says whose rate it is and where it comes from: "On-time delivery — <organization>
  (from commitments)".
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, timedelta
from decimal import Decimal

from sqlalchemy import TextClause

from mutual.commitments import repository
from mutual.kit.clock import today
from mutual.kpis.builtin import BuiltinSource, Row
from mutual.kpis.models import (
    BuiltinKpi,
    ComputedMeasurement,
)
from mutual.tenancy.workspace import (
    Workspace,
)

BUILTIN_NAMESPACE = uuid.UUID("6f1c2d7e-6a53-4b7e-9a43-2d0c1f3e8b11")


BUILTIN_MONTHS = 12
BASELINE_COMMITMENTS = 5
TARGET = Decimal(95)


def builtin_name(organization: str) -> str:
    return f"On-time delivery — {organization} (from commitments)"


def _rate(on_time: int, due: int) -> Decimal:
    return (Decimal(on_time) * 100 / Decimal(due)).quantize(Decimal("0.1"))


def _a_year_after(day: date) -> date:
    return day.replace(year=day.year + 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def _window() -> tuple[date, date]:
    """The last BUILTIN_MONTHS whole months: from the first of the earliest to the end of the
    last. Only months that are over: the current one would read 0 % for whatever is delivered
    but not yet confirmed, or due later this month. The baseline counts the same commitments."""
    this_month = today().replace(day=1)
    year, month = divmod(this_month.year * 12 + this_month.month - 1 - BUILTIN_MONTHS, 12)
    return date(year, month + 1, 1), this_month - timedelta(days=1)


def _rows(workspace: Workspace) -> TextClause:
    since, until = _window()
    return repository.on_time_rows(
        workspace.id, since=since, until=until, baseline_count=BASELINE_COMMITMENTS
    )


def _kpis(workspace: Workspace, rows: list[Row]) -> list[BuiltinKpi]:
    """Each party's on-time delivery KPI, in the order of the parties' labels."""
    parties = sorted(
        (repository.on_time_of(row) for row in rows), key=lambda p: (p.party_label, p.party_id)
    )
    partnership = workspace.partnership
    started_on = (partnership.activated_at or partnership.created_at).astimezone(UTC).date()
    kpis = []
    for party in parties:
        if party.baseline_since is None:
            continue
        baseline_date = party.baseline_since.replace(day=1)
        kpis.append(
            BuiltinKpi(
                id=uuid.uuid5(BUILTIN_NAMESPACE, f"on-time:{party.party_id}"),
                partnership_id=workspace.id,
                owner_party_id=party.party_id,
                name=builtin_name(party.organization),
                baseline_value=_rate(party.baseline_on_time, party.baseline_due),
                baseline_date=baseline_date,
                target_value=TARGET,
                target_date=_a_year_after(baseline_date),
                measurements=tuple(
                    ComputedMeasurement(period_start=m.month, value=_rate(m.on_time, m.due))
                    for m in reversed(party.months)
                ),
                started_on=started_on,
            )
        )
    return kpis


# Each party's on-time delivery KPI, computed from commitments.
ON_TIME_KPIS = BuiltinSource(rows=_rows, kpis=_kpis)
