"""GraphQL types of contingency plans and their activations."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from mutual.commitments.loaders import commitment_loaders
from mutual.commitments.types import Commitment
from mutual.contingency import models
from mutual.contingency.errors import ContingencyErrorCode
from mutual.contingency.loaders import contingency_loaders
from mutual.contingency.models import (
    ActivationStatus,
    EntryKind,
    Severity,
    TriggerKind,
    VersionStatus,
)
from mutual.contingency.service import is_late
from mutual.graphql.context import Context
from mutual.graphql.errors import UserError
from mutual.graphql.ids import to_global_id
from mutual.graphql.node import Node
from mutual.graphql.records import record_field
from mutual.kit.clock import utcnow
from mutual.kpis.loaders import kpi_loaders
from mutual.kpis.models import Kpi
from mutual.risks.loaders import risk_loaders
from mutual.risks.models import Risk
from mutual.tenancy.loaders import tenancy_loaders
from mutual.tenancy.types import Party, User, party_of
from mutual.tenancy.workspace import Workspace

Record = TypeVar("Record", Kpi, Risk)


def encode_id(type_name: str, raw_id: uuid.UUID) -> strawberry.ID:
    return strawberry.ID(to_global_id(type_name, raw_id))


strawberry.enum(ContingencyErrorCode)
strawberry.enum(ActivationStatus, name="ActivationStatus")
strawberry.enum(EntryKind, name="TimelineEntryKind")
strawberry.enum(TriggerKind, name="PlanTriggerKind")
strawberry.enum(VersionStatus, name="PlanVersionStatus")
ContingencySeverity = strawberry.enum(Severity, name="ContingencySeverity")


def _party(workspace: Workspace, party_id: str | uuid.UUID | None) -> Party | None:
    if party_id is None:
        return None
    try:
        return party_of(workspace, uuid.UUID(str(party_id)))
    except LookupError:
        return None


@strawberry.type(description="What activates a plan.")
class PlanTrigger:
    kind: TriggerKind
    source: str = strawberry.field(description="e.g. detector.commitments_delayed, manual.")
    count: int | None = None
    window_days: int | None = None
    score: int | None = None
    threshold: float | None = None
    risk_id: strawberry.ID | None = None
    kpi_id: strawberry.ID | None = None
    raw_risk_id: strawberry.Private[uuid.UUID | None] = None
    raw_kpi_id: strawberry.Private[uuid.UUID | None] = None
    workspace: strawberry.Private[Workspace | None] = None

    @strawberry.field(description="For KPI_OFF_TRACK: the KPI's name, if your side may read it.")
    async def kpi_name(self, info: Info[Context, None]) -> str | None:
        found = await _load(kpi_loaders(info.context).kpi, self.raw_kpi_id)
        return found.name if found is not None and self._readable(found) else None

    @strawberry.field(description="For RISK_SCORE: the risk's title, if your side may read it.")
    async def risk_title(self, info: Info[Context, None]) -> str | None:
        found = await _load(risk_loaders(info.context).risk, self.raw_risk_id)
        return found.title if found is not None and self._readable(found) else None

    def _readable(self, record: Kpi | Risk) -> bool:
        workspace = self.workspace
        return (
            workspace is not None
            and record.partnership_id == workspace.id
            and workspace.shows(record)
        )


async def _load(
    loader: DataLoader[uuid.UUID, Record | None], key: uuid.UUID | None
) -> Record | None:
    return None if key is None else await loader.load(key)


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


@strawberry.type(description="A step of the playbook: who acts, within how long.")
class PlaybookStep:
    position: int
    title: str
    owner_party: Party | None
    role: str
    act_within_minutes: int


@strawberry.type
class UpdateCadence:
    severity: ContingencySeverity  # type: ignore[valid-type]
    minutes: int


@strawberry.type
class PlanApproval:
    party: Party | None
    approved_at: datetime


@strawberry.type(description="One version of a plan's content; approved by both sides' LEADs.")
class PlanVersion(Node):
    number: int = record_field("number", int)
    status: VersionStatus = record_field("status", VersionStatus, convert=VersionStatus)
    scenario: str = record_field("scenario", str)
    severity: ContingencySeverity = record_field(  # type: ignore[valid-type]
        "severity", Severity, convert=Severity
    )
    created_at: datetime = record_field("created_at", datetime)
    submitted_at: datetime | None = record_field("submitted_at", datetime | None)
    approved_at: datetime | None = record_field("approved_at", datetime | None)
    record: strawberry.Private[models.PlanVersion]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, version: models.PlanVersion, workspace: Workspace) -> PlanVersion:
        return cls(raw_id=version.id, record=version, workspace=workspace)

    @strawberry.field
    def protocol(self) -> str:
        return str(self.record.content.get("protocol", ""))

    @strawberry.field
    def triggers(self) -> list[PlanTrigger]:
        found: list[dict[str, Any]] = self.record.content.get("triggers", [])
        return [
            PlanTrigger(
                kind=TriggerKind(t["kind"]),
                source=t["source"],
                count=t.get("count"),
                window_days=t.get("windowDays"),
                score=t.get("score"),
                threshold=t.get("threshold"),
                risk_id=encode_id("Risk", uuid.UUID(t["riskId"])) if t.get("riskId") else None,
                kpi_id=encode_id("Kpi", uuid.UUID(t["kpiId"])) if t.get("kpiId") else None,
                raw_risk_id=_uuid(t.get("riskId")),
                raw_kpi_id=_uuid(t.get("kpiId")),
                workspace=self.workspace,
            )
            for t in found
        ]

    @strawberry.field
    def steps(self) -> list[PlaybookStep]:
        found: list[dict[str, Any]] = self.record.content.get("steps", [])
        return [
            PlaybookStep(
                position=i + 1,
                title=s["title"],
                owner_party=_party(self.workspace, s["ownerPartyId"]),
                role=s["role"],
                act_within_minutes=s["actWithinMinutes"],
            )
            for i, s in enumerate(found)
        ]

    @strawberry.field(description="Minutes between status updates, by severity.")
    def cadence(self) -> list[UpdateCadence]:
        found: dict[str, int] = self.record.content.get("cadence", {})
        return [UpdateCadence(severity=s, minutes=found[s]) for s in Severity if s in found]

    @strawberry.field(description="Ids of the oversight group's members (both sides).")
    def oversight_user_ids(self) -> list[strawberry.ID]:
        found: list[str] = self.record.content.get("oversight", [])
        return [encode_id("User", uuid.UUID(u)) for u in found]

    @strawberry.field(description="The oversight group: named members of both sides.")
    async def oversight(self, info: Info[Context, None]) -> list[User]:
        found: list[str] = self.record.content.get("oversight", [])
        users = await tenancy_loaders(info.context).user.load_many([uuid.UUID(u) for u in found])
        return [User.from_model(u) for u in users if u is not None]

    @strawberry.field(description="Each side's approval of this version.")
    async def approvals(self, info: Info[Context, None]) -> list[PlanApproval]:
        found = await contingency_loaders(info.context).approvals.load(self.raw_id)
        return [
            PlanApproval(party=_party(self.workspace, a.party_id), approved_at=a.approved_at)
            for a in found
        ]

    @strawberry.field(description="Whether your side's LEAD approved this version.")
    async def approved_by_your_side(self, info: Info[Context, None]) -> bool:
        found = await contingency_loaders(info.context).approvals.load(self.raw_id)
        return any(a.party_id == self.workspace.own_party.id for a in found)


@strawberry.type(description="A joint crisis contingency plan.")
class ContingencyPlan(Node):
    title: str = record_field("title", str)
    version: int = record_field("version", int)
    created_at: datetime = record_field("created_at", datetime)
    updated_at: datetime = record_field("updated_at", datetime)
    record: strawberry.Private[models.ContingencyPlan]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, plan: models.ContingencyPlan, workspace: Workspace) -> ContingencyPlan:
        return cls(raw_id=plan.id, record=plan, workspace=workspace)

    @strawberry.field(description="The side that drafted it.")
    def owner_party(self) -> Party | None:
        return _party(self.workspace, self.record.owner_party_id)

    @strawberry.field(description="Every version, newest first.")
    async def versions(self, info: Info[Context, None]) -> list[PlanVersion]:
        found = await contingency_loaders(info.context).versions.load(self.raw_id)
        return [PlanVersion.from_model(v, self.workspace) for v in found]

    @strawberry.field(description="The newest version (a draft, pending or the one in force).")
    async def latest(self, info: Info[Context, None]) -> PlanVersion | None:
        found = await contingency_loaders(info.context).versions.load(self.raw_id)
        return PlanVersion.from_model(found[0], self.workspace) if found else None

    @strawberry.field(description="The approved version in force, if any.")
    async def in_force(self, info: Info[Context, None]) -> PlanVersion | None:
        found = await contingency_loaders(info.context).versions.load(self.raw_id)
        for v in found:
            if v.id == self.record.in_force_version_id:
                return PlanVersion.from_model(v, self.workspace)
        return None


@strawberry.type(description="A step of an activation, against its time to act.")
class ActivationStep:
    id: strawberry.ID
    position: int
    title: str
    owner_party: Party | None
    role: str
    act_within_minutes: int
    due_at: datetime
    completed_at: datetime | None
    late: bool = strawberry.field(description="Done after, or still open past, its due time.")


@strawberry.type(description="One line of the activation room's append-only timeline.")
class TimelineEntry:
    kind: EntryKind
    body: str
    at: datetime
    actor_party: Party | None


@strawberry.type
class PostMortem:
    summary: str
    root_causes: list[str]
    follow_ups: list[Commitment]


@strawberry.type(description="A plan activated (by a trigger, by hand, or as a drill).")
class Activation(Node):
    drill: bool = record_field("drill", bool)
    source: str = record_field("source", str)
    summary: str = record_field("summary", str)
    status: ActivationStatus = record_field("status", ActivationStatus, convert=ActivationStatus)
    severity: ContingencySeverity = record_field(  # type: ignore[valid-type]
        "severity", Severity, convert=Severity
    )
    escalation_level: int = record_field("escalation_level", int)
    started_at: datetime = record_field("started_at", datetime)
    closed_at: datetime | None = record_field("closed_at", datetime | None)
    next_update_due_at: datetime | None = record_field("next_update_due_at", datetime | None)
    missed_updates: int = record_field("missed_updates", int)
    updates_on_time: int = record_field("updates_on_time", int)
    score: int | None = record_field(
        "score", int | None, description="On closure: steps and updates on time, in percent."
    )
    record: strawberry.Private[models.Activation]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, activation: models.Activation, workspace: Workspace) -> Activation:
        return cls(raw_id=activation.id, record=activation, workspace=workspace)

    @strawberry.field(description="A status update is past due.")
    def update_overdue(self) -> bool:
        due = self.record.next_update_due_at
        return self.record.status == ActivationStatus.ACTIVE and due is not None and due < utcnow()

    @strawberry.field
    async def plan(self, info: Info[Context, None]) -> ContingencyPlan | None:
        found = await contingency_loaders(info.context).plan.load(self.record.plan_id)
        return ContingencyPlan.from_model(found, self.workspace) if found else None

    @strawberry.field(description="The plan version it runs.")
    async def plan_version(self, info: Info[Context, None]) -> PlanVersion | None:
        found = await contingency_loaders(info.context).version.load(self.record.version_id)
        return PlanVersion.from_model(found, self.workspace) if found else None

    @strawberry.field
    async def steps(self, info: Info[Context, None]) -> list[ActivationStep]:
        now = utcnow()
        found = await contingency_loaders(info.context).steps.load(self.raw_id)
        return [
            ActivationStep(
                id=encode_id("ActivationStep", s.id),
                position=s.position,
                title=s.title,
                owner_party=_party(self.workspace, s.owner_party_id),
                role=s.role,
                act_within_minutes=s.act_within_minutes,
                due_at=s.due_at,
                completed_at=s.completed_at,
                late=is_late(s, now),
            )
            for s in found
        ]

    @strawberry.field(description="What happened, by whom, when; oldest first.")
    async def timeline(self, info: Info[Context, None]) -> list[TimelineEntry]:
        found = await contingency_loaders(info.context).entries.load(self.raw_id)
        return [
            TimelineEntry(
                kind=EntryKind(e.kind),
                body=e.body,
                at=e.at,
                actor_party=_party(self.workspace, e.actor_party_id),
            )
            for e in found
        ]

    @strawberry.field
    async def post_mortem(self, info: Info[Context, None]) -> PostMortem | None:
        found = self.record.postmortem
        if found is None:
            return None
        ids = [uuid.UUID(i) for i in found.get("commitmentIds", [])]
        loaded = await commitment_loaders(info.context).commitment.load_many(ids)
        return PostMortem(
            summary=found.get("summary", ""),
            root_causes=list(found.get("rootCauses", [])),
            follow_ups=[
                Commitment.from_model(c, self.workspace)
                for c in loaded
                if c is not None and self.workspace.shows(c)
            ],
        )


@strawberry.type
class ContingencyError(UserError):
    code: ContingencyErrorCode
