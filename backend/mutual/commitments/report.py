"""Commitments' section of a risk and compliance report: each side's reliability over the
twelve months up to the report's date (SHARED commitments, as `commitmentReliability` counts
them): due, kept on time, the on-time rate, missed, renegotiations and disputes, each
commitment counted in the state its transitions give at the report's moment (not today's)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.commitments import repository
from mutual.tenancy.workspace import Workspace

COLUMNS = (
    "side",
    "due",
    "onTime",
    "onTimeRatePercent",
    "missed",
    "renegotiations",
    "disputes",
)
PERIOD_DAYS = 365


async def reliability_section(
    session: AsyncSession, workspace: Workspace, as_of: datetime
) -> Mapping[str, Any]:
    day = as_of.astimezone(UTC).date()
    start = day - timedelta(days=PERIOD_DAYS - 1)
    figures = {
        r.party_id: r
        for r in await repository.reliability(
            session, workspace.id, period_start=start, period_end=day, today=day, as_of=as_of
        )
    }
    rows = []
    unknown = sum(int(r.unknown) for r in figures.values())
    for party in workspace.parties:
        r = figures.get(party.id)
        due = int(r.due) if r is not None else 0
        on_time = int(r.on_time) if r is not None else 0
        rows.append(
            {
                "side": party.label,
                "due": due,
                "onTime": on_time,
                "onTimeRatePercent": round(on_time * 100 / due, 1) if due else None,
                "missed": int(r.missed) if r is not None else 0,
                "renegotiations": int(r.renegotiations) if r is not None else 0,
                "disputes": int(r.disputes) if r is not None else 0,
            }
        )
    section: dict[str, Any] = {
        "title": "Commitment reliability per side",
        "period": {"from": start.isoformat(), "to": day.isoformat()},
        "columns": list(COLUMNS),
        "rows": rows,
    }
    if unknown:
        section["not_recorded"] = (
            f"{unknown} commitment(s) have no recorded state at this moment and are not counted."
        )
    return section
