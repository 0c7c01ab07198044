"""Members and invitations mutations. Thin: parse, call the service, shape the payload."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.graphql.composed import COMPOSED
from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id
from mutual.kit.principal import Principal
from mutual.membership import service
from mutual.membership.types import Invitation, WorkspaceMember
from mutual.tenancy import models
from mutual.tenancy.errors import TenancyErrorCode
from mutual.tenancy.models import WorkspaceRole
from mutual.tenancy.types import TenancyError, partnership_of
from mutual.tenancy.workspace import Workspace, load_workspace

if TYPE_CHECKING:  # the composed type, resolved lazily at run time (graphql/composed.py)
    from mutual.tenancy.types import PartnershipBase as Partnership


@strawberry.input
class AddWorkspaceMemberInput:
    partnership_id: strawberry.ID
    email: str = strawberry.field(description="A user of your own organization.")
    role: WorkspaceRole


@strawberry.type
class AddWorkspaceMemberPayload:
    member: WorkspaceMember | None
    user_errors: list[TenancyError]


@strawberry.input
class ChangeWorkspaceMemberRoleInput:
    member_id: strawberry.ID
    role: WorkspaceRole


@strawberry.type
class ChangeWorkspaceMemberRolePayload:
    member: WorkspaceMember | None
    user_errors: list[TenancyError]


@strawberry.input
class RemoveWorkspaceMemberInput:
    member_id: strawberry.ID


@strawberry.type
class RemoveWorkspaceMemberPayload:
    removed_member_id: strawberry.ID | None
    user_errors: list[TenancyError]


@strawberry.input
class InviteOrganizationInput:
    invitee_organization_slug: str
    name: str = strawberry.field(description="The partnership's name, e.g. 'Supply recovery'.")
    own_label: str = strawberry.field(description="Your side's label, e.g. 'Supplier'.")
    invitee_label: str = strawberry.field(description="Their side's label, e.g. 'Customer'.")
    message: str = ""


@strawberry.type
class InviteOrganizationPayload:
    invitation: Invitation | None
    user_errors: list[TenancyError]


@strawberry.input
class DecideInvitationInput:
    invitation_id: strawberry.ID


@strawberry.type
class DecideInvitationPayload:
    invitation: Invitation | None
    partnership: Annotated[Partnership, COMPOSED] | None
    user_errors: list[TenancyError]


MemberChange = tuple[Workspace, models.WorkspaceMember]
Decision = tuple[Invitation, "Partnership | None"]


def _member(change: MemberChange) -> WorkspaceMember:
    # Adding a member and changing a role both answer with the member as it now stands.
    return WorkspaceMember.from_model(change[1], change[0])


P = TypeVar("P")


def _answer(payload: Callable[..., P], **shaping: Any) -> MutationAnswer[Any, P]:
    return MutationAnswer(payload, error=TenancyError, codes=TenancyErrorCode, **shaping)


MEMBER_ADDED = _answer(AddWorkspaceMemberPayload, field="member", shape=_member)
ROLE_CHANGED = _answer(ChangeWorkspaceMemberRolePayload, field="member", shape=_member)
MEMBER_REMOVED = _answer(
    RemoveWorkspaceMemberPayload, field="removed_member_id", shape=lambda member_id: member_id
)
INVITED = _answer(InviteOrganizationPayload, field="invitation", shape=lambda i: i)
DECIDED = _answer(
    DecideInvitationPayload,
    shape=lambda d: {"invitation": d[0], "partnership": d[1]},
    empty=lambda: {"invitation": None, "partnership": None},
)


async def _decide(
    info: Info[Context, None], invitation_id: strawberry.ID, *, accept: bool
) -> DecideInvitationPayload:
    async def call(session: AsyncSession, actor: Principal) -> Decision:
        raw = decode_id(invitation_id, "Invitation", field="invitationId")
        invitation, name = await service.decide_invitation(
            session, actor=actor, invitation_id=raw, accept=accept
        )
        partnership = None
        if accept:
            workspace = await load_workspace(
                session, actor=actor, partnership_id=invitation.partnership_id
            )
            partnership = partnership_of(workspace)
        shaped = Invitation.from_model(
            invitation, partnership_name=name, viewer_org=actor.organization_id
        )
        return shaped, partnership

    return await DECIDED.run(info, call)


def _decision(*, accept: bool, description: str) -> Any:
    """A mutation by which the invited organization's admin answers an invitation."""

    async def resolve(
        info: Info[Context, None],
        input: DecideInvitationInput,  # noqa: A002
    ) -> DecideInvitationPayload:
        return await _decide(info, input.invitation_id, accept=accept)

    return strawberry.mutation(resolver=resolve, description=description)


@strawberry.type
class MembershipMutation:
    @strawberry.mutation(description="A LEAD (or org admin) adds a user of their own organization.")
    async def add_workspace_member(
        self,
        info: Info[Context, None],
        input: AddWorkspaceMemberInput,  # noqa: A002
    ) -> AddWorkspaceMemberPayload:
        async def call(session: AsyncSession, actor: Principal) -> MemberChange:
            partnership_id = decode_id(input.partnership_id, "Partnership", field="partnershipId")
            return await service.add_member(
                session,
                actor=actor,
                partnership_id=partnership_id,
                email=input.email,
                role=models.WorkspaceRole(input.role),
            )

        return await MEMBER_ADDED.run(info, call)

    @strawberry.mutation(description="Change the role of a member of your own side.")
    async def change_workspace_member_role(
        self,
        info: Info[Context, None],
        input: ChangeWorkspaceMemberRoleInput,  # noqa: A002
    ) -> ChangeWorkspaceMemberRolePayload:
        async def call(session: AsyncSession, actor: Principal) -> MemberChange:
            member_id = decode_id(input.member_id, "WorkspaceMember", field="memberId")
            return await service.change_member_role(
                session, actor=actor, member_id=member_id, role=models.WorkspaceRole(input.role)
            )

        return await ROLE_CHANGED.run(info, call)

    @strawberry.mutation(description="Remove a member of your own side (each side keeps a LEAD).")
    async def remove_workspace_member(
        self,
        info: Info[Context, None],
        input: RemoveWorkspaceMemberInput,  # noqa: A002
    ) -> RemoveWorkspaceMemberPayload:
        async def call(session: AsyncSession, actor: Principal) -> strawberry.ID:
            member_id = decode_id(input.member_id, "WorkspaceMember", field="memberId")
            await service.remove_member(session, actor=actor, member_id=member_id)
            return input.member_id

        return await MEMBER_REMOVED.run(info, call)

    @strawberry.mutation(description="An org admin invites another organization to a partnership.")
    async def invite_organization(
        self,
        info: Info[Context, None],
        input: InviteOrganizationInput,  # noqa: A002
    ) -> InviteOrganizationPayload:
        async def call(session: AsyncSession, actor: Principal) -> Invitation:
            invitation, name = await service.invite_organization(
                session,
                actor=actor,
                invitee_slug=input.invitee_organization_slug,
                name=input.name,
                own_label=input.own_label,
                invitee_label=input.invitee_label,
                message=input.message,
                valid_days=info.context.settings.invitation_days,
            )
            return Invitation.from_model(
                invitation, partnership_name=name, viewer_org=actor.organization_id
            )

        return await INVITED.run(info, call)

    accept_invitation = _decision(
        accept=True, description="The invited organization's admin accepts."
    )
    decline_invitation = _decision(
        accept=False, description="The invited organization's admin declines."
    )
