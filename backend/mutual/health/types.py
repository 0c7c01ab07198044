"""GraphQL types of the health domain."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.errors import UserError
from mutual.graphql.ids import to_global_id
from mutual.health import detectors, index, models, repository, service
from mutual.health.errors import HealthErrorCode
from mutual.health.loaders import health_loaders
from mutual.health.models import DetectorName, DetectorStatus, ThresholdStatus
from mutual.tenancy.types import Party, party_of
from mutual.tenancy.workspace import Workspace

for _enum in (DetectorName, DetectorStatus, ThresholdStatus, HealthErrorCode):
    strawberry.enum(_enum)


@strawberry.type(description="A named figure a value was computed from.")
class HealthFigure:
    name: str
    value: float | None


@strawberry.type(description="A record behind a figure: open it with node(id).")
class RecordRef:
    type_name: str
    id: strawberry.ID


@strawberry.type
class SideValue:
    party: Party
    value: float | None


def figures_of(inputs: Mapping[str, Any]) -> list[HealthFigure]:
    return [
        HealthFigure(name=k, value=float(v) if isinstance(v, int | float) else None)
        for k, v in inputs.items()
    ]


def refs(records: Sequence[tuple[str, uuid.UUID]]) -> list[RecordRef]:
    return [RecordRef(type_name=t, id=strawberry.ID(to_global_id(t, i))) for t, i in records]


@strawberry.type(description="One measured component of the trust health index.")
class HealthComponent:
    key: str
    label: str
    explanation: str
    weight: int = strawberry.field(description="Its weight in the index, in percent.")
    value: float | None = strawberry.field(description="0 to 100; null with nothing to measure.")
    inputs: list[HealthFigure]
    records: list[RecordRef]
    per_side: list[SideValue] = strawberry.field(
        description="The value per side, where the inputs are per side (empty otherwise)."
    )


@strawberry.type(description="An early-warning detector, computed from the records.")
class Detector:
    name: DetectorName
    label: str
    explanation: str
    status: DetectorStatus
    score: float
    watch_at: float
    fire_at: float
    custom_thresholds: bool = strawberry.field(
        description="True when both sides agreed thresholds other than the defaults."
    )
    since: datetime | None = strawberry.field(
        description="Since when it has this status (as the daily evaluation recorded it)."
    )
    inputs: list[HealthFigure]
    evidence: list[RecordRef]


@strawberry.type(description="A detector's change of status.")
class DetectorChange:
    detector: DetectorName
    status: DetectorStatus
    previous: DetectorStatus | None
    score: float
    at: datetime
    evidence: list[RecordRef]


@strawberry.type(description="One side's proposal of a detector's thresholds.")
class DetectorThresholdProposal:
    id: strawberry.ID
    detector: DetectorName
    watch: float
    fire: float
    status: ThresholdStatus
    proposed_by: Party
    created_at: datetime
    record: strawberry.Private[models.DetectorThreshold]

    @classmethod
    def from_model(
        cls, row: models.DetectorThreshold, workspace: Workspace
    ) -> DetectorThresholdProposal:
        return cls(
            id=strawberry.ID(to_global_id("DetectorThreshold", row.id)),
            detector=DetectorName(row.detector),
            watch=row.watch,
            fire=row.fire,
            status=ThresholdStatus(row.status),
            proposed_by=party_of(workspace, row.owner_party_id),
            created_at=row.created_at,
            record=row,
        )


@strawberry.type
class HealthPoint:
    day: date
    value: float | None


@strawberry.type
class HealthComponentChange:
    key: str
    label: str
    before: float | None
    after: float | None
    delta: float | None
    entered: list[RecordRef] = strawberry.field(description="Records now behind it.")
    left: list[RecordRef] = strawberry.field(description="Records no longer behind it.")


@strawberry.type(description="What moved the index between two days.")
class HealthChange:
    start: date
    end: date
    before: float | None
    after: float | None
    components: list[HealthComponentChange]


@strawberry.type(description="The partnership's index and its trend, from the daily snapshots.")
class HealthSummary:
    day: date
    value: float | None
    trend: float | None = strawberry.field(
        description="The change since the snapshot a week (or more) before; null without one."
    )


def component_of(part: index.Component, workspace: Workspace) -> HealthComponent:
    return HealthComponent(
        key=part.key,
        label=index.LABELS[part.key],
        explanation=index.EXPLANATIONS[part.key],
        weight=part.weight,
        value=part.value,
        inputs=figures_of(part.inputs),
        records=refs(part.records),
        per_side=[
            SideValue(party=party_of(workspace, p), value=v) for p, v in part.per_side.items()
        ],
    )


def _refs_json(rows: Sequence[Sequence[str]]) -> list[RecordRef]:
    return refs([(t, uuid.UUID(i)) for t, i in rows])


@strawberry.type(description="The trust health index and the early-warning detectors.")
class Health:
    workspace: strawberry.Private[Workspace]
    computed: strawberry.Private[service.Health]

    @strawberry.field
    def as_of(self) -> datetime:
        return self.computed.as_of

    @strawberry.field(description="0 to 100, the weighted mean of the measured components.")
    def index(self) -> float | None:
        return self.computed.value

    @strawberry.field
    def components(self) -> list[HealthComponent]:
        return [component_of(c, self.workspace) for c in self.computed.components]

    @strawberry.field
    async def detectors(self, info: Info[Context, None]) -> list[Detector]:
        states = {s.detector: s for s in await health_loaders(info.context).states(self.workspace)}
        out = []
        for v in self.computed.verdicts:
            state = states.get(v.name.value)
            out.append(
                Detector(
                    name=v.name,
                    label=detectors.LABELS[v.name],
                    explanation=detectors.EXPLANATIONS[v.name],
                    status=v.status,
                    score=v.measure.score,
                    watch_at=v.thresholds.watch,
                    fire_at=v.thresholds.fire,
                    custom_thresholds=v.thresholds != detectors.DEFAULTS[v.name],
                    since=state.since if state and state.status == v.status else None,
                    inputs=figures_of(v.measure.inputs),
                    evidence=refs(v.measure.evidence),
                )
            )
        return out

    @strawberry.field(description="Detectors' changes of status, newest first.")
    async def detector_history(self, info: Info[Context, None]) -> list[DetectorChange]:
        events = await repository.events_of(info.context.db, self.workspace.id)
        return [
            DetectorChange(
                detector=DetectorName(e.detector),
                status=DetectorStatus(e.status),
                previous=DetectorStatus(e.previous) if e.previous else None,
                score=e.score,
                at=e.at,
                evidence=_refs_json(e.evidence),
            )
            for e in events
        ]

    @strawberry.field(description="Threshold proposals waiting and the thresholds in force.")
    async def threshold_proposals(
        self, info: Info[Context, None]
    ) -> list[DetectorThresholdProposal]:
        rows = await repository.thresholds_of(info.context.db, self.workspace.id)
        return [DetectorThresholdProposal.from_model(r, self.workspace) for r in rows]

    @strawberry.field(description="The daily index, oldest first.")
    async def history(self, info: Info[Context, None], days: int = 190) -> list[HealthPoint]:
        rows = await service.history(info.context.db, self.workspace, days=max(1, min(days, 800)))
        return [HealthPoint(day=s.day, value=s.value) for s in rows]

    @strawberry.field(description="What moved the index between two days (daily snapshots).")
    async def what_changed(self, info: Info[Context, None], start: date, end: date) -> HealthChange:
        first, last = (start, end) if start <= end else (end, start)
        change = await service.what_changed(info.context.db, self.workspace, start=first, end=last)
        return HealthChange(
            start=change.start,
            end=change.end,
            before=change.before,
            after=change.after,
            components=[
                HealthComponentChange(
                    key=c.key,
                    label=index.LABELS[c.key],
                    before=c.before,
                    after=c.after,
                    delta=c.delta,
                    entered=refs(c.entered),
                    left=refs(c.left),
                )
                for c in change.components
            ],
        )


@strawberry.type
class HealthError(UserError):
    code: HealthErrorCode
