"""Organizations, users, partnerships, parties, workspace members and invitations."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import ForeignKeyConstraint, Index, UniqueConstraint, func, text
from sqlmodel import Field, SQLModel

from mutual.kit.columns import server_default, text_field, timestamp_column, uuid_key
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

    id: uuid.UUID = uuid_key(primary_key=True)
    name: str = text_field()
    slug: str = text_field(unique=True)
    email_domain: str | None = text_field(None, unique=True)
    created_at: datetime = Field(sa_column=timestamp_column())


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    __table_args__ = (
        Index("app_user_email_key", func.lower(text("email")), unique=True),
        Index("app_user_organization_idx", "organization_id"),
    )

    id: uuid.UUID = uuid_key(primary_key=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id")
    email: str = text_field()
    display_name: str = text_field()
    password_hash: str | None = text_field(None)
    org_role: str = text_field(OrgRole.MEMBER)
    is_active: bool = Field(default=True, sa_column_kwargs=server_default("true"))
    created_at: datetime = Field(sa_column=timestamp_column())


class Partnership(SQLModel, table=True):
    __tablename__ = "partnership"

    id: uuid.UUID = uuid_key(primary_key=True)
    name: str = text_field()
    status: str = text_field()
    created_by: uuid.UUID = Field(foreign_key="app_user.id")
    created_at: datetime = Field(sa_column=timestamp_column())
    updated_at: datetime = Field(sa_column=timestamp_column())
    activated_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
    version: int = Field(default=1, sa_column_kwargs=server_default("1"))


class Party(SQLModel, table=True):
    __tablename__ = "party"
    __table_args__ = (
        UniqueConstraint("id", name="party_id_key"),
        UniqueConstraint(
            "partnership_id", "organization_id", name="party_partnership_id_organization_id_key"
        ),
        Index("party_organization_idx", "organization_id", "partnership_id"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    organization_id: uuid.UUID = Field(foreign_key="organization.id")
    label: str = text_field()


class WorkspaceMember(SQLModel, table=True):
    __tablename__ = "workspace_member"
    __table_args__ = (
        ForeignKeyConstraint(
            ["partnership_id", "party_id"],
            ["party.partnership_id", "party.id"],
            name="workspace_member_partnership_id_party_id_fkey",
        ),
        UniqueConstraint(
            "partnership_id", "user_id", name="workspace_member_partnership_id_user_id_key"
        ),
        Index("workspace_member_user_idx", "user_id", "partnership_id"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    party_id: uuid.UUID
    user_id: uuid.UUID = Field(foreign_key="app_user.id")
    role: str = text_field()
    created_at: datetime = Field(sa_column=timestamp_column())


class Invitation(SQLModel, table=True):
    __tablename__ = "invitation"
    __table_args__ = (
        # One pending invitation per pair of organizations, whichever side invited.
        Index(
            "invitation_one_pending",
            func.least(text("inviter_organization_id"), text("invitee_organization_id")),
            func.greatest(text("inviter_organization_id"), text("invitee_organization_id")),
            unique=True,
            postgresql_where=text("status = 'PENDING'"),
        ),
        Index("invitation_invitee_idx", "invitee_organization_id", "status"),
    )

    partnership_id: uuid.UUID = Field(primary_key=True, foreign_key="partnership.id")
    id: uuid.UUID = uuid_key(primary_key=True)
    inviter_organization_id: uuid.UUID = Field(foreign_key="organization.id")
    invitee_organization_id: uuid.UUID = Field(foreign_key="organization.id")
    invited_by: uuid.UUID = Field(foreign_key="app_user.id")
    message: str = text_field("", server_default="''")
    status: str = text_field(InvitationStatus.PENDING)
    created_at: datetime = Field(sa_column=timestamp_column())
    expires_at: datetime = Field(sa_column=timestamp_column(server_default=None))
    decided_at: datetime | None = Field(default=None, sa_column=timestamp_column(nullable=True))
    decided_by: uuid.UUID | None = Field(default=None, foreign_key="app_user.id")


class OidcProvider(SQLModel, table=True):
    """An organization's OpenID Connect provider, kept by its admins (auth signs in with it)."""

    __tablename__ = "oidc_provider"

    organization_id: uuid.UUID = Field(
        primary_key=True, foreign_key="organization.id", ondelete="CASCADE"
    )
    issuer: str = text_field()
    client_id: str = text_field()
    # Sealed with the data key (kit/sealing.py), never the secret itself.
    client_secret_encrypted: str = text_field()
    enabled: bool = Field(default=True, sa_column_kwargs=server_default("true"))
