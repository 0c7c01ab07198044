"""Workspace members and partnership invitations: who is in a workspace, and how two
organizations come to share one."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.kit.clock import utcnow
from mutual.kit.errors import DomainError, Forbidden, Invalid, NotFound
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.principal import Principal
from mutual.membership import repository
from mutual.tenancy import repository as tenancy_repository
from mutual.tenancy.errors import TenancyErrorCode as Code
from mutual.tenancy.models import (
    Invitation,
    InvitationStatus,
    PartnershipStatus,
    Party,
    WorkspaceMember,
    WorkspaceRole,
)
from mutual.tenancy.workspace import Workspace, load_workspace


async def list_members(
    session: AsyncSession,
    workspace: Workspace,
    *,
    page: PageRequest,
    party_id: uuid.UUID | None = None,
) -> Page[WorkspaceMember]:
    return await repository.members_page(session, workspace.id, page, party_id=party_id)


async def _audit(
    session: AsyncSession,
    workspace: Workspace,
    *,
    action: str,
    object_type: str,
    object_id: uuid.UUID,
    changes: dict[str, object],
) -> None:
    await audit.record(
        session,
        partnership_id=workspace.id,
        actor_user_id=workspace.actor.user_id,
        actor_party_id=workspace.own_party.id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        owner_party_id=workspace.own_party.id,
        changes=changes,
    )


async def add_member(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    email: str,
    role: WorkspaceRole,
) -> tuple[Workspace, WorkspaceMember]:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    workspace.require_member_manager()
    # Only users of the caller's own organization; others are simply not found.
    user = await tenancy_repository.user_in_organization(
        session, email=email.strip(), organization_id=actor.organization_id
    )
    if user is None:
        raise DomainError(
            Code.NOT_FOUND, "No active user of your organization has this email.", field="email"
        )
    if await repository.member_by_user(session, workspace.id, user.id) is not None:
        raise DomainError(Code.ALREADY_MEMBER, f"{user.email} is already a member.", field="email")
    member = await repository.insert_member(
        session,
        partnership_id=workspace.id,
        party_id=workspace.own_party.id,
        user_id=user.id,
        role=role,
    )
    await _audit(
        session,
        workspace,
        action="member.added",
        object_type="WorkspaceMember",
        object_id=member.id,
        changes=audit.created({"user": user.email, "role": role}),
    )
    return workspace, member


async def _own_side_member(
    session: AsyncSession, actor: Principal, member_id: uuid.UUID
) -> tuple[Workspace, WorkspaceMember]:
    member = await repository.member(session, member_id)
    if member is None:
        raise NotFound("member", field="memberId")
    workspace = await load_workspace(session, actor=actor, partnership_id=member.partnership_id)
    workspace.require_member_manager()
    if member.party_id != workspace.own_party.id:
        raise Forbidden("A side only manages its own members.", field="memberId")
    return workspace, member


async def _keep_a_lead(
    session: AsyncSession, workspace: Workspace, member: WorkspaceMember
) -> None:
    if member.role == WorkspaceRole.LEAD and (
        await repository.count_leads(session, workspace.id, member.party_id) <= 1
    ):
        raise DomainError(Code.LAST_LEAD, "Each side keeps at least one LEAD.", field="memberId")


async def change_member_role(
    session: AsyncSession,
    *,
    actor: Principal,
    member_id: uuid.UUID,
    role: WorkspaceRole,
) -> tuple[Workspace, WorkspaceMember]:
    workspace, member = await _own_side_member(session, actor, member_id)
    if member.role == role:
        return workspace, member
    if role != WorkspaceRole.LEAD:
        await _keep_a_lead(session, workspace, member)
    before = member.role
    member = await repository.update_member_role(session, member, role)
    await _audit(
        session,
        workspace,
        action="member.role_changed",
        object_type="WorkspaceMember",
        object_id=member.id,
        changes=audit.diff({"role": before}, {"role": role}),
    )
    return workspace, member


async def remove_member(
    session: AsyncSession, *, actor: Principal, member_id: uuid.UUID
) -> uuid.UUID:
    workspace, member = await _own_side_member(session, actor, member_id)
    await _keep_a_lead(session, workspace, member)
    await repository.delete_member(session, member)
    await _audit(
        session,
        workspace,
        action="member.removed",
        object_type="WorkspaceMember",
        object_id=member.id,
        changes={"user_id": {"from": str(member.user_id), "to": None}},
    )
    return member.id


def _require_org_admin(actor: Principal, action: str) -> None:
    actor.require_session(action)
    if not actor.is_org_admin:
        raise Forbidden(f"{action} is for your organization's admins.")


async def invite_organization(
    session: AsyncSession,
    *,
    actor: Principal,
    invitee_slug: str,
    name: str,
    own_label: str,
    invitee_label: str,
    message: str = "",
    valid_days: int = 14,
) -> tuple[Invitation, str]:
    _require_org_admin(actor, "Inviting a partner")
    for field, value, limit in (
        ("name", name, 200),
        ("ownLabel", own_label, 80),
        ("inviteeLabel", invitee_label, 80),
    ):
        if not value.strip() or len(value) > limit:
            raise Invalid(f"Give a {field} of 1 to {limit} characters.", field=field)
    invitee = await tenancy_repository.organization_by_slug(session, invitee_slug.strip())
    if invitee is None:
        raise DomainError(
            Code.NOT_FOUND, "No organization has this handle.", field="inviteeOrganizationSlug"
        )
    if invitee.id == actor.organization_id:
        raise DomainError(
            Code.SELF_INVITATION,
            "An organization cannot partner with itself.",
            field="inviteeOrganizationSlug",
        )
    await _expire_stale(session, actor.organization_id)
    if await repository.pending_invitation_between(session, actor.organization_id, invitee.id):
        raise DomainError(
            Code.DUPLICATE_INVITATION,
            f"An invitation between you and {invitee.name} is already pending.",
            field="inviteeOrganizationSlug",
        )
    if await repository.active_partnership_between(session, actor.organization_id, invitee.id):
        raise DomainError(
            Code.ALREADY_PARTNERS,
            f"You already have an active partnership with {invitee.name}.",
            field="inviteeOrganizationSlug",
        )
    partnership = await repository.insert_partnership(
        session, name=name.strip(), status=PartnershipStatus.INVITED, created_by=actor.user_id
    )
    own_party = await repository.insert_party(
        session,
        partnership_id=partnership.id,
        organization_id=actor.organization_id,
        label=own_label.strip(),
    )
    await repository.insert_party(
        session,
        partnership_id=partnership.id,
        organization_id=invitee.id,
        label=invitee_label.strip(),
    )
    await repository.insert_member(
        session,
        partnership_id=partnership.id,
        party_id=own_party.id,
        user_id=actor.user_id,
        role=WorkspaceRole.LEAD,
    )
    invitation = await repository.insert_invitation(
        session,
        partnership_id=partnership.id,
        inviter_organization_id=actor.organization_id,
        invitee_organization_id=invitee.id,
        invited_by=actor.user_id,
        message=message.strip()[:2000],
        status=InvitationStatus.PENDING,
        expires_at=utcnow() + timedelta(days=valid_days),
    )
    await audit.record(
        session,
        partnership_id=partnership.id,
        actor_user_id=actor.user_id,
        actor_party_id=own_party.id,
        action="invitation.sent",
        object_type="Invitation",
        object_id=invitation.id,
        owner_party_id=own_party.id,
        changes=audit.created({"invitee": invitee.slug, "name": partnership.name}),
    )
    return invitation, partnership.name


async def _expire_stale(session: AsyncSession, organization_id: uuid.UUID) -> None:
    now = utcnow()
    for invitation, _name in await repository.invitations_for_organization(
        session, organization_id, statuses=[InvitationStatus.PENDING]
    ):
        if invitation.expires_at <= now:
            await repository.close_invitation(
                session,
                invitation,
                status=InvitationStatus.EXPIRED,
                decided_by=None,
                decided_at=now,
            )


async def list_invitations(
    session: AsyncSession, *, actor: Principal, pending_only: bool = True
) -> list[tuple[Invitation, str]]:
    """Invitations sent or received by the caller's organization (admins only)."""
    if not actor.is_org_admin:
        return []
    statuses = [InvitationStatus.PENDING] if pending_only else list(InvitationStatus)
    invitations = await repository.invitations_for_organization(
        session, actor.organization_id, statuses=statuses
    )
    now = utcnow()
    return [(i, name) for i, name in invitations if not pending_only or i.expires_at > now]


async def decide_invitation(
    session: AsyncSession, *, actor: Principal, invitation_id: uuid.UUID, accept: bool
) -> tuple[Invitation, str]:
    """Accept or decline; returns the invitation and its partnership's name."""
    _require_org_admin(actor, "Answering an invitation")
    invitation = await repository.invitation(session, invitation_id)
    if invitation is None or invitation.invitee_organization_id != actor.organization_id:
        raise DomainError(
            Code.NOT_FOUND, "No invitation with this id is visible to you.", field="invitationId"
        )
    if invitation.status != InvitationStatus.PENDING:
        raise DomainError(
            Code.INVITATION_CLOSED,
            f"This invitation was already {invitation.status.lower()}.",
            field="invitationId",
        )
    now = utcnow()
    if invitation.expires_at <= now:
        raise DomainError(
            Code.INVITATION_EXPIRED,
            "This invitation has expired; ask the inviting organization for a new one.",
            field="invitationId",
        )
    partnership = await repository.partnership(session, invitation.partnership_id)
    row = await tenancy_repository.workspace(
        session,
        invitation.partnership_id,
        user_id=actor.user_id,
        organization_id=actor.organization_id,
    )
    if partnership is None or row is None:
        raise NotFound("invitation", field="invitationId")
    own_party: Party = row[1]
    status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation = await repository.close_invitation(
        session, invitation, status=status, decided_by=actor.user_id, decided_at=now
    )
    new_status = PartnershipStatus.ACTIVE if accept else PartnershipStatus.ENDED
    await repository.set_partnership_status(session, partnership, new_status)
    if accept:
        await repository.insert_member(
            session,
            partnership_id=partnership.id,
            party_id=own_party.id,
            user_id=actor.user_id,
            role=WorkspaceRole.LEAD,
        )
    await audit.record(
        session,
        partnership_id=partnership.id,
        actor_user_id=actor.user_id,
        actor_party_id=own_party.id,
        action="invitation.accepted" if accept else "invitation.declined",
        object_type="Invitation",
        object_id=invitation.id,
        owner_party_id=own_party.id,
        changes=audit.diff({"status": InvitationStatus.PENDING}, {"status": status}),
    )
    return invitation, partnership.name
