"""Sessions, login attempts, per-organization OIDC settings and API tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, Column, LargeBinary, String
from sqlmodel import Field, SQLModel

from mutual.kit.columns import timestamp_column

# An organization's SSO settings are tenancy's (its admins keep them); re-exported for auth.
from mutual.tenancy.models import OidcProvider as OidcProvider


class UserSession(SQLModel, table=True):
    __tablename__ = "user_session"

    token_hash: bytes = Field(sa_column=Column(LargeBinary, primary_key=True))
    user_id: uuid.UUID
    created_at: datetime = Field(sa_column=timestamp_column())
    expires_at: datetime = Field(sa_column=timestamp_column())


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    email: str
    ip: str
    succeeded: bool
    created_at: datetime | None = Field(default=None, sa_column=timestamp_column())




class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    partnership_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    party_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    token_hash: bytes = Field(sa_column=Column(LargeBinary, nullable=False, unique=True))
    scopes: list[str] = Field(sa_column=Column(ARRAY(String), nullable=False))
    created_at: datetime = Field(sa_column=timestamp_column())
    expires_at: datetime = Field(sa_column=timestamp_column())
    revoked_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
