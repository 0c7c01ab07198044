"""Member and invitation nodes."""

from __future__ import annotations

import uuid

from mutual.graphql.context import Context
from mutual.graphql.node import Node, node_resolver
from mutual.membership import repository, service
from mutual.membership.types import Invitation, WorkspaceMember
from mutual.tenancy.loaders import tenancy_loaders


@node_resolver("WorkspaceMember")
async def _member_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    member = await repository.member(context.db, raw_id)
    if member is None:
        return None
    workspace = await tenancy_loaders(context).workspace(context.actor, member.partnership_id)
    return WorkspaceMember.from_model(member, workspace)


@node_resolver("Invitation")
async def _invitation_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    actor = context.actor
    for invitation, name in await service.list_invitations(
        context.db, actor=actor, pending_only=False
    ):
        if invitation.id == raw_id:
            return Invitation.from_model(
                invitation, partnership_name=name, viewer_org=actor.organization_id
            )
    return None
