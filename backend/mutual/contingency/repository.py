"""Every SQL statement of the contingency domain. Plans and activations are SHARED only (the
migration checks it), so a side reads every one of its partnership's; row-level security
still binds each statement to the caller's partnerships."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.contingency.models import (
    Activation,
    ContingencyPlan,
    Entry,
    PlanApproval,
    PlanVersion,
    Step,
)
from mutual.kit.labels import Label
from mutual.kit.request import current_request_id
from mutual.kit.visibility import readable
from mutual.tenancy.models import WorkspaceMember

_FRESH = {"populate_existing": True}


async def plans_of(
    session: AsyncSession, partnership_id: uuid.UUID, *, viewer_party_id: uuid.UUID
) -> list[ContingencyPlan]:
    stmt = (
        select(ContingencyPlan)
        .where(
            readable(
                ContingencyPlan, partnership_id=partnership_id, viewer_party_id=viewer_party_id
            )
        )
        .order_by(col(ContingencyPlan.created_at), col(ContingencyPlan.id))
    )
    return list((await session.execute(stmt)).scalars().all())


async def plan(session: AsyncSession, plan_id: uuid.UUID) -> ContingencyPlan | None:
    stmt = select(ContingencyPlan).where(col(ContingencyPlan.id) == plan_id)
    return (await session.execute(stmt, execution_options=_FRESH)).scalar_one_or_none()


async def plans_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[ContingencyPlan]:
    stmt = select(ContingencyPlan).where(col(ContingencyPlan.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def insert_plan(session: AsyncSession, **values: Any) -> ContingencyPlan:
    stmt = insert(ContingencyPlan).values(**values).returning(ContingencyPlan)
    return (await session.execute(stmt)).scalar_one()


async def update_plan(
    session: AsyncSession, plan: ContingencyPlan, **values: Any
) -> ContingencyPlan:
    stmt = (
        update(ContingencyPlan)
        .where(
            col(ContingencyPlan.partnership_id) == plan.partnership_id,
            col(ContingencyPlan.id) == plan.id,
        )
        .values(**values, version=col(ContingencyPlan.version) + 1, updated_at=func.now())
        .returning(ContingencyPlan)
    )
    options = {"populate_existing": True, "synchronize_session": False}
    return (await session.execute(stmt, execution_options=options)).scalar_one()


async def versions_of_plans(
    session: AsyncSession, plan_ids: Sequence[uuid.UUID]
) -> list[PlanVersion]:
    stmt = (
        select(PlanVersion)
        .where(col(PlanVersion.plan_id).in_(plan_ids))
        .order_by(col(PlanVersion.plan_id), col(PlanVersion.number).desc())
    )
    return list((await session.execute(stmt)).scalars().all())


async def versions_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[PlanVersion]:
    stmt = select(PlanVersion).where(col(PlanVersion.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def version(session: AsyncSession, version_id: uuid.UUID) -> PlanVersion | None:
    stmt = select(PlanVersion).where(col(PlanVersion.id) == version_id).with_for_update()
    return (await session.execute(stmt, execution_options=_FRESH)).scalar_one_or_none()


async def insert_version(session: AsyncSession, **values: Any) -> PlanVersion:
    stmt = insert(PlanVersion).values(**values).returning(PlanVersion)
    return (await session.execute(stmt, execution_options=_FRESH)).scalar_one()


async def set_version_status(
    session: AsyncSession, version: PlanVersion, **values: Any
) -> PlanVersion:
    stmt = (
        update(PlanVersion)
        .where(
            col(PlanVersion.partnership_id) == version.partnership_id,
            col(PlanVersion.id) == version.id,
        )
        .values(**values)
        .returning(PlanVersion)
    )
    options = {"populate_existing": True, "synchronize_session": False}
    return (await session.execute(stmt, execution_options=options)).scalar_one()


async def supersede_open_versions(
    session: AsyncSession, partnership_id: uuid.UUID, plan_id: uuid.UUID
) -> None:
    """A new version replaces the drafts and pending ones (never the approved one in force)."""
    await session.execute(
        update(PlanVersion)
        .where(
            col(PlanVersion.partnership_id) == partnership_id,
            col(PlanVersion.plan_id) == plan_id,
            col(PlanVersion.status).in_(("DRAFT", "PENDING_APPROVAL")),
        )
        .values(status="SUPERSEDED"),
        execution_options={"synchronize_session": False},
    )


async def approvals_of(
    session: AsyncSession, version_ids: Sequence[uuid.UUID]
) -> list[PlanApproval]:
    stmt = (
        select(PlanApproval)
        .where(col(PlanApproval.version_id).in_(version_ids))
        .order_by(col(PlanApproval.approved_at))
    )
    return list((await session.execute(stmt)).scalars().all())


async def insert_approval(session: AsyncSession, **values: Any) -> PlanApproval:
    stmt = insert(PlanApproval).values(**values).returning(PlanApproval)
    return (await session.execute(stmt)).scalar_one()


async def member_parties(
    session: AsyncSession, partnership_id: uuid.UUID, user_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The side of each given user who is a member of the partnership."""
    stmt = select(col(WorkspaceMember.user_id), col(WorkspaceMember.party_id)).where(
        col(WorkspaceMember.partnership_id) == partnership_id,
        col(WorkspaceMember.user_id).in_(user_ids),
    )
    return {r[0]: r[1] for r in (await session.execute(stmt)).all()}


async def activations_of(
    session: AsyncSession, partnership_id: uuid.UUID, *, viewer_party_id: uuid.UUID
) -> list[Activation]:
    stmt = (
        select(Activation)
        .where(readable(Activation, partnership_id=partnership_id, viewer_party_id=viewer_party_id))
        .order_by(col(Activation.started_at).desc(), col(Activation.id))
    )
    return list((await session.execute(stmt)).scalars().all())


async def activation(session: AsyncSession, activation_id: uuid.UUID) -> Activation | None:
    stmt = select(Activation).where(col(Activation.id) == activation_id).with_for_update()
    return (await session.execute(stmt, execution_options=_FRESH)).scalar_one_or_none()


async def activations_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Activation]:
    stmt = select(Activation).where(col(Activation.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def update_activation(
    session: AsyncSession, activation: Activation, **values: Any
) -> Activation:
    stmt = (
        update(Activation)
        .where(
            col(Activation.partnership_id) == activation.partnership_id,
            col(Activation.id) == activation.id,
        )
        .values(**values, version=col(Activation.version) + 1, updated_at=func.now())
        .returning(Activation)
    )
    options = {"populate_existing": True, "synchronize_session": False}
    return (await session.execute(stmt, execution_options=options)).scalar_one()


async def activate(
    session: AsyncSession,
    *,
    partnership_id: uuid.UUID,
    plan_id: uuid.UUID,
    episode: str,
    summary: str,
    drill: bool,
    party_id: uuid.UUID,
    now: datetime,
) -> uuid.UUID | None:
    """By hand, as the caller (migration 0017's contingency_activate): the activation's id, or
    None when the plan has no approved version in force."""
    stmt = text(
        "SELECT contingency_activate(:partnership, :plan, :episode, :summary, :drill, :party,"
        " :request, :now)"
    )
    params = {
        "partnership": partnership_id,
        "plan": plan_id,
        "episode": episode,
        "summary": summary,
        "drill": drill,
        "party": party_id,
        "request": current_request_id(),
        "now": now,
    }
    value = (await session.execute(stmt, params)).scalar_one()
    return uuid.UUID(str(value)) if value is not None else None


async def fire(
    session: AsyncSession, firings: Sequence[Any], *, now: datetime
) -> list[tuple[int, uuid.UUID, str, list[uuid.UUID]]]:
    """(index of the firing, activation id, plan title, both sides) of each approved plan the
    firings activated, in one statement however many firings there are."""
    stmt = text(
        "SELECT f.n, a.activation_id, a.title, a.parties"
        " FROM unnest(CAST(:partnerships AS uuid[]), CAST(:sources AS text[]),"
        " CAST(:episodes AS text[]), CAST(:summaries AS text[]))"
        " WITH ORDINALITY AS f(partnership_id, source, episode, summary, n)"
        " CROSS JOIN LATERAL contingency_fire(f.partnership_id, f.source, f.episode, f.summary,"
        " :now) AS a"
        " ORDER BY f.n"
    )
    params = {
        "partnerships": [f.partnership_id for f in firings],
        "sources": [f.source for f in firings],
        "episodes": [f.episode for f in firings],
        "summaries": [f.summary[:2000] for f in firings],
        "now": now,
    }
    rows = (await session.execute(stmt, params)).all()
    return [(int(r[0]) - 1, r[1], r[2], list(r[3])) for r in rows]


async def due(session: AsyncSession, *, now: datetime, limit: int) -> list[Any]:
    stmt = text(
        "SELECT partnership_id, activation_id, step_id, kind, title, party_id"
        " FROM contingency_due(:now, :limit)"
    )
    return list((await session.execute(stmt, {"now": now, "limit": limit})).all())


async def scan_sources(session: AsyncSession, *, now: datetime) -> list[Any]:
    stmt = text(
        "SELECT partnership_id, source, episode, summary FROM contingency_scan_sources(:now)"
    )
    return list((await session.execute(stmt, {"now": now})).all())


async def steps_of(session: AsyncSession, activation_ids: Sequence[uuid.UUID]) -> list[Step]:
    stmt = (
        select(Step)
        .where(col(Step.activation_id).in_(activation_ids))
        .order_by(col(Step.activation_id), col(Step.position))
    )
    return list((await session.execute(stmt)).scalars().all())


async def step(session: AsyncSession, step_id: uuid.UUID) -> Step | None:
    stmt = select(Step).where(col(Step.id) == step_id).with_for_update()
    return (await session.execute(stmt, execution_options=_FRESH)).scalar_one_or_none()


async def complete_step(
    session: AsyncSession, step: Step, *, user_id: uuid.UUID, at: datetime
) -> Step:
    stmt = (
        update(Step)
        .where(col(Step.partnership_id) == step.partnership_id, col(Step.id) == step.id)
        .values(completed_at=at, completed_by=user_id)
        .returning(Step)
    )
    options = {"populate_existing": True, "synchronize_session": False}
    return (await session.execute(stmt, execution_options=options)).scalar_one()


async def entries_of(session: AsyncSession, activation_ids: Sequence[uuid.UUID]) -> list[Entry]:
    stmt = (
        select(Entry)
        .where(col(Entry.activation_id).in_(activation_ids))
        .order_by(col(Entry.activation_id), col(Entry.at), col(Entry.id))
    )
    return list((await session.execute(stmt)).scalars().all())


async def append_entry(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(Entry).values(**values))


async def plan_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    stmt = select(col(ContingencyPlan.id), col(ContingencyPlan.title)).where(
        readable(ContingencyPlan, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(ContingencyPlan.id).in_(ids),
    )
    rows = (await session.execute(stmt)).all()
    return {r[0]: Label(r[1], "ContingencyPlan", r[0]) for r in rows}


async def activation_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    stmt = (
        select(col(Activation.id), col(ContingencyPlan.title), col(Activation.drill))
        .join(
            ContingencyPlan,
            (col(ContingencyPlan.partnership_id) == col(Activation.partnership_id))
            & (col(ContingencyPlan.id) == col(Activation.plan_id)),
        )
        .where(
            readable(Activation, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
            col(Activation.id).in_(ids),
        )
    )
    rows = (await session.execute(stmt)).all()
    return {
        r[0]: Label(f"{'Drill' if r[2] else 'Activation'}: {r[1]}", "Activation", r[0])
        for r in rows
    }
