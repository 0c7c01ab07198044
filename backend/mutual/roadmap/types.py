"""GraphQL types of the roadmap."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from mutual.audit import service as audit_service
from mutual.audit.types import AuditEvent
from mutual.graphql.context import Context
from mutual.graphql.errors import UserError
from mutual.graphql.node import Node
from mutual.graphql.pagination import Connection, page_request, to_connection
from mutual.graphql.records import record_field
from mutual.kit.records import Visibility
from mutual.roadmap import models
from mutual.roadmap.errors import RoadmapErrorCode
from mutual.roadmap.loaders import roadmap_loaders
from mutual.roadmap.models import MilestoneStatus, Phase
from mutual.tenancy.types import Party, party_of
from mutual.tenancy.workspace import Workspace

for _enum in (Phase, MilestoneStatus, RoadmapErrorCode):
    strawberry.enum(_enum)


@strawberry.type
class Milestone(Node):
    title: str = record_field("title", str)
    description: str = record_field("description", str)
    target_date: date | None = record_field("target_date", date | None)
    phase: Phase = record_field("phase", Phase, convert=Phase)
    status: MilestoneStatus = record_field("status", MilestoneStatus, convert=MilestoneStatus)
    visibility: Visibility = record_field("visibility", Visibility, convert=Visibility)
    version: int = record_field("version", int)
    created_at: datetime = record_field("created_at", datetime)
    updated_at: datetime = record_field("updated_at", datetime)
    record: strawberry.Private[models.Milestone]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, milestone: models.Milestone, workspace: Workspace) -> Milestone:
        return cls(raw_id=milestone.id, record=milestone, workspace=workspace)

    @strawberry.field(
        description="Position within its phase among the milestones your side sees, 0 first."
    )
    async def rank(self, info: Info[Context, None]) -> int:
        positions = await roadmap_loaders(info.context).positions(self.workspace)
        return positions[self.raw_id]

    @strawberry.field(description="The side accountable for this milestone.")
    def owner_party(self) -> Party:
        # Both sides come with the workspace: a plain read, no query per milestone.
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field(description="Who changed which field from what to what, newest first.")
    async def history(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEvent]:
        page = page_request(info.context, first=first, after=after, last=None, before=None)
        events = await audit_service.trail(
            info.context.db,
            workspace=self.workspace,
            page=page,
            object_type="Milestone",
            object_id=self.raw_id,
        )
        return to_connection(events, lambda e: AuditEvent.from_model(e, self.workspace))


@strawberry.type
class RoadmapPhase:
    phase: Phase
    milestones: list[Milestone]


@strawberry.type(description="The co-edited recovery roadmap: three phases of milestones.")
class Roadmap:
    phases: list[RoadmapPhase]


@strawberry.type
class RoadmapError(UserError):
    code: RoadmapErrorCode
    current: Milestone | None = strawberry.field(
        description="On CONFLICT: the milestone as it is now."
    )
