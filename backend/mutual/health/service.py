"""Health rules: the detectors and the index are computed from the records (no typed-in
status); thresholds change only when one side's LEAD proposes and the other side's LEAD accepts;
a detector that starts FIRING fires its trigger once per episode and tells both sides."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.health import detectors, index, repository
from mutual.health.detectors import Thresholds, Verdict
from mutual.health.errors import HealthErrorCode as Code
from mutual.health.index import Component
from mutual.health.models import (
    DetectorName,
    DetectorState,
    DetectorStatus,
    DetectorThreshold,
    HealthSnapshot,
    ThresholdStatus,
)
from mutual.kit import health as health_inputs
from mutual.kit import notices, triggers
from mutual.kit.clock import utcnow
from mutual.kit.errors import DomainError, Forbidden
from mutual.kit.health import Reading
from mutual.kit.notices import Notice
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility
from mutual.kit.request import current_request_id
from mutual.kit.triggers import Firing
from mutual.tenancy.models import WorkspaceRole
from mutual.tenancy.workspace import Workspace, load_workspace, record_workspace

FIRING_NOTICE = "health.detector_firing"
SNAPSHOT_TAKEN = "health_snapshot.taken"


@dataclass(frozen=True)
class Health:
    as_of: datetime
    value: float | None
    components: list[Component]
    verdicts: list[Verdict]


def _parties(workspace: Workspace) -> list[uuid.UUID]:
    return [p.id for p in workspace.parties]


async def _readings(
    session: AsyncSession, workspace: Workspace, as_of: datetime
) -> dict[str, Reading]:
    return {key: await read(session, workspace, as_of) for key, read in health_inputs.INPUTS}


def thresholds_in_force(rows: Sequence[DetectorThreshold]) -> dict[DetectorName, Thresholds]:
    found: dict[DetectorName, Thresholds] = {}
    for row in rows:  # newest first
        name = DetectorName(row.detector)
        if row.status == ThresholdStatus.ACCEPTED and name not in found:
            found[name] = Thresholds(row.watch, row.fire)
    return found


async def compute(
    session: AsyncSession, workspace: Workspace, *, as_of: datetime | None = None
) -> Health:
    """The index, its components and the six detectors as of a moment (now by default)."""
    moment = as_of or utcnow()
    figures = await repository.figures(session, workspace.id, moment)
    limits = thresholds_in_force(await repository.thresholds_of(session, workspace.id))
    parties = _parties(workspace)
    parts = index.components(figures, parties, await _readings(session, workspace, moment))
    return Health(
        as_of=moment,
        value=index.index_of(parts),
        components=parts,
        verdicts=detectors.evaluate(figures, parties, limits),
    )


def _evidence_json(evidence: Sequence[tuple[str, uuid.UUID]]) -> list[list[str]]:
    return [[kind, str(i)] for kind, i in evidence]


def _component_json(part: Component) -> dict[str, Any]:
    return {
        "value": part.value,
        "weight": part.weight,
        "inputs": dict(part.inputs),
        "records": _evidence_json(part.records),
        "per_side": {str(k): v for k, v in part.per_side.items()},
    }


@dataclass(frozen=True)
class Changes:
    """What an evaluation writes: every detector's state, the changes of status (history rows,
    each start of FIRING with what it still has to fire and tell) and the audit events."""

    states: list[dict[str, Any]]
    events: list[dict[str, Any]]
    audits: list[dict[str, Any]]
    started: list[Verdict]


def _pending(workspace: Workspace, verdict: Verdict, episode: str) -> dict[str, Any]:
    """A start of FIRING's trigger and notices, kept with its history row until they are sent."""
    label = detectors.LABELS[verdict.name]
    score, fire = verdict.measure.score, verdict.thresholds.fire
    return {
        "source": f"detector.{verdict.name.value}",
        "episode": episode,
        "summary": f"{label}: score {score:g} (fires at {fire:g}).",
        "evidence": _evidence_json(verdict.measure.evidence),
        "title": f"Early warning: {label.lower()}",
        "body": f"Score {score:g}, fires at {fire:g}. {detectors.EXPLANATIONS[verdict.name]}",
        "parties": [str(p) for p in _parties(workspace)],
        "dedupe_key": f"{verdict.name.value}:{episode}",
    }


def changes_of(
    workspace: Workspace, health: Health, states: Sequence[DetectorState], day: date
) -> Changes:
    """Each detector's new state against its stored one; a change of status is kept in its
    history and audited (one event for all of an evaluation's changes), and one that starts
    FIRING opens an episode. The day's snapshot is audited too (one event per snapshot)."""
    stored = {s.detector: s for s in states}
    moment = health.as_of
    rows, events, started = [], [], []
    for verdict in health.verdicts:
        state = stored.get(verdict.name)
        previous = state.status if state else None
        changed = previous != verdict.status
        episode = state.episode if state else None
        pending = None
        if verdict.status == DetectorStatus.FIRING and previous != DetectorStatus.FIRING:
            episode = moment.isoformat()
            pending = _pending(workspace, verdict, episode)
            started.append(verdict)
        rows.append(
            {
                "detector": verdict.name.value,
                "status": verdict.status.value,
                "since": moment if changed or state is None else state.since,
                "episode": episode,
                "score": verdict.measure.score,
                "inputs": dict(verdict.measure.inputs),
                "evidence": _evidence_json(verdict.measure.evidence),
                "evaluated_at": moment,
            }
        )
        if changed and (state is not None or verdict.status != DetectorStatus.CLEAR):
            events.append(
                {
                    "id": uuid.uuid4(),
                    "detector": verdict.name.value,
                    "status": verdict.status.value,
                    "previous": previous,
                    "score": verdict.measure.score,
                    "evidence": _evidence_json(verdict.measure.evidence),
                    "at": moment,
                    "pending": pending,
                }
            )
    audits = [
        {
            "action": SNAPSHOT_TAKEN,
            "object_type": "HealthSnapshot",
            "object_id": workspace.id,
            "changes": audit.created({"day": day, "index": health.value}),
        }
    ]
    if events:
        audits.append(
            {
                "action": "detector.changed",
                "object_type": "DetectorEvent",
                "object_id": events[0]["id"],
                "changes": {
                    str(e["detector"]): {
                        "from": e["previous"],
                        "to": e["status"],
                        "score": e["score"],
                    }
                    for e in events
                },
            }
        )
    return Changes(states=rows, events=events, audits=audits, started=started)


async def fire_pending(session: AsyncSession, *, limit: int = 500) -> int:
    """Fires the triggers of the detectors that started FIRING and tells both sides, for the
    starts not sent yet (of any partnership), in the caller's transaction: once each, since they
    are taken in the same transaction. Returns how many were taken (`limit` at most)."""
    taken = await repository.take_pending(session, limit)
    await triggers.fire(
        session,
        *[
            Firing(
                partnership_id=pid,
                source=p["source"],
                episode=p["episode"],
                summary=p["summary"],
                evidence=tuple((kind, uuid.UUID(i)) for kind, i in p["evidence"]),
            )
            for pid, p in taken
        ],
    )
    await notices.send(
        session,
        *[
            Notice(
                partnership_id=pid,
                kind=FIRING_NOTICE,
                party_id=uuid.UUID(party),
                subject_type="Partnership",
                subject_id=pid,
                title=p["title"],
                body=p["body"],
                dedupe_key=p["dedupe_key"],
            )
            for pid, p in taken
            for party in p["parties"]
        ],
    )
    return len(taken)


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=UTC)


async def take_snapshot(
    session: AsyncSession, workspace: Workspace, day: date, *, detectors_too: bool = True
) -> Health:
    """The day's snapshot of the index (as of the day's end, or now if earlier), audited, and,
    with `detectors_too`, the detectors' states and changes of status, all in one statement
    whatever changed. Taking it again replaces that day's. The triggers of detectors that
    started FIRING wait for `fire_pending` (the daily job calls it after the partnerships)."""
    moment = min(end_of(day), utcnow())
    health = await compute(session, workspace, as_of=moment)
    states = await repository.states_of(session, workspace.id) if detectors_too else []
    changes = changes_of(workspace, health, states, day)
    request_id = current_request_id()
    await repository.record_evaluation(
        session,
        workspace.id,
        day=day,
        value=health.value,
        components={part.key: _component_json(part) for part in health.components},
        states=changes.states if detectors_too else [],
        events=changes.events if detectors_too else [],
        audits=changes.audits if detectors_too else changes.audits[:1],
        owner_party_id=workspace.own_party.id,
        request_id=request_id if request_id != "-" else "job:health.daily_snapshots",
    )
    return health


# Thresholds


def _require_lead(workspace: Workspace, action: str) -> None:
    workspace.actor.require_session(action)
    if workspace.role != WorkspaceRole.LEAD:
        raise Forbidden(f"{action} needs the LEAD role of your side.")
    workspace.require_active()


async def propose_thresholds(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    detector: DetectorName,
    watch: float,
    fire: float,
) -> tuple[Workspace, DetectorThreshold]:
    """One side's LEAD proposes a detector's thresholds; they apply once the other side's LEAD
    accepts. A new proposal from the same side replaces its waiting one."""
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    _require_lead(workspace, "Proposing thresholds")
    if not (0 <= watch <= fire <= 1000) or fire <= 0:
        raise DomainError(
            Code.THRESHOLD_OUT_OF_RANGE,
            "Give 0 <= watch <= fire <= 1000, with fire above 0.",
            field="fire" if watch <= fire else "watch",
        )
    rows = await repository.thresholds_of(session, workspace.id)
    mine = [
        r.id
        for r in rows
        if r.detector == detector
        and r.status == ThresholdStatus.PROPOSED
        and r.owner_party_id == workspace.own_party.id
    ]
    now = utcnow()
    if mine:
        await repository.set_threshold_status(
            session,
            workspace.id,
            mine,
            status=ThresholdStatus.SUPERSEDED,
            decided_by=None,
            decided_at=now,
        )
    proposal = await repository.insert_threshold(
        session,
        partnership_id=workspace.id,
        detector=detector.value,
        watch=watch,
        fire=fire,
        status=ThresholdStatus.PROPOSED,
        owner_party_id=workspace.own_party.id,
        visibility=Visibility.SHARED,
        created_by=actor.user_id,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=proposal,
        action="detector_threshold.proposed",
        changes=audit.created({"detector": detector.value, "watch": watch, "fire": fire}),
    )
    if workspace.counterparty is not None:
        await notices.send(
            session,
            Notice(
                partnership_id=workspace.id,
                kind="health.thresholds_proposed",
                party_id=workspace.counterparty.id,
                subject_type="Partnership",
                subject_id=workspace.id,
                title=f"New thresholds proposed for {detectors.LABELS[detector].lower()}",
                body=f"Watch at {watch:g}, fire at {fire:g}: your LEAD may accept or decline.",
                roles=(WorkspaceRole.LEAD.value,),
            ),
        )
    return workspace, proposal


async def decide_thresholds(
    session: AsyncSession,
    *,
    actor: Principal,
    threshold_id: uuid.UUID,
    accept: bool,
) -> tuple[Workspace, DetectorThreshold]:
    """The other side's LEAD accepts (the thresholds apply from now) or declines a proposal."""
    workspace, proposal = await record_workspace(
        session,
        actor=actor,
        record=await repository.threshold(session, threshold_id),
        what="threshold proposal",
        field="thresholdId",
    )
    _require_lead(workspace, "Deciding on thresholds")
    if proposal.owner_party_id == workspace.own_party.id:
        raise DomainError(
            Code.SAME_SIDE,
            "Your side proposed these thresholds: the other side's LEAD decides.",
            field="thresholdId",
        )
    if proposal.status != ThresholdStatus.PROPOSED:
        raise DomainError(
            Code.NOT_PENDING,
            f"This proposal is already {proposal.status.lower()}.",
            field="thresholdId",
        )
    now = utcnow()
    status = ThresholdStatus.ACCEPTED if accept else ThresholdStatus.DECLINED
    if accept:
        earlier = [
            r.id
            for r in await repository.thresholds_of(session, workspace.id)
            if r.detector == proposal.detector and r.status == ThresholdStatus.ACCEPTED
        ]
        if earlier:
            await repository.set_threshold_status(
                session,
                workspace.id,
                earlier,
                status=ThresholdStatus.SUPERSEDED,
                decided_by=None,
                decided_at=now,
            )
    await repository.set_threshold_status(
        session,
        workspace.id,
        [proposal.id],
        status=status,
        decided_by=actor.user_id,
        decided_at=now,
    )
    updated = await repository.threshold(session, proposal.id)
    assert updated is not None
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action=f"detector_threshold.{status.lower()}",
        changes=audit.diff({"status": ThresholdStatus.PROPOSED}, {"status": status}),
    )
    return workspace, updated


# History and what changed


async def history(
    session: AsyncSession, workspace: Workspace, *, days: int = 190
) -> list[HealthSnapshot]:
    end = utcnow().date()
    return await repository.snapshots_between(
        session, workspace.id, end - timedelta(days=days), end
    )


@dataclass(frozen=True)
class ComponentChange:
    key: str
    before: float | None
    after: float | None
    entered: list[tuple[str, uuid.UUID]]
    left: list[tuple[str, uuid.UUID]]

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)


@dataclass(frozen=True)
class Change:
    start: date
    end: date
    before: float | None
    after: float | None
    components: list[ComponentChange]


def _records(part: Mapping[str, Any] | None) -> list[tuple[str, uuid.UUID]]:
    return [(kind, uuid.UUID(i)) for kind, i in (part or {}).get("records", [])]


def compare(
    start: date, end: date, first: HealthSnapshot | None, last: HealthSnapshot | None
) -> Change:
    """What moved the index between two snapshots: each component's change (largest first) and
    the records that entered or left what is behind it (late commitments, breaches, ...)."""
    changes = []
    for key in index.WEIGHTS:
        a = (first.components if first else {}).get(key)
        b = (last.components if last else {}).get(key)
        before_records, after_records = _records(a), _records(b)
        change = ComponentChange(
            key=key,
            before=(a or {}).get("value"),
            after=(b or {}).get("value"),
            entered=[r for r in after_records if r not in before_records],
            left=[r for r in before_records if r not in after_records],
        )
        if change.before != change.after or change.entered or change.left:
            changes.append(change)
    changes.sort(key=lambda c: -abs(c.delta or 0) * index.WEIGHTS[c.key])
    return Change(
        start=start,
        end=end,
        before=first.value if first else None,
        after=last.value if last else None,
        components=changes,
    )


async def what_changed(
    session: AsyncSession, workspace: Workspace, *, start: date, end: date
) -> Change:
    if start > end:
        raise DomainError(Code.BAD_PERIOD, "The start comes after the end.", field="start")
    found = await repository.snapshots_on(session, workspace.id, [start, end])
    return compare(start, end, found.get(start), found.get(end))
