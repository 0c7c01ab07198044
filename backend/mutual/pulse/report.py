"""What pulse gives the other domains: its section of the risk and compliance report and its
input of the trust health index (satisfaction.pulse_nps). Aggregates only, from closed rounds;
a side below 3 respondents gives no figure."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.kit.health import Reading
from mutual.pulse import service
from mutual.pulse.models import MIN_RESPONDENTS, PulseRound
from mutual.tenancy.workspace import Workspace

REPORT_ROUNDS = 4


async def _closed(
    session: AsyncSession, workspace: Workspace, as_of: datetime, limit: int
) -> list[PulseRound]:
    found = await service.rounds(session, workspace, limit=limit + 1, before=as_of)
    return [r for r in found if r.closes_at <= as_of][:limit]


def rated_party(workspace: Workspace, rating_party_id: uuid.UUID) -> uuid.UUID | None:
    others = [p.id for p in workspace.parties if p.id != rating_party_id]
    return others[0] if others else None


async def pulse_nps(session: AsyncSession, workspace: Workspace, as_of: datetime) -> Reading:
    """The latest closed round's NPS per rated side, scaled to 0-100 ((NPS + 100) / 2); the
    partnership's value is the mean of the sides that have one."""
    closed = await _closed(session, workspace, as_of, 1)
    if not closed:
        return Reading(value=None, inputs={"round": None})
    last = closed[0]
    sides = (await service.results(session, [last.id])).get(last.id, [])
    per_side: dict[uuid.UUID, float | None] = {}
    nps: dict[str, float | None] = {}
    for side in sides:
        rated = rated_party(workspace, side.rating_party_id)
        if rated is None:
            continue
        per_side[rated] = service.nps_score(side.nps)
        nps[str(rated)] = side.nps
    scores = [v for v in per_side.values() if v is not None]
    return Reading(
        value=round(sum(scores) / len(scores), 1) if scores else None,
        inputs={
            "round": last.number,
            "closed_at": last.closes_at.isoformat(),
            "nps_by_rated_party": nps,
            "min_respondents": MIN_RESPONDENTS,
        },
        records=(("PulseRound", last.id),),
        per_side=per_side,
    )


async def pulse_section(
    session: AsyncSession, workspace: Workspace, as_of: datetime
) -> dict[str, Any]:
    closed = await _closed(session, workspace, as_of, REPORT_ROUNDS)
    found = await service.results(session, [r.id for r in closed])
    rows: list[dict[str, Any]] = []
    for r in closed:
        for side in found.get(r.id, []):
            rated = rated_party(workspace, side.rating_party_id)
            rows.append(
                {
                    "round": r.number,
                    "closed_at": r.closes_at.isoformat(),
                    "rating_party": workspace.party(side.rating_party_id).label,
                    "rated_party": workspace.party(rated).label if rated else None,
                    "respondents": side.respondents,
                    "response_rate": side.response_rate,
                    "nps": side.nps,
                    "transparency": side.transparency,
                    "consistency": side.consistency,
                    "interaction": side.interaction,
                }
            )
    return {
        "title": "Pulse surveys",
        "note": f"Aggregates only; a side with fewer than {MIN_RESPONDENTS} respondents in a "
        "round shows no figures.",
        "rows": rows,
    }
