"""Health mutations: propose a detector's thresholds, accept or decline the other side's."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id
from mutual.health import models, service
from mutual.health.errors import HealthErrorCode
from mutual.health.models import DetectorName
from mutual.health.types import DetectorThresholdProposal, HealthError
from mutual.kit.principal import Principal
from mutual.tenancy.workspace import Workspace

Change = tuple[Workspace, models.DetectorThreshold]


@strawberry.input
class ProposeDetectorThresholdsInput:
    partnership_id: strawberry.ID
    detector: DetectorName
    watch: float = strawberry.field(description="The score at which it turns WATCH.")
    fire: float = strawberry.field(description="The score at which it turns FIRING.")


@strawberry.input
class DecideDetectorThresholdsInput:
    threshold_id: strawberry.ID


@strawberry.type
class DetectorThresholdPayload:
    proposal: DetectorThresholdProposal | None
    user_errors: list[HealthError]


PROPOSAL: MutationAnswer[Change, DetectorThresholdPayload] = MutationAnswer(
    DetectorThresholdPayload,
    field="proposal",
    shape=lambda change: DetectorThresholdProposal.from_model(change[1], change[0]),
    error=HealthError,
    codes=HealthErrorCode,
)


async def _decide(
    info: Info[Context, None],
    decision: DecideDetectorThresholdsInput,
    *,
    accept: bool,
) -> DetectorThresholdPayload:
    async def call(session: AsyncSession, actor: Principal) -> Change:
        return await service.decide_thresholds(
            session,
            actor=actor,
            threshold_id=decode_id(decision.threshold_id, "DetectorThreshold", field="thresholdId"),
            accept=accept,
        )

    return await PROPOSAL.run(info, call)


@strawberry.type
class HealthMutation:
    @strawberry.mutation(
        description="Propose a detector's thresholds (a LEAD); the other side's LEAD accepts."
    )
    async def propose_detector_thresholds(
        self,
        info: Info[Context, None],
        input: ProposeDetectorThresholdsInput,  # noqa: A002
    ) -> DetectorThresholdPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            return await service.propose_thresholds(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                detector=input.detector,
                watch=input.watch,
                fire=input.fire,
            )

        return await PROPOSAL.run(info, call)

    @strawberry.mutation(description="Accept the other side's proposed thresholds (a LEAD).")
    async def accept_detector_thresholds(
        self,
        info: Info[Context, None],
        input: DecideDetectorThresholdsInput,  # noqa: A002
    ) -> DetectorThresholdPayload:
        return await _decide(info, input, accept=True)

    @strawberry.mutation(description="Decline the other side's proposed thresholds (a LEAD).")
    async def decline_detector_thresholds(
        self,
        info: Info[Context, None],
        input: DecideDetectorThresholdsInput,  # noqa: A002
    ) -> DetectorThresholdPayload:
        return await _decide(info, input, accept=False)
