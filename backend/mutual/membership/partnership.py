"""What members and invitations add to the hub types: `Partnership.members`,
`Viewer.pendingInvitations`."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.pagination import Connection, connection, to_connection
from mutual.kit.pagination import PageRequest
from mutual.membership import service
from mutual.membership.types import Invitation, WorkspaceMember
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="MembershipPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field
    @connection
    async def members(
        self, info: Info[Context, None], page: PageRequest, own_side_only: bool = False
    ) -> Connection[WorkspaceMember]:
        result = await service.list_members(
            info.context.db,
            self.workspace,
            page=page,
            party_id=self.workspace.own_party.id if own_side_only else None,
        )
        return to_connection(result, lambda m: WorkspaceMember.from_model(m, self.workspace))


@strawberry.type(name="MembershipViewerFields")
class ViewerFields:
    organization_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="Pending invitations sent or received (org admins).")
    async def pending_invitations(self, info: Info[Context, None]) -> list[Invitation]:
        context = info.context
        rows = await service.list_invitations(context.db, actor=context.actor)
        return [
            Invitation.from_model(i, partnership_name=name, viewer_org=self.organization_id)
            for i, name in rows
        ]
