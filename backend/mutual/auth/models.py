"""Sessions, login attempts and their throttle, SSO identities, per-organization OIDC settings
and API tokens."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Column,
    ForeignKeyConstraint,
    Identity,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlmodel import Field, SQLModel

from mutual.kit.columns import text_field, timestamp_column, uuid_key

# An organization's SSO settings are tenancy's (its admins keep them); re-exported for auth.
from mutual.tenancy.models import OidcProvider as OidcProvider


class UserSession(SQLModel, table=True):
    __tablename__ = "user_session"
    __table_args__ = (Index("user_session_user_idx", "user_id"),)

    token_hash: bytes = Field(sa_column=Column(LargeBinary, primary_key=True))
    user_id: uuid.UUID = Field(foreign_key="app_user.id", ondelete="CASCADE")
    created_at: datetime = Field(sa_column=timestamp_column())
    expires_at: datetime = Field(sa_column=timestamp_column(server_default=None))


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("login_attempt_email_idx", func.lower(text("email")), "created_at"),
        Index("login_attempt_ip_idx", "ip", "created_at"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=True), primary_key=True)
    )
    email: str = text_field()
    ip: str = text_field()
    succeeded: bool
    created_at: datetime | None = Field(default=None, sa_column=timestamp_column())


class LoginThrottle(SQLModel, table=True):
    """Failed sign-ins per source and account ('' for every account of the source)."""

    __tablename__ = "login_throttle"

    source: str = text_field(primary_key=True)
    account: str = text_field(primary_key=True)
    failures: int
    last_failure_at: datetime = Field(sa_column=timestamp_column())


class UserIdentity(SQLModel, table=True):
    """A user's subject at an OIDC issuer: how a returning SSO user is recognised."""

    __tablename__ = "user_identity"
    __table_args__ = (
        UniqueConstraint("user_id", "issuer", name="user_identity_user_id_issuer_key"),
    )

    issuer: str = text_field(primary_key=True)
    subject: str = text_field(primary_key=True)
    user_id: uuid.UUID = Field(foreign_key="app_user.id", ondelete="CASCADE")
    created_at: datetime = Field(sa_column=timestamp_column())


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "party_id"],
            ["party.partnership_id", "party.id"],
            name="api_token_partnership_id_party_id_fkey",
        ),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    party_id: uuid.UUID
    user_id: uuid.UUID = Field(foreign_key="app_user.id")
    name: str = text_field()
    token_hash: bytes = Field(sa_column=Column(LargeBinary, nullable=False, unique=True))
    scopes: list[str] = Field(sa_column=Column(ARRAY(Text), nullable=False))
    created_at: datetime = Field(sa_column=timestamp_column())
    expires_at: datetime = Field(sa_column=timestamp_column(server_default=None))
    revoked_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
