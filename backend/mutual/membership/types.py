"""GraphQL types of workspace members and invitations."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.node import Node
from mutual.tenancy import models
from mutual.tenancy.loaders import tenancy_loaders
from mutual.tenancy.models import (
    InvitationStatus,
    WorkspaceRole,
)
from mutual.tenancy.types import Organization, Party, User, organization_of
from mutual.tenancy.workspace import Workspace


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
        user = await tenancy_loaders(info.context).user.load(self.member.user_id)
        assert user is not None
        return User.from_model(user)

    @strawberry.field
    async def party(self, info: Info[Context, None]) -> Party:
        parties = await tenancy_loaders(info.context).parties.load(self.workspace.id)
        party = next(p for p in parties if p.id == self.member.party_id)
        return Party.from_model(party, self.workspace)


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
