"""What members and invitations add to the hub types: `Partnership.members`,
`Viewer.pendingInvitations`."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.pagination import Connection, page_request, to_connection
from mutual.membership import service
from mutual.membership.types import Invitation, WorkspaceMember
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="MembershipPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

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
