"""Pulse mutations: propose and decide a cadence, answer a round."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id
from mutual.kit.principal import Principal
from mutual.pulse import models, service
from mutual.pulse.errors import PulseErrorCode
from mutual.pulse.types import PulseCadence, PulseError, PulseRound
from mutual.tenancy.workspace import Workspace

CadenceChange = tuple[Workspace, models.PulseCadence]
RoundChange = tuple[Workspace, models.PulseRound]


@strawberry.input
class ProposePulseCadenceInput:
    partnership_id: strawberry.ID
    every_days: int = strawberry.field(description="A round every 7 to 365 days.")
    note: str = ""


@strawberry.input
class DecidePulseCadenceInput:
    cadence_id: strawberry.ID
    expected_version: int
    accept: bool


@strawberry.input
class AnswerPulseSurveyInput:
    round_id: strawberry.ID
    nps: int = strawberry.field(description="0 to 10.")
    transparency: int = strawberry.field(description="1 to 5.")
    consistency: int = strawberry.field(description="1 to 5.")
    interaction: int = strawberry.field(description="Interaction quality, 1 to 5.")
    comment: str = ""


@strawberry.type
class PulseCadencePayload:
    cadence: PulseCadence | None
    user_errors: list[PulseError]


@strawberry.type
class PulseRoundPayload:
    round: PulseRound | None
    user_errors: list[PulseError]


CADENCE: MutationAnswer[CadenceChange, PulseCadencePayload] = MutationAnswer(
    PulseCadencePayload,
    field="cadence",
    shape=lambda change: PulseCadence.from_model(change[1], change[0]),
    error=PulseError,
    codes=PulseErrorCode,
    with_current=True,
)
ROUND: MutationAnswer[RoundChange, PulseRoundPayload] = MutationAnswer(
    PulseRoundPayload,
    field="round",
    shape=lambda change: PulseRound.from_model(change[1], change[0]),
    error=PulseError,
    codes=PulseErrorCode,
)


@strawberry.type
class PulseMutation:
    @strawberry.mutation(description="Propose a pulse survey cadence (a LEAD).")
    async def propose_pulse_cadence(
        self,
        info: Info[Context, None],
        input: ProposePulseCadenceInput,  # noqa: A002
    ) -> PulseCadencePayload:
        async def call(session: AsyncSession, actor: Principal) -> CadenceChange:
            return await service.propose_cadence(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                every_days=input.every_days,
                note=input.note,
            )

        return await CADENCE.run(info, call)

    @strawberry.mutation(description="Accept or decline the other side's proposed cadence.")
    async def decide_pulse_cadence(
        self,
        info: Info[Context, None],
        input: DecidePulseCadenceInput,  # noqa: A002
    ) -> PulseCadencePayload:
        async def call(session: AsyncSession, actor: Principal) -> CadenceChange:
            return await service.decide_cadence(
                session,
                actor=actor,
                cadence_id=decode_id(input.cadence_id, "PulseCadence", field="cadenceId"),
                expected_version=input.expected_version,
                accept=input.accept,
            )

        return await CADENCE.run(info, call)

    @strawberry.mutation(
        description="Answer an open pulse survey, once; the answer is never shown back."
    )
    async def answer_pulse_survey(
        self,
        info: Info[Context, None],
        input: AnswerPulseSurveyInput,  # noqa: A002
    ) -> PulseRoundPayload:
        async def call(session: AsyncSession, actor: Principal) -> RoundChange:
            return await service.answer(
                session,
                actor=actor,
                round_id=decode_id(input.round_id, "PulseRound", field="roundId"),
                ratings=service.Ratings(
                    nps=input.nps,
                    transparency=input.transparency,
                    consistency=input.consistency,
                    interaction=input.interaction,
                    comment=input.comment,
                ),
            )

        return await ROUND.run(info, call)
