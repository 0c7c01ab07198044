"""Every SQL statement of authentication."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.auth.models import ApiToken, LoginAttempt, OidcProvider, UserSession
from mutual.kit.identity import set_user_identity as set_user_identity
from mutual.kit.labels import Label
from mutual.kit.repository import read_rows
from mutual.tenancy.models import Organization, OrgRole, User

# Authentication and identity in one round trip: the row is only produced for a live session,
# and producing it sets the transaction-local identity that row-level security reads.
_SESSION_IDENTITY = text(
    """
    SELECT set_config('mutual.user_id', u.id::text, true) AS _identity,
           u.id, u.organization_id, u.org_role, u.email, u.display_name
    FROM user_session s JOIN app_user u ON u.id = s.user_id
    WHERE s.token_hash = :token_hash AND s.expires_at > now() AND u.is_active
    """
)

_TOKEN_IDENTITY = text(
    """
    SELECT set_config('mutual.user_id', u.id::text, true) AS _identity,
           set_config('mutual.partnership_id', t.partnership_id::text, true) AS _scope,
           u.id, u.organization_id, u.org_role, u.email, u.display_name,
           t.token_id, t.partnership_id, t.scopes
    FROM mutual_authenticate_token(:token_hash) t JOIN app_user u ON u.id = t.user_id
    WHERE u.is_active
    """
)


async def identify_session(session: AsyncSession, token_hash: bytes) -> Any | None:
    return (await session.execute(_SESSION_IDENTITY, {"token_hash": token_hash})).first()


async def identify_token(session: AsyncSession, token_hash: bytes) -> Any | None:
    return (await session.execute(_TOKEN_IDENTITY, {"token_hash": token_hash})).first()


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    stmt = select(User).where(func.lower(User.email) == email.lower())
    return (await session.execute(stmt)).scalar_one_or_none()


async def recent_failures(
    session: AsyncSession, *, email: str, ip: str, window: timedelta
) -> tuple[int, int]:
    since = func.now() - window
    failed = col(LoginAttempt.succeeded).is_(False)
    stmt = select(
        func.count().filter(func.lower(LoginAttempt.email) == email.lower()),
        func.count().filter(col(LoginAttempt.ip) == ip),
    ).where(failed, col(LoginAttempt.created_at) > since)
    per_account, per_ip = (await session.execute(stmt)).one()
    return int(per_account), int(per_ip)


async def record_attempt(session: AsyncSession, *, email: str, ip: str, succeeded: bool) -> None:
    await session.execute(
        insert(LoginAttempt).values(email=email[:320], ip=ip, succeeded=succeeded)
    )


async def create_session(
    session: AsyncSession, *, token_hash: bytes, user_id: uuid.UUID, expires_at: datetime
) -> None:
    await session.execute(
        insert(UserSession).values(token_hash=token_hash, user_id=user_id, expires_at=expires_at)
    )


async def delete_session(session: AsyncSession, token_hash: bytes) -> None:
    await session.execute(delete(UserSession).where(UserSession.token_hash == token_hash))  # type: ignore[arg-type]




async def oidc_provider(session: AsyncSession, organization_id: uuid.UUID) -> OidcProvider | None:
    return await session.get(OidcProvider, organization_id)


async def insert_api_token(session: AsyncSession, **values: Any) -> ApiToken:
    stmt = insert(ApiToken).values(**values).returning(ApiToken)
    return (await session.execute(stmt)).scalar_one()


async def api_tokens(session: AsyncSession, partnership_id: uuid.UUID) -> list[ApiToken]:
    stmt = (
        select(ApiToken)
        .where(col(ApiToken.partnership_id) == partnership_id)
        .order_by(col(ApiToken.created_at).desc())
    )
    return list((await session.execute(stmt)).scalars().all())


async def api_token(session: AsyncSession, token_id: uuid.UUID) -> ApiToken | None:
    return (
        await session.execute(select(ApiToken).where(col(ApiToken.id) == token_id))
    ).scalar_one_or_none()


async def revoke_api_token(session: AsyncSession, token: ApiToken) -> ApiToken:
    stmt = (
        update(ApiToken)
        .where(col(ApiToken.partnership_id) == token.partnership_id, col(ApiToken.id) == token.id)
        .values(revoked_at=func.now())
        .returning(ApiToken)
    )
    return (await session.execute(stmt)).scalar_one()


async def sso_directory(session: AsyncSession) -> list[tuple[str, str]]:
    """(slug, name) of every organization whose OIDC provider is enabled, by name."""
    stmt = (
        select(col(Organization.slug), col(Organization.name))
        .join(OidcProvider, col(OidcProvider.organization_id) == col(Organization.id))
        .where(col(OidcProvider.enabled).is_(True))
        .order_by(col(Organization.name))
    )
    return [(slug, name) for slug, name in (await session.execute(stmt)).all()]


async def sso_organization(
    session: AsyncSession, *, slug: str | None = None, organization_id: uuid.UUID | None = None
) -> tuple[Organization, OidcProvider] | None:
    """An organization and its OIDC provider (enabled or not), by slug or by id."""
    if (slug is None) == (organization_id is None):
        raise ValueError("Give either slug or organization_id.")
    stmt = select(Organization, OidcProvider).join(
        OidcProvider, col(OidcProvider.organization_id) == col(Organization.id)
    )
    if slug is not None:
        stmt = stmt.where(col(Organization.slug) == slug.lower())
    if organization_id is not None:
        stmt = stmt.where(col(Organization.id) == organization_id)
    row = (await session.execute(stmt)).first()
    return None if row is None else (row[0], row[1])


async def insert_sso_user(
    session: AsyncSession, *, organization_id: uuid.UUID, email: str, display_name: str
) -> User | None:
    """A new MEMBER without a password; None when the email was taken meanwhile."""
    stmt = (
        pg_insert(User)
        .values(
            organization_id=organization_id,
            email=email,
            display_name=display_name,
            password_hash=None,
            org_role=OrgRole.MEMBER.value,
        )
        .on_conflict_do_nothing(index_elements=[func.lower(col(User.email))])
        .returning(User)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def upsert_oidc_provider(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    issuer: str,
    client_id: str,
    client_secret: str,
    enabled: bool,
) -> OidcProvider:
    values = {
        "issuer": issuer,
        "client_id": client_id,
        "client_secret": client_secret,
        "enabled": enabled,
    }
    stmt = (
        pg_insert(OidcProvider)
        .values(organization_id=organization_id, **values)
        .on_conflict_do_update(index_elements=[col(OidcProvider.organization_id)], set_=values)
        .returning(OidcProvider)
    )
    return (await session.execute(stmt)).scalar_one()


async def api_token_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """The names of the viewer's side's own tokens (a side's tokens are its own business)."""
    stmt = select(col(ApiToken.id), col(ApiToken.name)).where(
        col(ApiToken.partnership_id) == partnership_id,
        col(ApiToken.party_id) == viewer_party_id,
        col(ApiToken.id).in_(ids),
    )
    return {r[0]: Label(r[1], "ApiToken", r[0]) for r in await read_rows(session, stmt)}
