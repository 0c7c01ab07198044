"""Feedback mutations: submit, each step of its life, comments and notes, the SLA policy."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.feedback import models, service
from mutual.feedback.errors import FeedbackErrorCode
from mutual.feedback.models import FeedbackAction, FeedbackCategory, Severity
from mutual.feedback.service import CalendarTerms
from mutual.feedback.types import Feedback, FeedbackComment, FeedbackError, FeedbackPolicy
from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id
from mutual.kit.errors import Invalid
from mutual.kit.principal import Principal
from mutual.tenancy.workspace import Workspace

Change = tuple[Workspace, models.Feedback]
CommentChange = tuple[Workspace, models.Feedback, models.FeedbackComment]
PolicyChange = tuple[Workspace, models.FeedbackPolicy]


@strawberry.input
class SubmitFeedbackInput:
    partnership_id: strawberry.ID
    title: str
    body: str = strawberry.field(default="", description="Markdown, at most 20,000 characters.")
    category: FeedbackCategory = FeedbackCategory.OTHER
    severity: Severity = Severity.MEDIUM
    commitment_id: strawberry.ID | None = None
    milestone_id: strawberry.ID | None = None
    kpi_id: strawberry.ID | None = None


@strawberry.input
class FeedbackActionInput:
    feedback_id: strawberry.ID
    expected_version: int
    note: str = strawberry.field(default="", description="What the submitter is asked.")


@strawberry.input
class ResolveFeedbackInput:
    feedback_id: strawberry.ID
    expected_version: int
    note: str = strawberry.field(description="The resolution note (required).")
    fix_commitment_id: strawberry.ID | None = None
    fix_milestone_id: strawberry.ID | None = None


@strawberry.input
class AcceptFeedbackResolutionInput:
    feedback_id: strawberry.ID
    expected_version: int
    rating: int = strawberry.field(description="1 to 5.")
    comment: str = ""


@strawberry.input
class ReopenFeedbackInput:
    feedback_id: strawberry.ID
    expected_version: int
    reason: str


@strawberry.input
class AddFeedbackCommentInput:
    feedback_id: strawberry.ID
    body: str = strawberry.field(description="Markdown, at most 20,000 characters.")
    internal: bool = strawberry.field(
        default=False, description="An INTERNAL note of the receiving side."
    )


@strawberry.input
class SlaTargetInput:
    severity: Severity
    first_response_minutes: int
    resolution_minutes: int


@strawberry.input
class BusinessCalendarInput:
    party_id: strawberry.ID
    time_zone: str = "UTC"
    working_days: list[int] = strawberry.field(default_factory=lambda: [1, 2, 3, 4, 5])
    start: str = strawberry.field(default="09:00", description="HH:MM, local time.")
    end: str = "17:00"
    holidays: list[date] = strawberry.field(default_factory=list)


@strawberry.input
class ProposeSlaPolicyInput:
    partnership_id: strawberry.ID
    targets: list[SlaTargetInput]
    business_hours: bool = True
    calendars: list[BusinessCalendarInput] = strawberry.field(default_factory=list)
    auto_close_days: int = 7
    note: str = ""


@strawberry.input
class DecideSlaPolicyInput:
    policy_id: strawberry.ID
    expected_version: int


@strawberry.type
class FeedbackPayload:
    feedback: Feedback | None
    user_errors: list[FeedbackError]


@strawberry.type
class FeedbackCommentPayload:
    feedback: Feedback | None
    comment: FeedbackComment | None
    user_errors: list[FeedbackError]


@strawberry.type
class SlaPolicyPayload:
    policy: FeedbackPolicy | None
    user_errors: list[FeedbackError]


FEEDBACK: MutationAnswer[Change, FeedbackPayload] = MutationAnswer(
    FeedbackPayload,
    field="feedback",
    shape=lambda change: Feedback.from_model(change[1], change[0]),
    error=FeedbackError,
    codes=FeedbackErrorCode,
)


def _comment_fields(change: CommentChange) -> dict[str, Any]:
    workspace, item, comment = change
    return {
        "feedback": Feedback.from_model(item, workspace),
        "comment": FeedbackComment(
            body=comment.body,
            internal=comment.visibility == "INTERNAL",
            created_at=comment.created_at,
            record=comment,
            workspace=workspace,
        ),
    }


COMMENT: MutationAnswer[CommentChange, FeedbackCommentPayload] = MutationAnswer(
    FeedbackCommentPayload,
    shape=_comment_fields,
    empty=lambda: {"feedback": None, "comment": None},
    error=FeedbackError,
    codes=FeedbackErrorCode,
)

POLICY: MutationAnswer[PolicyChange, SlaPolicyPayload] = MutationAnswer(
    SlaPolicyPayload,
    field="policy",
    shape=lambda change: FeedbackPolicy.from_model(change[1], change[0]),
    error=FeedbackError,
    codes=FeedbackErrorCode,
)


async def _run(
    info: Info[Context, None],
    feedback_id: strawberry.ID,
    expected_version: int,
    action: FeedbackAction,
    **kwargs: Any,
) -> FeedbackPayload:
    async def call(session: AsyncSession, actor: Principal) -> Change:
        fixes: dict[str, Any] = {}
        for key, kind in (("fix_commitment_id", "Commitment"), ("fix_milestone_id", "Milestone")):
            value = kwargs.pop(key, None)
            field = "fixCommitmentId" if kind == "Commitment" else "fixMilestoneId"
            fixes[key] = decode_id(value, kind, field=field) if value else None
        return await service.transition(
            session,
            actor=actor,
            feedback_id=decode_id(feedback_id, "Feedback", field="feedbackId"),
            expected_version=expected_version,
            action=action,
            **fixes,
            **kwargs,
        )

    return await FEEDBACK.run(info, call)


def _action(action: FeedbackAction, description: str) -> Any:
    async def resolve(
        info: Info[Context, None],
        input: FeedbackActionInput,  # noqa: A002
    ) -> FeedbackPayload:
        return await _run(info, input.feedback_id, input.expected_version, action, note=input.note)

    return strawberry.mutation(resolver=resolve, description=description)


def _time(value: str, field: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError as error:
        raise Invalid("Give a time as HH:MM.", field=field) from error


A = FeedbackAction


@strawberry.type
class FeedbackMutation:
    @strawberry.mutation(description="Submit feedback to the other side; its clocks start.")
    async def submit_feedback(
        self,
        info: Info[Context, None],
        input: SubmitFeedbackInput,  # noqa: A002
    ) -> FeedbackPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            def optional(value: strawberry.ID | None, kind: str, field: str) -> Any:
                return decode_id(value, kind, field=field) if value else None

            return await service.submit(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                title=input.title,
                body=input.body,
                category=input.category,
                severity=input.severity,
                commitment_id=optional(input.commitment_id, "Commitment", "commitmentId"),
                milestone_id=optional(input.milestone_id, "Milestone", "milestoneId"),
                kpi_id=optional(input.kpi_id, "Kpi", "kpiId"),
            )

        return await FEEDBACK.run(info, call)

    acknowledge_feedback = _action(A.ACKNOWLEDGE, "The receiving side acknowledges it.")
    start_feedback = _action(A.START, "The receiving side starts working on it.")
    ask_feedback_submitter = _action(
        A.ASK_SUBMITTER, "The receiving side waits on the submitter (the clocks pause)."
    )
    resume_feedback = _action(A.RESUME, "The receiving side works on it again.")

    @strawberry.mutation(description="The receiving side resolves it, with a note.")
    async def resolve_feedback(
        self,
        info: Info[Context, None],
        input: ResolveFeedbackInput,  # noqa: A002
    ) -> FeedbackPayload:
        return await _run(
            info,
            input.feedback_id,
            input.expected_version,
            A.RESOLVE,
            note=input.note,
            fix_commitment_id=input.fix_commitment_id,
            fix_milestone_id=input.fix_milestone_id,
        )

    @strawberry.mutation(description="The submitting side accepts the resolution and rates it.")
    async def accept_feedback_resolution(
        self,
        info: Info[Context, None],
        input: AcceptFeedbackResolutionInput,  # noqa: A002
    ) -> FeedbackPayload:
        return await _run(
            info,
            input.feedback_id,
            input.expected_version,
            A.ACCEPT,
            note=input.comment,
            rating=input.rating,
        )

    @strawberry.mutation(description="The submitting side reopens it, with a reason.")
    async def reopen_feedback(
        self,
        info: Info[Context, None],
        input: ReopenFeedbackInput,  # noqa: A002
    ) -> FeedbackPayload:
        return await _run(
            info, input.feedback_id, input.expected_version, A.REOPEN, note=input.reason
        )

    @strawberry.mutation(description="A comment for both sides, or an internal note.")
    async def add_feedback_comment(
        self,
        info: Info[Context, None],
        input: AddFeedbackCommentInput,  # noqa: A002
    ) -> FeedbackCommentPayload:
        async def call(session: AsyncSession, actor: Principal) -> CommentChange:
            return await service.add_comment(
                session,
                actor=actor,
                feedback_id=decode_id(input.feedback_id, "Feedback", field="feedbackId"),
                body=input.body,
                internal=input.internal,
            )

        return await COMMENT.run(info, call)

    @strawberry.mutation(description="A LEAD proposes a new version of the SLA policy.")
    async def propose_sla_policy(
        self,
        info: Info[Context, None],
        input: ProposeSlaPolicyInput,  # noqa: A002
    ) -> SlaPolicyPayload:
        async def call(session: AsyncSession, actor: Principal) -> PolicyChange:
            calendars = [
                CalendarTerms(
                    party_id=decode_id(c.party_id, "Party", field=f"calendars[{i}].partyId"),
                    time_zone=c.time_zone,
                    working_days=tuple(c.working_days),
                    start=_time(c.start, f"calendars[{i}].start"),
                    end=_time(c.end, f"calendars[{i}].end"),
                    holidays=tuple(c.holidays),
                )
                for i, c in enumerate(input.calendars)
            ]
            return await service.propose_policy(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                targets={
                    t.severity: (t.first_response_minutes, t.resolution_minutes)
                    for t in input.targets
                },
                business_hours=input.business_hours,
                calendars=calendars,
                auto_close_days=input.auto_close_days,
                note=input.note,
            )

        return await POLICY.run(info, call)

    @strawberry.mutation(description="The other side's LEAD accepts the proposed version.")
    async def accept_sla_policy(
        self,
        info: Info[Context, None],
        input: DecideSlaPolicyInput,  # noqa: A002
    ) -> SlaPolicyPayload:
        return await _decide(info, input, accept=True)

    @strawberry.mutation(description="The other side's LEAD declines the proposed version.")
    async def decline_sla_policy(
        self,
        info: Info[Context, None],
        input: DecideSlaPolicyInput,  # noqa: A002
    ) -> SlaPolicyPayload:
        return await _decide(info, input, accept=False)


async def _decide(
    info: Info[Context, None],
    input: DecideSlaPolicyInput,  # noqa: A002
    *,
    accept: bool,
) -> SlaPolicyPayload:
    async def call(session: AsyncSession, actor: Principal) -> PolicyChange:
        return await service.decide_policy(
            session,
            actor=actor,
            policy_id=decode_id(input.policy_id, "FeedbackPolicy", field="policyId"),
            expected_version=input.expected_version,
            accept=accept,
        )

    return await POLICY.run(info, call)
