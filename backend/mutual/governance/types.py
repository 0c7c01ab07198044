"""GraphQL types of governance: disclosures, versions, attachments, acknowledgements, decisions."""

from __future__ import annotations

import base64
import difflib
import enum
import uuid
from datetime import date, datetime

import strawberry
from strawberry.types import Info

from mutual.governance import models, service
from mutual.governance.errors import GovernanceErrorCode
from mutual.governance.loaders import governance_loaders
from mutual.governance.models import DecisionStatus, DisclosureType, Verdict, VersionStatus
from mutual.governance.storage import STORE
from mutual.graphql.context import Context
from mutual.graphql.errors import UserError
from mutual.graphql.ids import to_global_id
from mutual.graphql.node import Node
from mutual.graphql.records import record_field
from mutual.kit import markdown
from mutual.kit.records import Visibility
from mutual.tenancy import models as tenancy_models
from mutual.tenancy.loaders import tenancy_loaders
from mutual.tenancy.types import Party, User, party_of
from mutual.tenancy.workspace import Workspace


@strawberry.enum(description="How a line of the newer version compares with the older one.")
class DiffKind(enum.StrEnum):
    SAME = "SAME"
    ADDED = "ADDED"
    REMOVED = "REMOVED"


for _enum in (DisclosureType, VersionStatus, DecisionStatus, Verdict, GovernanceErrorCode):
    strawberry.enum(_enum)


async def _user(info: Info[Context, None], user_id: uuid.UUID | None) -> User | None:
    if user_id is None:
        return None
    user = await tenancy_loaders(info.context).user.load(user_id)
    return User.from_model(user) if user is not None else None


@strawberry.type
class DiffLine:
    kind: DiffKind
    text: str


def diff_lines(older: str, newer: str) -> list[DiffLine]:
    """A line diff of two bodies (difflib), every line of both in reading order."""
    lines: list[DiffLine] = []
    for line in difflib.ndiff(older.splitlines(), newer.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "  ":
            lines.append(DiffLine(kind=DiffKind.SAME, text=text))
        elif tag == "+ ":
            lines.append(DiffLine(kind=DiffKind.ADDED, text=text))
        elif tag == "- ":
            lines.append(DiffLine(kind=DiffKind.REMOVED, text=text))
    return lines


@strawberry.type
class DisclosureAttachment:
    record: strawberry.Private[models.DisclosureAttachment]
    filename: str = record_field("filename", str)
    content_type: str = record_field("content_type", str)
    size: int = record_field("size", int, description="Bytes.")
    sha256: str = record_field("sha256", str)

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("DisclosureAttachment", self.record.id))

    @strawberry.field(description="The file, base64-encoded (one statement per file asked).")
    async def content_base64(self, info: Info[Context, None]) -> str:
        content = await STORE.read(
            info.context.db,
            partnership_id=self.record.partnership_id,
            file_id=self.record.file_id,
        )
        return base64.b64encode(content or b"").decode()


@strawberry.type
class DisclosureAcknowledgement:
    record: strawberry.Private[models.DisclosureAcknowledgement]
    workspace: strawberry.Private[Workspace]
    acknowledged_at: datetime = record_field("acknowledged_at", datetime)
    content_hash: str = record_field(
        "content_hash", str, description="The content hash of the version acknowledged."
    )

    @strawberry.field(description="The acknowledging side.")
    def party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field
    async def acknowledged_by(self, info: Info[Context, None]) -> User | None:
        return await _user(info, self.record.user_id)


@strawberry.type
class DisclosureVersion(Node):
    number: int = record_field("number", int)
    title: str = record_field("title", str)
    body: str = record_field("body", str, description="Markdown.")
    content_hash: str | None = record_field(
        "content_hash",
        str | None,
        description="sha256 over the canonical content and attachment hashes (published).",
    )
    submitted_at: datetime | None = record_field("submitted_at", datetime | None)
    published_at: datetime | None = record_field("published_at", datetime | None)
    visibility: Visibility = record_field("visibility", Visibility, convert=Visibility)
    version: int = record_field("version", int)
    created_at: datetime = record_field("created_at", datetime)
    record: strawberry.Private[models.DisclosureVersion]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(
        cls, version: models.DisclosureVersion, workspace: Workspace
    ) -> DisclosureVersion:
        return cls(raw_id=version.id, record=version, workspace=workspace)

    @strawberry.field(description="The body rendered as safe HTML.")
    def body_html(self) -> str:
        return markdown.render(self.record.body)

    @strawberry.field(description="The side that wrote it.")
    def owner_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    async def _siblings(self, info: Info[Context, None]) -> list[models.DisclosureVersion]:
        loader = governance_loaders(info.context).versions(self.workspace)
        return await loader.load(self.record.disclosure_id)

    async def _acknowledgements(
        self, info: Info[Context, None]
    ) -> list[models.DisclosureAcknowledgement]:
        loader = governance_loaders(info.context).acknowledgements(self.workspace)
        return await loader.load(self.raw_id)

    @strawberry.field(description="SUPERSEDED once a later version is published.")
    async def status(self, info: Info[Context, None]) -> VersionStatus:
        return VersionStatus(service.effective_status(self.record, await self._siblings(info)))

    @strawberry.field
    async def disclosure(self, info: Info[Context, None]) -> Disclosure | None:
        found = await governance_loaders(info.context).disclosure.load(self.record.disclosure_id)
        return Disclosure.from_model(found, self.workspace) if found else None

    @strawberry.field
    async def attachments(self, info: Info[Context, None]) -> list[DisclosureAttachment]:
        loader = governance_loaders(info.context).attachments(self.workspace)
        return [DisclosureAttachment(record=a) for a in await loader.load(self.raw_id)]

    @strawberry.field(description="The partner side's receipt of this version, once given.")
    async def acknowledgement(self, info: Info[Context, None]) -> DisclosureAcknowledgement | None:
        partner = next(
            (p.id for p in self.workspace.parties if p.id != self.record.owner_party_id), None
        )
        found = (
            service.acknowledgement_by(await self._acknowledgements(info), partner)
            if partner
            else None
        )
        return DisclosureAcknowledgement(record=found, workspace=self.workspace) if found else None

    @strawberry.field(description="Published, superseded by a later version, never acknowledged.")
    async def superseded_before_acknowledgement(self, info: Info[Context, None]) -> bool:
        if await self.status(info) != VersionStatus.SUPERSEDED:
            return False
        return not any(
            a.owner_party_id != self.record.owner_party_id
            for a in await self._acknowledgements(info)
        )

    @strawberry.field(description="Whether your side is asked to acknowledge this version now.")
    async def awaiting_your_acknowledgement(self, info: Info[Context, None]) -> bool:
        own = self.workspace.own_party.id
        if self.record.owner_party_id == own:
            return False
        if await self.status(info) != VersionStatus.PUBLISHED:
            return False
        return service.acknowledgement_by(await self._acknowledgements(info), own) is None

    @strawberry.field(
        description="Line diff of the body against the previous version your side sees "
        "(the previous published one, for the partner side); empty for the first."
    )
    async def diff_from_previous(self, info: Info[Context, None]) -> list[DiffLine]:
        earlier = [v for v in await self._siblings(info) if v.number < self.record.number]
        if not earlier:
            return []
        return diff_lines(earlier[-1].body, self.record.body)

    @strawberry.field(description="The number of the version the diff compares against.")
    async def previous_number(self, info: Info[Context, None]) -> int | None:
        earlier = [v for v in await self._siblings(info) if v.number < self.record.number]
        return earlier[-1].number if earlier else None

    @strawberry.field
    async def created_by(self, info: Info[Context, None]) -> User | None:
        return await _user(info, self.record.created_by)

    @strawberry.field
    async def submitted_by(self, info: Info[Context, None]) -> User | None:
        return await _user(info, self.record.submitted_by)

    @strawberry.field(description="The second GOVERNANCE member or LEAD who approved it.")
    async def published_by(self, info: Info[Context, None]) -> User | None:
        return await _user(info, self.record.published_by)


@strawberry.type
class Disclosure(Node):
    type: DisclosureType = record_field("type", DisclosureType, convert=DisclosureType)
    title: str = record_field("title", str)
    visibility: Visibility = record_field("visibility", Visibility, convert=Visibility)
    created_at: datetime = record_field("created_at", datetime)
    updated_at: datetime = record_field("updated_at", datetime)
    record: strawberry.Private[models.Disclosure]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, disclosure: models.Disclosure, workspace: Workspace) -> Disclosure:
        return cls(raw_id=disclosure.id, record=disclosure, workspace=workspace)

    @strawberry.field(description="The side that publishes it.")
    def owner_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    async def _versions(self, info: Info[Context, None]) -> list[models.DisclosureVersion]:
        return await governance_loaders(info.context).versions(self.workspace).load(self.raw_id)

    @strawberry.field(description="Its versions your side may read (the partner: published).")
    async def versions(self, info: Info[Context, None]) -> list[DisclosureVersion]:
        return [DisclosureVersion.from_model(v, self.workspace) for v in await self._versions(info)]

    @strawberry.field
    async def latest_published(self, info: Info[Context, None]) -> DisclosureVersion | None:
        published = [v for v in await self._versions(info) if v.status == VersionStatus.PUBLISHED]
        return DisclosureVersion.from_model(published[-1], self.workspace) if published else None


@strawberry.type
class DecisionVerdict:
    record: strawberry.Private[models.DecisionVote]
    verdict: Verdict = record_field("verdict", Verdict, convert=Verdict)
    comment: str = record_field("comment", str)
    at: datetime = record_field("at", datetime)

    @strawberry.field
    async def by(self, info: Info[Context, None]) -> User | None:
        return await _user(info, self.record.user_id)


@strawberry.type(description="One side's part in a decision.")
class DecisionSide:
    side: strawberry.Private[service.SideApproval]
    workspace: strawberry.Private[Workspace]
    decision: strawberry.Private[models.Decision]

    @strawberry.field
    def party(self) -> Party:
        return party_of(self.workspace, self.side.party_id)

    @strawberry.field(description="The members it named to approve; none: its LEADs approve.")
    async def named_approvers(self, info: Info[Context, None]) -> list[User]:
        loader = tenancy_loaders(info.context).user
        users = await loader.load_many([a.user_id for a in self.side.named])
        return [User.from_model(u) for u in users if u is not None]

    @strawberry.field
    def verdict(self) -> DecisionVerdict | None:
        return DecisionVerdict(record=self.side.vote) if self.side.vote else None

    @strawberry.field(description="Whether you may give this side's verdict now.")
    def can_decide(self) -> bool:
        workspace = self.workspace
        if self.side.party_id != workspace.own_party.id or self.side.vote is not None:
            return False
        if self.decision.status != DecisionStatus.PROPOSED:
            return False
        if self.side.named:
            return any(a.user_id == workspace.actor.user_id for a in self.side.named)
        return workspace.role == tenancy_models.WorkspaceRole.LEAD


@strawberry.type
class Decision(Node):
    title: str = record_field("title", str)
    context: str = record_field("context", str)
    options: list[str] = record_field("options", list[str])
    rationale: str = record_field("rationale", str)
    approval_criteria: str = record_field("approval_criteria", str)
    decide_by: date | None = record_field("decide_by", date | None)
    status: DecisionStatus = record_field("status", DecisionStatus, convert=DecisionStatus)
    decided_at: datetime | None = record_field("decided_at", datetime | None)
    version: int = record_field("version", int)
    created_at: datetime = record_field("created_at", datetime)
    record: strawberry.Private[models.Decision]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, decision: models.Decision, workspace: Workspace) -> Decision:
        return cls(raw_id=decision.id, record=decision, workspace=workspace)

    @strawberry.field(description="Past its decide-by date and still PROPOSED.")
    def overdue(self) -> bool:
        return service.is_overdue(self.record)

    @strawberry.field(description="The proposing side.")
    def owner_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field
    async def proposed_by(self, info: Info[Context, None]) -> User | None:
        return await _user(info, self.record.created_by)

    @strawberry.field(description="Each side: its approvers and its verdict.")
    async def sides(self, info: Info[Context, None]) -> list[DecisionSide]:
        loaders = governance_loaders(info.context)
        approvers = await loaders.approvers(self.workspace).load(self.raw_id)
        votes = await loaders.votes(self.workspace).load(self.raw_id)
        return [
            DecisionSide(side=side, workspace=self.workspace, decision=self.record)
            for side in service.sides_of(self.workspace, approvers, votes)
        ]

    @strawberry.field
    async def supersedes(self, info: Info[Context, None]) -> Decision | None:
        return await self._decision(info, self.record.supersedes_id)

    @strawberry.field
    async def superseded_by(self, info: Info[Context, None]) -> Decision | None:
        return await self._decision(info, self.record.superseded_by_id)

    async def _decision(
        self, info: Info[Context, None], decision_id: uuid.UUID | None
    ) -> Decision | None:
        if decision_id is None:
            return None
        found = await governance_loaders(info.context).decision.load(decision_id)
        if found is None or not self.workspace.shows(found):
            return None
        return Decision.from_model(found, self.workspace)


@strawberry.type
class GovernanceError(UserError):
    code: GovernanceErrorCode
