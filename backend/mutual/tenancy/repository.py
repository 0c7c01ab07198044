"""Every SQL statement of the tenancy domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, bindparam, func, literal, or_, select
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from mutual.kit.pagination import Page, PageRequest
from mutual.kit.repository import columns_of, paginate, read_only, read_rows
from mutual.tenancy.models import (
    OidcProvider,
    Organization,
    Partnership,
    Party,
    User,
    WorkspaceMember,
)


def _workspace_select(
    user_id: uuid.UUID, organization_id: uuid.UUID, *, as_columns: bool = False
) -> Any:
    """Partnership, the caller's own party, the caller's role (NULL for a non-member), and the
    other party: as entities, or `as_columns` as their columns in that order (for read_only)."""
    other = aliased(Party)
    selected: list[Any] = [Partnership, Party, col(WorkspaceMember.role), other]
    if as_columns:
        selected = [
            *columns_of(Partnership),
            *columns_of(Party),
            col(WorkspaceMember.role),
            *(getattr(other, column.key) for column in columns_of(Party)),
        ]
    return (
        select(*selected)
        .join(
            Party,
            and_(
                col(Party.partnership_id) == col(Partnership.id),
                col(Party.organization_id) == organization_id,
            ),
        )
        .outerjoin(
            WorkspaceMember,
            and_(
                col(WorkspaceMember.partnership_id) == col(Partnership.id),
                col(WorkspaceMember.user_id) == user_id,
            ),
        )
        .outerjoin(
            other,
            and_(col(other.partnership_id) == col(Partnership.id), col(other.id) != col(Party.id)),
        )
    )


_PARTNERSHIP_WIDTH = len(columns_of(Partnership))
_PARTY_WIDTH = len(columns_of(Party))

# Built once: almost every request opens a workspace, and building this join took longer than
# running it.
_WORKSPACE = _workspace_select(
    bindparam("user_id", type_=PgUUID(as_uuid=True)),  # type: ignore[arg-type]
    bindparam("organization_id", type_=PgUUID(as_uuid=True)),  # type: ignore[arg-type]
    as_columns=True,
).where(col(Partnership.id) == bindparam("partnership_id", type_=PgUUID(as_uuid=True)))


async def workspace(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    *,
    user_id: uuid.UUID,
    organization_id: uuid.UUID,
) -> Any | None:
    params = {
        "partnership_id": partnership_id,
        "user_id": user_id,
        "organization_id": organization_id,
    }
    rows = await read_rows(session, _WORKSPACE, params)
    if not rows:
        return None
    row = rows[0]
    own_at, role_at = _PARTNERSHIP_WIDTH, _PARTNERSHIP_WIDTH + _PARTY_WIDTH
    (partnership,) = read_only(Partnership, [row[:own_at]])
    (own,) = read_only(Party, [row[own_at:role_at]])
    other = row[role_at + 1 :]
    counterparty = read_only(Party, [other])[0] if other[0] is not None else None  # outer join
    return partnership, own, row[role_at], counterparty


async def workspaces_page(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    organization_id: uuid.UUID,
    include_non_member: bool,
    only_partnership_id: uuid.UUID | None,
    page: PageRequest,
) -> Page[Any]:
    stmt = _workspace_select(user_id, organization_id).where(
        col(Partnership.activated_at).is_not(None),
        or_(col(WorkspaceMember.role).is_not(None), literal(include_non_member)),
    )
    if only_partnership_id is not None:
        stmt = stmt.where(col(Partnership.id) == only_partnership_id)
    stmt = stmt.order_by(col(Partnership.name), col(Partnership.id))
    return await paginate(session, stmt, page, scalar=False)


async def parties_of(session: AsyncSession, partnership_ids: Sequence[uuid.UUID]) -> list[Party]:
    stmt = (
        select(Party)
        .where(col(Party.partnership_id).in_(partnership_ids))
        .order_by(col(Party.label))
    )
    return list((await session.execute(stmt)).scalars().all())


async def parties_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Party]:
    stmt = select(Party).where(col(Party.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def organizations_by_id(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> list[Organization]:
    stmt = select(Organization).where(col(Organization.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def organization_by_slug(session: AsyncSession, slug: str) -> Organization | None:
    stmt = select(Organization).where(col(Organization.slug) == slug.lower())
    return (await session.execute(stmt)).scalar_one_or_none()


async def users_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[User]:
    stmt = select(User).where(col(User.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def user_in_organization(
    session: AsyncSession, *, email: str, organization_id: uuid.UUID
) -> User | None:
    stmt = select(User).where(
        func.lower(col(User.email)) == email.lower(),
        col(User.organization_id) == organization_id,
        col(User.is_active).is_(True),
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def sso_organizations(
    session: AsyncSession, organization_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    stmt = select(col(OidcProvider.organization_id)).where(
        col(OidcProvider.organization_id).in_(organization_ids),
        col(OidcProvider.enabled).is_(True),
    )
    return list((await session.execute(stmt)).scalars().all())
