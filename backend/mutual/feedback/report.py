"""Feedback's section of the risk and compliance report: the SLA figures per receiving side
over the year to the report's date (SHARED feedback only; plain JSON values)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.feedback import service
from mutual.tenancy.workspace import Workspace

PERIOD = timedelta(days=365)


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


async def sla_section(
    session: AsyncSession, workspace: Workspace, as_of: datetime
) -> dict[str, Any]:
    start = as_of - PERIOD
    rows = await service.figures(session, workspace, start=start, end=as_of)
    return {
        "title": "Feedback and SLA",
        "period": {"from": start.isoformat(), "to": as_of.isoformat()},
        "rows": [
            {
                "receiving_party": workspace.party(r.party_id).label,
                "submitted": r.submitted,
                "first_response_attainment": _round(r.first_response_attainment),
                "first_response_median_seconds": _round(r.first_response_median_s, 0),
                "resolution_attainment": _round(r.resolution_attainment),
                "resolution_median_seconds": _round(r.resolution_median_s, 0),
                "csat_average": _round(r.rating_average, 2),
                "csat_share_4_5": _round(r.csat_share),
                "reopen_rate": _round(r.reopen_rate),
            }
            for r in rows
        ],
    }
