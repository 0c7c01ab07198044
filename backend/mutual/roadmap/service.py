"""Roadmap rules: both sides' editors co-edit SHARED milestones; INTERNAL ones stay with their
owner side; every update names the version it read (optimistic concurrency)."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal, localcontext
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.kit.errors import DomainError, Invalid, conflict
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility, apply_versioned
from mutual.roadmap import repository
from mutual.roadmap.errors import RoadmapErrorCode as Code
from mutual.roadmap.models import PHASE_ORDER, Milestone, MilestoneStatus, Phase
from mutual.tenancy.workspace import (
    Workspace,
    check_owner_party,
    load_workspace,
    record_workspace,
)

EDITABLE_FIELDS = ("title", "description", "target_date", "status", "owner_party_id")


def _check_title(title: str) -> str:
    if not title.strip() or len(title) > 200:
        raise Invalid("Give a title of 1 to 200 characters.", field="title")
    return title.strip()


def grouped_by_phase(milestones: list[Milestone]) -> list[tuple[Phase, list[Milestone]]]:
    by_phase: dict[Phase, list[Milestone]] = {phase: [] for phase in Phase}
    for milestone in milestones:
        by_phase[Phase(milestone.phase)].append(milestone)
    return sorted(by_phase.items(), key=lambda item: PHASE_ORDER[item[0]])


async def visible_milestones(session: AsyncSession, workspace: Workspace) -> list[Milestone]:
    """The partnership's milestones the caller's side sees, by phase, in order."""
    return await repository.milestones_of(
        session, workspace.id, viewer_party_id=workspace.own_party.id
    )


async def roadmap_json(
    session: AsyncSession, workspace: Workspace, json: str
) -> list[tuple[Phase, list[str]]]:
    """`roadmap`, each milestone as the JSON text of `json` (graphql/json_lists.py)."""
    by_phase: dict[Phase, list[str]] = {phase: [] for phase in Phase}
    rows = await repository.milestones_json_of(
        session, workspace.id, viewer_party_id=workspace.own_party.id, json=json
    )
    for phase, text in rows:
        by_phase[Phase(phase)].append(text)
    return sorted(by_phase.items(), key=lambda item: PHASE_ORDER[item[0]])


async def roadmap(
    session: AsyncSession, workspace: Workspace
) -> list[tuple[Phase, list[Milestone]]]:
    return grouped_by_phase(await visible_milestones(session, workspace))


async def create_milestone(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    title: str,
    phase: Phase,
    description: str = "",
    target_date: date | None = None,
    owner_party_id: uuid.UUID | None = None,
    visibility: Visibility = Visibility.SHARED,
    status: MilestoneStatus = MilestoneStatus.PLANNED,
) -> tuple[Workspace, Milestone]:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    workspace.require_editor("Editing the roadmap")
    owner = owner_party_id or workspace.own_party.id
    await check_owner_party(session, workspace, owner, visibility, what="milestone")
    milestone = await repository.insert_milestone(
        session,
        partnership_id=workspace.id,
        title=_check_title(title),
        description=description.strip(),
        target_date=target_date,
        phase=phase,
        status=status,
        sort_key=repository.LAST_KEY,
        owner_party_id=owner,
        visibility=visibility,
        created_by=actor.user_id,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=milestone,
        action="milestone.created",
        changes=audit.created({"title": milestone.title, "phase": phase, "status": status}),
    )
    return workspace, milestone


async def _editable(
    session: AsyncSession, actor: Principal, milestone_id: uuid.UUID
) -> tuple[Workspace, Milestone]:
    workspace, milestone = await record_workspace(
        session,
        actor=actor,
        record=await repository.milestone(session, milestone_id),
        what="milestone",
        field="milestoneId",
    )
    workspace.require_editor("Editing the roadmap")
    return workspace, milestone


async def _apply(
    session: AsyncSession,
    workspace: Workspace,
    milestone: Milestone,
    *,
    expected_version: int,
    values: dict[str, Any],
    action: str,
) -> Milestone:
    before = {key: getattr(milestone, key) for key in values}
    updated = await apply_versioned(
        session,
        workspace,
        milestone,
        expected_version=expected_version,
        values=values,
        refetch=repository.milestone,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action=action,
        changes=audit.diff(before, values),
    )
    return updated


async def update_milestone(
    session: AsyncSession,
    *,
    actor: Principal,
    milestone_id: uuid.UUID,
    expected_version: int,
    changes: dict[str, Any],
) -> tuple[Workspace, Milestone]:
    """Change any of title, description, target_date, status, owner_party_id."""
    workspace, milestone = await _editable(session, actor, milestone_id)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise Invalid(f"Not editable here: {', '.join(sorted(unknown))}.")
    if "title" in changes:
        changes["title"] = _check_title(changes["title"])
    if "owner_party_id" in changes:
        await check_owner_party(
            session,
            workspace,
            changes["owner_party_id"],
            Visibility(milestone.visibility),
            what="milestone",
        )
    values = {k: v for k, v in changes.items() if getattr(milestone, k) != v}
    if not values:
        if milestone.version != expected_version:
            raise conflict(workspace, milestone, "milestone")
        return workspace, milestone
    updated = await _apply(
        session,
        workspace,
        milestone,
        expected_version=expected_version,
        values=values,
        action="milestone.dropped"
        if values.get("status") == MilestoneStatus.DROPPED
        else "milestone.updated",
    )
    return workspace, updated


def positions(milestones: list[Milestone]) -> dict[uuid.UUID, int]:
    """Each milestone's position (0 first) in its phase among `milestones`: what one side sees,
    in order, so the positions have no gaps where the other side's INTERNAL ones sit."""
    seen: dict[str, int] = {}
    placed: dict[uuid.UUID, int] = {}
    for milestone in milestones:
        placed[milestone.id] = seen.get(milestone.phase, 0)
        seen[milestone.phase] = placed[milestone.id] + 1
    return placed


def _key_between(before: Decimal | None, after: Decimal | None) -> Decimal | ColumnElement[Decimal]:
    """A sort key between two neighbours' keys; at an end of the phase, the database clock
    puts it past every milestone there, seen or not (repository.LAST_KEY / FIRST_KEY)."""
    if after is None:
        return repository.LAST_KEY
    if before is None:
        return repository.FIRST_KEY
    # Exact: halving a decimal adds at most one digit (numeric has no fixed scale).
    with localcontext(prec=len(str(before)) + len(str(after)) + 2):
        return (before + after) / 2


async def move_milestone(
    session: AsyncSession,
    *,
    actor: Principal,
    milestone_id: uuid.UUID,
    expected_version: int,
    phase: Phase,
    position: int,
) -> tuple[Workspace, Milestone]:
    """Move to `position` (0 = first) among the milestones of `phase` the caller sees: between
    the two it then sits between, in the one order both sides share."""
    workspace, milestone = await _editable(session, actor, milestone_id)
    siblings = [
        key
        for i, key in await repository.phase_keys(
            session, workspace.id, phase, viewer_party_id=workspace.own_party.id
        )
        if i != milestone.id
    ]
    if not 0 <= position <= len(siblings):
        raise Invalid(f"Position must be between 0 and {len(siblings)}.", field="position")
    before = siblings[position - 1] if position > 0 else None
    after = siblings[position] if position < len(siblings) else None
    key = _key_between(before, after)
    left = {"phase": milestone.phase}  # read before the update refreshes the loaded record
    updated = await apply_versioned(
        session,
        workspace,
        milestone,
        expected_version=expected_version,
        values={"phase": phase, "sort_key": key},
        refetch=repository.milestone,
    )
    # The audit names the phase; a position would count what the other side cannot see.
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="milestone.moved",
        changes=audit.diff(left, {"phase": phase}),
    )
    return workspace, updated


async def drop_milestone(
    session: AsyncSession, *, actor: Principal, milestone_id: uuid.UUID, expected_version: int
) -> tuple[Workspace, Milestone]:
    _workspace, milestone = await _editable(session, actor, milestone_id)
    if milestone.status == MilestoneStatus.DROPPED:
        raise DomainError(Code.DROPPED, "This milestone is already dropped.", field="milestoneId")
    return await update_milestone(
        session,
        actor=actor,
        milestone_id=milestone_id,
        expected_version=expected_version,
        changes={"status": MilestoneStatus.DROPPED},
    )
