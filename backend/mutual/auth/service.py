"""Password login, sessions, bearer tokens and API token management."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.auth import repository
from mutual.auth.models import ApiToken
from mutual.auth.passwords import verify_password
from mutual.auth.tokens import API_TOKEN_PREFIX, SESSION_PREFIX, new_secret, secret_hash
from mutual.config import Settings
from mutual.kit.clock import utcnow
from mutual.kit.errors import Invalid, NotFound
from mutual.kit.principal import Principal, user_principal
from mutual.kit.records import Visibility
from mutual.kit.scopes import Scope
from mutual.tenancy.models import User, WorkspaceRole
from mutual.tenancy.workspace import Workspace, load_workspace

GENERIC_LOGIN_ERROR = "Email or password is incorrect."


@dataclass(frozen=True)
class LoginRefused:
    status: int
    code: str
    message: str


@dataclass(frozen=True)
class NewSession:
    secret: str
    user: User


RATE_LIMITED = LoginRefused(
    429, "RATE_LIMITED", "Too many failed sign-in attempts. Try again in a few minutes."
)


async def login(
    session: AsyncSession, *, email: str, password: str, source: str, settings: Settings
) -> NewSession | LoginRefused:
    """Check a password login from a source (the client's address). The attempt is claimed
    and committed before the password is checked, so parallel attempts cannot outrun the
    limits; the password is checked outside any transaction, in a worker thread. The session
    must have no transaction open: this function commits its own."""
    account = email.lower()
    async with session.begin():
        allowed = await repository.claim_login_attempt(
            session,
            source=source,
            account=account,
            window=timedelta(minutes=settings.login_window_minutes),
            per_source=settings.login_max_failures_per_ip,
            per_account=settings.login_max_failures_per_account,
        )
    if not allowed:
        return RATE_LIMITED
    async with session.begin():
        user = await repository.user_by_email(session, email)
    ok = await asyncio.to_thread(verify_password, user.password_hash if user else None, password)
    async with session.begin():
        if user is None or not ok or not user.is_active:
            await repository.record_attempt(session, email=email, ip=source, succeeded=False)
            return LoginRefused(401, "INVALID_CREDENTIALS", GENERIC_LOGIN_ERROR)
        await repository.settle_login_success(session, source=source, account=account)
        await repository.record_attempt(session, email=email, ip=source, succeeded=True)
        return await start_session(session, user=user, settings=settings)


async def start_session(session: AsyncSession, *, user: User, settings: Settings) -> NewSession:
    secret = new_secret(SESSION_PREFIX)
    await repository.create_session(
        session,
        token_hash=secret_hash(secret),
        user_id=user.id,
        expires_at=utcnow() + timedelta(hours=settings.session_hours),
    )
    return NewSession(secret=secret, user=user)


async def logout(session: AsyncSession, *, secret: str) -> None:
    await repository.delete_session(session, secret_hash(secret))


async def authenticate_session(session: AsyncSession, secret: str) -> Principal | None:
    """Resolve a session cookie and set the caller's identity in the transaction (one statement)."""
    row = await repository.identify_session(session, secret_hash(secret))
    return None if row is None else replace(user_principal(row), expires_at=row.expires_at)


async def authenticate_bearer(session: AsyncSession, secret: str) -> Principal | None:
    """Resolve an API token (unexpired, unrevoked) and set identity plus its partnership scope."""
    row = await repository.identify_token(session, secret_hash(secret))
    if row is None:
        return None
    return replace(
        user_principal(row),
        token_id=row.token_id,
        token_partnership_id=row.partnership_id,
        scopes=frozenset(row.scopes),
        expires_at=row.expires_at,
    )


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


MAX_TOKEN_DAYS = 366


async def create_api_token(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    name: str,
    scopes: list[Scope],
    expires_in_days: int,
) -> IssuedToken:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    actor.require_session("Creating an API token")
    workspace.require_role(frozenset({WorkspaceRole.LEAD}), "Creating an API token")
    if not name.strip() or len(name) > 100:
        raise Invalid("Give the token a name of 1 to 100 characters.", field="name")
    if not scopes:
        raise Invalid("Choose at least one scope.", field="scopes")
    if not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        raise Invalid(f"A token expires in 1 to {MAX_TOKEN_DAYS} days.", field="expiresInDays")
    secret = new_secret(API_TOKEN_PREFIX)
    token = await repository.insert_api_token(
        session,
        partnership_id=workspace.id,
        party_id=workspace.own_party.id,
        user_id=actor.user_id,
        name=name.strip(),
        token_hash=secret_hash(secret),
        scopes=sorted({scope.value for scope in scopes}),
        expires_at=utcnow() + timedelta(days=expires_in_days),
    )
    await _audit_token(
        session,
        actor=actor,
        workspace=workspace,
        token=token,
        action="api_token.created",
        changes=audit.created({"name": token.name, "scopes": token.scopes}),
    )
    return IssuedToken(token=token, secret=secret)


async def list_api_tokens(
    session: AsyncSession, *, actor: Principal, partnership_id: uuid.UUID
) -> list[ApiToken]:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    if not workspace.manages_members:
        return []
    return [
        t
        for t in await repository.api_tokens(session, workspace.id)
        if t.party_id == workspace.own_party.id
    ]


async def revoke_api_token(
    session: AsyncSession, *, actor: Principal, token_id: uuid.UUID
) -> ApiToken:
    token = await repository.api_token(session, token_id)
    if token is None:
        raise NotFound("API token", field="tokenId")
    workspace = await load_workspace(session, actor=actor, partnership_id=token.partnership_id)
    actor.require_session("Revoking an API token")
    workspace.require_role(frozenset({WorkspaceRole.LEAD}), "Revoking an API token")
    if token.party_id != workspace.own_party.id:
        raise NotFound("API token", field="tokenId")
    if token.revoked_at is not None:
        return token
    token = await repository.revoke_api_token(session, token)
    await _audit_token(
        session,
        actor=actor,
        workspace=workspace,
        token=token,
        action="api_token.revoked",
        changes=audit.diff({"revoked": False}, {"revoked": True}),
    )
    return token


async def _audit_token(
    session: AsyncSession,
    *,
    actor: Principal,
    workspace: Workspace,
    token: ApiToken,
    action: str,
    changes: dict[str, Any],
) -> None:
    await audit.record(
        session,
        partnership_id=workspace.id,
        actor_user_id=actor.user_id,
        actor_party_id=workspace.own_party.id,
        action=action,
        object_type="ApiToken",
        object_id=token.id,
        owner_party_id=workspace.own_party.id,
        changes=changes,
        # A side's tokens are its own business, like the apiTokens list.
        visibility=Visibility.INTERNAL,
    )
