"""The register's section of a risk and compliance report (kit/reports.py): every SHARED risk
as of the report's moment, with each side's latest inherent and residual scores then, its
status, treatment, plan and review date then (risk_history), its actions then
(risk_action_history) and its acceptances. Only SHARED records: both sides read the same
report. A risk or action older than the history whose state at the moment was not recorded is
listed with `recorded: false` and no state, and the section says so: nothing is guessed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.risks import repository, scale
from mutual.risks.models import RiskAction, RiskActionHistory, RiskAssessment
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


def _action(
    action: RiskAction, then: RiskActionHistory | None, workspace: Workspace
) -> dict[str, Any]:
    return {
        "title": then.title if then is not None else action.title,
        "owner": workspace.party(action.owner_party_id).label,
        "status": then.status if then is not None else None,
        "due_date": then.due_date.isoformat() if then is not None and then.due_date else None,
        "recorded": then is not None,
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
    actions: dict[Any, list[dict[str, Any]]] = {}
    unrecorded_actions = 0
    for action, kept in await repository.shared_actions_as_of(session, workspace.id, as_of):
        actions.setdefault(action.risk_id, []).append(_action(action, kept, workspace))
        unrecorded_actions += kept is None
    parties = workspace.parties
    rows = []
    unrecorded_risks = 0
    for risk, then in risks:
        unrecorded_risks += then is None
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
                "title": then.title if then is not None else risk.title,
                "category": then.category if then is not None else risk.category,
                "owner": workspace.party(risk.owner_party_id).label,
                "status": then.status if then is not None else None,
                "treatment": then.treatment if then is not None else None,
                "treatment_plan": then.treatment_plan if then is not None else None,
                "next_review_on": then.next_review_on.isoformat() if then is not None else None,
                "recorded": then is not None,
                "scores": scores,
                "divergence": divergence,
                "actions": actions.get(risk.id, []),
                "acceptances": acceptances.get(risk.id, []),
            }
        )
    section: dict[str, Any] = {
        "title": "Risk register",
        "as_of": as_of.isoformat(),
        # Every figure is the register's at the report's moment: status, treatment, plan and
        # review date from the risk's history, scores, actions and acceptances made by then.
        "columns": [
            "title",
            "category",
            "owner",
            "status",
            "treatment",
            "scores",
            "divergence",
            "actions",
        ],
        "rows": rows,
    }
    if unrecorded_risks or unrecorded_actions:
        section["not_recorded"] = (
            f"The status and treatment of {unrecorded_risks} risk(s) and the status of "
            f"{unrecorded_actions} action(s) at this moment are not known: they predate the "
            "treatment history. They are listed without them."
        )
    return section
