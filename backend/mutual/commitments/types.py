"""GraphQL types of commitments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from mutual.commitments import models
from mutual.commitments.errors import CommitmentErrorCode
from mutual.commitments.loaders import commitment_loaders
from mutual.commitments.models import CommitmentAction, CommitmentStatus
from mutual.commitments.repository import CommitmentOrder
from mutual.commitments.service import PartyReliability, available_actions
from mutual.graphql.context import Context, operation_context
from mutual.graphql.errors import UserError
from mutual.graphql.loaders import now_or_later, shaped
from mutual.graphql.node import Node
from mutual.graphql.records import record_field
from mutual.kit.clock import today
from mutual.kit.records import Visibility
from mutual.kpis.loaders import kpi_loaders
from mutual.kpis.types import Kpi
from mutual.roadmap.loaders import roadmap_loaders
from mutual.roadmap.types import Milestone
from mutual.tenancy.loaders import tenancy_loaders
from mutual.tenancy.types import Party, User, party_of
from mutual.tenancy.workspace import Workspace

for _enum in (CommitmentStatus, CommitmentAction, CommitmentErrorCode, CommitmentOrder):
    strawberry.enum(_enum)


@strawberry.type
class CommitmentEvidence:
    url: str
    title: str
    note: str
    created_at: datetime


@strawberry.type
class CommitmentTransition:
    action: CommitmentAction
    from_status: CommitmentStatus | None
    to_status: CommitmentStatus
    at: datetime
    reason: str
    due_date_before: date | None
    due_date_after: date | None
    record: strawberry.Private[models.CommitmentTransition]
    workspace: strawberry.Private[Workspace]

    @strawberry.field
    def actor_party(self) -> Party:
        return party_of(self.workspace, self.record.actor_party_id)

    @strawberry.field
    async def actor(self, info: Info[Context, None]) -> User | None:
        if self.record.actor_user_id is None:
            return None
        user = await tenancy_loaders(info.context).user.load(self.record.actor_user_id)
        return User.from_model(user) if user else None


@strawberry.type
class Renegotiation:
    proposed_due_date: date
    reason: str


def _effective_status(self: Any) -> CommitmentStatus:
    record: models.Commitment = self.record
    return record.effective_status(today())


@strawberry.type
class Commitment(Node):
    title: str = record_field("title", str)
    description: str = record_field("description", str)
    due_date: date = record_field("due_date", date)
    status: CommitmentStatus = strawberry.field(
        resolver=_effective_status,
        description="Effective status: AGREED or IN_PROGRESS past due reads MISSED.",
    )
    visibility: Visibility = record_field("visibility", Visibility, convert=Visibility)
    version: int = record_field("version", int)
    created_at: datetime = record_field("created_at", datetime)
    updated_at: datetime = record_field("updated_at", datetime)
    delivered_at: datetime | None = record_field("delivered_at", datetime | None)
    confirmed_at: datetime | None = record_field("confirmed_at", datetime | None)
    dispute_reason: str | None = record_field("dispute_reason", str | None)
    record: strawberry.Private[models.Commitment]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, commitment: models.Commitment, workspace: Workspace) -> Commitment:
        return cls(raw_id=commitment.id, record=commitment, workspace=workspace)

    @strawberry.field
    def pending_renegotiation(self) -> Renegotiation | None:
        if self.record.renegotiation_due_date is None:
            return None
        return Renegotiation(
            proposed_due_date=self.record.renegotiation_due_date,
            reason=self.record.renegotiation_reason or "",
        )

    @strawberry.field(description="The accountable side.")
    def owner_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field
    def proposed_by_party(self) -> Party:
        return party_of(self.workspace, self.record.proposed_by_party_id)

    @strawberry.field
    def milestone(self) -> Milestone | None:
        # No `info`: on a page whose milestones commitments_for prefetched, the executor
        # answers this in its loop (graphql/execution.py).
        if self.record.milestone_id is None:
            return None
        return shaped(
            now_or_later(roadmap_loaders(operation_context()).milestone, self.record.milestone_id),
            lambda found: Milestone.from_model(found, self.workspace) if found else None,
        )

    @strawberry.field
    async def kpi(self, info: Info[Context, None]) -> Kpi | None:
        if self.record.kpi_id is None:
            return None
        found = await kpi_loaders(info.context).kpi.load(self.record.kpi_id)
        return Kpi.from_model(found, self.workspace) if found else None

    @strawberry.field
    async def evidence(self, info: Info[Context, None]) -> list[CommitmentEvidence]:
        rows = await commitment_loaders(info.context).evidence.load(self.raw_id)
        return [
            CommitmentEvidence(url=e.url, title=e.title, note=e.note, created_at=e.created_at)
            for e in rows
        ]

    @strawberry.field(description="Every step, oldest first (dates of renegotiations included).")
    async def history(self, info: Info[Context, None]) -> list[CommitmentTransition]:
        rows = await commitment_loaders(info.context).transitions.load(self.raw_id)
        return [
            CommitmentTransition(
                action=CommitmentAction(t.action),
                from_status=CommitmentStatus(t.from_status) if t.from_status else None,
                to_status=CommitmentStatus(t.to_status),
                at=t.at,
                reason=t.reason,
                due_date_before=t.due_date_before,
                due_date_after=t.due_date_after,
                record=t,
                workspace=self.workspace,
            )
            for t in rows
        ]

    @strawberry.field(description="Every due date agreed so far, oldest first.")
    async def due_dates(self, info: Info[Context, None]) -> list[date]:
        rows = await commitment_loaders(info.context).transitions.load(self.raw_id)
        agreed = (CommitmentAction.PROPOSE, CommitmentAction.ACCEPT_RENEGOTIATION)
        return [t.due_date_after for t in rows if t.action in agreed and t.due_date_after]

    @strawberry.field(description="What you may do with it now.")
    def viewer_actions(self) -> list[CommitmentAction]:
        return available_actions(self.record, self.workspace, on=today())


@strawberry.type
class PartyReliabilityFigures:
    due: int = strawberry.field(description="Agreed commitments due in the period.")
    on_time: int = strawberry.field(
        description="Of those, confirmed and delivered by the due date."
    )
    on_time_rate: float | None = strawberry.field(description="onTime / due, 0 to 1.")
    missed: int
    renegotiations: int
    disputes: int
    party_id: strawberry.Private[uuid.UUID]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_result(cls, result: PartyReliability, workspace: Workspace) -> PartyReliabilityFigures:
        return cls(
            due=result.due,
            on_time=result.on_time,
            on_time_rate=result.on_time_rate,
            missed=result.missed,
            renegotiations=result.renegotiations,
            disputes=result.disputes,
            party_id=result.party_id,
            workspace=workspace,
        )

    @strawberry.field
    def party(self) -> Party:
        return party_of(self.workspace, self.party_id)


@strawberry.type
class CommitmentError(UserError):
    code: CommitmentErrorCode
    current: Commitment | None = strawberry.field(
        description="On CONFLICT: the commitment as it is now."
    )
