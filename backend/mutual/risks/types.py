"""GraphQL types of the risk register."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Sequence
from datetime import date, datetime

import strawberry
from strawberry.types import Info

from mutual.audit import service as audit_service
from mutual.audit.types import AuditEvent
from mutual.commitments.loaders import commitment_loaders
from mutual.commitments.types import Commitment
from mutual.graphql.context import Context, operation_context
from mutual.graphql.errors import UserError
from mutual.graphql.ids import to_global_id
from mutual.graphql.loaders import shaped
from mutual.graphql.node import Node
from mutual.graphql.pagination import Connection, page_request, to_connection
from mutual.graphql.records import record_field
from mutual.kit.clock import today
from mutual.kit.records import Visibility
from mutual.kpis.loaders import kpi_loaders
from mutual.kpis.types import Kpi
from mutual.risks import models, scale, service
from mutual.risks.errors import RiskErrorCode
from mutual.risks.loaders import risk_loaders
from mutual.risks.models import (
    LinkKind,
    RiskActionStatus,
    RiskBand,
    RiskCategory,
    RiskStatus,
    ScoreBasis,
    Treatment,
)
from mutual.risks.repository import RiskOrder
from mutual.roadmap.loaders import roadmap_loaders
from mutual.roadmap.types import Milestone
from mutual.tenancy.loaders import tenancy_loaders
from mutual.tenancy.types import Party, User, party_of
from mutual.tenancy.workspace import Workspace

for _enum in (
    RiskCategory,
    RiskStatus,
    Treatment,
    RiskActionStatus,
    RiskBand,
    ScoreBasis,
    RiskOrder,
    RiskErrorCode,
):
    strawberry.enum(_enum)


Latest = tuple[models.RiskAssessment | None, models.RiskAssessment | None]
# The latest pair as read with the register, or as the assessment loader answers it.
Found = Latest | Sequence[models.RiskAssessment | None]


@strawberry.type(description="A cell of the 5x5 matrix: likelihood x impact.")
class RiskScore:
    likelihood: int
    impact: int

    @strawberry.field(description="likelihood x impact, 1 to 25.")
    def score(self) -> int:
        return self.likelihood * self.impact

    @strawberry.field
    def band(self) -> RiskBand:
        return scale.band(self.likelihood * self.impact)

    @strawberry.field
    def likelihood_label(self) -> str:
        return scale.LIKELIHOOD_LABELS[self.likelihood - 1]

    @strawberry.field
    def impact_label(self) -> str:
        return scale.IMPACT_LABELS[self.impact - 1]


async def _user(info: Info[Context, None], user_id: uuid.UUID | None) -> User | None:
    if user_id is None:
        return None
    user = await tenancy_loaders(info.context).user.load(user_id)
    return User.from_model(user) if user else None


@strawberry.type(description="One side's score of a risk at one moment, and why.")
class RiskAssessment:
    rationale: str
    assessed_at: datetime
    record: strawberry.Private[models.RiskAssessment]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, a: models.RiskAssessment, workspace: Workspace) -> RiskAssessment:
        return cls(rationale=a.rationale, assessed_at=a.assessed_at, record=a, workspace=workspace)

    @strawberry.field
    def inherent(self) -> RiskScore:
        return RiskScore(
            likelihood=self.record.inherent_likelihood, impact=self.record.inherent_impact
        )

    @strawberry.field
    def residual(self) -> RiskScore:
        return RiskScore(
            likelihood=self.record.residual_likelihood, impact=self.record.residual_impact
        )

    @strawberry.field(description="The side that scored.")
    def party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field
    async def assessed_by(self, info: Info[Context, None]) -> User | None:
        return await _user(info, self.record.assessed_by)


@strawberry.type(description="A side of the partnership and its latest score of the risk.")
class RiskSideScore:
    party: Party
    latest: RiskAssessment | None


@strawberry.type(description="A step of the treatment: who does it by when.")
class RiskAction:
    title: str
    due_date: date | None
    status: RiskActionStatus
    record: strawberry.Private[models.RiskAction]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, a: models.RiskAction, workspace: Workspace) -> RiskAction:
        return cls(
            title=a.title,
            due_date=a.due_date,
            status=RiskActionStatus(a.status),
            record=a,
            workspace=workspace,
        )

    @strawberry.field
    def id(self) -> strawberry.ID:
        # Not a Node: addressed only through its risk (updateRiskAction's actionId).
        return strawberry.ID(to_global_id("RiskAction", self.record.id))

    @strawberry.field
    def owner_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field
    async def commitment(self, info: Info[Context, None]) -> Commitment | None:
        if self.record.commitment_id is None:
            return None
        found = await commitment_loaders(info.context).commitment.load(self.record.commitment_id)
        if found is None or not self.workspace.shows(found):
            return None
        return Commitment.from_model(found, self.workspace)

    @strawberry.field(description="Past its due date and still open.")
    def overdue(self) -> bool:
        due = self.record.due_date
        return self.record.status == RiskActionStatus.OPEN and due is not None and due < today()


@strawberry.type(description="A side accepts the risk until an expiry, approved by one of its own.")
class RiskAcceptance:
    reason: str
    expires_on: date
    created_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    record: strawberry.Private[models.RiskAcceptance]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, a: models.RiskAcceptance, workspace: Workspace) -> RiskAcceptance:
        return cls(
            reason=a.reason,
            expires_on=a.expires_on,
            created_at=a.created_at,
            ended_at=a.ended_at,
            end_reason=a.end_reason,
            record=a,
            workspace=workspace,
        )

    @strawberry.field(description="In force: not ended and not past its expiry.")
    def active(self) -> bool:
        return self.record.ended_at is None and self.record.expires_on >= today()

    @strawberry.field(description="The accepting side.")
    def party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field
    async def approver(self, info: Info[Context, None]) -> User | None:
        return await _user(info, self.record.approver_user_id)

    @strawberry.field
    async def accepted_by(self, info: Info[Context, None]) -> User | None:
        return await _user(info, self.record.accepted_by)


@strawberry.type(description="What the partnership does about the risk, as your side sees it.")
class RiskLinks:
    commitments: list[Commitment]
    milestones: list[Milestone]
    kpis: list[Kpi]


@strawberry.type(description="A risk of the joint register, scored by each side.")
class Risk(Node):
    title: str = record_field("title", str)
    description: str = record_field("description", str)
    category: RiskCategory = record_field("category", RiskCategory, convert=RiskCategory)
    status: RiskStatus = record_field("status", RiskStatus, convert=RiskStatus)
    treatment_plan: str = record_field("treatment_plan", str)
    review_every_days: int = record_field("review_every_days", int)
    next_review_on: date = record_field("next_review_on", date)
    last_reviewed_at: datetime | None = record_field("last_reviewed_at", datetime | None)
    visibility: Visibility = record_field("visibility", Visibility, convert=Visibility)
    version: int = record_field("version", int)
    created_at: datetime = record_field("created_at", datetime)
    updated_at: datetime = record_field("updated_at", datetime)
    record: strawberry.Private[models.Risk]
    workspace: strawberry.Private[Workspace]
    # Each side's latest assessment when the register read them with the risk.
    latest: strawberry.Private[Latest | None] = None

    @classmethod
    def from_model(
        cls,
        risk: models.Risk,
        workspace: Workspace,
        latest: Latest | None = None,
    ) -> Risk:
        return cls(raw_id=risk.id, record=risk, workspace=workspace, latest=latest)

    @strawberry.field
    def treatment(self) -> Treatment | None:
        return Treatment(self.record.treatment) if self.record.treatment else None

    @strawberry.field(description="The side accountable for this risk.")
    def owner_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field(description="Its next review date has passed and it is not closed.")
    def review_overdue(self) -> bool:
        return service.review_overdue(self.record, today())

    def _latest(self) -> Found | Awaitable[Found]:
        """Both sides' latest assessments: at hand when the register read them with the risk
        (then the fields below answer without a task per risk), else the loader's future of
        [owner side's, other side's] (a future, not a coroutine: the executor may drop it)."""
        if self.latest is not None:
            return self.latest
        owner_id, partner_id = self.record.owner_assessment_id, self.record.partner_assessment_id
        if owner_id is None and partner_id is None:
            return (None, None)
        loader = risk_loaders(operation_context()).assessment
        either = owner_id or partner_id
        assert either is not None
        pending: Awaitable[Found] = loader.load_many([owner_id or either, partner_id or either])
        return pending

    def _pair(self, found: Found) -> Latest:
        if isinstance(found, tuple):
            return found
        owner, partner = found[0], found[1]
        return (
            owner if self.record.owner_assessment_id else None,
            partner if self.record.partner_assessment_id else None,
        )

    def _sides(self, latest: Latest) -> list[RiskSideScore]:
        owner, partner = latest
        sides = [RiskSideScore(party=self.owner_party(), latest=self._shaped(owner))]
        other = self.workspace.counterparty
        if other is not None and other.id == self.record.owner_party_id:
            other = self.workspace.own_party
        if self.record.visibility == Visibility.SHARED and other is not None:
            party = party_of(self.workspace, other.id)
            sides.append(RiskSideScore(party=party, latest=self._shaped(partner)))
        return sides

    @strawberry.field(
        description="Each side's latest score: both sides for a SHARED risk, the owner side "
        "alone for an INTERNAL one; the owner side first."
    )
    def scores(self) -> list[RiskSideScore]:
        return shaped(self._latest(), lambda found: self._sides(self._pair(found)))

    def _shaped(self, a: models.RiskAssessment | None) -> RiskAssessment | None:
        return RiskAssessment.from_model(a, self.workspace) if a else None

    @strawberry.field(
        description="Cells apart between the two sides' latest residual scores (across plus "
        "up: 4x4 and 2x3 are 3 apart); null until both sides have scored."
    )
    def divergence(self) -> int | None:
        return shaped(self._latest(), lambda found: service.divergence(*self._pair(found)))

    @strawberry.field(description="Every assessment by either side, newest first.")
    async def assessments(self, info: Info[Context, None]) -> list[RiskAssessment]:
        found = await risk_loaders(info.context).assessments.load(self.raw_id)
        return [RiskAssessment.from_model(a, self.workspace) for a in found]

    @strawberry.field(description="The treatment's actions, by due date.")
    async def actions(self, info: Info[Context, None]) -> list[RiskAction]:
        found = await risk_loaders(info.context).actions.load(self.raw_id)
        return [RiskAction.from_model(a, self.workspace) for a in found if self.workspace.shows(a)]

    @strawberry.field(description="Every acceptance, newest first.")
    async def acceptances(self, info: Info[Context, None]) -> list[RiskAcceptance]:
        found = await risk_loaders(info.context).acceptances.load(self.raw_id)
        return [RiskAcceptance.from_model(a, self.workspace) for a in found]

    @strawberry.field(description="The commitments, milestones and KPIs linked to the risk.")
    async def links(self, info: Info[Context, None]) -> RiskLinks:
        context = info.context
        found = [
            link
            for link in await risk_loaders(context).links.load(self.raw_id)
            if self.workspace.shows(link)
        ]
        ws = self.workspace
        commitments = [
            await commitment_loaders(context).commitment.load(link.commitment_id)
            for link in found
            if link.kind == LinkKind.COMMITMENT and link.commitment_id
        ]
        milestones = [
            await roadmap_loaders(context).milestone.load(link.milestone_id)
            for link in found
            if link.kind == LinkKind.MILESTONE and link.milestone_id
        ]
        kpis = [
            await kpi_loaders(context).kpi.load(link.kpi_id)
            for link in found
            if link.kind == LinkKind.KPI and link.kpi_id
        ]
        return RiskLinks(
            commitments=[Commitment.from_model(c, ws) for c in commitments if c and ws.shows(c)],
            milestones=[Milestone.from_model(m, ws) for m in milestones if m and ws.shows(m)],
            kpis=[Kpi.from_model(k, ws) for k in kpis if k and ws.shows(k)],
        )

    @strawberry.field(description="Who changed what, newest first.")
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
            object_type="Risk",
            object_id=self.raw_id,
        )
        return to_connection(events, lambda e: AuditEvent.from_model(e, self.workspace))


@strawberry.type
class RiskHeatCell:
    likelihood: int
    impact: int
    count: int = strawberry.field(description="Risks placed in this cell.")
    disputed: int = strawberry.field(
        description="Of those, the risks the other side places in another cell."
    )

    @strawberry.field
    def score(self) -> int:
        return self.likelihood * self.impact

    @strawberry.field
    def band(self) -> RiskBand:
        return scale.band(self.likelihood * self.impact)


def _cells(cells: list[service.HeatCell]) -> list[RiskHeatCell]:
    return [
        RiskHeatCell(likelihood=c.likelihood, impact=c.impact, count=c.count, disputed=c.disputed)
        for c in cells
    ]


@strawberry.type(description="Where one side's latest scores place the risks.")
class RiskHeatMapSide:
    party: Party
    cells: list[RiskHeatCell]


@strawberry.type(
    description="The 5x5 heat map: 25 cells each, likelihood 5 to 1, impact 1 to 5 within."
)
class RiskHeatMap:
    basis: ScoreBasis
    sides: list[RiskHeatMapSide]
    combined: list[RiskHeatCell] = strawberry.field(
        description="Both sides: a risk counts once in each distinct cell a side places it in."
    )
    disagreements: int = strawberry.field(
        description="Risks the two sides place in different cells."
    )

    @classmethod
    def from_result(cls, result: service.HeatMap, workspace: Workspace) -> RiskHeatMap:
        return cls(
            basis=result.basis,
            sides=[
                RiskHeatMapSide(party=party_of(workspace, party_id), cells=_cells(cells))
                for party_id, cells in result.sides.items()
            ],
            combined=_cells(result.combined),
            disagreements=result.disagreements,
        )


@strawberry.type
class RiskError(UserError):
    code: RiskErrorCode
    current: Risk | None = strawberry.field(description="On CONFLICT: the risk as it is now.")
