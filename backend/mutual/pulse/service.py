"""Pulse survey rules.

The cadence: a LEAD proposes "a round every N days"; the other side's LEAD accepts (it is in
force from then on, the first round opens at the worker's next run, the previous cadence
superseded) or declines. The proposing side cannot decide its own proposal.

A round (opened by the worker, tasks.py) is open for 14 days (or the period, if shorter). Each
member of a side answers once: NPS 0 to 10 ("How likely are you to recommend working with
<the other side>?"), transparency, consistency and interaction quality 1 to 5, and a comment.
An answer is never shown back, not even to its author: the audit event of an answer names the
round, never a value, and the results are the aggregates of migration 0019's `pulse_results`
(none below 3 respondents). The comments come back through migration 0020's `pulse_comments`:
text only, sorted, from closed rounds with 3 respondents or more of the side."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.kit import notices
from mutual.kit.clock import utcnow
from mutual.kit.errors import DomainError, Forbidden, NotFound, conflict
from mutual.kit.notices import Notice
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility, apply_versioned
from mutual.pulse import repository
from mutual.pulse.errors import PulseErrorCode as Code
from mutual.pulse.models import (
    COMMENT_LIMIT,
    MIN_RESPONDENTS,
    CadenceStatus,
    PulseCadence,
    PulseRound,
)
from mutual.tenancy.models import WorkspaceRole
from mutual.tenancy.workspace import Workspace, load_workspace, record_workspace

MIN_EVERY_DAYS, MAX_EVERY_DAYS = 7, 365
ROUNDS_LIMIT = 50


def _require_lead(workspace: Workspace, what: str) -> None:
    workspace.actor.require_session(what)
    workspace.require_active()
    if workspace.role != WorkspaceRole.LEAD:
        raise Forbidden(f"{what} is for a LEAD of your side.")


# --- the cadence ------------------------------------------------------------------------------


async def propose_cadence(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    every_days: int,
    note: str = "",
) -> tuple[Workspace, PulseCadence]:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    _require_lead(workspace, "Proposing a pulse survey cadence")
    if not MIN_EVERY_DAYS <= every_days <= MAX_EVERY_DAYS:
        raise DomainError(
            Code.OUT_OF_RANGE,
            f"A round every {MIN_EVERY_DAYS} to {MAX_EVERY_DAYS} days.",
            field="everyDays",
        )
    if len(note) > COMMENT_LIMIT:
        raise DomainError(Code.TOO_LONG, f"At most {COMMENT_LIMIT} characters.", field="note")
    cadence = await repository.insert_cadence(
        session,
        partnership_id=workspace.id,
        owner_party_id=workspace.own_party.id,
        visibility=Visibility.SHARED,
        status=CadenceStatus.PROPOSED,
        every_days=every_days,
        note=note.strip(),
        created_by=actor.user_id,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=cadence,
        action="pulse_cadence.proposed",
        changes=audit.created({"number": cadence.number, "every_days": every_days}),
    )
    if workspace.counterparty is not None:
        await notices.send(
            session,
            Notice(
                partnership_id=workspace.id,
                kind="pulse.cadence_proposed",
                party_id=workspace.counterparty.id,
                subject_type="PulseCadence",
                subject_id=cadence.id,
                title=f"Pulse surveys every {every_days} days proposed: accept or decline",
                roles=(WorkspaceRole.LEAD.value,),
                dedupe_key=f"{cadence.id}:proposed",
            ),
        )
    return workspace, cadence


async def decide_cadence(
    session: AsyncSession,
    *,
    actor: Principal,
    cadence_id: uuid.UUID,
    expected_version: int,
    accept: bool,
) -> tuple[Workspace, PulseCadence]:
    workspace, cadence = await record_workspace(
        session,
        actor=actor,
        record=await repository.cadence(session, cadence_id),
        what="pulse cadence",
        field="cadenceId",
    )
    _require_lead(workspace, "Deciding on a pulse survey cadence")
    if cadence.owner_party_id == workspace.own_party.id:
        raise DomainError(
            Code.OWN_PROPOSAL,
            "Your side proposed this cadence: the other side's LEAD accepts or declines it.",
            field="cadenceId",
        )
    if cadence.status != CadenceStatus.PROPOSED:
        raise DomainError(
            Code.NOT_PROPOSED, f"This cadence is {cadence.status}.", field="cadenceId"
        )
    if cadence.version != expected_version:
        raise conflict(workspace, cadence, "pulse cadence")
    now = utcnow()
    status = CadenceStatus.ACTIVE if accept else CadenceStatus.DECLINED
    values: dict[str, object] = {"status": status, "decided_by": actor.user_id, "decided_at": now}
    if accept:
        await repository.supersede_active(session, workspace.id)
        values["next_round_at"] = now
    updated = await apply_versioned(
        session,
        workspace,
        cadence,
        expected_version=expected_version,
        values=values,
        refetch=repository.cadence,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="pulse_cadence.accepted" if accept else "pulse_cadence.declined",
        changes=audit.diff({"status": cadence.status}, {"status": status}),
    )
    return workspace, updated


async def cadences(session: AsyncSession, workspace: Workspace) -> list[PulseCadence]:
    return await repository.cadences_of(
        session, workspace.id, viewer_party_id=workspace.own_party.id
    )


# --- answers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratings:
    nps: int
    transparency: int
    consistency: int
    interaction: int
    comment: str = ""


def _check(ratings: Ratings) -> None:
    if not 0 <= ratings.nps <= 10:
        raise DomainError(Code.OUT_OF_RANGE, "NPS is 0 to 10.", field="nps")
    for name in ("transparency", "consistency", "interaction"):
        if not 1 <= getattr(ratings, name) <= 5:
            raise DomainError(Code.OUT_OF_RANGE, f"{name.capitalize()} is 1 to 5.", field=name)
    if len(ratings.comment) > COMMENT_LIMIT:
        raise DomainError(
            Code.TOO_LONG, f"A comment is at most {COMMENT_LIMIT} characters.", field="comment"
        )


async def round_workspace(
    session: AsyncSession, *, actor: Principal, round_id: uuid.UUID
) -> tuple[Workspace, PulseRound]:
    found = await repository.round_(session, round_id)
    if found is None:
        raise NotFound("pulse survey", field="roundId")
    workspace = await load_workspace(session, actor=actor, partnership_id=found.partnership_id)
    return workspace, found


async def answer(
    session: AsyncSession, *, actor: Principal, round_id: uuid.UUID, ratings: Ratings
) -> tuple[Workspace, PulseRound]:
    """The caller's answer, once per round, while it is open; audited without its values."""
    workspace, found = await round_workspace(session, actor=actor, round_id=round_id)
    workspace.actor.require_session("Answering a pulse survey")
    workspace.require_active()
    if workspace.role is None:
        raise Forbidden("Pulse surveys are answered by the members of a side.")
    _check(ratings)
    if not found.is_open(utcnow()):
        raise DomainError(Code.ROUND_CLOSED, "This survey is closed.", field="roundId")
    already = DomainError(
        Code.ALREADY_ANSWERED, "You have answered this survey already.", field="roundId"
    )
    if await repository.answered(session, [found.id], actor.user_id):
        raise already
    made = await repository.insert_answer(
        session,
        partnership_id=workspace.id,
        round_id=found.id,
        party_id=workspace.own_party.id,
        user_id=actor.user_id,
        nps=ratings.nps,
        transparency=ratings.transparency,
        consistency=ratings.consistency,
        interaction=ratings.interaction,
        comment=ratings.comment.strip(),
    )
    if made is None:
        raise already
    # Who answered, on the trail of their own side only; never what.
    await audit.record(
        session,
        partnership_id=workspace.id,
        actor_user_id=actor.user_id,
        actor_party_id=workspace.own_party.id,
        action="pulse_round.answered",
        object_type="PulseRound",
        object_id=found.id,
        owner_party_id=workspace.own_party.id,
        visibility=Visibility.INTERNAL,
    )
    return workspace, found


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SideResult:
    """One rating side's figures for a round (the other side is the rated one); every figure is
    None below MIN_RESPONDENTS respondents."""

    round_id: uuid.UUID
    rating_party_id: uuid.UUID
    members: int
    respondents: int | None
    nps: float | None
    transparency: float | None
    consistency: float | None
    interaction: float | None

    @property
    def shown(self) -> bool:
        return self.respondents is not None and self.respondents >= MIN_RESPONDENTS

    @property
    def response_rate(self) -> float | None:
        if self.respondents is None or not self.members:
            return None
        return round(self.respondents / self.members, 4)


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


async def results(
    session: AsyncSession, round_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[SideResult]]:
    rows = await repository.results(session, round_ids)
    found: dict[uuid.UUID, list[SideResult]] = {}
    for r in rows:
        found.setdefault(r[0], []).append(
            SideResult(
                round_id=r[0],
                rating_party_id=r[1],
                members=r[2],
                respondents=r[3],
                nps=_number(r[4]),
                transparency=_number(r[5]),
                consistency=_number(r[6]),
                interaction=_number(r[7]),
            )
        )
    return found


async def comments(
    session: AsyncSession, round_ids: Sequence[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], list[str]]:
    """By (round, rating side): the comments of that side's answers, as text only (closed rounds
    with 3 respondents or more of the side; none otherwise)."""
    rows = await repository.comments(session, round_ids)
    return {(r[0], r[1]): list(r[2]) for r in rows}


async def rounds(
    session: AsyncSession, workspace: Workspace, *, limit: int, before: datetime | None = None
) -> list[PulseRound]:
    if not 1 <= limit <= ROUNDS_LIMIT:
        raise DomainError(Code.INVALID, f"1 to {ROUNDS_LIMIT} rounds.", field="last")
    return await repository.rounds_of(session, workspace.id, limit=limit, before=before)


def nps_score(nps: float | None) -> float | None:
    """NPS (-100 to 100) on the health index's 0 to 100 scale."""
    return None if nps is None else round((nps + 100) / 2, 1)


# --- reminders --------------------------------------------------------------------------------

REMIND_AFTER = timedelta(days=3)


def reminder(row: Any, now: datetime) -> Notice:
    """The reminder of one side's members who have not answered an open round (once a day)."""
    days = max((row.closes_at - now).days, 0)
    return Notice(
        partnership_id=row.partnership_id,
        kind="pulse.reminder",
        party_id=row.party_id,
        subject_type="PulseRound",
        subject_id=row.round_id,
        title=f"Pulse survey #{row.number} waits for your answer "
        f"({days} day{'s' if days != 1 else ''} left)",
        user_ids=tuple(row.user_ids),
        dedupe_key=f"{row.round_id}:{row.party_id}:{now.date()}",
    )
