"""Governance's sections of the risk and compliance report (kit/reports.py): the published
versions with their hashes and the partner's acknowledgements, and the decisions with each
side's verdict, as they stood at `as_of`. Only SHARED records: both sides may read a report."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.governance import repository
from mutual.governance.models import DecisionStatus, Verdict, VersionStatus
from mutual.tenancy.workspace import Workspace


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


async def disclosures_section(
    session: AsyncSession, workspace: Workspace, as_of: datetime
) -> Mapping[str, Any]:
    versions = await repository.published_as_of(session, workspace.id, as_of)
    disclosures = {
        d.id: d
        for d in await repository.disclosures_by_id(
            session, list({v.disclosure_id for v in versions})
        )
    }
    receipts = [
        a
        for a in await repository.acknowledgements_of(
            session, workspace.id, [v.id for v in versions]
        )
        if a.acknowledged_at <= as_of
    ]
    label = {p.id: p.label for p in workspace.parties}
    rows = []
    for v in versions:
        later = any(o.disclosure_id == v.disclosure_id and o.number > v.number for o in versions)
        acks = [a for a in receipts if a.version_id == v.id]
        rows.append(
            {
                "disclosure_id": str(v.disclosure_id),
                "type": disclosures[v.disclosure_id].type,
                "title": v.title,
                "version": v.number,
                "owner": label.get(v.owner_party_id, ""),
                "published_at": _iso(v.published_at),
                "content_hash": v.content_hash,
                "status": VersionStatus.SUPERSEDED if later else VersionStatus.PUBLISHED,
                "acknowledgements": [
                    {
                        "party": label.get(a.owner_party_id, ""),
                        "user_id": str(a.user_id),
                        "acknowledged_at": _iso(a.acknowledged_at),
                        "content_hash": a.content_hash,
                    }
                    for a in acks
                ],
                "superseded_before_acknowledgement": later and not acks,
            }
        )
    return {"title": "Disclosures and acknowledgements", "rows": rows}


async def decisions_section(
    session: AsyncSession, workspace: Workspace, as_of: datetime
) -> Mapping[str, Any]:
    decisions = await repository.shared_decisions_as_of(session, workspace.id, as_of)
    ids = [d.id for d in decisions]
    votes = [v for v in await repository.votes_of(session, workspace.id, ids) if v.at <= as_of]
    label = {p.id: p.label for p in workspace.parties}
    approved_at = {
        d.id: d.decided_at for d in decisions if d.decided_at is not None and d.decided_at <= as_of
    }
    rows = []
    for d in decisions:
        own_votes = [v for v in votes if v.decision_id == d.id]
        if any(v.verdict == Verdict.REJECT for v in own_votes):
            status = DecisionStatus.REJECTED
        elif len({v.owner_party_id for v in own_votes}) >= len(workspace.parties):
            status = DecisionStatus.APPROVED
            if d.superseded_by_id is not None and d.superseded_by_id in approved_at:
                status = DecisionStatus.SUPERSEDED
        else:
            status = DecisionStatus.PROPOSED
        overdue = (
            status == DecisionStatus.PROPOSED
            and d.decide_by is not None
            and d.decide_by < as_of.date()
        )
        rows.append(
            {
                "decision_id": str(d.id),
                "title": d.title,
                "proposed_by": label.get(d.owner_party_id, ""),
                "decide_by": d.decide_by.isoformat() if d.decide_by else None,
                "status": status,
                "overdue": overdue,
                "supersedes_id": str(d.supersedes_id) if d.supersedes_id else None,
                "verdicts": [
                    {
                        "party": label.get(v.owner_party_id, ""),
                        "verdict": v.verdict,
                        "comment": v.comment,
                        "user_id": str(v.user_id),
                        "at": _iso(v.at),
                    }
                    for v in own_votes
                ],
            }
        )
    return {"title": "Decision log", "rows": rows}
