"""Risk mutations: create and edit, assess (each side its own score), treat (accept with an
approver, a reason and an expiry), review, actions, and links."""

from __future__ import annotations

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
from mutual.risks import models, service
from mutual.risks.errors import RiskErrorCode
from mutual.risks.models import RiskActionStatus, RiskCategory, RiskStatus, Treatment
from mutual.risks.types import Risk, RiskAction, RiskError
from mutual.tenancy.workspace import Workspace

Change = tuple[Workspace, models.Risk]


@strawberry.input
class CreateRiskInput:
    partnership_id: strawberry.ID
    title: str
    category: RiskCategory
    description: str = ""
    owner_party_id: strawberry.ID | None = strawberry.field(
        default=None, description="The accountable side; yours when omitted."
    )
    visibility: Visibility = Visibility.SHARED
    review_every_days: int = service.DEFAULT_REVIEW_DAYS
    next_review_on: date | None = strawberry.field(
        default=None, description="One cadence from today when omitted."
    )


@strawberry.input
class UpdateRiskInput:
    risk_id: strawberry.ID
    expected_version: int
    title: str | None = None
    description: str | None = None
    category: RiskCategory | None = None
    status: RiskStatus | None = strawberry.field(default=None, description="OPEN or CLOSED.")
    review_every_days: int | None = None
    next_review_on: date | None = None


@strawberry.input
class AssessRiskInput:
    risk_id: strawberry.ID
    inherent_likelihood: int = strawberry.field(description="1 (rare) to 5 (almost certain).")
    inherent_impact: int = strawberry.field(description="1 (negligible) to 5 (severe).")
    residual_likelihood: int | None = strawberry.field(
        default=None, description="After treatment; the inherent one when omitted."
    )
    residual_impact: int | None = None
    rationale: str = ""


@strawberry.input
class SetRiskTreatmentInput:
    risk_id: strawberry.ID
    expected_version: int
    treatment: Treatment
    plan: str = ""
    approver_id: strawberry.ID | None = strawberry.field(
        default=None, description="ACCEPT: a LEAD or GOVERNANCE user of your side."
    )
    reason: str | None = strawberry.field(default=None, description="ACCEPT: why.")
    expires_on: date | None = strawberry.field(
        default=None, description="ACCEPT: at most a year ahead."
    )


@strawberry.input
class ReviewRiskInput:
    risk_id: strawberry.ID
    expected_version: int
    note: str = ""


@strawberry.input
class AddRiskActionInput:
    risk_id: strawberry.ID
    title: str
    owner_party_id: strawberry.ID | None = None
    due_date: date | None = None
    commitment_id: strawberry.ID | None = strawberry.field(
        default=None, description="The commitment this action is."
    )


@strawberry.input
class UpdateRiskActionInput:
    action_id: strawberry.ID
    status: RiskActionStatus | None = None
    due_date: date | None = None


@strawberry.input
class SetRiskLinksInput:
    risk_id: strawberry.ID
    commitment_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    milestone_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    kpi_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.type
class RiskActionPayload:
    risk: Risk | None
    action: RiskAction | None
    user_errors: list[RiskError]


ActionChange = tuple[Workspace, models.Risk, models.RiskAction]

ACTION: MutationAnswer[ActionChange, RiskActionPayload] = MutationAnswer(
    RiskActionPayload,
    shape=lambda change: {
        "risk": Risk.from_model(change[1], change[0]),
        "action": RiskAction.from_model(change[2], change[0]),
    },
    empty=lambda: {"risk": None, "action": None},
    error=RiskError,
    codes=RiskErrorCode,
    with_current=True,
)


@strawberry.type
class RiskPayload:
    risk: Risk | None
    user_errors: list[RiskError]


RISK: MutationAnswer[Change, RiskPayload] = MutationAnswer(
    RiskPayload,
    field="risk",
    shape=lambda change: Risk.from_model(change[1], change[0]),
    error=RiskError,
    codes=RiskErrorCode,
    with_current=True,
)


def _risk_id(value: strawberry.ID) -> Any:
    return decode_id(value, "Risk", field="riskId")


def _party_id(value: strawberry.ID | None) -> Any:
    return decode_id(value, "Party", field="ownerPartyId") if value is not None else None


@strawberry.type
class RiskMutation:
    @strawberry.mutation(description="Add a risk to the register.")
    async def create_risk(
        self,
        info: Info[Context, None],
        input: CreateRiskInput,  # noqa: A002
    ) -> RiskPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            return await service.create_risk(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                title=input.title,
                category=input.category,
                description=input.description,
                owner_party_id=_party_id(input.owner_party_id),
                visibility=input.visibility,
                review_every_days=input.review_every_days,
                next_review_on=input.next_review_on,
            )

        return await RISK.run(info, call)

    @strawberry.mutation(description="Edit a risk; a stale expectedVersion is a CONFLICT.")
    async def update_risk(
        self,
        info: Info[Context, None],
        input: UpdateRiskInput,  # noqa: A002
    ) -> RiskPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            changes: dict[str, Any] = {
                key: value
                for key, value in (
                    ("title", input.title),
                    ("description", input.description),
                    ("category", input.category),
                    ("status", input.status),
                    ("review_every_days", input.review_every_days),
                    ("next_review_on", input.next_review_on),
                )
                if value is not None
            }
            return await service.update_risk(
                session,
                actor=actor,
                risk_id=_risk_id(input.risk_id),
                expected_version=input.expected_version,
                changes=changes,
            )

        return await RISK.run(info, call)

    @strawberry.mutation(description="Your side's score of the risk (each assessment is kept).")
    async def assess_risk(
        self,
        info: Info[Context, None],
        input: AssessRiskInput,  # noqa: A002
    ) -> RiskPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            return await service.assess_risk(
                session,
                actor=actor,
                risk_id=_risk_id(input.risk_id),
                inherent_likelihood=input.inherent_likelihood,
                inherent_impact=input.inherent_impact,
                residual_likelihood=input.residual_likelihood,
                residual_impact=input.residual_impact,
                rationale=input.rationale,
            )

        return await RISK.run(info, call)

    @strawberry.mutation(
        description="Treat the risk: MITIGATE, TRANSFER, AVOID, or ACCEPT (approver, reason, "
        "expiry at most a year ahead)."
    )
    async def set_risk_treatment(
        self,
        info: Info[Context, None],
        input: SetRiskTreatmentInput,  # noqa: A002
    ) -> RiskPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            terms = None
            if input.treatment == Treatment.ACCEPT or any(
                v is not None for v in (input.approver_id, input.reason, input.expires_on)
            ):
                terms = service.AcceptanceTerms(
                    approver_user_id=decode_id(input.approver_id, "User", field="approverId")
                    if input.approver_id
                    else None,
                    reason=input.reason or "",
                    expires_on=input.expires_on,
                )
            return await service.set_treatment(
                session,
                actor=actor,
                risk_id=_risk_id(input.risk_id),
                expected_version=input.expected_version,
                treatment=input.treatment,
                plan=input.plan,
                acceptance=terms,
            )

        return await RISK.run(info, call)

    @strawberry.mutation(description="Record a review: the next one is a cadence from today.")
    async def review_risk(
        self,
        info: Info[Context, None],
        input: ReviewRiskInput,  # noqa: A002
    ) -> RiskPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            return await service.review_risk(
                session,
                actor=actor,
                risk_id=_risk_id(input.risk_id),
                expected_version=input.expected_version,
                note=input.note,
            )

        return await RISK.run(info, call)

    @strawberry.mutation(description="Add an action to the risk's treatment.")
    async def add_risk_action(
        self,
        info: Info[Context, None],
        input: AddRiskActionInput,  # noqa: A002
    ) -> RiskActionPayload:
        async def call(session: AsyncSession, actor: Principal) -> ActionChange:
            return await service.add_action(
                session,
                actor=actor,
                risk_id=_risk_id(input.risk_id),
                title=input.title,
                owner_party_id=_party_id(input.owner_party_id),
                due_date=input.due_date,
                commitment_id=decode_id(input.commitment_id, "Commitment", field="commitmentId")
                if input.commitment_id
                else None,
            )

        return await ACTION.run(info, call)

    @strawberry.mutation(description="Mark an action done or cancelled, or move its due date.")
    async def update_risk_action(
        self,
        info: Info[Context, None],
        input: UpdateRiskActionInput,  # noqa: A002
    ) -> RiskActionPayload:
        async def call(session: AsyncSession, actor: Principal) -> ActionChange:
            return await service.update_action(
                session,
                actor=actor,
                action_id=decode_id(input.action_id, "RiskAction", field="actionId"),
                status=input.status,
                due_date=input.due_date,
            )

        return await ACTION.run(info, call)

    @strawberry.mutation(
        description="The commitments, milestones and KPIs linked to the risk (replaces the "
        "links your side sees)."
    )
    async def set_risk_links(
        self,
        info: Info[Context, None],
        input: SetRiskLinksInput,  # noqa: A002
    ) -> RiskPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            targets = service.LinkTargets(
                commitment_ids=[
                    decode_id(i, "Commitment", field="commitmentIds") for i in input.commitment_ids
                ],
                milestone_ids=[
                    decode_id(i, "Milestone", field="milestoneIds") for i in input.milestone_ids
                ],
                kpi_ids=[decode_id(i, "Kpi", field="kpiIds") for i in input.kpi_ids],
            )
            return await service.set_links(
                session, actor=actor, risk_id=_risk_id(input.risk_id), targets=targets
            )

        return await RISK.run(info, call)
