"""The register's section of a risk and compliance report (kit/reports.py): every SHARED risk
as of the report's moment, with each side's latest inherent and residual scores then, its
treatment and its acceptances. Only SHARED records: both sides read the same report."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.risks import repository, scale
from mutual.risks.models import RiskAssessment
from mutual.tenancy.workspace import Workspace


def _score(likelihood: int, impact: int) -> dict[str, Any]:
    score = likelihood * impact
    return {
        "likelihood": likelihood,
        "impact": impact,
        "score": score,
        "band": scale.band(score).value,
    }


def _assessment(a: RiskAssessment | None, label: str) -> dict[str, Any]:
    if a is None:
        return {"party": label, "assessed_at": None, "inherent": None, "residual": None}
    return {
        "party": label,
        "assessed_at": a.assessed_at.isoformat(),
        "inherent": _score(a.inherent_likelihood, a.inherent_impact),
        "residual": _score(a.residual_likelihood, a.residual_impact),
    }


async def risk_register_section(
    session: AsyncSession, workspace: Workspace, as_of: datetime
) -> Mapping[str, Any]:
    risks = await repository.shared_risks_as_of(session, workspace.id, as_of)
    latest = {
        (a.risk_id, a.owner_party_id): a
        for a in await repository.latest_assessments_as_of(session, workspace.id, as_of)
    }
    acceptances: dict[Any, list[dict[str, Any]]] = {}
    for x in await repository.shared_acceptances_as_of(session, workspace.id, as_of):
        ended = x.ended_at is not None and x.ended_at <= as_of
        acceptances.setdefault(x.risk_id, []).append(
            {
                "party": workspace.party(x.owner_party_id).label,
                "reason": x.reason,
                "expires_on": x.expires_on.isoformat(),
                "accepted_at": x.created_at.isoformat(),
                "in_force": not ended and x.expires_on >= as_of.date(),
                "ended": x.end_reason if ended else None,
            }
        )
    parties = workspace.parties
    rows = []
    for risk in risks:
        scores = [_assessment(latest.get((risk.id, p.id)), p.label) for p in parties]
        residual = [s["residual"] for s in scores if s["residual"] is not None]
        divergence = (
            scale.cells_apart(
                (residual[0]["likelihood"], residual[0]["impact"]),
                (residual[1]["likelihood"], residual[1]["impact"]),
            )
            if len(residual) == 2
            else None
        )
        rows.append(
            {
                "id": str(risk.id),
                "title": risk.title,
                "category": risk.category,
                "owner": workspace.party(risk.owner_party_id).label,
                "status": risk.status,
                "treatment": risk.treatment,
                "treatment_plan": risk.treatment_plan,
                "next_review_on": risk.next_review_on.isoformat(),
                "scores": scores,
                "divergence": divergence,
                "acceptances": acceptances.get(risk.id, []),
            }
        )
    return {
        "title": "Risk register",
        "as_of": as_of.isoformat(),
        # Treatment, status and review date are the register's at the report's generation;
        # scores and acceptances are those made by the report's moment.
        "columns": ["title", "category", "owner", "status", "treatment", "scores", "divergence"],
        "rows": rows,
    }
