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

from mutual.auth.models import (
    ApiToken,
    LoginAttempt,
    OidcProvider,
    UserIdentity,
    UserSession,
)
from mutual.kit.identity import set_user_identity as set_user_identity
from mutual.kit.labels import Label
from mutual.kit.repository import read_rows
from mutual.tenancy.models import Organization, OrgRole, User

# Authentication and identity in one round trip: the row is only produced for a live session,
# and producing it sets the transaction-local identity that row-level security reads.
_SESSION_IDENTITY = text(
    """
    SELECT set_config('mutual.user_id', u.id::text, true) AS _identity,
           u.id, u.organization_id, u.org_role, u.email, u.display_name, s.expires_at
    FROM user_session s JOIN app_user u ON u.id = s.user_id
    WHERE s.token_hash = :token_hash AND s.expires_at > now() AND u.is_active
    """
)

_TOKEN_IDENTITY = text(
    """
    SELECT set_config('mutual.user_id', u.id::text, true) AS _identity,
           set_config('mutual.partnership_id', t.partnership_id::text, true) AS _scope,
           u.id, u.organization_id, u.org_role, u.email, u.display_name,
           t.token_id, t.partnership_id, t.scopes, t.expires_at
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


# Claims one sign-in attempt for a source, then for the account from that source, as failures
# counted in advance: each upsert locks its row, so parallel attempts are counted one after
# another and no more than the limit pass. A counter whose last failure is older than the
# window starts again at one. The account is not charged when the source is refused.
_CLAIM_ATTEMPT = text(
    """
    WITH params AS (
        SELECT now() - CAST(:window AS interval) AS stale_before
    ), source_claim AS (
        INSERT INTO login_throttle AS t (source, account, failures, last_failure_at)
        VALUES (:source, '', 1, now())
        ON CONFLICT (source, account) DO UPDATE SET
            failures = CASE WHEN t.last_failure_at <= (SELECT stale_before FROM params) THEN 1
                            ELSE t.failures + 1 END,
            last_failure_at = now()
        WHERE t.last_failure_at <= (SELECT stale_before FROM params) OR t.failures < :per_source
        RETURNING 1
    ), account_claim AS (
        INSERT INTO login_throttle AS t (source, account, failures, last_failure_at)
        SELECT :source, :account, 1, now() WHERE EXISTS (SELECT 1 FROM source_claim)
        ON CONFLICT (source, account) DO UPDATE SET
            failures = CASE WHEN t.last_failure_at <= (SELECT stale_before FROM params) THEN 1
                            ELSE t.failures + 1 END,
            last_failure_at = now()
        WHERE t.last_failure_at <= (SELECT stale_before FROM params) OR t.failures < :per_account
        RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM source_claim) AS source_ok,
           EXISTS (SELECT 1 FROM account_claim) AS account_ok
    """
)

# An attempt that turned out not to be a failure: the account starts again from this source,
# and the source gets back the failure claimed for it.
_SETTLE_SUCCESS = text(
    """
    WITH reset AS (
        DELETE FROM login_throttle WHERE source = :source AND account = :account
    )
    UPDATE login_throttle SET failures = greatest(failures - 1, 0)
    WHERE source = :source AND account = ''
    """
)

_REFUND_SOURCE = text(
    "UPDATE login_throttle SET failures = greatest(failures - 1, 0) "
    "WHERE source = :source AND account = ''"
)


async def claim_login_attempt(
    session: AsyncSession,
    *,
    source: str,
    account: str,
    window: timedelta,
    per_source: int,
    per_account: int,
) -> bool:
    """Whether this attempt may be checked (it is then counted as a failure until settled)."""
    source_ok, account_ok = (
        await session.execute(
            _CLAIM_ATTEMPT,
            {
                "source": source,
                "account": account,
                "window": window,
                "per_source": per_source,
                "per_account": per_account,
            },
        )
    ).one()
    if source_ok and not account_ok:
        await session.execute(_REFUND_SOURCE, {"source": source})
    return bool(source_ok and account_ok)


async def settle_login_success(session: AsyncSession, *, source: str, account: str) -> None:
    await session.execute(_SETTLE_SUCCESS, {"source": source, "account": account})


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


async def delete_expired_sessions(session: AsyncSession) -> int:
    """Sessions past their expiry (sign-in refuses them already); returns how many went."""
    result = await session.execute(
        delete(UserSession).where(col(UserSession.expires_at) <= func.now())
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


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


async def user_by_identity(session: AsyncSession, *, issuer: str, subject: str) -> User | None:
    stmt = (
        select(User)
        .join(UserIdentity, col(UserIdentity.user_id) == col(User.id))
        .where(col(UserIdentity.issuer) == issuer, col(UserIdentity.subject) == subject)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def link_identity(
    session: AsyncSession, *, issuer: str, subject: str, user_id: uuid.UUID
) -> bool:
    """Whether the subject is now linked to the user: False when the subject is linked already
    or the user has another subject at this issuer (either unique key)."""
    stmt = (
        pg_insert(UserIdentity)
        .values(issuer=issuer, subject=subject, user_id=user_id)
        .on_conflict_do_nothing()
        .returning(col(UserIdentity.user_id))
    )
    return (await session.execute(stmt)).first() is not None


async def upsert_oidc_provider(
    session: AsyncSession,
    *,
    organization_id: uuid.UUID,
    issuer: str,
    client_id: str,
    client_secret_encrypted: str,
    enabled: bool,
) -> OidcProvider:
    values = {
        "issuer": issuer,
        "client_id": client_id,
        "client_secret_encrypted": client_secret_encrypted,
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
