"""The built-in on-time delivery KPIs: each party's monthly on-time rate, from its commitments."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.commitments import repository
from mutual.kit.clock import today
from mutual.kpis.models import (
    BuiltinKpi,
    ComputedMeasurement,
)
from mutual.tenancy.workspace import (
    Workspace,
)

BUILTIN_NAMESPACE = uuid.UUID("6f1c2d7e-6a53-4b7e-9a43-2d0c1f3e8b11")


BUILTIN_MONTHS = 12


async def on_time_kpis(session: AsyncSession, workspace: Workspace) -> list[BuiltinKpi]:
    """Each party's monthly on-time delivery rate, computed from commitments (one statement)."""
    now = today()
    this_month = now.replace(day=1)
    year, month = divmod(this_month.year * 12 + this_month.month - 1 - BUILTIN_MONTHS, 12)
    since = date(year, month + 1, 1)  # the first of the last BUILTIN_MONTHS whole months
    # Only months that are over: the current one would read 0 % for whatever is delivered but
    # not yet confirmed, or due later this month.
    rows = await repository.monthly_on_time(
        session, workspace.id, since=since, today=this_month - timedelta(days=1)
    )
    kpis = []
    for party in workspace.parties:
        months = [
            ComputedMeasurement(
                period_start=r.month,
                value=(Decimal(r.on_time) * 100 / Decimal(r.due)).quantize(Decimal("0.1")),
            )
            for r in rows
            if r.party_id == party.id and r.due
        ]
        kpis.append(
            BuiltinKpi(
                id=uuid.uuid5(BUILTIN_NAMESPACE, f"on-time:{party.id}"),
                partnership_id=workspace.id,
                owner_party_id=party.id,
                name=f"On-time delivery ({party.label})",
                baseline_value=months[0].value if months else Decimal(0),
                baseline_date=months[0].period_start if months else since,
                target_date=now.replace(day=1) + timedelta(days=180),
                measurements=tuple(reversed(months)),
            )
        )
    return kpis
