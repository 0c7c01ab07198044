"""Factories for the isolation tests: rows written directly as the table owner."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx

from mutual.auth.tokens import API_TOKEN_PREFIX, SESSION_PREFIX, new_secret, secret_hash
from mutual.config import Settings
from mutual.kit.principal import Principal
from mutual.tenancy.models import User

SESSION_COOKIE = Settings().session_cookie


def principal_of(user: User) -> Principal:
    """A signed-in user's principal, as the session cookie would produce it."""
    return Principal(
        user_id=user.id,
        organization_id=user.organization_id,
        org_role=user.org_role,
        email=user.email,
        display_name=user.display_name,
    )


async def add_user(
    owner: asyncpg.Connection, *, organization_id: uuid.UUID, email: str, org_role: str = "MEMBER"
) -> uuid.UUID:
    """A new user of an organization (in no partnership yet) with the demo password."""
    password_hash = await owner.fetchval(
        "SELECT password_hash FROM app_user WHERE password_hash IS NOT NULL LIMIT 1"
    )
    user_id: uuid.UUID = await owner.fetchval(
        "INSERT INTO app_user (organization_id, email, display_name, password_hash, org_role) "
        "VALUES ($1, $2, $3, $4, $5) RETURNING id",
        organization_id,
        email,
        email.split("@")[0].title(),
        password_hash,
        org_role,
    )
    return user_id


async def insert_api_token(
    owner: asyncpg.Connection,
    *,
    partnership_id: uuid.UUID,
    party_id: uuid.UUID,
    user_id: uuid.UUID,
    scopes: tuple[str, ...] = ("read",),
    expires_at: datetime | None = None,
) -> tuple[uuid.UUID, str]:
    """An API token stored as the application stores it; returns its id and its secret."""
    secret = new_secret(API_TOKEN_PREFIX)
    token_id: uuid.UUID = await owner.fetchval(
        "INSERT INTO api_token (partnership_id, party_id, user_id, name, token_hash, scopes, "
        "expires_at) VALUES ($1, $2, $3, 'factory token', $4, $5, $6) RETURNING id",
        partnership_id,
        party_id,
        user_id,
        secret_hash(secret),
        list(scopes),
        expires_at or datetime.now(UTC) + timedelta(days=30),
    )
    return token_id, secret


async def insert_audit_event(
    owner: asyncpg.Connection,
    *,
    partnership_id: uuid.UUID,
    party_id: uuid.UUID,
    actor_user_id: uuid.UUID,
    visibility: str = "INTERNAL",
    action: str = "note.drafted",
) -> uuid.UUID:
    """An audit event owned by one party (the chain trigger sets seq and hashes)."""
    event_id: uuid.UUID = await owner.fetchval(
        "INSERT INTO audit_event (partnership_id, actor_user_id, actor_party_id, action, "
        "object_type, object_id, changes, visibility, owner_party_id, request_id) "
        'VALUES ($1, $2, $3, $4, \'Note\', gen_random_uuid(), \'{"title": {"from": null, '
        '"to": "draft"}}\'::jsonb, $5, $3, \'factory\') RETURNING id',
        partnership_id,
        actor_user_id,
        party_id,
        action,
        visibility,
    )
    return event_id


async def sign_in(client: httpx.AsyncClient, owner: asyncpg.Connection, user_id: uuid.UUID) -> str:
    """A live session for the user on this client, without the (deliberately slow) password
    check; the login endpoint itself is exercised in tests/auth/test_login.py."""
    secret = new_secret(SESSION_PREFIX)
    await owner.execute(
        "INSERT INTO user_session (token_hash, user_id, expires_at) "
        "VALUES ($1, $2, now() + interval '1 hour')",
        secret_hash(secret),
        user_id,
    )
    client.cookies.set(SESSION_COOKIE, secret)
    return secret
