"""Risk rules: LEADs, EDITORs and GOVERNANCE members of either side keep the register of a
partnership; each side scores a SHARED risk on its own (every assessment kept), and the
divergence between their latest scores is shown; INTERNAL risks stay with their owner side.
Acceptance needs an approver of the accepting side, a reason and an expiry at most a year ahead."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.commitments import repository as commitment_repository
from mutual.kit.clock import today, utcnow
from mutual.kit.errors import DomainError, Invalid, NotFound, conflict
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility, apply_versioned
from mutual.kpis import repository as kpi_repository
from mutual.membership import repository as membership_repository
from mutual.risks import repository
from mutual.risks.errors import RiskErrorCode as Code
from mutual.risks.models import (
    LinkKind,
    Risk,
    RiskAction,
    RiskActionStatus,
    RiskAssessment,
    RiskCategory,
    RiskLink,
    RiskStatus,
    ScoreBasis,
    Treatment,
)
from mutual.risks.repository import RegisterRow, RiskFilter, RiskOrder
from mutual.risks.scale import STEPS, cells_apart
from mutual.roadmap import repository as roadmap_repository
from mutual.tenancy.models import WorkspaceRole
from mutual.tenancy.workspace import (
    Workspace,
    check_owner_party,
    load_workspace,
    record_workspace,
)

RISK_ROLES = frozenset({WorkspaceRole.LEAD, WorkspaceRole.EDITOR, WorkspaceRole.GOVERNANCE})
APPROVER_ROLES = frozenset({WorkspaceRole.LEAD, WorkspaceRole.GOVERNANCE})
EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "status",
    "review_every_days",
    "next_review_on",
)
DEFAULT_REVIEW_DAYS = 90


def _require_keeper(workspace: Workspace) -> None:
    workspace.actor.require_session("Keeping the risk register")
    workspace.require_role(RISK_ROLES, "Keeping the risk register")
    workspace.require_active()


def _check_title(title: str) -> str:
    if not title.strip() or len(title) > 200:
        raise Invalid("Give a title of 1 to 200 characters.", field="title")
    return title.strip()


def _check_cadence(days: int) -> int:
    if not 7 <= days <= 365:
        raise Invalid("Review every 7 to 365 days.", field="reviewEveryDays")
    return days


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def review_overdue(risk: Risk, on: date) -> bool:
    return risk.status != RiskStatus.CLOSED and risk.next_review_on < on


def divergence(owner: RiskAssessment | None, partner: RiskAssessment | None) -> int | None:
    """Cells apart between the two sides' latest residual scores; None unless both scored."""
    if owner is None or partner is None:
        return None
    return cells_apart(
        (owner.residual_likelihood, owner.residual_impact),
        (partner.residual_likelihood, partner.residual_impact),
    )


# Reads


async def register(
    session: AsyncSession,
    workspace: Workspace,
    *,
    page: PageRequest,
    where: RiskFilter,
    order: RiskOrder,
    descending: bool,
) -> Page[RegisterRow]:
    return await repository.register_page(
        session,
        workspace.id,
        page,
        where=where,
        order=order,
        descending=descending,
        today=today(),
        viewer_party_id=workspace.own_party.id,
    )


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    count: int  # risks placed in this cell
    disputed: int  # of those, the risks the other side places in another cell


@dataclass(frozen=True)
class HeatMap:
    basis: ScoreBasis
    # Per side (by party id): where that side's latest scores place the risks.
    sides: dict[uuid.UUID, list[HeatCell]]
    # Both sides together: a risk counts once in each distinct cell a side places it in.
    combined: list[HeatCell]
    disagreements: int  # risks the two sides place in different cells


def _grid(counts: dict[tuple[int, int], list[int]]) -> list[HeatCell]:
    """All 25 cells, highest likelihood first, then impact ascending (a matrix's rows)."""
    return [
        HeatCell(likelihood=lk, impact=im, count=counts[(lk, im)][0], disputed=counts[(lk, im)][1])
        for lk in reversed(STEPS)
        for im in STEPS
    ]


def _empty() -> dict[tuple[int, int], list[int]]:
    return {(lk, im): [0, 0] for lk in STEPS for im in STEPS}


def _cell(likelihood: int | None, impact: int | None) -> tuple[int, int] | None:
    return (likelihood, impact) if likelihood is not None and impact is not None else None


async def heat_map(
    session: AsyncSession, workspace: Workspace, *, where: RiskFilter, basis: ScoreBasis
) -> HeatMap:
    rows = await repository.heat_counts(
        session,
        workspace.id,
        where=where,
        basis=basis,
        today=today(),
        viewer_party_id=workspace.own_party.id,
    )
    party_ids = [p.id for p in workspace.parties]
    by_side = {party_id: _empty() for party_id in party_ids}
    combined = _empty()
    disagreements = 0
    for owner_party_id, owner_l, owner_i, partner_l, partner_i, n in rows:
        owner, partner = _cell(owner_l, owner_i), _cell(partner_l, partner_i)
        apart = owner is not None and partner is not None and owner != partner
        disagreements += n if apart else 0
        other = next((p for p in party_ids if p != owner_party_id), None)
        for party_id, cell in ((owner_party_id, owner), (other, partner)):
            if cell is not None and party_id in by_side:
                by_side[party_id][cell][0] += n
                by_side[party_id][cell][1] += n if apart else 0
        for cell in {c for c in (owner, partner) if c is not None}:
            combined[cell][0] += n
            combined[cell][1] += n if apart else 0
    return HeatMap(
        basis=basis,
        sides={party_id: _grid(cells) for party_id, cells in by_side.items()},
        combined=_grid(combined),
        disagreements=disagreements,
    )


async def risk_with_latest(
    session: AsyncSession, risk: Risk
) -> tuple[RiskAssessment | None, RiskAssessment | None]:
    ids = [i for i in (risk.owner_assessment_id, risk.partner_assessment_id) if i is not None]
    found = {a.id: a for a in await repository.assessments_by_id(session, ids)} if ids else {}
    return (
        found.get(risk.owner_assessment_id) if risk.owner_assessment_id else None,
        found.get(risk.partner_assessment_id) if risk.partner_assessment_id else None,
    )


# Writes


async def create_risk(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    title: str,
    category: RiskCategory,
    description: str = "",
    owner_party_id: uuid.UUID | None = None,
    visibility: Visibility = Visibility.SHARED,
    review_every_days: int = DEFAULT_REVIEW_DAYS,
    next_review_on: date | None = None,
) -> tuple[Workspace, Risk]:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    _require_keeper(workspace)
    owner = owner_party_id or workspace.own_party.id
    await check_owner_party(session, workspace, owner, visibility, what="risk")
    cadence = _check_cadence(review_every_days)
    first_review = next_review_on or today() + timedelta(days=cadence)
    risk = await repository.insert_risk(
        session,
        partnership_id=workspace.id,
        title=_check_title(title),
        description=description.strip(),
        category=category,
        status=RiskStatus.OPEN,
        review_every_days=cadence,
        next_review_on=first_review,
        owner_party_id=owner,
        visibility=visibility,
        created_by=actor.user_id,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=risk,
        action="risk.created",
        changes=audit.created(
            {"title": risk.title, "category": category, "next_review_on": first_review}
        ),
    )
    return workspace, risk


async def _keepable(
    session: AsyncSession, actor: Principal, risk_id: uuid.UUID, *, field: str = "riskId"
) -> tuple[Workspace, Risk]:
    workspace, risk = await record_workspace(
        session,
        actor=actor,
        record=await repository.risk(session, risk_id),
        what="risk",
        field=field,
    )
    _require_keeper(workspace)
    return workspace, risk


def _require_open(risk: Risk) -> None:
    if risk.status == RiskStatus.CLOSED:
        raise DomainError(Code.RISK_CLOSED, "This risk is closed; reopen it first.", field="riskId")


async def update_risk(
    session: AsyncSession,
    *,
    actor: Principal,
    risk_id: uuid.UUID,
    expected_version: int,
    changes: dict[str, Any],
) -> tuple[Workspace, Risk]:
    """Change any of title, description, category, status (OPEN or CLOSED), review cadence and
    next review date."""
    workspace, risk = await _keepable(session, actor, risk_id)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid(f"Not editable here: {', '.join(sorted(unknown))}.")
    if "title" in changes:
        changes["title"] = _check_title(changes["title"])
    if "description" in changes:
        changes["description"] = changes["description"].strip()
    if "review_every_days" in changes:
        changes["review_every_days"] = _check_cadence(changes["review_every_days"])
    if "status" in changes:
        if changes["status"] not in (RiskStatus.OPEN, RiskStatus.CLOSED):
            raise Invalid("Set a risk OPEN or CLOSED; treatment decides the rest.", field="status")
        if changes["status"] == RiskStatus.OPEN and risk.status != RiskStatus.CLOSED:
            del changes["status"]  # already open (accepted or in review)
    values = {k: v for k, v in changes.items() if getattr(risk, k) != v}
    if not values:
        if risk.version != expected_version:
            raise conflict(workspace, risk, "risk")
        return workspace, risk
    if values.get("status") == RiskStatus.CLOSED:
        await repository.end_active_acceptance(session, risk, reason="TREATMENT_CHANGED")
    before = {key: getattr(risk, key) for key in values}
    updated = await apply_versioned(
        session,
        workspace,
        risk,
        expected_version=expected_version,
        values=values,
        refetch=repository.risk,
    )
    action = {"CLOSED": "risk.closed", "OPEN": "risk.reopened"}.get(
        str(values.get("status")), "risk.updated"
    )
    await audit.workspace_change(
        session, workspace, target=updated, action=action, changes=audit.diff(before, values)
    )
    return workspace, updated


def _check_score(value: int | None, field: str) -> int:
    if value is None or value not in STEPS:
        raise DomainError(
            Code.SCORE_OUT_OF_RANGE, "Likelihood and impact are each 1 to 5.", field=field
        )
    return value


async def assess_risk(
    session: AsyncSession,
    *,
    actor: Principal,
    risk_id: uuid.UUID,
    inherent_likelihood: int,
    inherent_impact: int,
    residual_likelihood: int | None = None,
    residual_impact: int | None = None,
    rationale: str = "",
) -> tuple[Workspace, Risk]:
    """The caller's side scores the risk (the residual is the inherent when not given)."""
    workspace, risk = await _keepable(session, actor, risk_id)
    _require_open(risk)
    inherent = (
        _check_score(inherent_likelihood, "inherentLikelihood"),
        _check_score(inherent_impact, "inherentImpact"),
    )
    residual = (
        _check_score(
            inherent[0] if residual_likelihood is None else residual_likelihood,
            "residualLikelihood",
        ),
        _check_score(inherent[1] if residual_impact is None else residual_impact, "residualImpact"),
    )
    if len(rationale) > 4000:
        raise Invalid("Keep the rationale under 4,000 characters.", field="rationale")
    side = workspace.own_party.id
    assessment = await repository.insert_assessment(
        session,
        partnership_id=workspace.id,
        risk_id=risk.id,
        owner_party_id=side,
        visibility=risk.visibility,
        inherent_likelihood=inherent[0],
        inherent_impact=inherent[1],
        residual_likelihood=residual[0],
        residual_impact=residual[1],
        rationale=rationale.strip(),
        assessed_by=actor.user_id,
    )
    await repository.point_latest(session, risk, assessment)
    await audit.workspace_change(
        session,
        workspace,
        target=risk,
        action="risk.assessed",
        changes={
            "side": workspace.own_party.label,
            "inherent": f"{inherent[0]}x{inherent[1]}",
            "residual": f"{residual[0]}x{residual[1]}",
        },
    )
    refreshed = await repository.risk(session, risk.id)
    assert refreshed is not None
    return workspace, refreshed


async def _eligible_approver(
    session: AsyncSession, workspace: Workspace, approver_user_id: uuid.UUID
) -> None:
    member = await membership_repository.member_by_user(session, workspace.id, approver_user_id)
    if (
        member is None
        or member.party_id != workspace.own_party.id
        or member.role not in APPROVER_ROLES
    ):
        raise DomainError(
            Code.APPROVER_NOT_ELIGIBLE,
            "The approver must be a LEAD or GOVERNANCE member of your side.",
            field="approverId",
        )


@dataclass(frozen=True)
class AcceptanceTerms:
    approver_user_id: uuid.UUID | None
    reason: str
    expires_on: date | None


def _check_terms(terms: AcceptanceTerms | None) -> tuple[uuid.UUID, str, date]:
    """Every rule of an acceptance, checked before anything is written."""
    if terms is None or terms.approver_user_id is None:
        raise DomainError(
            Code.ACCEPTANCE_APPROVER_REQUIRED,
            "Accepting a risk needs an approver of your side.",
            field="approverId",
        )
    if terms.expires_on is None:
        raise DomainError(
            Code.ACCEPTANCE_EXPIRY_REQUIRED,
            "Accepting a risk needs an expiry date (at most a year ahead).",
            field="expiresOn",
        )
    reason = terms.reason.strip()
    if not reason or len(reason) > 2000:
        raise DomainError(
            Code.ACCEPTANCE_REASON_REQUIRED,
            "Say why the risk is accepted (up to 2,000 characters).",
            field="reason",
        )
    now = today()
    if terms.expires_on <= now:
        raise DomainError(
            Code.ACCEPTANCE_EXPIRY_IN_PAST, "The expiry must be after today.", field="expiresOn"
        )
    if terms.expires_on > _one_year_after(now):
        raise DomainError(
            Code.ACCEPTANCE_TOO_LONG,
            f"An acceptance lasts at most a year: expire on {_one_year_after(now)} or earlier.",
            field="expiresOn",
        )
    return terms.approver_user_id, reason, terms.expires_on


async def set_treatment(
    session: AsyncSession,
    *,
    actor: Principal,
    risk_id: uuid.UUID,
    expected_version: int,
    treatment: Treatment,
    plan: str = "",
    acceptance: AcceptanceTerms | None = None,
) -> tuple[Workspace, Risk]:
    """MITIGATE, TRANSFER or AVOID with a plan; ACCEPT with an acceptance by the caller's side
    (an approver, a reason, an expiry), which replaces the one in force."""
    workspace, risk = await _keepable(session, actor, risk_id)
    _require_open(risk)
    if risk.version != expected_version:
        raise conflict(workspace, risk, "risk")
    if len(plan) > 4000:
        raise Invalid("Keep the plan under 4,000 characters.", field="plan")
    terms = None
    if treatment == Treatment.ACCEPT:
        terms = _check_terms(acceptance)
        await _eligible_approver(session, workspace, terms[0])
    elif acceptance is not None:
        raise Invalid("Only an ACCEPT treatment takes acceptance terms.", field="acceptance")
    ended = await repository.end_active_acceptance(
        session, risk, reason="REPLACED" if terms else "TREATMENT_CHANGED"
    )
    values: dict[str, Any] = {"treatment": treatment, "treatment_plan": plan.strip()}
    if terms:
        values["status"] = RiskStatus.ACCEPTED
        await repository.insert_acceptance(
            session,
            partnership_id=workspace.id,
            risk_id=risk.id,
            owner_party_id=workspace.own_party.id,
            visibility=risk.visibility,
            approver_user_id=terms[0],
            reason=terms[1],
            expires_on=terms[2],
            accepted_by=actor.user_id,
        )
    elif risk.status != RiskStatus.OPEN:
        values["status"] = RiskStatus.OPEN
    before = {key: getattr(risk, key) for key in values}
    updated = await apply_versioned(
        session,
        workspace,
        risk,
        expected_version=expected_version,
        values=values,
        refetch=repository.risk,
    )
    changes = audit.diff(before, values)
    if terms:
        changes["acceptance"] = {"expires_on": terms[2].isoformat(), "reason": terms[1]}
    if ended:
        changes["previous_acceptance_ended"] = True
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="risk.accepted" if terms else "risk.treatment_set",
        changes=changes,
    )
    return workspace, updated


async def review_risk(
    session: AsyncSession,
    *,
    actor: Principal,
    risk_id: uuid.UUID,
    expected_version: int,
    note: str = "",
) -> tuple[Workspace, Risk]:
    """The risk was reviewed today: the next review is one cadence away; a risk in review
    (its acceptance expired) is open again."""
    workspace, risk = await _keepable(session, actor, risk_id)
    _require_open(risk)
    next_review = today() + timedelta(days=risk.review_every_days)
    values: dict[str, Any] = {"next_review_on": next_review, "last_reviewed_at": utcnow()}
    if risk.status == RiskStatus.IN_REVIEW:
        values["status"] = RiskStatus.OPEN
    before = {key: getattr(risk, key) for key in values}
    updated = await apply_versioned(
        session,
        workspace,
        risk,
        expected_version=expected_version,
        values=values,
        refetch=repository.risk,
    )
    changes = audit.diff(before, values)
    if note.strip():
        changes["note"] = note.strip()[:2000]
    await audit.workspace_change(
        session, workspace, target=updated, action="risk.reviewed", changes=changes
    )
    return workspace, updated


async def _visible_commitment(
    session: AsyncSession, workspace: Workspace, commitment_id: uuid.UUID, field: str
) -> Any:
    found = await commitment_repository.commitment(session, commitment_id)
    if found is None or found.partnership_id != workspace.id or not workspace.shows(found):
        raise NotFound("commitment", field=field)
    return found


async def add_action(
    session: AsyncSession,
    *,
    actor: Principal,
    risk_id: uuid.UUID,
    title: str,
    owner_party_id: uuid.UUID | None = None,
    due_date: date | None = None,
    commitment_id: uuid.UUID | None = None,
) -> tuple[Workspace, Risk, RiskAction]:
    workspace, risk = await _keepable(session, actor, risk_id)
    _require_open(risk)
    owner = owner_party_id or workspace.own_party.id
    await check_owner_party(session, workspace, owner, Visibility(risk.visibility), what="action")
    if commitment_id is not None:
        commitment = await _visible_commitment(session, workspace, commitment_id, "commitmentId")
        if commitment.visibility != risk.visibility:
            raise Invalid("A shared risk's action is a shared commitment.", field="commitmentId")
    action = await repository.insert_action(
        session,
        partnership_id=workspace.id,
        risk_id=risk.id,
        title=_check_title(title),
        owner_party_id=owner,
        visibility=risk.visibility,
        due_date=due_date,
        status=RiskActionStatus.OPEN,
        commitment_id=commitment_id,
        created_by=actor.user_id,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=risk,
        action="risk.action_added",
        changes={
            "action": action.title,
            "owner": workspace.party(owner).label,
            "due_date": due_date.isoformat() if due_date else None,
        },
    )
    return workspace, risk, action


async def update_action(
    session: AsyncSession,
    *,
    actor: Principal,
    action_id: uuid.UUID,
    status: RiskActionStatus | None = None,
    due_date: date | None = None,
) -> tuple[Workspace, Risk, RiskAction]:
    action = await repository.action(session, action_id)
    if action is None:
        raise NotFound("action", field="actionId")
    workspace, risk = await _keepable(session, actor, action.risk_id, field="actionId")
    if not workspace.shows(action):
        raise NotFound("action", field="actionId")
    values: dict[str, Any] = {}
    if status is not None and status != action.status:
        values["status"] = status
    if due_date is not None and due_date != action.due_date:
        values["due_date"] = due_date
    if not values:
        return workspace, risk, action
    before = {key: getattr(action, key) for key in values}
    updated = await repository.update_action(session, action, values)
    await audit.workspace_change(
        session,
        workspace,
        target=risk,
        action="risk.action_updated",
        changes={"action": updated.title, **audit.diff(before, values)},
    )
    return workspace, risk, updated


@dataclass(frozen=True)
class LinkTargets:
    commitment_ids: Sequence[uuid.UUID] = ()
    milestone_ids: Sequence[uuid.UUID] = ()
    kpi_ids: Sequence[uuid.UUID] = ()


async def _targets(
    session: AsyncSession, workspace: Workspace, targets: LinkTargets
) -> dict[tuple[LinkKind, uuid.UUID], Any]:
    """Each target, read as the caller's side sees it; NOT_FOUND for any it cannot see."""
    found: dict[tuple[LinkKind, uuid.UUID], Any] = {}
    kinds = (
        (LinkKind.COMMITMENT, targets.commitment_ids, commitment_repository.commitments_by_id,
         "commitmentIds"),
        (LinkKind.MILESTONE, targets.milestone_ids, roadmap_repository.milestones_by_id,
         "milestoneIds"),
        (LinkKind.KPI, targets.kpi_ids, kpi_repository.kpis_by_id, "kpiIds"),
    )  # fmt: skip
    for kind, ids, fetch, field in kinds:
        wanted = set(ids)
        if not wanted:
            continue
        records = {
            r.id: r
            for r in await fetch(session, list(wanted))
            if r.partnership_id == workspace.id and workspace.shows(r)
        }
        if wanted - set(records):
            raise NotFound(kind.lower(), field=field)
        found.update({(kind, i): records[i] for i in wanted})
    return found


def _link_key(link: RiskLink) -> tuple[LinkKind, uuid.UUID]:
    target = link.commitment_id or link.milestone_id or link.kpi_id
    assert target is not None
    return LinkKind(link.kind), target


async def set_links(
    session: AsyncSession,
    *,
    actor: Principal,
    risk_id: uuid.UUID,
    targets: LinkTargets,
) -> tuple[Workspace, Risk]:
    """The commitments, milestones and KPIs linked to the risk, as the caller's side sees
    them: the other side's INTERNAL links (which the caller cannot see) stay as they are."""
    workspace, risk = await _keepable(session, actor, risk_id)
    wanted = await _targets(session, workspace, targets)
    current = [
        link for link in await repository.links_of(session, [risk.id]) if workspace.shows(link)
    ]
    have = {_link_key(link): link for link in current}
    removed = [link for key, link in have.items() if key not in wanted]
    added = [key for key in wanted if key not in have]
    await repository.delete_links(session, removed)
    rows: list[dict[str, Any]] = []
    for kind, target_id in added:
        record = wanted[(kind, target_id)]
        shared = risk.visibility == Visibility.SHARED and record.visibility == Visibility.SHARED
        rows.append(
            {
                "partnership_id": workspace.id,
                "risk_id": risk.id,
                "kind": kind,
                f"{kind.lower()}_id": target_id,
                "owner_party_id": risk.owner_party_id if shared else workspace.own_party.id,
                "visibility": Visibility.SHARED if shared else Visibility.INTERNAL,
                "created_by": actor.user_id,
            }
        )
    await repository.insert_links(session, rows)
    # One event each for what both sides may read and what only the caller's side may: an
    # INTERNAL target is never named in a SHARED event.
    changes: dict[Visibility, dict[str, list[str]]] = {}
    noted: list[tuple[str, list[tuple[LinkKind, uuid.UUID, Visibility]]]] = [
        (
            "added",
            [(k, i, Visibility(r["visibility"])) for (k, i), r in zip(added, rows, strict=True)],
        ),
        ("removed", [(*_link_key(link), Visibility(link.visibility)) for link in removed]),
    ]
    for verb, items in noted:
        for kind, target_id, visibility in items:
            entry = changes.setdefault(visibility, {})
            entry.setdefault(f"{verb}_{kind.lower()}s", []).append(str(target_id))
    for visibility, entry in changes.items():
        await audit.record(
            session,
            partnership_id=workspace.id,
            actor_user_id=actor.user_id,
            actor_party_id=workspace.own_party.id,
            action="risk.links_changed",
            object_type="Risk",
            object_id=risk.id,
            owner_party_id=risk.owner_party_id
            if visibility == Visibility.SHARED
            else workspace.own_party.id,
            changes=entry,
            visibility=visibility,
        )
    return workspace, risk
