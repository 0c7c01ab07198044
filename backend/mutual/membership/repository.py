"""Every SQL statement of workspace members and invitations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.kit.labels import Label
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.repository import paginate, read_rows
from mutual.tenancy.models import (
    Invitation,
    InvitationStatus,
    Organization,
    Partnership,
    PartnershipStatus,
    Party,
    User,
    WorkspaceMember,
)


async def members_page(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    page: PageRequest,
    *,
    party_id: uuid.UUID | None = None,
) -> Page[WorkspaceMember]:
    stmt = (
        select(WorkspaceMember)
        .join(User, col(User.id) == col(WorkspaceMember.user_id))
        .where(col(WorkspaceMember.partnership_id) == partnership_id)
    )
    if party_id is not None:
        stmt = stmt.where(col(WorkspaceMember.party_id) == party_id)
    stmt = stmt.order_by(
        col(WorkspaceMember.party_id), col(User.display_name), col(WorkspaceMember.id)
    )
    return await paginate(session, stmt, page)


async def member(session: AsyncSession, member_id: uuid.UUID) -> WorkspaceMember | None:
    stmt = select(WorkspaceMember).where(col(WorkspaceMember.id) == member_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def members_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[WorkspaceMember]:
    stmt = select(WorkspaceMember).where(col(WorkspaceMember.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def member_by_user(
    session: AsyncSession, partnership_id: uuid.UUID, user_id: uuid.UUID
) -> WorkspaceMember | None:
    stmt = select(WorkspaceMember).where(
        col(WorkspaceMember.partnership_id) == partnership_id,
        col(WorkspaceMember.user_id) == user_id,
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def count_leads(session: AsyncSession, partnership_id: uuid.UUID, party_id: uuid.UUID) -> int:
    stmt = select(func.count()).where(
        col(WorkspaceMember.partnership_id) == partnership_id,
        col(WorkspaceMember.party_id) == party_id,
        col(WorkspaceMember.role) == "LEAD",
    )
    return int((await session.execute(stmt)).scalar_one())


async def insert_member(session: AsyncSession, **values: Any) -> WorkspaceMember:
    stmt = insert(WorkspaceMember).values(**values).returning(WorkspaceMember)
    return (await session.execute(stmt)).scalar_one()


async def update_member_role(
    session: AsyncSession, member: WorkspaceMember, role: str
) -> WorkspaceMember:
    stmt = (
        update(WorkspaceMember)
        .where(
            col(WorkspaceMember.partnership_id) == member.partnership_id,
            col(WorkspaceMember.id) == member.id,
        )
        .values(role=role)
        .returning(WorkspaceMember)
    )
    return (await session.execute(stmt, execution_options={"populate_existing": True})).scalar_one()


async def delete_member(session: AsyncSession, member: WorkspaceMember) -> None:
    await session.delete(member)
    await session.flush()


async def insert_partnership(session: AsyncSession, **values: Any) -> Partnership:
    stmt = insert(Partnership).values(**values).returning(Partnership)
    return (await session.execute(stmt)).scalar_one()


async def insert_party(session: AsyncSession, **values: Any) -> Party:
    stmt = insert(Party).values(**values).returning(Party)
    return (await session.execute(stmt)).scalar_one()


async def set_partnership_status(
    session: AsyncSession, partnership: Partnership, status: PartnershipStatus
) -> Partnership:
    stmt = (
        update(Partnership)
        .where(col(Partnership.id) == partnership.id)
        .values(
            status=status,
            updated_at=func.now(),
            version=col(Partnership.version) + 1,
            activated_at=func.coalesce(
                col(Partnership.activated_at),
                func.now() if status == PartnershipStatus.ACTIVE else None,
            ),
        )
        .returning(Partnership)
    )
    return (await session.execute(stmt, execution_options={"populate_existing": True})).scalar_one()


async def partnership(session: AsyncSession, partnership_id: uuid.UUID) -> Partnership | None:
    return await session.get(Partnership, partnership_id)


async def insert_invitation(session: AsyncSession, **values: Any) -> Invitation:
    stmt = insert(Invitation).values(**values).returning(Invitation)
    return (await session.execute(stmt)).scalar_one()


async def invitation(session: AsyncSession, invitation_id: uuid.UUID) -> Invitation | None:
    stmt = select(Invitation).where(col(Invitation.id) == invitation_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def pending_invitation_between(
    session: AsyncSession, org_a: uuid.UUID, org_b: uuid.UUID
) -> Invitation | None:
    stmt = select(Invitation).where(
        col(Invitation.status) == InvitationStatus.PENDING,
        or_(
            and_(
                col(Invitation.inviter_organization_id) == org_a,
                col(Invitation.invitee_organization_id) == org_b,
            ),
            and_(
                col(Invitation.inviter_organization_id) == org_b,
                col(Invitation.invitee_organization_id) == org_a,
            ),
        ),
    )
    return (await session.execute(stmt)).scalars().first()


async def active_partnership_between(
    session: AsyncSession, org_a: uuid.UUID, org_b: uuid.UUID
) -> uuid.UUID | None:
    mine = select(col(Party.partnership_id)).where(col(Party.organization_id) == org_a)
    stmt = (
        select(col(Party.partnership_id))
        .join(Partnership, col(Partnership.id) == col(Party.partnership_id))
        .where(
            col(Party.organization_id) == org_b,
            col(Party.partnership_id).in_(mine),
            col(Partnership.status).in_([PartnershipStatus.ACTIVE, PartnershipStatus.SUSPENDED]),
        )
    )
    return (await session.execute(stmt)).scalars().first()


async def invitations_for_organization(
    session: AsyncSession, organization_id: uuid.UUID, *, statuses: Sequence[str]
) -> list[tuple[Invitation, str]]:
    """Invitations sent or received by an organization, with their partnership's name."""
    stmt = (
        select(Invitation, col(Partnership.name))
        .join(Partnership, col(Partnership.id) == col(Invitation.partnership_id))
        .where(
            or_(
                col(Invitation.invitee_organization_id) == organization_id,
                col(Invitation.inviter_organization_id) == organization_id,
            ),
            col(Invitation.status).in_(statuses),
        )
        .order_by(col(Invitation.created_at).desc())
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def close_invitation(
    session: AsyncSession,
    invitation: Invitation,
    *,
    status: InvitationStatus,
    decided_by: uuid.UUID | None,
    decided_at: datetime | None,
) -> Invitation:
    stmt = (
        update(Invitation)
        .where(
            col(Invitation.partnership_id) == invitation.partnership_id,
            col(Invitation.id) == invitation.id,
            col(Invitation.status) == InvitationStatus.PENDING,
        )
        .values(status=status, decided_by=decided_by, decided_at=decided_at)
        .returning(Invitation)
    )
    return (await session.execute(stmt, execution_options={"populate_existing": True})).scalar_one()


async def member_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """Members by their person's name (both sides see every member), for the audit trail."""
    stmt = (
        select(col(WorkspaceMember.id), col(User.display_name))
        .join(User, col(User.id) == col(WorkspaceMember.user_id))
        .where(
            col(WorkspaceMember.partnership_id) == partnership_id,
            col(WorkspaceMember.id).in_(ids),
        )
    )
    return {r[0]: Label(r[1], "WorkspaceMember", r[0]) for r in await read_rows(session, stmt)}


async def invitation_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """An invitation by the organization it invited, for the audit trail."""
    stmt = (
        select(col(Invitation.id), col(Organization.name))
        .join(Organization, col(Organization.id) == col(Invitation.invitee_organization_id))
        .where(col(Invitation.partnership_id) == partnership_id, col(Invitation.id).in_(ids))
    )
    return {
        r[0]: Label(f"Invitation of {r[1]}", "Invitation", r[0])
        for r in await read_rows(session, stmt)
    }
