"""GraphQL types of feedback."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.types import Info

from mutual.commitments.loaders import commitment_loaders
from mutual.commitments.models import CommitmentStatus
from mutual.commitments.types import Commitment
from mutual.feedback import clocks, models
from mutual.feedback.business_time import Calendar
from mutual.feedback.clocks import Clock, ClockView
from mutual.feedback.errors import FeedbackErrorCode
from mutual.feedback.loaders import feedback_loaders
from mutual.feedback.models import (
    FeedbackAction,
    FeedbackCategory,
    FeedbackStatus,
    PolicyStatus,
    Severity,
)
from mutual.feedback.repository import ClockFlag, FeedbackSide
from mutual.feedback.service import PartyFeedbackFigures, available_actions, side_of
from mutual.graphql.context import Context
from mutual.graphql.errors import UserError
from mutual.graphql.node import Node
from mutual.graphql.records import record_field
from mutual.kit import markdown
from mutual.kit.clock import utcnow
from mutual.kit.records import Visibility
from mutual.kpis.loaders import kpi_loaders
from mutual.kpis.types import Kpi
from mutual.roadmap.loaders import roadmap_loaders
from mutual.roadmap.models import MilestoneStatus
from mutual.roadmap.types import Milestone
from mutual.tenancy.loaders import tenancy_loaders
from mutual.tenancy.types import Party, User, party_of
from mutual.tenancy.workspace import Workspace

for _enum in (
    FeedbackStatus,
    FeedbackCategory,
    Severity,
    FeedbackAction,
    FeedbackErrorCode,
    PolicyStatus,
    Clock,
    FeedbackSide,
    ClockFlag,
):
    strawberry.enum(_enum)


@strawberry.type(description="One SLA clock of a feedback item, as of the time of the request.")
class SlaClock:
    clock: Clock
    target_seconds: int
    elapsed_seconds: int = strawberry.field(description="Business time used so far.")
    remaining_seconds: int = strawberry.field(description="Zero once the target is used up.")
    due_at: datetime | None = strawberry.field(description="While it runs: when it is due.")
    paused: bool = strawberry.field(description="Waiting on the submitter.")
    stopped_at: datetime | None = strawberry.field(description="When it stopped (met or not).")
    at_risk: bool = strawberry.field(description="80 % of the target used, not yet breached.")
    breached: bool

    @classmethod
    def from_view(cls, v: ClockView) -> SlaClock:
        return cls(
            clock=v.clock,
            target_seconds=v.target_s,
            elapsed_seconds=v.used_s,
            remaining_seconds=v.remaining_s,
            due_at=v.due_at,
            paused=v.paused,
            stopped_at=v.stopped_at,
            at_risk=v.at_risk,
            breached=v.breached,
        )


@strawberry.type
class FeedbackComment:
    body: str
    internal: bool = strawberry.field(description="An INTERNAL note of your side.")
    created_at: datetime
    record: strawberry.Private[models.FeedbackComment]
    workspace: strawberry.Private[Workspace]

    @strawberry.field
    def body_html(self) -> str:
        return markdown.render(self.body)

    @strawberry.field
    def author_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field
    async def author(self, info: Info[Context, None]) -> User | None:
        if self.record.author_user_id is None:
            return None
        user = await tenancy_loaders(info.context).user.load(self.record.author_user_id)
        return User.from_model(user) if user else None


@strawberry.type
class FeedbackTransition:
    action: FeedbackAction
    from_status: FeedbackStatus | None
    to_status: FeedbackStatus
    at: datetime
    note: str
    record: strawberry.Private[models.FeedbackTransition]
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="None for a step the system took (auto-close).")
    def actor_party(self) -> Party | None:
        if self.record.actor_party_id is None:
            return None
        return party_of(self.workspace, self.record.actor_party_id)

    @strawberry.field
    async def actor(self, info: Info[Context, None]) -> User | None:
        if self.record.actor_user_id is None:
            return None
        user = await tenancy_loaders(info.context).user.load(self.record.actor_user_id)
        return User.from_model(user) if user else None


@strawberry.type
class Feedback(Node):
    title: str = record_field("title", str)
    body: str = record_field("body", str, description="Markdown, as written.")
    category: FeedbackCategory = record_field(
        "category", FeedbackCategory, convert=FeedbackCategory
    )
    severity: Severity = record_field("severity", Severity, convert=Severity)
    status: FeedbackStatus = record_field("status", FeedbackStatus, convert=FeedbackStatus)
    status_at: datetime = record_field("status_at", datetime)
    version: int = record_field("version", int)
    created_at: datetime = record_field("created_at", datetime)
    updated_at: datetime = record_field("updated_at", datetime)
    resolution_note: str | None = record_field("resolution_note", str | None)
    rating: int | None = record_field("rating", int | None)
    rating_comment: str | None = record_field("rating_comment", str | None)
    reopen_count: int = record_field("reopen_count", int)
    first_response_at: datetime | None = record_field("first_response_at", datetime | None)
    resolved_at: datetime | None = record_field("resolved_at", datetime | None)
    closed_at: datetime | None = record_field("closed_at", datetime | None)
    closes_at: datetime | None = record_field(
        "closes_at", datetime | None, description="When a resolved item closes itself, unrated."
    )
    due_at: datetime | None = record_field(
        "due_at", datetime | None, description="The earliest due time of a running clock."
    )
    record: strawberry.Private[models.Feedback]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, item: models.Feedback, workspace: Workspace) -> Feedback:
        return cls(raw_id=item.id, record=item, workspace=workspace)

    @strawberry.field(description="The body rendered safely (no raw HTML).")
    def body_html(self) -> str:
        return markdown.render(self.record.body)

    @strawberry.field(description="The side that submitted it.")
    def submitted_by_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field(description="The side it is for, whose clock runs.")
    def receiving_party(self) -> Party:
        return party_of(self.workspace, self.record.receiving_party_id)

    @strawberry.field(description="Whether your side submitted it.")
    def submitted_by_us(self) -> bool:
        return side_of(self.record, self.workspace) == "submitter"

    @strawberry.field
    def first_response_clock(self) -> SlaClock:
        return SlaClock.from_view(clocks.view(self.record, Clock.FIRST_RESPONSE, utcnow()))

    @strawberry.field
    def resolution_clock(self) -> SlaClock:
        return SlaClock.from_view(clocks.view(self.record, Clock.RESOLUTION, utcnow()))

    @strawberry.field(description="The receiving side's calendar its clocks count in.")
    def business_hours(self) -> str:
        calendar = clocks.calendar_of(self.record)
        return describe_calendar(calendar)

    @strawberry.field
    async def submitted_by(self, info: Info[Context, None]) -> User | None:
        if self.record.created_by is None:
            return None
        user = await tenancy_loaders(info.context).user.load(self.record.created_by)
        return User.from_model(user) if user else None

    @strawberry.field
    async def commitment(self, info: Info[Context, None]) -> Commitment | None:
        return await _commitment(info, self.record.commitment_id, self.workspace)

    @strawberry.field
    async def milestone(self, info: Info[Context, None]) -> Milestone | None:
        return await _milestone(info, self.record.milestone_id, self.workspace)

    @strawberry.field
    async def kpi(self, info: Info[Context, None]) -> Kpi | None:
        if self.record.kpi_id is None:
            return None
        found = await kpi_loaders(info.context).kpi.load(self.record.kpi_id)
        return Kpi.from_model(found, self.workspace) if found else None

    @strawberry.field(description="The commitment the resolution says fixes the cause.")
    async def fix_commitment(self, info: Info[Context, None]) -> Commitment | None:
        return await _commitment(info, self.record.fix_commitment_id, self.workspace)

    @strawberry.field(description="The milestone the resolution says fixes the cause.")
    async def fix_milestone(self, info: Info[Context, None]) -> Milestone | None:
        return await _milestone(info, self.record.fix_milestone_id, self.workspace)

    @strawberry.field(description="Whether the linked fix is confirmed (commitment) or done.")
    async def fix_confirmed(self, info: Info[Context, None]) -> bool | None:
        if self.record.fix_commitment_id is not None:
            found = await commitment_loaders(info.context).commitment.load(
                self.record.fix_commitment_id
            )
            return found is not None and found.status == CommitmentStatus.CONFIRMED
        if self.record.fix_milestone_id is not None:
            milestone = await roadmap_loaders(info.context).milestone.load(
                self.record.fix_milestone_id
            )
            return milestone is not None and milestone.status == MilestoneStatus.DONE
        return None

    @strawberry.field(description="Shared comments and your side's internal notes, oldest first.")
    async def comments(self, info: Info[Context, None]) -> list[FeedbackComment]:
        rows = await feedback_loaders(info.context).comments.load(
            (self.raw_id, self.workspace.own_party.id)
        )
        return [
            FeedbackComment(
                body=c.body,
                internal=c.visibility == Visibility.INTERNAL,
                created_at=c.created_at,
                record=c,
                workspace=self.workspace,
            )
            for c in rows
        ]

    @strawberry.field(description="Every step, oldest first.")
    async def history(self, info: Info[Context, None]) -> list[FeedbackTransition]:
        rows = await feedback_loaders(info.context).transitions.load(self.raw_id)
        return [
            FeedbackTransition(
                action=FeedbackAction(t.action),
                from_status=FeedbackStatus(t.from_status) if t.from_status else None,
                to_status=FeedbackStatus(t.to_status),
                at=t.at,
                note=t.note,
                record=t,
                workspace=self.workspace,
            )
            for t in rows
        ]

    @strawberry.field(description="What you may do with it now.")
    def viewer_actions(self) -> list[FeedbackAction]:
        return available_actions(self.record, self.workspace)


async def _commitment(
    info: Info[Context, None], commitment_id: uuid.UUID | None, workspace: Workspace
) -> Commitment | None:
    if commitment_id is None:
        return None
    found = await commitment_loaders(info.context).commitment.load(commitment_id)
    if found is None or not workspace.shows(found):
        return None
    return Commitment.from_model(found, workspace)


async def _milestone(
    info: Info[Context, None], milestone_id: uuid.UUID | None, workspace: Workspace
) -> Milestone | None:
    if milestone_id is None:
        return None
    found = await roadmap_loaders(info.context).milestone.load(milestone_id)
    if found is None or not workspace.shows(found):
        return None
    return Milestone.from_model(found, workspace)


def describe_calendar(calendar: Calendar) -> str:
    if calendar.around_the_clock:
        return "Around the clock"
    names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    days = ", ".join(names[d - 1] for d in sorted(calendar.working_days))
    start, end = calendar.start.strftime("%H:%M"), calendar.end.strftime("%H:%M")
    holidays = f", {len(calendar.holidays)} holidays" if calendar.holidays else ""
    return f"{days} {start} to {end} ({calendar.time_zone}){holidays}"


@strawberry.type
class SlaTarget:
    severity: Severity
    first_response_minutes: int
    resolution_minutes: int


@strawberry.type
class BusinessCalendar:
    time_zone: str
    working_days: list[int] = strawberry.field(description="ISO weekdays: 1 is Monday.")
    start: str = strawberry.field(description="HH:MM, local time.")
    end: str
    holidays: list[str] = strawberry.field(description="ISO dates, local.")
    party_id: strawberry.Private[uuid.UUID]
    workspace: strawberry.Private[Workspace]

    @strawberry.field
    def party(self) -> Party:
        return party_of(self.workspace, self.party_id)


@strawberry.type
class FeedbackPolicy(Node):
    number: int = record_field("number", int)
    status: PolicyStatus = record_field("status", PolicyStatus, convert=PolicyStatus)
    business_hours: bool = record_field(
        "business_hours", bool, description="False: targets count around the clock."
    )
    auto_close_days: int = record_field("auto_close_days", int)
    note: str = record_field("note", str)
    version: int = record_field("version", int)
    created_at: datetime = record_field("created_at", datetime)
    decided_at: datetime | None = record_field("decided_at", datetime | None)
    effective_at: datetime | None = record_field("effective_at", datetime | None)
    record: strawberry.Private[models.FeedbackPolicy]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, policy: models.FeedbackPolicy, workspace: Workspace) -> FeedbackPolicy:
        return cls(raw_id=policy.id, record=policy, workspace=workspace)

    @strawberry.field(description="The side that proposed this version.")
    def proposed_by_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field
    def targets(self) -> list[SlaTarget]:
        return [
            SlaTarget(
                severity=s,
                first_response_minutes=self.record.targets[s]["first_response"],
                resolution_minutes=self.record.targets[s]["resolution"],
            )
            for s in Severity
            if s in self.record.targets
        ]

    @strawberry.field
    def calendars(self) -> list[BusinessCalendar]:
        made = []
        for party_id, value in self.record.calendars.items():
            c = Calendar.from_json(value)
            made.append(
                BusinessCalendar(
                    time_zone=c.time_zone,
                    working_days=sorted(c.working_days),
                    start=c.start.strftime("%H:%M"),
                    end=c.end.strftime("%H:%M"),
                    holidays=sorted(d.isoformat() for d in c.holidays),
                    party_id=uuid.UUID(party_id),
                    workspace=self.workspace,
                )
            )
        return made

    @strawberry.field(description="Whether your side's LEAD may accept or decline it now.")
    def viewer_can_decide(self) -> bool:
        return (
            self.record.status == PolicyStatus.PROPOSED
            and self.record.owner_party_id != self.workspace.own_party.id
            and self.workspace.role is not None
            and self.workspace.role.value == "LEAD"
        )


@strawberry.type(name="PartyFeedbackFigures")
class FeedbackFigures:
    submitted: int
    first_response_attainment: float | None = strawberry.field(
        description="Share of first responses within target, 0 to 1."
    )
    first_response_median_seconds: float | None
    resolution_attainment: float | None
    resolution_median_seconds: float | None
    rated: int
    csat_average: float | None = strawberry.field(description="Average rating, 1 to 5.")
    csat_share: float | None = strawberry.field(description="Share of ratings 4 or 5.")
    reopen_rate: float | None = strawberry.field(description="Resolved items reopened, 0 to 1.")
    party_id: strawberry.Private[uuid.UUID]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_result(cls, r: PartyFeedbackFigures, workspace: Workspace) -> FeedbackFigures:
        return cls(
            submitted=r.submitted,
            first_response_attainment=r.first_response_attainment,
            first_response_median_seconds=r.first_response_median_s,
            resolution_attainment=r.resolution_attainment,
            resolution_median_seconds=r.resolution_median_s,
            rated=r.rated,
            csat_average=r.rating_average,
            csat_share=r.csat_share,
            reopen_rate=r.reopen_rate,
            party_id=r.party_id,
            workspace=workspace,
        )

    @strawberry.field(description="The receiving side these figures are of.")
    def party(self) -> Party:
        return party_of(self.workspace, self.party_id)


@strawberry.type
class FeedbackError(UserError):
    code: FeedbackErrorCode
