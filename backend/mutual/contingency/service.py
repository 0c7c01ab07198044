"""Contingency rules: a joint plan's versions (DRAFT -> PENDING_APPROVAL -> APPROVED by a LEAD of
each side; any change a new version, the approved one in force meanwhile), activation (by hand,
as a drill, or by a trigger), the activation room (steps against their time to act, status
updates at the protocol's cadence, escalation) and closure with a post-mortem whose follow-up
actions become commitments."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.commitments import service as commitments
from mutual.contingency import repository
from mutual.contingency.errors import ContingencyErrorCode as Code
from mutual.contingency.models import (
    DEFAULT_CADENCE,
    SEVERITY_UP,
    Activation,
    ActivationStatus,
    ContingencyPlan,
    EntryKind,
    PlanVersion,
    Severity,
    Step,
    TriggerKind,
    VersionStatus,
)
from mutual.kit import notices
from mutual.kit.clock import utcnow
from mutual.kit.errors import DomainError, Invalid, NotFound
from mutual.kit.notices import Notice
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility
from mutual.kit.triggers import Firing
from mutual.kpis import repository as kpi_repository
from mutual.risks import repository as risk_repository
from mutual.tenancy.models import WorkspaceRole
from mutual.tenancy.workspace import Workspace, load_workspace, record_workspace

ACT_ROLES = frozenset({WorkspaceRole.LEAD, WorkspaceRole.EDITOR, WorkspaceRole.GOVERNANCE})
APPROVE_ROLES = frozenset({WorkspaceRole.LEAD})
STEP_ROLES = {r.value for r in WorkspaceRole}
DETECTOR = re.compile(r"^[a-z][a-z0-9_]{1,60}$")
MAX_STEPS = 50
MAX_TRIGGERS = 20

KINDS = {
    "contingency.approval_requested": "A contingency plan waiting for your side's approval",
    "contingency.activated": "A contingency plan activated",
    "contingency.escalated": "An activation escalated",
    "contingency.closed": "An activation closed with its post-mortem",
    "contingency.step_late": "A contingency step past its time to act",
    "contingency.update_missed": "A status update missed",
}


@dataclass(frozen=True)
class TriggerSpec:
    kind: TriggerKind
    detector: str | None = None
    kpi_id: uuid.UUID | None = None
    count: int | None = None
    window_days: int | None = None
    risk_id: uuid.UUID | None = None
    score: int | None = None
    threshold: float | None = None


@dataclass(frozen=True)
class StepSpec:
    title: str
    owner_party_id: uuid.UUID
    role: str
    act_within_minutes: int


@dataclass(frozen=True)
class PlanContent:
    scenario: str
    severity: Severity
    triggers: Sequence[TriggerSpec]
    steps: Sequence[StepSpec]
    protocol: str = ""
    cadence_minutes: dict[Severity, int] | None = None
    oversight_user_ids: Sequence[uuid.UUID] = ()


@dataclass(frozen=True)
class FollowUp:
    title: str
    due_date: date
    owner_party_id: uuid.UUID | None = None


def _require_actor(workspace: Workspace, action: str) -> None:
    workspace.actor.require_session(action)
    workspace.require_role(ACT_ROLES, action)
    workspace.require_active()


def _trigger_json(spec: TriggerSpec, field: str) -> dict[str, Any]:
    """One trigger as stored; `field` is its path (triggers[2]), errors name the control."""
    kind = spec.kind
    if kind == TriggerKind.DETECTOR:
        if not spec.detector or not DETECTOR.match(spec.detector):
            raise Invalid(
                "Name the detector (lowercase, e.g. commitments_delayed).",
                field=f"{field}.detector",
            )
        return {"kind": kind, "source": f"detector.{spec.detector}"}
    if kind == TriggerKind.SLA_BREACHES:
        if not (spec.count and 1 <= spec.count <= 1000):
            raise Invalid("Give a count of 1 to 1000 SLA breaches.", field=f"{field}.count")
        if not (spec.window_days and 1 <= spec.window_days <= 365):
            raise Invalid("Give a window of 1 to 365 days.", field=f"{field}.windowDays")
        return {
            "kind": kind,
            "source": f"sla_breaches.{spec.count}.{spec.window_days}",
            "count": spec.count,
            "windowDays": spec.window_days,
        }
    if kind == TriggerKind.RISK_SCORE:
        if spec.risk_id is None:
            raise Invalid("Name the risk.", field=f"{field}.riskId")
        if not (spec.score and 1 <= spec.score <= 25):
            raise Invalid("Give a residual score of 1 to 25.", field=f"{field}.score")
        return {
            "kind": kind,
            "source": f"risk.{spec.risk_id}.{spec.score}",
            "riskId": str(spec.risk_id),
            "score": spec.score,
        }
    if kind == TriggerKind.KPI_OFF_TRACK:
        if spec.kpi_id is None:
            raise Invalid("Name the KPI.", field=f"{field}.kpiId")
        found: dict[str, Any] = {"kind": kind, "kpiId": str(spec.kpi_id)}
        if spec.threshold is not None:
            found["threshold"] = spec.threshold
        found["source"] = f"kpi.{spec.kpi_id}" + (
            f".{spec.threshold:g}" if spec.threshold is not None else ""
        )
        return found
    return {"kind": kind, "source": "manual"}


async def _content_json(
    session: AsyncSession, workspace: Workspace, content: PlanContent
) -> dict[str, Any]:
    if len(content.scenario) > 5000:
        raise Invalid("The scenario is at most 5000 characters.", field="scenario")
    if not content.steps or len(content.steps) > MAX_STEPS:
        raise Invalid(f"Give 1 to {MAX_STEPS} playbook steps.", field="steps")
    if len(content.triggers) > MAX_TRIGGERS:
        raise Invalid(f"Give at most {MAX_TRIGGERS} triggers.", field="triggers")
    parties = {p.id for p in workspace.parties}
    steps = []
    for index, step in enumerate(content.steps):
        at = f"steps[{index}]"
        if not step.title.strip() or len(step.title) > 200:
            raise Invalid("Each step needs a title of 1 to 200 characters.", field=f"{at}.title")
        if step.owner_party_id not in parties:
            raise Invalid("A step's owner is one of the two sides.", field=f"{at}.ownerPartyId")
        if step.role not in STEP_ROLES:
            roles = ", ".join(sorted(STEP_ROLES))
            raise Invalid(f"A step's role is one of {roles}.", field=f"{at}.role")
        if not 1 <= step.act_within_minutes <= 60 * 24 * 30:
            raise Invalid(
                "A step's time to act is 1 minute to 30 days.", field=f"{at}.actWithinMinutes"
            )
        steps.append(
            {
                "title": step.title.strip(),
                "ownerPartyId": str(step.owner_party_id),
                "role": step.role,
                "actWithinMinutes": step.act_within_minutes,
            }
        )
    cadence = {str(k): v for k, v in DEFAULT_CADENCE.items()}
    for severity, minutes in (content.cadence_minutes or {}).items():
        if not 5 <= minutes <= 60 * 24 * 14:
            raise Invalid("An update cadence is 5 minutes to 14 days.", field=f"cadence.{severity}")
        cadence[str(severity)] = minutes
    oversight = list(dict.fromkeys(content.oversight_user_ids))
    members = await repository.member_parties(session, workspace.id, oversight)
    if len(members) != len(oversight):
        raise Invalid(
            "The oversight group names members of the partnership.", field="oversightUserIds"
        )
    triggers = [_trigger_json(t, f"triggers[{i}]") for i, t in enumerate(content.triggers)]
    await _check_trigger_records(session, workspace, content.triggers)
    return {
        "triggers": triggers,
        "steps": steps,
        "protocol": content.protocol.strip(),
        "cadence": cadence,
        "oversight": [str(u) for u in oversight],
    }


async def _check_trigger_records(
    session: AsyncSession, workspace: Workspace, triggers: Sequence[TriggerSpec]
) -> None:
    """A trigger's KPI or risk is one of this partnership's that the side may read (one read of
    each kind, whatever the number of triggers)."""
    kpi_ids = [t.kpi_id for t in triggers if t.kind == TriggerKind.KPI_OFF_TRACK and t.kpi_id]
    risk_ids = [t.risk_id for t in triggers if t.kind == TriggerKind.RISK_SCORE and t.risk_id]
    kpis = await kpi_repository.kpis_by_id(session, kpi_ids) if kpi_ids else []
    risks = await risk_repository.risks_by_id(session, risk_ids) if risk_ids else []
    known = {r.id for r in [*kpis, *risks] if r.partnership_id == workspace.id}
    for index, trigger in enumerate(triggers):
        if trigger.kind == TriggerKind.KPI_OFF_TRACK and trigger.kpi_id not in known:
            raise NotFound("KPI in this partnership", field=f"triggers[{index}].kpiId")
        if trigger.kind == TriggerKind.RISK_SCORE and trigger.risk_id not in known:
            raise NotFound("risk in this partnership", field=f"triggers[{index}].riskId")


def _check_title(title: str) -> str:
    if not title.strip() or len(title) > 200:
        raise Invalid("Give a title of 1 to 200 characters.", field="title")
    return title.strip()


async def create_plan(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    title: str,
    content: PlanContent,
) -> tuple[Workspace, ContingencyPlan]:
    """A joint plan with its first version, a DRAFT."""
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    _require_actor(workspace, "Drafting a contingency plan")
    body = await _content_json(session, workspace, content)
    plan = await repository.insert_plan(
        session,
        partnership_id=workspace.id,
        title=_check_title(title),
        owner_party_id=workspace.own_party.id,
        visibility=Visibility.SHARED,
        created_by=actor.user_id,
    )
    await repository.insert_version(
        session,
        partnership_id=workspace.id,
        plan_id=plan.id,
        number=1,
        status=VersionStatus.DRAFT,
        scenario=content.scenario.strip(),
        severity=content.severity,
        content=body,
        created_by=actor.user_id,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=plan,
        action="contingency_plan.created",
        changes=audit.created({"title": plan.title, "severity": content.severity, "number": 1}),
    )
    return workspace, plan


async def _plan_of(
    session: AsyncSession, actor: Principal, plan_id: uuid.UUID, *, field: str = "planId"
) -> tuple[Workspace, ContingencyPlan]:
    return await record_workspace(
        session,
        actor=actor,
        record=await repository.plan(session, plan_id),
        what="contingency plan",
        field=field,
    )


async def revise_plan(
    session: AsyncSession,
    *,
    actor: Principal,
    plan_id: uuid.UUID,
    content: PlanContent,
    title: str | None = None,
) -> tuple[Workspace, ContingencyPlan]:
    """Any change is a new DRAFT version; the approved one stays in force until it is approved."""
    workspace, plan = await _plan_of(session, actor, plan_id)
    _require_actor(workspace, "Revising a contingency plan")
    body = await _content_json(session, workspace, content)
    await repository.supersede_open_versions(session, workspace.id, plan.id)
    number = plan.latest_number + 1
    values: dict[str, Any] = {"latest_number": number}
    if title is not None:
        values["title"] = _check_title(title)
    before = {"title": plan.title, "number": plan.latest_number}
    updated = await repository.update_plan(session, plan, **values)
    await repository.insert_version(
        session,
        partnership_id=workspace.id,
        plan_id=plan.id,
        number=number,
        status=VersionStatus.DRAFT,
        scenario=content.scenario.strip(),
        severity=content.severity,
        content=body,
        created_by=actor.user_id,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="contingency_plan.revised",
        changes=audit.diff(before, {"title": updated.title, "number": number}),
    )
    return workspace, updated


async def _version_of(
    session: AsyncSession, actor: Principal, version_id: uuid.UUID
) -> tuple[Workspace, ContingencyPlan, PlanVersion]:
    found = await repository.version(session, version_id)
    if found is None:
        raise NotFound("plan version", field="planVersionId")
    workspace, plan = await _plan_of(session, actor, found.plan_id, field="planVersionId")
    return workspace, plan, found


async def submit_version(
    session: AsyncSession, *, actor: Principal, version_id: uuid.UUID
) -> tuple[Workspace, ContingencyPlan]:
    workspace, plan, found = await _version_of(session, actor, version_id)
    _require_actor(workspace, "Submitting a contingency plan")
    if found.status != VersionStatus.DRAFT:
        raise DomainError(Code.NOT_PENDING, "Only a draft is submitted.", field="planVersionId")
    await repository.set_version_status(
        session, found, status=VersionStatus.PENDING_APPROVAL, submitted_at=utcnow()
    )
    await audit.workspace_change(
        session,
        workspace,
        target=plan,
        action="contingency_plan.submitted",
        changes=audit.diff({"status": found.status}, {"status": VersionStatus.PENDING_APPROVAL}),
    )
    await notices.send(
        session,
        *(
            Notice(
                partnership_id=workspace.id,
                kind="contingency.approval_requested",
                party_id=party.id,
                subject_type="ContingencyPlan",
                subject_id=plan.id,
                title=f"Approve version {found.number} of the plan: {plan.title}",
                roles=(WorkspaceRole.LEAD,),
                dedupe_key=f"{found.id}:approval",
            )
            for party in workspace.parties
        ),
    )
    return workspace, plan


async def approve_version(
    session: AsyncSession,
    *,
    actor: Principal,
    version_id: uuid.UUID,
    party_id: uuid.UUID | None = None,
) -> tuple[Workspace, ContingencyPlan]:
    """A LEAD approves for their own side, once; the second side's approval puts the version in
    force (the one it replaces is superseded)."""
    workspace, plan, found = await _version_of(session, actor, version_id)
    if party_id is not None and party_id != workspace.own_party.id:
        raise DomainError(
            Code.WRONG_SIDE, "A LEAD approves for their own side only.", field="partyId"
        )
    workspace.actor.require_session("Approving a contingency plan")
    workspace.require_role(APPROVE_ROLES, "Approving a contingency plan")
    workspace.require_active()
    if found.status == VersionStatus.APPROVED:
        raise DomainError(Code.ALREADY_APPROVED, "This version is approved.", field="planVersionId")
    if found.status != VersionStatus.PENDING_APPROVAL:
        raise DomainError(
            Code.NOT_PENDING, "Only a submitted version is approved.", field="planVersionId"
        )
    approvals = await repository.approvals_of(session, [found.id])
    if any(a.party_id == workspace.own_party.id for a in approvals):
        raise DomainError(
            Code.ALREADY_APPROVED, "Your side approved this version already.", field="planVersionId"
        )
    await repository.insert_approval(
        session,
        partnership_id=workspace.id,
        version_id=found.id,
        party_id=workspace.own_party.id,
        user_id=actor.user_id,
    )
    sides = {a.party_id for a in approvals} | {workspace.own_party.id}
    updated = plan
    changes: dict[str, Any] = {"approvedBy": {"from": None, "to": workspace.own_party.label}}
    if sides >= {p.id for p in workspace.parties} and len(workspace.parties) == 2:
        if plan.in_force_version_id is not None:
            previous = await repository.version(session, plan.in_force_version_id)
            if previous is not None:
                await repository.set_version_status(
                    session, previous, status=VersionStatus.SUPERSEDED
                )
        await repository.set_version_status(
            session, found, status=VersionStatus.APPROVED, approved_at=utcnow()
        )
        updated = await repository.update_plan(session, plan, in_force_version_id=found.id)
        changes["inForce"] = {"from": None, "to": found.number}
    await audit.workspace_change(
        session, workspace, target=updated, action="contingency_plan.approved", changes=changes
    )
    return workspace, updated


# -- activations ------------------------------------------------------------------------------


def _room_notices(
    activation_id: uuid.UUID,
    partnership_id: uuid.UUID,
    parties: Sequence[uuid.UUID],
    *,
    kind: str,
    title: str,
    body: str = "",
    key: str,
) -> list[Notice]:
    return [
        Notice(
            partnership_id=partnership_id,
            kind=kind,
            party_id=party,
            subject_type="Activation",
            subject_id=activation_id,
            title=title,
            body=body,
            dedupe_key=f"{activation_id}:{key}:{party}",
        )
        for party in parties
    ]


async def activate_plan(
    session: AsyncSession,
    *,
    actor: Principal,
    plan_id: uuid.UUID,
    drill: bool = False,
    summary: str = "",
) -> tuple[Workspace, Activation]:
    """By hand (or as a drill): the approved version in force, its steps timed from now."""
    workspace, plan = await _plan_of(session, actor, plan_id)
    _require_actor(workspace, "Activating a contingency plan")
    if len(summary) > 2000:
        raise Invalid("The summary is at most 2000 characters.", field="summary")
    if plan.in_force_version_id is None:
        raise DomainError(Code.NOT_APPROVED, "No approved version is in force.", field="planId")
    activation_id = await repository.activate(
        session,
        partnership_id=workspace.id,
        plan_id=plan.id,
        episode=str(uuid.uuid4()),
        summary=summary.strip() or ("Drill" if drill else "Activated by hand"),
        drill=drill,
        party_id=workspace.own_party.id,
        now=utcnow(),
    )
    found = await repository.activation(session, activation_id) if activation_id else None
    if found is None:
        raise DomainError(Code.NOT_APPROVED, "No approved version is in force.", field="planId")
    what = "Drill started" if drill else "Plan activated"
    await notices.send(
        session,
        *_room_notices(
            found.id,
            workspace.id,
            [p.id for p in workspace.parties],
            kind="contingency.activated",
            title=f"{what}: {plan.title}",
            body=found.summary,
            key="activated",
        ),
    )
    return workspace, found


async def receive_firings(session: AsyncSession, firings: Sequence[Firing]) -> None:
    """The trigger sink: each firing activates every approved plan of its partnership whose
    trigger names its source, once per episode, and tells both sides (one statement for all
    the firings, and one batch of notices)."""
    if not firings:
        return
    activated = await repository.fire(session, firings, now=utcnow())
    await notices.send(
        session,
        *(
            notice
            for index, activation_id, title, parties in activated
            for notice in _room_notices(
                activation_id,
                firings[index].partnership_id,
                parties,
                kind="contingency.activated",
                title=f"Plan activated by {firings[index].source}: {title}",
                body=firings[index].summary,
                key="activated",
            )
        ),
    )


async def _room(
    session: AsyncSession, actor: Principal, activation_id: uuid.UUID, action: str
) -> tuple[Workspace, Activation]:
    workspace, found = await record_workspace(
        session,
        actor=actor,
        record=await repository.activation(session, activation_id),
        what="activation",
        field="activationId",
    )
    _require_actor(workspace, action)
    if found.status == ActivationStatus.CLOSED:
        raise DomainError(Code.CLOSED, "This activation is closed.", field="activationId")
    return workspace, found


async def _entry(
    session: AsyncSession, workspace: Workspace, activation: Activation, kind: EntryKind, body: str
) -> None:
    await repository.append_entry(
        session,
        partnership_id=workspace.id,
        activation_id=activation.id,
        kind=kind,
        body=body,
        actor_user_id=workspace.actor.user_id,
        actor_party_id=workspace.own_party.id,
        at=utcnow(),
    )


async def complete_step(
    session: AsyncSession, *, actor: Principal, step_id: uuid.UUID
) -> tuple[Workspace, Activation]:
    """The step's owner side completes it; late when past its time to act."""
    found = await repository.step(session, step_id)
    if found is None:
        raise NotFound("step", field="stepId")
    workspace, activation = await _room(
        session, actor, found.activation_id, "Completing a contingency step"
    )
    if found.owner_party_id != workspace.own_party.id:
        raise DomainError(Code.WRONG_SIDE, "This step is the other side's.", field="stepId")
    if found.completed_at is not None:
        raise DomainError(Code.ALREADY_DONE, "This step is done.", field="stepId")
    now = utcnow()
    done = await repository.complete_step(session, found, user_id=actor.user_id, at=now)
    late = " (late)" if is_late(done, now) else ""
    await _entry(session, workspace, activation, EntryKind.STEP_DONE, f"{done.title}{late}")
    updated = await repository.update_activation(session, activation)
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="activation.step_completed",
        changes={
            "step": {"from": None, "to": done.title},
            "late": {"from": None, "to": bool(late)},
        },
    )
    return workspace, updated


def is_late(step: Step, now: datetime) -> bool:
    moment = step.completed_at or now
    return moment > step.due_at


def cadence_of(version: PlanVersion, severity: str) -> timedelta:
    minutes = (
        version.content.get("cadence", {}).get(severity) or DEFAULT_CADENCE[Severity(severity)]
    )
    return timedelta(minutes=int(minutes))


async def post_update(
    session: AsyncSession, *, actor: Principal, activation_id: uuid.UUID, body: str
) -> tuple[Workspace, Activation]:
    """A status update to the partner; the next is due one cadence later."""
    workspace, activation = await _room(session, actor, activation_id, "Posting a status update")
    if not body.strip() or len(body) > 5000:
        raise Invalid("Give an update of 1 to 5000 characters.", field="body")
    now = utcnow()
    [version] = await repository.versions_by_id(session, [activation.version_id])
    on_time = activation.next_update_due_at is None or now <= activation.next_update_due_at
    await _entry(session, workspace, activation, EntryKind.UPDATE, body.strip())
    updated = await repository.update_activation(
        session,
        activation,
        next_update_due_at=now + cadence_of(version, activation.severity),
        updates_on_time=activation.updates_on_time + (1 if on_time else 0),
    )
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="activation.update_posted",
        changes={"onTime": {"from": None, "to": on_time}},
    )
    return workspace, updated


async def escalate(
    session: AsyncSession, *, actor: Principal, activation_id: uuid.UUID, reason: str
) -> tuple[Workspace, Activation]:
    """One level up: the severity rises a step (and with it the update cadence)."""
    workspace, activation = await _room(session, actor, activation_id, "Escalating")
    if not reason.strip() or len(reason) > 2000:
        raise Invalid("Give a reason of 1 to 2000 characters.", field="reason")
    severity = SEVERITY_UP[Severity(activation.severity)]
    await _entry(session, workspace, activation, EntryKind.ESCALATED, reason.strip())
    updated = await repository.update_activation(
        session,
        activation,
        escalation_level=activation.escalation_level + 1,
        severity=severity,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="activation.escalated",
        changes=audit.diff(
            {"severity": activation.severity, "level": activation.escalation_level},
            {"severity": severity, "level": updated.escalation_level},
        ),
    )
    await notices.send(
        session,
        *_room_notices(
            updated.id,
            workspace.id,
            [p.id for p in workspace.parties],
            kind="contingency.escalated",
            title=f"Escalated to level {updated.escalation_level} ({severity})",
            body=reason.strip(),
            key=f"escalated:{updated.escalation_level}",
        ),
    )
    return workspace, updated


def drill_score(steps: Sequence[Step], activation: Activation, now: datetime) -> int:
    """Steps done on time and updates on time, out of all steps and updates due."""
    on_time = sum(1 for s in steps if s.completed_at is not None and not is_late(s, now))
    total = len(steps) + activation.updates_on_time + activation.missed_updates
    good = on_time + activation.updates_on_time
    return round(100 * good / total) if total else 100


async def close_activation(
    session: AsyncSession,
    *,
    actor: Principal,
    activation_id: uuid.UUID,
    summary: str,
    root_causes: Sequence[str],
    follow_ups: Sequence[FollowUp],
) -> tuple[Workspace, Activation]:
    """Closed with a post-mortem; each follow-up action becomes a commitment (proposed to the
    partner, as any commitment is)."""
    workspace, activation = await _room(session, actor, activation_id, "Closing an activation")
    if not summary.strip() or len(summary) > 10000:
        raise Invalid("Give a post-mortem summary of 1 to 10000 characters.", field="summary")
    causes = [c.strip() for c in root_causes if c.strip()]
    if len(causes) > 20 or any(len(c) > 500 for c in causes):
        raise Invalid("Give up to 20 root causes of at most 500 characters.", field="rootCauses")
    if len(follow_ups) > 20:
        raise Invalid("Give up to 20 follow-up actions.", field="followUps")
    commitment_ids = []
    for follow_up in follow_ups:
        _ws, commitment = await commitments.propose(
            session,
            actor=actor,
            partnership_id=workspace.id,
            title=follow_up.title,
            due_date=follow_up.due_date,
            owner_party_id=follow_up.owner_party_id,
            description="Follow-up action of a contingency post-mortem.",
        )
        commitment_ids.append(str(commitment.id))
    now = utcnow()
    steps = await repository.steps_of(session, [activation.id])
    await _entry(session, workspace, activation, EntryKind.CLOSED, summary.strip())
    updated = await repository.update_activation(
        session,
        activation,
        status=ActivationStatus.CLOSED,
        closed_at=now,
        next_update_due_at=None,
        score=drill_score(steps, activation, now),
        postmortem={
            "summary": summary.strip(),
            "rootCauses": causes,
            "commitmentIds": commitment_ids,
        },
    )
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="activation.closed",
        changes={
            "status": {"from": ActivationStatus.ACTIVE, "to": ActivationStatus.CLOSED},
            "score": {"from": None, "to": updated.score},
        },
    )
    await notices.send(
        session,
        *_room_notices(
            updated.id,
            workspace.id,
            [p.id for p in workspace.parties],
            kind="contingency.closed",
            title=f"{'Drill' if updated.drill else 'Activation'} closed with its post-mortem",
            body=summary.strip()[:500],
            key="closed",
        ),
    )
    return workspace, updated
