"""GraphQL types of the tenancy domain."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, cast

import strawberry
from strawberry.types import Info

from mutual.audit import service as audit_service
from mutual.graphql.context import Context
from mutual.graphql.errors import UserError
from mutual.graphql.node import Node
from mutual.graphql.pagination import Connection, page_request, to_connection
from mutual.tenancy import models, service
from mutual.tenancy.errors import TenancyErrorCode
from mutual.tenancy.models import (
    InvitationStatus,
    OrgRole,
    PartnershipStatus,
    Visibility,
    WorkspaceRole,
)
from mutual.tenancy.service import Workspace

if TYPE_CHECKING:
    from mutual.audit.types import AuditChainVerification, AuditEvent
    from mutual.auth.types import ApiToken
    from mutual.commitments.queries import CommitmentFilterInput, CommitmentOrderInput
    from mutual.commitments.types import Commitment, PartyReliabilityFigures
    from mutual.kpis.types import Kpi
    from mutual.roadmap.types import Roadmap

# strawberry.enum registers the domain enums as GraphQL enums and returns them unchanged.
for _enum in (
    OrgRole,
    WorkspaceRole,
    PartnershipStatus,
    InvitationStatus,
    Visibility,
    TenancyErrorCode,
):
    strawberry.enum(_enum)


@strawberry.type
class TenancyError(UserError):
    code: TenancyErrorCode


@strawberry.type
class Organization(Node):
    name: str
    slug: str

    @classmethod
    def from_model(cls, org: models.Organization) -> Organization:
        return cls(raw_id=org.id, name=org.name, slug=org.slug)

    @strawberry.field(description="Whether this organization's users sign in through OIDC SSO.")
    async def has_sso(self, info: Info[Context, None]) -> bool:
        return await info.context.loaders.sso_enabled.load(self.raw_id)


async def organization_of(info: Info[Context, None], organization_id: uuid.UUID) -> Organization:
    org = await info.context.loaders.organization.load(organization_id)
    assert org is not None, "every user, party and invitation belongs to an organization"
    return Organization.from_model(org)


@strawberry.type
class User(Node):
    email: str
    display_name: str
    org_role: OrgRole
    organization_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(
            raw_id=user.id,
            email=user.email,
            display_name=user.display_name,
            org_role=models.OrgRole(user.org_role),
            organization_id=user.organization_id,
        )

    @strawberry.field
    async def organization(self, info: Info[Context, None]) -> Organization:
        return await organization_of(info, self.organization_id)


@strawberry.type
class Party(Node):
    label: str
    is_own: bool = strawberry.field(description="Whether this is the viewer's side.")
    organization_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_model(cls, party: models.Party, workspace: Workspace) -> Party:
        return cls(
            raw_id=party.id,
            label=party.label,
            is_own=party.id == workspace.own_party.id,
            organization_id=party.organization_id,
        )

    @strawberry.field
    async def organization(self, info: Info[Context, None]) -> Organization:
        return await organization_of(info, self.organization_id)


def party_of(workspace: Workspace, party_id: uuid.UUID) -> Party:
    """A side of the partnership: both come with the workspace, so this is a plain read, made
    once per side and workspace."""
    made = workspace.derived.get(party_id)
    if made is None:
        made = workspace.derived[party_id] = Party.from_model(workspace.party(party_id), workspace)
    return cast(Party, made)


@strawberry.type
class WorkspaceMember(Node):
    role: WorkspaceRole
    created_at: datetime
    member: strawberry.Private[models.WorkspaceMember]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, member: models.WorkspaceMember, workspace: Workspace) -> WorkspaceMember:
        return cls(
            raw_id=member.id,
            role=models.WorkspaceRole(member.role),
            created_at=member.created_at,
            member=member,
            workspace=workspace,
        )

    @strawberry.field
    async def user(self, info: Info[Context, None]) -> User:
        user = await info.context.loaders.user.load(self.member.user_id)
        assert user is not None
        return User.from_model(user)

    @strawberry.field
    async def party(self, info: Info[Context, None]) -> Party:
        parties = await info.context.loaders.parties.load(self.workspace.id)
        party = next(p for p in parties if p.id == self.member.party_id)
        return Party.from_model(party, self.workspace)


@strawberry.type
class Partnership(Node):
    name: str
    status: PartnershipStatus
    created_at: datetime
    viewer_role: WorkspaceRole | None = strawberry.field(
        description="The viewer's workspace role; null for an org admin who is not a member."
    )
    viewer_can_manage_members: bool
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_workspace(cls, workspace: Workspace) -> Partnership:
        p = workspace.partnership
        return cls(
            raw_id=p.id,
            name=p.name,
            status=models.PartnershipStatus(p.status),
            created_at=p.created_at,
            viewer_role=workspace.role,
            viewer_can_manage_members=workspace.manages_members,
            workspace=workspace,
        )

    @strawberry.field
    async def parties(self, info: Info[Context, None]) -> list[Party]:
        parties = await info.context.loaders.parties.load(self.workspace.id)
        return [Party.from_model(p, self.workspace) for p in parties]

    @strawberry.field
    def own_party(self) -> Party:
        return Party.from_model(self.workspace.own_party, self.workspace)

    @strawberry.field
    async def counterparty(self, info: Info[Context, None]) -> Party:
        parties = await info.context.loaders.parties.load(self.workspace.id)
        other = next(p for p in parties if p.id != self.workspace.own_party.id)
        return Party.from_model(other, self.workspace)

    @strawberry.field
    async def members(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        own_side_only: bool = False,
    ) -> Connection[WorkspaceMember]:
        page = page_request(info.context, first=first, after=after, last=last, before=before)
        result = await service.list_members(
            info.context.db,
            self.workspace,
            page=page,
            party_id=self.workspace.own_party.id if own_side_only else None,
        )
        return to_connection(result, lambda m: WorkspaceMember.from_model(m, self.workspace))

    @strawberry.field(description="Every write in this partnership, newest first.")
    async def audit_trail(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[Annotated[AuditEvent, strawberry.lazy("mutual.audit.types")]]:
        from mutual.audit.types import AuditEvent

        page = page_request(info.context, first=first, after=after, last=last, before=before)
        result = await audit_service.trail(info.context.db, workspace=self.workspace, page=page)
        return to_connection(result, lambda e: AuditEvent.from_model(e, self.workspace))

    @strawberry.field(description="Recompute the audit hash chain and report the first break.")
    async def verify_audit_chain(
        self, info: Info[Context, None]
    ) -> Annotated[AuditChainVerification, strawberry.lazy("mutual.audit.types")]:
        from mutual.audit.types import AuditChainVerification

        result = await audit_service.verify(info.context.db, workspace=self.workspace)
        return AuditChainVerification.from_result(result, self.workspace)

    @strawberry.field(description="Your side's API tokens (leads and org admins only).")
    async def api_tokens(
        self, info: Info[Context, None]
    ) -> list[Annotated[ApiToken, strawberry.lazy("mutual.auth.types")]]:
        from mutual.auth import service as auth_service
        from mutual.auth.types import ApiToken

        tokens = await auth_service.list_api_tokens(
            info.context.db, actor=info.context.actor, partnership_id=self.workspace.id
        )
        return [ApiToken.from_model(t) for t in tokens]

    @strawberry.field(description="The co-edited recovery roadmap.")
    async def roadmap(
        self, info: Info[Context, None]
    ) -> Annotated[Roadmap, strawberry.lazy("mutual.roadmap.types")]:
        from mutual.roadmap.queries import roadmap_for

        return await roadmap_for(info, self.workspace)

    @strawberry.field(description="Commitments, filtered and sorted (MISSED is derived).")
    async def commitments(
        self,
        info: Info[Context, None],
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        filter: Annotated[  # noqa: A002
            CommitmentFilterInput, strawberry.lazy("mutual.commitments.queries")
        ]
        | None = None,
        order_by: Annotated[CommitmentOrderInput, strawberry.lazy("mutual.commitments.queries")]
        | None = None,
    ) -> Connection[Annotated[Commitment, strawberry.lazy("mutual.commitments.types")]]:
        from mutual.commitments.queries import commitments_for

        return await commitments_for(
            info,
            self.workspace,
            first=first,
            after=after,
            last=last,
            before=before,
            filter=filter,
            order_by=order_by,
        )

    @strawberry.field(description="Per party: on-time delivery rate, renegotiations, disputes.")
    async def commitment_reliability(
        self,
        info: Info[Context, None],
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
    ) -> list[Annotated[PartyReliabilityFigures, strawberry.lazy("mutual.commitments.types")]]:
        from mutual.commitments.queries import reliability_for

        return await reliability_for(info, self.workspace, start=from_, end=to)

    @strawberry.field(description="KPIs with status and evidence; built-in ones first.")
    async def kpis(
        self, info: Info[Context, None], include_builtin: bool = True
    ) -> list[Annotated[Kpi, strawberry.lazy("mutual.kpis.types")]]:
        from mutual.kpis.queries import kpis_for

        return await kpis_for(info, self.workspace, include_builtin=include_builtin)


@strawberry.type
class Invitation(Node):
    status: InvitationStatus
    message: str
    created_at: datetime
    expires_at: datetime
    partnership_name: str
    direction: str = strawberry.field(description="SENT by your organization, or RECEIVED.")
    invitation: strawberry.Private[models.Invitation]

    @classmethod
    def from_model(
        cls, invitation: models.Invitation, *, partnership_name: str, viewer_org: object
    ) -> Invitation:
        return cls(
            raw_id=invitation.id,
            status=models.InvitationStatus(invitation.status),
            message=invitation.message,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            partnership_name=partnership_name,
            direction="SENT" if invitation.inviter_organization_id == viewer_org else "RECEIVED",
            invitation=invitation,
        )

    @strawberry.field
    async def inviter_organization(self, info: Info[Context, None]) -> Organization:
        return await organization_of(info, self.invitation.inviter_organization_id)

    @strawberry.field
    async def invitee_organization(self, info: Info[Context, None]) -> Organization:
        return await organization_of(info, self.invitation.invitee_organization_id)
