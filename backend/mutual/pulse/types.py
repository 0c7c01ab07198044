"""GraphQL types of the pulse surveys. No type holds an individual answer: a round gives its
aggregates per rating side (none below 3 respondents) and whether the caller answered it."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.errors import UserError
from mutual.graphql.node import Node
from mutual.graphql.records import record_field
from mutual.kit.clock import utcnow
from mutual.pulse import models, service
from mutual.pulse.errors import PulseErrorCode
from mutual.pulse.loaders import pulse_loaders
from mutual.pulse.models import MIN_RESPONDENTS, CadenceStatus
from mutual.pulse.report import rated_party
from mutual.tenancy.types import Party, party_of
from mutual.tenancy.workspace import Workspace

for _enum in (CadenceStatus, PulseErrorCode):
    strawberry.enum(_enum)


@strawberry.type(description="A proposed or agreed pulse survey cadence: a round every N days.")
class PulseCadence(Node):
    number: int = record_field("number", int)
    every_days: int = record_field("every_days", int)
    status: CadenceStatus = record_field("status", CadenceStatus, convert=CadenceStatus)
    note: str = record_field("note", str)
    version: int = record_field("version", int)
    created_at: datetime = record_field("created_at", datetime)
    decided_at: datetime | None = record_field("decided_at", datetime | None)
    next_round_at: datetime | None = record_field(
        "next_round_at", datetime | None, description="When the next round opens (ACTIVE only)."
    )
    record: strawberry.Private[models.PulseCadence]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, cadence: models.PulseCadence, workspace: Workspace) -> PulseCadence:
        return cls(raw_id=cadence.id, record=cadence, workspace=workspace)

    @strawberry.field(description="The proposing side.")
    def owner_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field(description="Whether your side's LEAD may accept or decline it now.")
    def awaiting_your_decision(self) -> bool:
        return (
            self.record.status == CadenceStatus.PROPOSED
            and self.record.owner_party_id != self.workspace.own_party.id
        )


@strawberry.type(
    description="One rating side's figures for a round, about the other side. Every figure is "
    f"null when fewer than {MIN_RESPONDENTS} of its members answered."
)
class PulseSideResult:
    result: strawberry.Private[service.SideResult]
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="The side that answered.")
    def rating_party(self) -> Party:
        return party_of(self.workspace, self.result.rating_party_id)

    @strawberry.field(description="The side it rated.")
    def rated_party(self) -> Party | None:
        rated = rated_party(self.workspace, self.result.rating_party_id)
        return party_of(self.workspace, rated) if rated else None

    @strawberry.field(description="Members of the rating side.")
    def members(self) -> int:
        return self.result.members

    @strawberry.field(description=f"False below {MIN_RESPONDENTS} respondents: no figures.")
    def shown(self) -> bool:
        return self.result.shown

    @strawberry.field
    def respondents(self) -> int | None:
        return self.result.respondents

    @strawberry.field(description="Respondents over members, 0 to 1.")
    def response_rate(self) -> float | None:
        return self.result.response_rate

    @strawberry.field(description="Net promoter score, -100 to 100.")
    def nps(self) -> float | None:
        return self.result.nps

    @strawberry.field(description="Average, 1 to 5.")
    def transparency(self) -> float | None:
        return self.result.transparency

    @strawberry.field(description="Average, 1 to 5.")
    def consistency(self) -> float | None:
        return self.result.consistency

    @strawberry.field(description="Average interaction quality, 1 to 5.")
    def interaction(self) -> float | None:
        return self.result.interaction

    @strawberry.field(
        description="The comments of the side's answers, text only and sorted by it (never who "
        "wrote which, when, or with what scores); empty while the round is open and below "
        f"{MIN_RESPONDENTS} respondents."
    )
    async def comments(self, info: Info[Context, None]) -> list[str]:
        found = await pulse_loaders(info.context).comments.load(self.result.round_id)
        return found.get(self.result.rating_party_id, [])


@strawberry.type(description="One period's pulse survey of both sides.")
class PulseRound(Node):
    number: int = record_field("number", int)
    opens_at: datetime = record_field("opens_at", datetime)
    closes_at: datetime = record_field("closes_at", datetime)
    record: strawberry.Private[models.PulseRound]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, found: models.PulseRound, workspace: Workspace) -> PulseRound:
        return cls(raw_id=found.id, record=found, workspace=workspace)

    @strawberry.field(description="Whether it takes answers now.")
    def is_open(self) -> bool:
        return self.record.is_open(utcnow())

    @strawberry.field(description="The NPS question as your side is asked it.")
    def question(self) -> str:
        other = self.workspace.counterparty
        name = other.label if other is not None else "the other side"
        return f"How likely are you to recommend working with {name}?"

    @strawberry.field(description="Whether you have answered it (your answer is never shown).")
    async def answered_by_me(self, info: Info[Context, None]) -> bool:
        return await pulse_loaders(info.context).answered.load(
            (self.raw_id, self.workspace.actor.user_id)
        )

    @strawberry.field(description="Aggregates per rating side; individual answers never.")
    async def results(self, info: Info[Context, None]) -> list[PulseSideResult]:
        found = await pulse_loaders(info.context).results.load(self.raw_id)
        return [PulseSideResult(result=r, workspace=self.workspace) for r in found]


@strawberry.type(description="The partnership's pulse surveys.")
class PulseSurveys:
    workspace: strawberry.Private[Workspace]
    cadence_records: strawberry.Private[list[models.PulseCadence]]
    round_records: strawberry.Private[list[models.PulseRound]]

    @strawberry.field(description="The cadence in force, if both sides agreed one.")
    def active_cadence(self) -> PulseCadence | None:
        for c in self.cadence_records:
            if c.status == CadenceStatus.ACTIVE:
                return PulseCadence.from_model(c, self.workspace)
        return None

    @strawberry.field(description="Every proposed cadence, newest first.")
    def cadences(self) -> list[PulseCadence]:
        return [PulseCadence.from_model(c, self.workspace) for c in self.cadence_records]

    @strawberry.field(description="The latest rounds, newest first.")
    def rounds(self) -> list[PulseRound]:
        return [PulseRound.from_model(r, self.workspace) for r in self.round_records]

    @strawberry.field(description="A side shows figures from this many respondents on.")
    def min_respondents(self) -> int:
        return MIN_RESPONDENTS


@strawberry.type
class PulseError(UserError):
    code: PulseErrorCode
    current: PulseCadence | None = strawberry.field(
        default=None, description="On CONFLICT: the cadence as it is now."
    )
