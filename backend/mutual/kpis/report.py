"""The KPIs' section of a risk and compliance report: each SHARED KPI's evidence as of the
report's date, baseline → latest → target, with its status and progress on that day."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.kpis import repository
from mutual.kpis.models import status_of
from mutual.kpis.service import evidence
from mutual.tenancy.workspace import Workspace

COLUMNS = (
    "kpi",
    "owner",
    "unit",
    "direction",
    "baseline",
    "baselineDate",
    "latest",
    "latestPeriod",
    "target",
    "targetDate",
    "status",
    "progressPercent",
)


def _number(value: Decimal | None) -> str | None:
    """Exact, as entered: a report's figures are not floats."""
    return None if value is None else format(value.normalize(), "f")


async def kpi_evidence_section(
    session: AsyncSession, workspace: Workspace, as_of: datetime
) -> Mapping[str, Any]:
    day = as_of.astimezone(UTC).date()
    rows = []
    for kpi, latest in await repository.shared_kpis_as_of(
        session, workspace.id, as_of=day, until=as_of
    ):
        chain = evidence(kpi, [latest] if latest is not None else [])
        rows.append(
            {
                "kpi": kpi.name,
                "owner": workspace.party(kpi.owner_party_id).label,
                "unit": kpi.unit,
                "direction": kpi.direction,
                "baseline": _number(kpi.baseline_value),
                "baselineDate": kpi.baseline_date.isoformat(),
                "latest": _number(latest.value) if latest is not None else None,
                "latestPeriod": latest.period_start.isoformat() if latest is not None else None,
                "target": _number(kpi.target_value),
                "targetDate": kpi.target_date.isoformat(),
                "status": str(status_of(kpi, latest, today=day)),
                "progressPercent": chain.progress_percent,
            }
        )
    return {"title": "KPI evidence", "columns": list(COLUMNS), "rows": rows}
