"""Roadmap mutations: create, update, move (phase and position), drop."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility
from mutual.roadmap import models, service
from mutual.roadmap.errors import RoadmapErrorCode
from mutual.roadmap.models import MilestoneStatus, Phase
from mutual.roadmap.types import Milestone, RoadmapError
from mutual.tenancy.workspace import Workspace

Change = tuple[Workspace, models.Milestone]


@strawberry.input
class CreateMilestoneInput:
    partnership_id: strawberry.ID
    title: str
    phase: Phase
    description: str = ""
    target_date: date | None = None
    owner_party_id: strawberry.ID | None = strawberry.field(
        default=None, description="The accountable side; yours when omitted."
    )
    visibility: Visibility = Visibility.SHARED
    status: MilestoneStatus = MilestoneStatus.PLANNED


@strawberry.input
class UpdateMilestoneInput:
    milestone_id: strawberry.ID
    expected_version: int
    title: str | None = None
    description: str | None = None
    target_date: date | None = strawberry.UNSET
    status: MilestoneStatus | None = None
    owner_party_id: strawberry.ID | None = None


@strawberry.input
class MoveMilestoneInput:
    milestone_id: strawberry.ID
    expected_version: int
    phase: Phase
    position: int = strawberry.field(description="0 puts it first in the phase.")


@strawberry.input
class DropMilestoneInput:
    milestone_id: strawberry.ID
    expected_version: int


@strawberry.type
class MilestonePayload:
    milestone: Milestone | None
    user_errors: list[RoadmapError]


MILESTONE: MutationAnswer[Change, MilestonePayload] = MutationAnswer(
    MilestonePayload,
    field="milestone",
    shape=lambda change: Milestone.from_model(change[1], change[0]),
    error=RoadmapError,
    codes=RoadmapErrorCode,
    with_current=True,
)


def _party_id(value: strawberry.ID | None) -> Any:
    return decode_id(value, "Party", field="ownerPartyId") if value is not None else None


async def _edit(
    info: Info[Context, None],
    milestone_id: strawberry.ID,
    expected_version: int,
    edit: Callable[..., Awaitable[Change]],
    **arguments: Any,
) -> MilestonePayload:
    """One service edit of an existing milestone, at the version the caller last saw."""

    async def call(session: AsyncSession, actor: Principal) -> Change:
        return await edit(
            session,
            actor=actor,
            milestone_id=decode_id(milestone_id, "Milestone", field="milestoneId"),
            expected_version=expected_version,
            **arguments,
        )

    return await MILESTONE.run(info, call)


@strawberry.type
class RoadmapMutation:
    @strawberry.mutation(description="Add a milestone at the end of a phase.")
    async def create_milestone(
        self,
        info: Info[Context, None],
        input: CreateMilestoneInput,  # noqa: A002
    ) -> MilestonePayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            return await service.create_milestone(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                title=input.title,
                phase=input.phase,
                description=input.description,
                target_date=input.target_date,
                owner_party_id=_party_id(input.owner_party_id),
                visibility=input.visibility,
                status=input.status,
            )

        return await MILESTONE.run(info, call)

    @strawberry.mutation(description="Edit a milestone; a stale expectedVersion is a CONFLICT.")
    async def update_milestone(
        self,
        info: Info[Context, None],
        input: UpdateMilestoneInput,  # noqa: A002
    ) -> MilestonePayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            changes: dict[str, Any] = {
                key: value
                for key, value in (
                    ("title", input.title),
                    ("description", input.description),
                    ("status", input.status),
                    ("owner_party_id", _party_id(input.owner_party_id)),
                )
                if value is not None
            }
            if input.target_date is not strawberry.UNSET:
                changes["target_date"] = input.target_date
            return await service.update_milestone(
                session,
                actor=actor,
                milestone_id=decode_id(input.milestone_id, "Milestone", field="milestoneId"),
                expected_version=input.expected_version,
                changes=changes,
            )

        return await MILESTONE.run(info, call)

    @strawberry.mutation(description="Move a milestone to a phase and position (drag or keys).")
    async def move_milestone(
        self,
        info: Info[Context, None],
        input: MoveMilestoneInput,  # noqa: A002
    ) -> MilestonePayload:
        return await _edit(
            info,
            input.milestone_id,
            input.expected_version,
            service.move_milestone,
            phase=input.phase,
            position=input.position,
        )

    @strawberry.mutation(description="Drop a milestone (it stays on record as DROPPED).")
    async def drop_milestone(
        self,
        info: Info[Context, None],
        input: DropMilestoneInput,  # noqa: A002
    ) -> MilestonePayload:
        return await _edit(info, input.milestone_id, input.expected_version, service.drop_milestone)
