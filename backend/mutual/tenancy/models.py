"""Organizations, users, partnerships, parties, workspace members and invitations."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from mutual.kit.columns import timestamp_column
from mutual.kit.records import Visibility as Visibility


class OrgRole(enum.StrEnum):
    ADMIN = "ADMIN"
    MEMBER = "MEMBER"


class WorkspaceRole(enum.StrEnum):
    LEAD = "LEAD"
    EDITOR = "EDITOR"
    GOVERNANCE = "GOVERNANCE"
    VIEWER = "VIEWER"


class PartnershipStatus(enum.StrEnum):
    INVITED = "INVITED"
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    ENDED = "ENDED"


class InvitationStatus(enum.StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"


class Organization(SQLModel, table=True):
    __tablename__ = "organization"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str
    slug: str
    email_domain: str | None = None
    created_at: datetime = Field(sa_column=timestamp_column())


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organization_id: uuid.UUID
    email: str
    display_name: str
    password_hash: str | None = None
    org_role: str = OrgRole.MEMBER
    is_active: bool = True
    created_at: datetime = Field(sa_column=timestamp_column())


class Partnership(SQLModel, table=True):
    __tablename__ = "partnership"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str
    status: str
    created_by: uuid.UUID
    created_at: datetime = Field(sa_column=timestamp_column())
    updated_at: datetime = Field(sa_column=timestamp_column())
    activated_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
    version: int = 1


class Party(SQLModel, table=True):
    __tablename__ = "party"

    partnership_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    organization_id: uuid.UUID
    label: str


class WorkspaceMember(SQLModel, table=True):
    __tablename__ = "workspace_member"

    partnership_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    party_id: uuid.UUID
    user_id: uuid.UUID
    role: str
    created_at: datetime = Field(sa_column=timestamp_column())


class Invitation(SQLModel, table=True):
    __tablename__ = "invitation"

    partnership_id: uuid.UUID = Field(primary_key=True)
    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    inviter_organization_id: uuid.UUID
    invitee_organization_id: uuid.UUID
    invited_by: uuid.UUID
    message: str = ""
    status: str = InvitationStatus.PENDING
    created_at: datetime = Field(sa_column=timestamp_column())
    expires_at: datetime = Field(sa_column=timestamp_column())
    decided_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
    decided_by: uuid.UUID | None = None


class OidcProvider(SQLModel, table=True):
    """An organization's OpenID Connect provider, kept by its admins (auth signs in with it)."""

    __tablename__ = "oidc_provider"

    organization_id: uuid.UUID = Field(primary_key=True)
    issuer: str
    client_id: str
    client_secret: str
    enabled: bool = True
