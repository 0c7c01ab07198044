"""Feedback rules: who may move an item through its life, its SLA clocks, comments and internal
notes, the SLA policy both LEADs agree on, and the figures per receiving party.

SUBMITTED → ACKNOWLEDGED → IN_PROGRESS ⇄ WAITING_ON_SUBMITTER → RESOLVED (a note required) →
CLOSED (the submitter accepts and rates 1 to 5) or back to IN_PROGRESS (the submitter reopens,
with a reason). Only the receiving side acknowledges, works and resolves; only the submitting side
accepts, rates or reopens. A resolved item left alone closes itself (tasks.py) after the
partnership's period (its SLA policy's, 7 days by default).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.commitments import repository as commitment_repository
from mutual.feedback import clocks, repository
from mutual.feedback.business_time import Calendar
from mutual.feedback.clocks import Clock
from mutual.feedback.errors import FeedbackErrorCode as Code
from mutual.feedback.models import (
    BODY_LIMIT,
    TITLE_LIMIT,
    Feedback,
    FeedbackAction,
    FeedbackCategory,
    FeedbackComment,
    FeedbackPolicy,
    FeedbackStatus,
    PolicyStatus,
    Severity,
)
from mutual.feedback.repository import FeedbackFilter
from mutual.kit import notices
from mutual.kit.clock import utcnow
from mutual.kit.errors import DomainError, Forbidden, Invalid, conflict
from mutual.kit.notices import Notice
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility, apply_versioned
from mutual.kpis import repository as kpi_repository
from mutual.roadmap import repository as roadmap_repository
from mutual.tenancy.models import WorkspaceRole
from mutual.tenancy.workspace import Workspace, load_workspace, record_workspace

S = FeedbackStatus
A = FeedbackAction

# Who may write feedback and comments on a side (a VIEWER only reads).
FEEDBACK_ROLES = frozenset({WorkspaceRole.LEAD, WorkspaceRole.EDITOR, WorkspaceRole.GOVERNANCE})
RECEIVER, SUBMITTER = "receiver", "submitter"
ROLE_OF = {RECEIVER: "the receiving side", SUBMITTER: "the submitting side"}

# action -> (statuses it may start from, status it leads to, who acts)
RULES: dict[FeedbackAction, tuple[frozenset[FeedbackStatus], FeedbackStatus, str]] = {
    A.ACKNOWLEDGE: (frozenset({S.SUBMITTED}), S.ACKNOWLEDGED, RECEIVER),
    A.START: (frozenset({S.SUBMITTED, S.ACKNOWLEDGED}), S.IN_PROGRESS, RECEIVER),
    A.ASK_SUBMITTER: (
        frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS}),
        S.WAITING_ON_SUBMITTER,
        RECEIVER,
    ),
    A.RESUME: (frozenset({S.WAITING_ON_SUBMITTER}), S.IN_PROGRESS, RECEIVER),
    A.RESOLVE: (
        frozenset({S.ACKNOWLEDGED, S.IN_PROGRESS, S.WAITING_ON_SUBMITTER}),
        S.RESOLVED,
        RECEIVER,
    ),
    A.ACCEPT: (frozenset({S.RESOLVED}), S.CLOSED, SUBMITTER),
    A.REOPEN: (frozenset({S.RESOLVED}), S.IN_PROGRESS, SUBMITTER),
}

# The targets when no policy has been agreed yet: minutes of business time (first response,
# resolution), in the receiving side's calendar (Monday to Friday, 09:00 to 17:00 UTC).
DEFAULT_TARGETS: dict[str, dict[str, int]] = {
    Severity.CRITICAL: {"first_response": 60, "resolution": 8 * 60},
    Severity.HIGH: {"first_response": 4 * 60, "resolution": 3 * 8 * 60},
    Severity.MEDIUM: {"first_response": 8 * 60, "resolution": 5 * 8 * 60},
    Severity.LOW: {"first_response": 2 * 8 * 60, "resolution": 10 * 8 * 60},
}
DEFAULT_CALENDAR = Calendar()
DEFAULT_AUTO_CLOSE_DAYS = 7
MAX_TARGET_MINUTES = 365 * 24 * 60


@dataclass(frozen=True)
class PolicyTerms:
    """What a policy says, as the service reads it (the agreed one, or the defaults)."""

    targets: Mapping[str, Mapping[str, int]]
    business_hours: bool
    calendars: Mapping[str, Calendar]  # by party id (str)
    auto_close_days: int

    def calendar_for(self, party_id: uuid.UUID) -> Calendar:
        if not self.business_hours:
            return Calendar(around_the_clock=True)
        return self.calendars.get(str(party_id), DEFAULT_CALENDAR)


DEFAULT_TERMS = PolicyTerms(
    targets=DEFAULT_TARGETS, business_hours=True, calendars={}, auto_close_days=7
)


def terms_of(policy: FeedbackPolicy | None) -> PolicyTerms:
    if policy is None:
        return DEFAULT_TERMS
    return PolicyTerms(
        targets=policy.targets,
        business_hours=policy.business_hours,
        calendars={k: Calendar.from_json(v) for k, v in policy.calendars.items()},
        auto_close_days=policy.auto_close_days,
    )


def _check_text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    text = value.strip()
    if len(value) > limit:
        raise DomainError(
            Code.TOO_LONG, f"The {field} is {len(value)} characters; at most {limit}.", field=field
        )
    if required and not text:
        raise Invalid(f"Give a {field} of 1 to {limit} characters.", field=field)
    return text


def _require_writer(workspace: Workspace, action: str) -> None:
    workspace.actor.require_session(action)
    workspace.require_role(FEEDBACK_ROLES, action)
    workspace.require_active()


def side_of(item: Feedback, workspace: Workspace) -> str:
    return SUBMITTER if item.owner_party_id == workspace.own_party.id else RECEIVER


def available_actions(item: Feedback, workspace: Workspace) -> list[FeedbackAction]:
    """What the caller could do now (the portal's buttons); the service still checks."""
    if workspace.role not in FEEDBACK_ROLES and not workspace.actor.is_org_admin:
        return []
    side = side_of(item, workspace)
    status = FeedbackStatus(item.status)
    return [a for a, (sources, _t, who) in RULES.items() if status in sources and who == side]


async def _check_links(
    session: AsyncSession, workspace: Workspace, links: Mapping[str, uuid.UUID | None]
) -> None:
    """Linked commitments, milestones and KPIs are SHARED records of this partnership."""
    fetch = {
        "commitmentId": commitment_repository.commitment,
        "fixCommitmentId": commitment_repository.commitment,
        "milestoneId": roadmap_repository.milestone,
        "fixMilestoneId": roadmap_repository.milestone,
        "kpiId": kpi_repository.kpi,
    }
    for field, record_id in links.items():
        if record_id is None:
            continue
        record: Any = await fetch[field](session, record_id)
        if record is None or record.partnership_id != workspace.id or not workspace.shows(record):
            raise DomainError(
                Code.NOT_FOUND, "Nothing with this id is visible to you.", field=field
            )
        if record.visibility != Visibility.SHARED:
            raise Invalid("Feedback links SHARED items only.", field=field)


async def submit(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    title: str,
    body: str,
    category: FeedbackCategory,
    severity: Severity,
    commitment_id: uuid.UUID | None = None,
    milestone_id: uuid.UUID | None = None,
    kpi_id: uuid.UUID | None = None,
) -> tuple[Workspace, Feedback]:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    _require_writer(workspace, "Submitting feedback")
    title = _check_text(title, "title", TITLE_LIMIT)
    body = _check_text(body, "body", BODY_LIMIT, required=False)
    if workspace.counterparty is None:
        raise Invalid("This partnership has no other side yet.", field="partnershipId")
    await _check_links(
        session,
        workspace,
        {"commitmentId": commitment_id, "milestoneId": milestone_id, "kpiId": kpi_id},
    )
    receiving = workspace.counterparty.id
    policy = await repository.active_policy(session, workspace.id)
    terms = terms_of(policy)
    calendar = terms.calendar_for(receiving)
    target = terms.targets[severity]
    now = utcnow()
    fr_target, res_target = target["first_response"] * 60, target["resolution"] * 60
    values: dict[str, Any] = {
        **clocks.run_values(
            calendar, Clock.FIRST_RESPONSE, target_s=fr_target, used_s=0, since=now
        ),
        **clocks.run_values(calendar, Clock.RESOLUTION, target_s=res_target, used_s=0, since=now),
    }
    item = await repository.insert_feedback(
        session,
        partnership_id=workspace.id,
        title=title,
        body=body,
        category=category,
        severity=severity,
        status=S.SUBMITTED,
        status_at=now,
        owner_party_id=workspace.own_party.id,
        receiving_party_id=receiving,
        commitment_id=commitment_id,
        milestone_id=milestone_id,
        kpi_id=kpi_id,
        policy_id=policy.id if policy else None,
        calendar=calendar.to_json(),
        visibility=Visibility.SHARED,
        created_by=actor.user_id,
        fr_target_s=fr_target,
        res_target_s=res_target,
        **values,
        **clocks.alarm_and_due(values),
    )
    await _log(session, workspace, item, A.SUBMIT, None, S.SUBMITTED)
    await audit.workspace_change(
        session,
        workspace,
        target=item,
        action="feedback.submitted",
        changes=audit.created(
            {"title": title, "category": category, "severity": severity, "status": S.SUBMITTED}
        ),
    )
    await notices.send(
        session,
        _notice(item, "feedback.submitted", receiving, f"New {severity.lower()} feedback: {title}"),
    )
    return workspace, item


def _notice(
    item: Feedback, kind: str, party_id: uuid.UUID, title: str, *, key: str | None = None, **kw: Any
) -> Notice:
    return Notice(
        partnership_id=item.partnership_id,
        kind=kind,
        party_id=party_id,
        subject_type="Feedback",
        subject_id=item.id,
        title=title,
        dedupe_key=key or f"{item.id}:{kind}",
        **kw,
    )


async def _log(
    session: AsyncSession,
    workspace: Workspace | None,
    item: Feedback,
    action: FeedbackAction,
    from_status: FeedbackStatus | None,
    to_status: FeedbackStatus,
    *,
    note: str = "",
) -> None:
    await repository.insert_transition(
        session,
        partnership_id=item.partnership_id,
        feedback_id=item.id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor_user_id=workspace.actor.user_id if workspace else None,
        actor_party_id=workspace.own_party.id if workspace else None,
        note=note,
        owner_party_id=item.owner_party_id,
        visibility=item.visibility,
    )


async def _item_workspace(
    session: AsyncSession, actor: Principal, feedback_id: uuid.UUID
) -> tuple[Workspace, Feedback]:
    return await record_workspace(
        session,
        actor=actor,
        record=await repository.feedback(session, feedback_id),
        what="feedback",
        field="feedbackId",
    )


def _stop_first_response(item: Feedback, now: datetime) -> dict[str, Any]:
    if item.fr_stopped_at is not None:
        return {}
    values = clocks.halt_values(item, Clock.FIRST_RESPONSE, now, stop=True)
    values["first_response_at"] = now
    return values


async def transition(
    session: AsyncSession,
    *,
    actor: Principal,
    feedback_id: uuid.UUID,
    expected_version: int,
    action: FeedbackAction,
    note: str = "",
    rating: int | None = None,
    fix_commitment_id: uuid.UUID | None = None,
    fix_milestone_id: uuid.UUID | None = None,
) -> tuple[Workspace, Feedback]:
    """Apply one lifecycle action; every illegal or wrong-side attempt changes nothing."""
    workspace, item = await _item_workspace(session, actor, feedback_id)
    _require_writer(workspace, "Acting on feedback")
    sources, target, who = RULES[action]
    verb = action.lower().replace("_", " ")
    if side_of(item, workspace) != who:
        raise DomainError(
            Code.WRONG_SIDE, f"Only {ROLE_OF[who]} may {verb} this feedback.", field="feedbackId"
        )
    if FeedbackStatus(item.status) not in sources:
        allowed = ", ".join(sorted(sources))
        raise DomainError(
            Code.ILLEGAL_TRANSITION,
            f"Cannot {verb} feedback that is {item.status} (only from {allowed}).",
            field="feedbackId",
        )
    if item.version != expected_version:
        raise conflict(workspace, item, "feedback")
    now = utcnow()
    values: dict[str, Any] = {"status": target, "status_at": now}
    log_note = ""
    calendar = clocks.calendar_of(item)
    if action in (A.ACKNOWLEDGE, A.START):
        values.update(_stop_first_response(item, now))
    elif action == A.ASK_SUBMITTER:
        values.update(_stop_first_response(item, now))
        values.update(clocks.halt_values(item, Clock.RESOLUTION, now, stop=False))
        log_note = _check_text(note, "note", BODY_LIMIT, required=False)
    elif action == A.RESUME:
        values.update(
            clocks.run_values(
                calendar,
                Clock.RESOLUTION,
                target_s=item.res_target_s,
                used_s=item.res_used_s,
                since=now,
            )
        )
    elif action == A.RESOLVE:
        if not note.strip():
            raise DomainError(
                Code.NOTE_REQUIRED, "Resolving needs a resolution note.", field="note"
            )
        log_note = _check_text(note, "note", BODY_LIMIT)
        await _check_links(
            session,
            workspace,
            {"fixCommitmentId": fix_commitment_id, "fixMilestoneId": fix_milestone_id},
        )
        terms = terms_of(await repository.active_policy(session, workspace.id))
        values.update(_stop_first_response(item, now))
        values.update(clocks.halt_values(item, Clock.RESOLUTION, now, stop=True))
        values.update(
            resolution_note=log_note,
            fix_commitment_id=fix_commitment_id,
            fix_milestone_id=fix_milestone_id,
            resolved_at=now,
            closes_at=now + timedelta(days=terms.auto_close_days),
        )
    elif action == A.ACCEPT:
        if rating is None or not 1 <= rating <= 5:
            raise DomainError(
                Code.RATING_OUT_OF_RANGE, "Rate the resolution from 1 to 5.", field="rating"
            )
        log_note = _check_text(note, "comment", 2000, required=False)
        values.update(rating=rating, rating_comment=log_note or None, closed_at=now, closes_at=None)
    elif action == A.REOPEN:
        if not note.strip():
            raise DomainError(Code.REASON_REQUIRED, "Reopening needs a reason.", field="note")
        log_note = _check_text(note, "reason", BODY_LIMIT)
        values.update(
            clocks.run_values(
                calendar,
                Clock.RESOLUTION,
                target_s=item.res_target_s,
                used_s=item.res_used_s,
                since=now,
            )
        )
        values.update(reopen_count=item.reopen_count + 1, closes_at=None, resolved_at=None)
    fired = _breaches_at_stop(item, values)
    merged = {**_clock_columns(item), **values}
    values.update(clocks.alarm_and_due(merged))
    before = {key: getattr(item, key) for key in ("status", "rating", "resolution_note")}
    from_status = FeedbackStatus(item.status)
    updated = await apply_versioned(
        session,
        workspace,
        item,
        expected_version=expected_version,
        values=values,
        refetch=repository.feedback,
    )
    await _log(session, workspace, updated, action, from_status, target, note=log_note)
    audited = {k: v for k, v in values.items() if k in before}
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action=f"feedback.{action.lower()}",
        changes=audit.diff(before, audited),
    )
    await _fire_breaches(session, updated, fired)
    await notices.send(session, *_transition_notices(updated, action))
    return workspace, updated


def _clock_columns(item: Feedback) -> dict[str, Any]:
    return {
        f"{p}_{c}": getattr(item, f"{p}_{c}")
        for p in clocks.PREFIX.values()
        for c in ("risk_at", "due_at", "risk_fired_at", "breach_fired_at")
    }


def _breaches_at_stop(item: Feedback, values: dict[str, Any]) -> list[Clock]:
    """Clocks halted past their target before the scan saw it: their breach fires now (once)."""
    fired = []
    for clock, p in clocks.PREFIX.items():
        used = values.get(f"{p}_used_s")
        if used is None or getattr(item, f"{p}_breach_fired_at") is not None:
            continue
        if used > getattr(item, f"{p}_target_s"):
            now = values["status_at"]
            values[f"{p}_breach_fired_at"] = now
            values[f"{p}_risk_fired_at"] = getattr(item, f"{p}_risk_fired_at") or now
            fired.append(clock)
    return fired


async def _fire_breaches(session: AsyncSession, item: Feedback, fired: list[Clock]) -> None:
    for clock in fired:
        await audit.record(
            session,
            partnership_id=item.partnership_id,
            actor_user_id=None,
            actor_party_id=None,
            action="feedback.sla_breached",
            object_type="Feedback",
            object_id=item.id,
            owner_party_id=item.owner_party_id,
            changes={"clock": clock.value},
        )
        await notices.send(session, *breach_notices(item, clock))


def breach_notices(item: Any, clock: Clock | str) -> list[Notice]:
    """A breach is told to both sides, once per clock."""
    what = "first response" if clock == Clock.FIRST_RESPONSE else "resolution"
    title = f"SLA breached ({what}): {item.title}"
    return [
        Notice(
            partnership_id=item.partnership_id,
            kind="feedback.breached",
            party_id=party,
            subject_type="Feedback",
            subject_id=item.id,
            title=title,
            dedupe_key=f"{item.id}:{clock}:breached:{party}",
        )
        for party in (item.receiving_party_id, item.owner_party_id)
    ]


def _transition_notices(item: Feedback, action: FeedbackAction) -> list[Notice]:
    submitter = (item.created_by,) if item.created_by else ()
    if action == A.RESOLVE:
        return [
            _notice(
                item,
                "feedback.resolved",
                item.owner_party_id,
                f"Resolved: {item.title}",
                key=f"{item.id}:resolved:{item.reopen_count}",
                user_ids=submitter,
                body=item.resolution_note or "",
            )
        ]
    if action == A.ASK_SUBMITTER:
        return [
            _notice(
                item,
                "feedback.waiting",
                item.owner_party_id,
                f"Your answer is needed: {item.title}",
                key=f"{item.id}:asked:{item.status_at.isoformat()}",
                user_ids=submitter,
            )
        ]
    if action in (A.ACCEPT, A.REOPEN):
        kind = "feedback.closed" if action == A.ACCEPT else "feedback.reopened"
        verb = f"Rated {item.rating}/5" if action == A.ACCEPT else "Reopened"
        return [
            _notice(
                item,
                kind,
                item.receiving_party_id,
                f"{verb}: {item.title}",
                key=f"{item.id}:{kind}:{item.reopen_count}",
            )
        ]
    return []


async def add_comment(
    session: AsyncSession,
    *,
    actor: Principal,
    feedback_id: uuid.UUID,
    body: str,
    internal: bool = False,
) -> tuple[Workspace, Feedback, FeedbackComment]:
    """A SHARED comment, or an INTERNAL note of the receiving side (never the submitter's to
    read). The receiving side's first shared comment is its first response."""
    workspace, item = await _item_workspace(session, actor, feedback_id)
    _require_writer(workspace, "Commenting on feedback")
    text = _check_text(body, "body", BODY_LIMIT)
    side = side_of(item, workspace)
    if internal and side != RECEIVER:
        raise DomainError(
            Code.WRONG_SIDE,
            "Internal notes are the receiving side's; comment for both sides instead.",
            field="internal",
        )
    if item.status == S.CLOSED:
        raise DomainError(Code.ILLEGAL_TRANSITION, "This feedback is closed.", field="feedbackId")
    visibility = Visibility.INTERNAL if internal else Visibility.SHARED
    comment = await repository.insert_comment(
        session,
        partnership_id=item.partnership_id,
        feedback_id=item.id,
        body=text,
        author_user_id=actor.user_id,
        owner_party_id=workspace.own_party.id,
        visibility=visibility,
    )
    if not internal and side == RECEIVER and item.fr_stopped_at is None:
        now = utcnow()
        values = _stop_first_response(item, now)
        fired = _breaches_at_stop(item, {**values, "status_at": now})
        values.update({k: v for k, v in _stop_fired(item, fired, now).items()})
        values.update(clocks.alarm_and_due({**_clock_columns(item), **values}))
        item = await apply_versioned(
            session,
            workspace,
            item,
            expected_version=item.version,
            values=values,
            refetch=repository.feedback,
        )
        await _fire_breaches(session, item, fired)
    # The note's event is its side's alone (INTERNAL, owned by the receiving side).
    await audit.record(
        session,
        partnership_id=item.partnership_id,
        actor_user_id=actor.user_id,
        actor_party_id=workspace.own_party.id,
        action="feedback.noted" if internal else "feedback.commented",
        object_type="Feedback",
        object_id=item.id,
        owner_party_id=workspace.own_party.id if internal else item.owner_party_id,
        changes={"comment": {"from": None, "to": text[:500]}},
        visibility=visibility,
    )
    if not internal:
        other = item.receiving_party_id if side == SUBMITTER else item.owner_party_id
        await notices.send(
            session,
            _notice(
                item,
                "feedback.commented",
                other,
                f"New comment: {item.title}",
                key=f"{comment.id}:commented",
                body=text[:500],
            ),
        )
    return workspace, item, comment


def _stop_fired(item: Feedback, fired: list[Clock], now: datetime) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for clock in fired:
        p = clocks.PREFIX[clock]
        values[f"{p}_breach_fired_at"] = now
        values[f"{p}_risk_fired_at"] = getattr(item, f"{p}_risk_fired_at") or now
    return values


async def list_feedback(
    session: AsyncSession, workspace: Workspace, *, page: PageRequest, where: FeedbackFilter
) -> Page[Feedback]:
    return await repository.feedback_page(
        session,
        workspace.id,
        page,
        where=where,
        viewer_party_id=workspace.own_party.id,
        now=utcnow(),
    )


# --- the SLA policy -------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarTerms:
    party_id: uuid.UUID
    time_zone: str
    working_days: tuple[int, ...]
    start: time
    end: time
    holidays: tuple[Any, ...] = ()


def _require_lead(workspace: Workspace, what: str) -> None:
    workspace.actor.require_session(what)
    workspace.require_active()
    if workspace.role != WorkspaceRole.LEAD:
        raise Forbidden(f"{what} is for a LEAD of your side.")


def _calendar(terms: CalendarTerms, index: int, workspace: Workspace) -> Calendar:
    field = f"calendars[{index}]"
    if all(p.id != terms.party_id for p in workspace.parties):
        raise DomainError(
            Code.NOT_FOUND, "No such side in this partnership.", field=f"{field}.partyId"
        )
    try:
        ZoneInfo(terms.time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise Invalid(
            f"Unknown time zone {terms.time_zone!r}.", field=f"{field}.timeZone"
        ) from error
    days = frozenset(terms.working_days)
    if not days or not days <= set(range(1, 8)):
        raise Invalid(
            "Working days are 1 (Monday) to 7 (Sunday), at least one.", field=f"{field}.workingDays"
        )
    if terms.start >= terms.end:
        raise Invalid("The working day ends after it starts.", field=f"{field}.end")
    if len(terms.holidays) > 366:
        raise Invalid("At most 366 holidays.", field=f"{field}.holidays")
    return Calendar(
        time_zone=terms.time_zone,
        working_days=days,
        start=terms.start,
        end=terms.end,
        holidays=frozenset(terms.holidays),
    )


async def propose_policy(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    targets: Mapping[Severity, tuple[int, int]],
    business_hours: bool,
    calendars: list[CalendarTerms],
    auto_close_days: int = DEFAULT_AUTO_CLOSE_DAYS,
    note: str = "",
) -> tuple[Workspace, FeedbackPolicy]:
    """A LEAD proposes a new version; it is in force once the other side's LEAD accepts it."""
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    _require_lead(workspace, "Proposing an SLA policy")
    if set(targets) != set(Severity):
        raise Invalid("Give the targets of every severity.", field="targets")
    stored: dict[str, dict[str, int]] = {}
    for severity, (first_response, resolution) in targets.items():
        if not 1 <= first_response <= resolution <= MAX_TARGET_MINUTES:
            raise Invalid(
                f"{severity}: targets are 1 minute or more, the first response no later "
                "than the resolution.",
                field="targets",
            )
        stored[severity] = {"first_response": first_response, "resolution": resolution}
    if not 1 <= auto_close_days <= 90:
        raise Invalid("Auto-close after 1 to 90 days.", field="autoCloseDays")
    made = {str(c.party_id): _calendar(c, i, workspace).to_json() for i, c in enumerate(calendars)}
    policy = await repository.insert_policy(
        session,
        partnership_id=workspace.id,
        owner_party_id=workspace.own_party.id,
        visibility=Visibility.SHARED,
        status=PolicyStatus.PROPOSED,
        business_hours=business_hours,
        targets=stored,
        calendars=made,
        auto_close_days=auto_close_days,
        note=_check_text(note, "note", 2000, required=False),
        created_by=actor.user_id,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=policy,
        action="feedback_policy.proposed",
        changes=audit.created({"number": policy.number, "targets": stored}),
    )
    if workspace.counterparty is not None:
        await notices.send(
            session,
            Notice(
                partnership_id=workspace.id,
                kind="feedback.policy_proposed",
                party_id=workspace.counterparty.id,
                subject_type="FeedbackPolicy",
                subject_id=policy.id,
                title=f"SLA policy v{policy.number} proposed: accept or decline it",
                roles=(WorkspaceRole.LEAD.value,),
                dedupe_key=f"{policy.id}:proposed",
            ),
        )
    return workspace, policy


async def decide_policy(
    session: AsyncSession,
    *,
    actor: Principal,
    policy_id: uuid.UUID,
    expected_version: int,
    accept: bool,
) -> tuple[Workspace, FeedbackPolicy]:
    """The other side's LEAD accepts (it is in force from now on, the previous one superseded)
    or declines a proposed version; the proposing side cannot decide its own."""
    workspace, policy = await record_workspace(
        session,
        actor=actor,
        record=await repository.policy(session, policy_id),
        what="SLA policy",
        field="policyId",
    )
    _require_lead(workspace, "Deciding on an SLA policy")
    if policy.owner_party_id == workspace.own_party.id:
        raise DomainError(
            Code.OWN_PROPOSAL,
            "Your side proposed this version: the other side's LEAD accepts or declines it.",
            field="policyId",
        )
    if policy.status != PolicyStatus.PROPOSED:
        raise DomainError(
            Code.POLICY_NOT_PROPOSED, f"This version is {policy.status}.", field="policyId"
        )
    if policy.version != expected_version:
        raise conflict(workspace, policy, "SLA policy")
    now = utcnow()
    status = PolicyStatus.ACTIVE if accept else PolicyStatus.DECLINED
    if accept:
        await repository.supersede_active(session, workspace.id)
    values: dict[str, Any] = {"status": status, "decided_by": actor.user_id, "decided_at": now}
    if accept:
        values["effective_at"] = now
    updated = await apply_versioned(
        session,
        workspace,
        policy,
        expected_version=expected_version,
        values=values,
        refetch=repository.policy,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="feedback_policy.accepted" if accept else "feedback_policy.declined",
        changes=audit.diff({"status": policy.status}, {"status": status}),
    )
    return workspace, updated


# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyFeedbackFigures:
    party_id: uuid.UUID
    submitted: int
    first_response_met: int
    first_response_due: int
    first_response_median_s: float | None
    resolution_met: int
    resolution_due: int
    resolution_median_s: float | None
    rated: int
    rating_average: float | None
    rated_high: int
    resolved: int
    reopened: int

    @property
    def first_response_attainment(self) -> float | None:
        return (
            self.first_response_met / self.first_response_due if self.first_response_due else None
        )

    @property
    def resolution_attainment(self) -> float | None:
        return self.resolution_met / self.resolution_due if self.resolution_due else None

    @property
    def csat_share(self) -> float | None:
        return self.rated_high / self.rated if self.rated else None

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.resolved if self.resolved else None


async def figures(
    session: AsyncSession, workspace: Workspace, *, start: datetime, end: datetime
) -> list[PartyFeedbackFigures]:
    if end <= start:
        raise Invalid("The period ends before it starts.", field="to")
    rows = await repository.figures(
        session, workspace.id, period_start=start, period_end=end, now=utcnow()
    )
    return [
        PartyFeedbackFigures(
            party_id=r.party_id,
            submitted=r.submitted,
            first_response_met=r.fr_met,
            first_response_due=r.fr_due,
            first_response_median_s=r.fr_median_s,
            resolution_met=r.res_met,
            resolution_due=r.res_due,
            resolution_median_s=r.res_median_s,
            rated=r.rated,
            rating_average=r.rating_average if hasattr(r, "rating_average") else r.rating_avg,
            rated_high=r.rated_high,
            resolved=r.resolved,
            reopened=r.reopened,
        )
        for r in rows
    ]


def day_start(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(UTC).date(), time(0), UTC)
