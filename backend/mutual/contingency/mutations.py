"""Contingency mutations: draft, revise, submit and approve plans; activate (or drill); in the
activation room complete steps, post updates, escalate, close with a post-mortem."""

from __future__ import annotations

from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.contingency import models, service
from mutual.contingency.errors import ContingencyErrorCode
from mutual.contingency.models import Severity, TriggerKind
from mutual.contingency.types import (
    Activation,
    ContingencyError,
    ContingencyPlan,
    ContingencySeverity,
)
from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id
from mutual.kit.principal import Principal
from mutual.tenancy.workspace import Workspace

PlanChange = tuple[Workspace, models.ContingencyPlan]
RoomChange = tuple[Workspace, models.Activation]


@strawberry.input
class PlanTriggerInput:
    kind: TriggerKind
    detector: str | None = strawberry.field(
        default=None, description="For DETECTOR: its name, e.g. commitments_delayed."
    )
    kpi_id: strawberry.ID | None = None
    count: int | None = None
    window_days: int | None = None
    risk_id: strawberry.ID | None = None
    score: int | None = strawberry.field(
        default=None, description="For RISK_SCORE: the residual score (1-25) that fires it."
    )
    threshold: float | None = strawberry.field(
        default=None,
        description="For KPI_OFF_TRACK: a value that fires it (else the KPI's critical one).",
    )


@strawberry.input
class PlaybookStepInput:
    title: str
    owner_party_id: strawberry.ID
    role: str = "LEAD"
    act_within_minutes: int = 60


@strawberry.input
class UpdateCadenceInput:
    severity: ContingencySeverity  # type: ignore[valid-type]
    minutes: int


@strawberry.input
class PlanContentInput:
    severity: ContingencySeverity  # type: ignore[valid-type]
    steps: list[PlaybookStepInput]
    scenario: str = ""
    triggers: list[PlanTriggerInput] = strawberry.field(default_factory=list)
    protocol: str = strawberry.field(default="", description="Who informs whom, how.")
    cadence: list[UpdateCadenceInput] = strawberry.field(default_factory=list)
    oversight_user_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input
class CreateContingencyPlanInput:
    partnership_id: strawberry.ID
    title: str
    content: PlanContentInput


@strawberry.input
class ReviseContingencyPlanInput:
    plan_id: strawberry.ID
    content: PlanContentInput
    title: str | None = None


@strawberry.input
class ApprovePlanVersionInput:
    plan_version_id: strawberry.ID
    party_id: strawberry.ID | None = strawberry.field(
        default=None, description="The side approving: yours (the default) and only yours."
    )


@strawberry.input
class ActivatePlanInput:
    plan_id: strawberry.ID
    drill: bool = False
    summary: str = ""


@strawberry.input
class FollowUpInput:
    title: str
    due_date: date
    owner_party_id: strawberry.ID | None = None


@strawberry.input
class CloseActivationInput:
    activation_id: strawberry.ID
    summary: str
    root_causes: list[str] = strawberry.field(default_factory=list)
    follow_ups: list[FollowUpInput] = strawberry.field(default_factory=list)


@strawberry.type
class ContingencyPlanPayload:
    plan: ContingencyPlan | None
    user_errors: list[ContingencyError]


@strawberry.type
class ActivationPayload:
    activation: Activation | None
    user_errors: list[ContingencyError]


PLAN: MutationAnswer[PlanChange, ContingencyPlanPayload] = MutationAnswer(
    ContingencyPlanPayload,
    field="plan",
    shape=lambda change: ContingencyPlan.from_model(change[1], change[0]),
    error=ContingencyError,
    codes=ContingencyErrorCode,
)
ROOM: MutationAnswer[RoomChange, ActivationPayload] = MutationAnswer(
    ActivationPayload,
    field="activation",
    shape=lambda change: Activation.from_model(change[1], change[0]),
    error=ContingencyError,
    codes=ContingencyErrorCode,
)


def _content(value: PlanContentInput) -> service.PlanContent:
    return service.PlanContent(
        scenario=value.scenario,
        severity=Severity(value.severity),
        triggers=[
            service.TriggerSpec(
                kind=t.kind,
                detector=t.detector,
                kpi_id=decode_id(t.kpi_id, "Kpi", field=f"triggers[{i}].kpiId")
                if t.kpi_id
                else None,
                count=t.count,
                window_days=t.window_days,
                risk_id=decode_id(t.risk_id, "Risk", field=f"triggers[{i}].riskId")
                if t.risk_id
                else None,
                score=t.score,
                threshold=t.threshold,
            )
            for i, t in enumerate(value.triggers)
        ],
        steps=[
            service.StepSpec(
                title=s.title,
                owner_party_id=decode_id(
                    s.owner_party_id, "Party", field=f"steps[{i}].ownerPartyId"
                ),
                role=s.role,
                act_within_minutes=s.act_within_minutes,
            )
            for i, s in enumerate(value.steps)
        ],
        protocol=value.protocol,
        cadence_minutes={Severity(c.severity): c.minutes for c in value.cadence},
        oversight_user_ids=[
            decode_id(u, "User", field="oversightUserIds") for u in value.oversight_user_ids
        ],
    )


@strawberry.type
class ContingencyMutation:
    @strawberry.mutation(description="Draft a joint contingency plan (its version 1).")
    async def create_contingency_plan(
        self,
        info: Info[Context, None],
        input: CreateContingencyPlanInput,  # noqa: A002
    ) -> ContingencyPlanPayload:
        async def call(session: AsyncSession, actor: Principal) -> PlanChange:
            return await service.create_plan(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                title=input.title,
                content=_content(input.content),
            )

        return await PLAN.run(info, call)

    @strawberry.mutation(description="Change a plan: a new draft version (the approved one stays).")
    async def revise_contingency_plan(
        self,
        info: Info[Context, None],
        input: ReviseContingencyPlanInput,  # noqa: A002
    ) -> ContingencyPlanPayload:
        async def call(session: AsyncSession, actor: Principal) -> PlanChange:
            return await service.revise_plan(
                session,
                actor=actor,
                plan_id=decode_id(input.plan_id, "ContingencyPlan", field="planId"),
                title=input.title,
                content=_content(input.content),
            )

        return await PLAN.run(info, call)

    @strawberry.mutation(description="Submit a draft version for both sides' approval.")
    async def submit_plan_version(
        self, info: Info[Context, None], plan_version_id: strawberry.ID
    ) -> ContingencyPlanPayload:
        async def call(session: AsyncSession, actor: Principal) -> PlanChange:
            return await service.submit_version(
                session,
                actor=actor,
                version_id=decode_id(plan_version_id, "PlanVersion", field="planVersionId"),
            )

        return await PLAN.run(info, call)

    @strawberry.mutation(description="Approve a version for your side (a LEAD, once).")
    async def approve_plan_version(
        self,
        info: Info[Context, None],
        input: ApprovePlanVersionInput,  # noqa: A002
    ) -> ContingencyPlanPayload:
        async def call(session: AsyncSession, actor: Principal) -> PlanChange:
            return await service.approve_version(
                session,
                actor=actor,
                version_id=decode_id(input.plan_version_id, "PlanVersion", field="planVersionId"),
                party_id=decode_id(input.party_id, "Party", field="partyId")
                if input.party_id
                else None,
            )

        return await PLAN.run(info, call)

    @strawberry.mutation(description="Activate the plan in force by hand, or run it as a drill.")
    async def activate_plan(
        self,
        info: Info[Context, None],
        input: ActivatePlanInput,  # noqa: A002
    ) -> ActivationPayload:
        async def call(session: AsyncSession, actor: Principal) -> RoomChange:
            return await service.activate_plan(
                session,
                actor=actor,
                plan_id=decode_id(input.plan_id, "ContingencyPlan", field="planId"),
                drill=input.drill,
                summary=input.summary,
            )

        return await ROOM.run(info, call)

    @strawberry.mutation(description="Complete a step of an activation (its owner side).")
    async def complete_activation_step(
        self, info: Info[Context, None], step_id: strawberry.ID
    ) -> ActivationPayload:
        async def call(session: AsyncSession, actor: Principal) -> RoomChange:
            return await service.complete_step(
                session, actor=actor, step_id=decode_id(step_id, "ActivationStep", field="stepId")
            )

        return await ROOM.run(info, call)

    @strawberry.mutation(description="Post a status update to the partner.")
    async def post_activation_update(
        self, info: Info[Context, None], activation_id: strawberry.ID, body: str
    ) -> ActivationPayload:
        async def call(session: AsyncSession, actor: Principal) -> RoomChange:
            return await service.post_update(
                session,
                actor=actor,
                activation_id=decode_id(activation_id, "Activation", field="activationId"),
                body=body,
            )

        return await ROOM.run(info, call)

    @strawberry.mutation(description="Escalate an activation one level.")
    async def escalate_activation(
        self, info: Info[Context, None], activation_id: strawberry.ID, reason: str
    ) -> ActivationPayload:
        async def call(session: AsyncSession, actor: Principal) -> RoomChange:
            return await service.escalate(
                session,
                actor=actor,
                activation_id=decode_id(activation_id, "Activation", field="activationId"),
                reason=reason,
            )

        return await ROOM.run(info, call)

    @strawberry.mutation(description="Close with a post-mortem; follow-ups become commitments.")
    async def close_activation(
        self,
        info: Info[Context, None],
        input: CloseActivationInput,  # noqa: A002
    ) -> ActivationPayload:
        async def call(session: AsyncSession, actor: Principal) -> RoomChange:
            return await service.close_activation(
                session,
                actor=actor,
                activation_id=decode_id(input.activation_id, "Activation", field="activationId"),
                summary=input.summary,
                root_causes=input.root_causes,
                follow_ups=[
                    service.FollowUp(
                        title=f.title,
                        due_date=f.due_date,
                        owner_party_id=decode_id(f.owner_party_id, "Party", field="followUps")
                        if f.owner_party_id
                        else None,
                    )
                    for f in input.follow_ups
                ],
            )

        return await ROOM.run(info, call)
