"""Commitment rules: who may move a commitment through its life, and its reliability figures.

PROPOSED → AGREED (the side that did not propose accepts; it may decline) → IN_PROGRESS →
DELIVERED (owner side, with evidence) → CONFIRMED or DISPUTED (the counterparty, a reason for
a dispute; a disputed commitment can be delivered again). A renegotiation (new due date and a
reason, asked by the owner side) takes effect when the counterparty agrees. MISSED is read
from the clock. INTERNAL commitments are one side's own plans: that side plays both roles.

A due date is never set in the past (today in UTC is the earliest, `kit.clock.today`): proposed,
asked for in a renegotiation, or agreed to by accepting either. Else a commitment would be
MISSED the moment it is agreed and land in a month already measured by the on-time KPIs.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.commitments import notices, repository
from mutual.commitments.errors import CommitmentErrorCode as Code
from mutual.commitments.models import (
    Commitment,
    CommitmentAction,
    CommitmentStatus,
)
from mutual.commitments.repository import CommitmentFilter, CommitmentOrder
from mutual.kit.clock import today, utcnow
from mutual.kit.errors import DomainError, Invalid, conflict
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility, apply_versioned
from mutual.kpis import repository as kpi_repository
from mutual.roadmap import repository as roadmap_repository
from mutual.tenancy.workspace import (
    EDIT_ROLES,
    Workspace,
    check_owner_party,
    load_workspace,
    record_workspace,
)

S = CommitmentStatus
A = CommitmentAction

# action -> (statuses it may start from, status it leads to, who acts)
OWNER, COUNTERPARTY, NOT_PROPOSER = "owner", "counterparty", "not_proposer"
RULES: dict[CommitmentAction, tuple[frozenset[CommitmentStatus], CommitmentStatus | None, str]] = {
    A.ACCEPT: (frozenset({S.PROPOSED}), S.AGREED, NOT_PROPOSER),
    A.DECLINE: (frozenset({S.PROPOSED}), S.DECLINED, NOT_PROPOSER),
    A.START: (frozenset({S.AGREED}), S.IN_PROGRESS, OWNER),
    A.DELIVER: (frozenset({S.AGREED, S.IN_PROGRESS, S.DISPUTED}), S.DELIVERED, OWNER),
    A.CONFIRM: (frozenset({S.DELIVERED}), S.CONFIRMED, COUNTERPARTY),
    A.DISPUTE: (frozenset({S.DELIVERED}), S.DISPUTED, COUNTERPARTY),
    A.REQUEST_RENEGOTIATION: (frozenset({S.AGREED, S.IN_PROGRESS}), None, OWNER),
    A.ACCEPT_RENEGOTIATION: (frozenset({S.AGREED, S.IN_PROGRESS}), None, COUNTERPARTY),
    A.DECLINE_RENEGOTIATION: (frozenset({S.AGREED, S.IN_PROGRESS}), None, COUNTERPARTY),
}
ROLE_OF = {
    OWNER: "the accountable side",
    COUNTERPARTY: "the other side",
    NOT_PROPOSER: "the side that did not propose it",
}


@dataclass(frozen=True)
class EvidenceLink:
    url: str
    title: str
    note: str = ""


def acting_side(commitment: Commitment, workspace: Workspace, who: str) -> bool:
    own = workspace.own_party.id
    if commitment.visibility == Visibility.INTERNAL:
        return commitment.owner_party_id == own
    if who == OWNER:
        return commitment.owner_party_id == own
    if who == COUNTERPARTY:
        return commitment.owner_party_id != own
    return commitment.proposed_by_party_id != own


def available_actions(
    commitment: Commitment, workspace: Workspace, *, on: date
) -> list[CommitmentAction]:
    """What the caller could do now (for the portal's buttons); the service still checks."""
    if workspace.role not in EDIT_ROLES and not workspace.actor.is_org_admin:
        return []
    status = CommitmentStatus(commitment.status)
    pending = commitment.renegotiation_due_date is not None
    actions = []
    for action, (sources, _target, who) in RULES.items():
        if status not in sources or not acting_side(commitment, workspace, who):
            continue
        if action == A.REQUEST_RENEGOTIATION and pending:
            continue
        if action in (A.ACCEPT_RENEGOTIATION, A.DECLINE_RENEGOTIATION) and not pending:
            continue
        # What the service would refuse as DUE_DATE_IN_PAST; declining stays open.
        if action == A.ACCEPT and commitment.due_date < on:
            continue
        if action == A.ACCEPT_RENEGOTIATION and (commitment.renegotiation_due_date or on) < on:
            continue
        actions.append(action)
    return actions


def _check_due_date(due_date: date, *, field: str, what: str = "The due date") -> None:
    """A due date is today (UTC) or later."""
    now = today()
    if due_date < now:
        raise DomainError(
            Code.DUE_DATE_IN_PAST,
            f"{what} {due_date.isoformat()} is in the past: give today "
            f"({now.isoformat()}, UTC) or a later date.",
            field=field,
        )


def _check_text(value: str, field: str, limit: int = 200) -> str:
    if not value.strip() or len(value) > limit:
        raise Invalid(f"Give a {field} of 1 to {limit} characters.", field=field)
    return value.strip()


def _evidence_rows(
    commitment: Commitment, actor: Principal, links: Sequence[EvidenceLink]
) -> list[dict[str, Any]]:
    rows = []
    for index, link in enumerate(links):
        url = link.url.strip()
        if not url.startswith(("https://", "http://")) or len(url) > 2000:
            raise Invalid("Evidence links are http(s) URLs.", field=f"evidence[{index}].url")
        rows.append(
            {
                "partnership_id": commitment.partnership_id,
                "commitment_id": commitment.id,
                "url": url,
                "title": _check_text(link.title, f"evidence[{index}].title"),
                "note": link.note.strip()[:2000],
                "added_by": actor.user_id,
                "owner_party_id": commitment.owner_party_id,
                "visibility": commitment.visibility,
            }
        )
    return rows


async def _check_links(
    session: AsyncSession,
    workspace: Workspace,
    *,
    milestone_id: uuid.UUID | None,
    kpi_id: uuid.UUID | None,
    visibility: Visibility,
) -> None:
    """A linked milestone or KPI must be visible here; a SHARED commitment links SHARED ones."""
    linked: list[tuple[str, Any]] = []
    if milestone_id is not None:
        linked.append(("milestoneId", await roadmap_repository.milestone(session, milestone_id)))
    if kpi_id is not None:
        linked.append(("kpiId", await kpi_repository.kpi(session, kpi_id)))
    for field, record in linked:
        if record is None or record.partnership_id != workspace.id:
            raise DomainError(
                Code.NOT_FOUND, "Nothing with this id is visible to you.", field=field
            )
        if visibility == Visibility.SHARED and record.visibility == Visibility.INTERNAL:
            raise Invalid("A SHARED commitment cannot link an INTERNAL item.", field=field)


async def propose(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    title: str,
    due_date: date,
    owner_party_id: uuid.UUID | None = None,
    description: str = "",
    milestone_id: uuid.UUID | None = None,
    kpi_id: uuid.UUID | None = None,
    visibility: Visibility = Visibility.SHARED,
) -> tuple[Workspace, Commitment]:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    workspace.require_editor("Proposing a commitment")
    owner = owner_party_id or workspace.own_party.id
    await check_owner_party(session, workspace, owner, visibility, what="commitment")
    _check_due_date(due_date, field="dueDate")
    await _check_links(
        session, workspace, milestone_id=milestone_id, kpi_id=kpi_id, visibility=visibility
    )
    # One side's own plan needs no counterparty's acceptance.
    status = S.AGREED if visibility == Visibility.INTERNAL else S.PROPOSED
    commitment = await repository.insert_commitment(
        session,
        partnership_id=workspace.id,
        title=_check_text(title, "title"),
        description=description.strip()[:5000],
        proposed_by_party_id=workspace.own_party.id,
        owner_party_id=owner,
        due_date=due_date,
        milestone_id=milestone_id,
        kpi_id=kpi_id,
        status=status,
        visibility=visibility,
        created_by=actor.user_id,
    )
    await _log(session, workspace, commitment, A.PROPOSE, None, status, due_after=due_date)
    await audit.workspace_change(
        session,
        workspace,
        target=commitment,
        action="commitment.proposed",
        changes=audit.created({"title": commitment.title, "due_date": due_date, "status": status}),
    )
    await notices.proposed(session, workspace, commitment)
    return workspace, commitment


async def _log(
    session: AsyncSession,
    workspace: Workspace,
    commitment: Commitment,
    action: CommitmentAction,
    from_status: CommitmentStatus | None,
    to_status: CommitmentStatus,
    *,
    due_before: date | None = None,
    due_after: date | None = None,
    reason: str = "",
) -> None:
    await repository.insert_transition(
        session,
        partnership_id=commitment.partnership_id,
        commitment_id=commitment.id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor_user_id=workspace.actor.user_id,
        actor_party_id=workspace.own_party.id,
        due_date_before=due_before,
        due_date_after=due_after,
        reason=reason,
        owner_party_id=commitment.owner_party_id,
        visibility=commitment.visibility,
    )


async def _for_action(
    session: AsyncSession, actor: Principal, commitment_id: uuid.UUID, action: CommitmentAction
) -> tuple[Workspace, Commitment]:
    workspace, commitment = await record_workspace(
        session,
        actor=actor,
        record=await repository.commitment(session, commitment_id),
        what="commitment",
        field="commitmentId",
    )
    workspace.require_editor("Acting on a commitment")
    sources, _target, who = RULES[action]
    if CommitmentStatus(commitment.status) not in sources:
        allowed = ", ".join(sorted(sources))
        raise DomainError(
            Code.ILLEGAL_TRANSITION,
            f"Cannot {action.lower().replace('_', ' ')} a {commitment.status} commitment "
            f"(only from {allowed}).",
            field="commitmentId",
        )
    if not acting_side(commitment, workspace, who):
        raise DomainError(
            Code.WRONG_SIDE,
            f"Only {ROLE_OF[who]} may {action.lower().replace('_', ' ')} this commitment.",
            field="commitmentId",
        )
    return workspace, commitment


async def transition(
    session: AsyncSession,
    *,
    actor: Principal,
    commitment_id: uuid.UUID,
    expected_version: int,
    action: CommitmentAction,
    reason: str = "",
    evidence: Sequence[EvidenceLink] = (),
    new_due_date: date | None = None,
) -> tuple[Workspace, Commitment]:
    """Apply one lifecycle action; every illegal or wrong-side attempt changes nothing."""
    workspace, commitment = await _for_action(session, actor, commitment_id, action)
    if commitment.version != expected_version:
        raise conflict(workspace, commitment, "commitment")
    _sources, target, _who = RULES[action]
    values, log = _plan(action, commitment, reason=reason, new_due_date=new_due_date)
    if action == A.DELIVER:
        rows = _evidence_rows(commitment, actor, evidence)
        has_evidence = bool(rows) or bool(await repository.evidence_of(session, [commitment.id]))
        if not has_evidence:
            raise DomainError(
                Code.EVIDENCE_REQUIRED,
                "Delivering needs evidence: at least one link.",
                field="evidence",
            )
        await repository.insert_evidence(session, rows)
    before_status = CommitmentStatus(commitment.status)
    before = {key: getattr(commitment, key) for key in values}
    updated = await apply_versioned(
        session,
        workspace,
        commitment,
        expected_version=expected_version,
        values=values,
        refetch=repository.commitment,
    )
    await _log(session, workspace, updated, action, before_status, target or before_status, **log)
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action=f"commitment.{action.lower()}",
        changes=audit.diff(before, values),
    )
    if action == A.DELIVER:
        await notices.delivered(session, workspace, updated)
    return workspace, updated


def _plan(
    action: CommitmentAction,
    commitment: Commitment,
    *,
    reason: str,
    new_due_date: date | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The column changes and the history entry of an action."""
    _sources, target, _who = RULES[action]
    values: dict[str, Any] = {"status": target} if target else {}
    log: dict[str, Any] = {}
    if action == A.DELIVER:
        values.update(delivered_at=utcnow(), dispute_reason=None)
    elif action == A.CONFIRM:
        values["confirmed_at"] = utcnow()
    elif action == A.DISPUTE:
        values["dispute_reason"] = _require_reason(reason)
        log["reason"] = values["dispute_reason"]
    elif action == A.ACCEPT:
        # A proposal left waiting past its date is declined and proposed again, not agreed late.
        _check_due_date(
            commitment.due_date,
            field="commitmentId",
            what="This proposal's due date",
        )
    elif action == A.DECLINE:
        log["reason"] = reason.strip()[:2000]
    elif action == A.REQUEST_RENEGOTIATION:
        if commitment.renegotiation_due_date is not None:
            raise DomainError(
                Code.RENEGOTIATION_PENDING,
                "A renegotiation is already waiting for the other side.",
                field="commitmentId",
            )
        if new_due_date is None or new_due_date == commitment.due_date:
            raise Invalid("Give a new due date different from the current one.", field="newDueDate")
        _check_due_date(new_due_date, field="newDueDate", what="The new due date")
        values.update(
            renegotiation_due_date=new_due_date, renegotiation_reason=_require_reason(reason)
        )
        log.update(
            due_before=commitment.due_date,
            due_after=new_due_date,
            reason=values["renegotiation_reason"],
        )
    elif action in (A.ACCEPT_RENEGOTIATION, A.DECLINE_RENEGOTIATION):
        if commitment.renegotiation_due_date is None:
            raise DomainError(
                Code.NO_RENEGOTIATION, "No renegotiation is waiting.", field="commitmentId"
            )
        values.update(renegotiation_due_date=None, renegotiation_reason=None)
        log.update(due_before=commitment.due_date, reason=commitment.renegotiation_reason or "")
        if action == A.ACCEPT_RENEGOTIATION:
            _check_due_date(
                commitment.renegotiation_due_date,
                field="commitmentId",
                what="The renegotiated due date",
            )
            values["due_date"] = commitment.renegotiation_due_date
            log["due_after"] = commitment.renegotiation_due_date
    return values, log


def _require_reason(reason: str) -> str:
    if not reason.strip():
        raise DomainError(Code.REASON_REQUIRED, "Give a reason.", field="reason")
    return reason.strip()[:2000]


async def list_commitments(
    session: AsyncSession,
    workspace: Workspace,
    *,
    page: PageRequest,
    where: CommitmentFilter,
    order: CommitmentOrder,
    descending: bool,
) -> Page[Commitment]:
    return await repository.commitments_page(
        session,
        workspace.id,
        page,
        where=where,
        order=order,
        descending=descending,
        today=today(),
        viewer_party_id=workspace.own_party.id,
    )


async def list_commitments_json(
    session: AsyncSession,
    workspace: Workspace,
    *,
    json: str,
    page: PageRequest,
    where: CommitmentFilter,
    order: CommitmentOrder,
    descending: bool,
) -> Page[str]:
    """`list_commitments`, each commitment as the JSON text of `json` (graphql/json_lists.py)."""
    return await repository.commitments_json_page(
        session,
        workspace.id,
        page,
        json=json,
        where=where,
        order=order,
        descending=descending,
        today=today(),
        viewer_party_id=workspace.own_party.id,
    )


@dataclass(frozen=True)
class PartyReliability:
    party_id: uuid.UUID
    due: int
    on_time: int
    missed: int
    renegotiations: int
    disputes: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


async def reliability(
    session: AsyncSession, workspace: Workspace, *, period_start: date, period_end: date
) -> list[PartyReliability]:
    if period_end < period_start:
        raise Invalid("The period ends before it starts.", field="to")
    rows = await repository.reliability(
        session, workspace.id, period_start=period_start, period_end=period_end, today=today()
    )
    return [
        PartyReliability(
            party_id=r.party_id,
            due=r.due,
            on_time=r.on_time,
            missed=r.missed,
            renegotiations=r.renegotiations,
            disputes=r.disputes,
        )
        for r in rows
    ]
