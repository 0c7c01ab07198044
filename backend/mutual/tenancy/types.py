"""GraphQL types of the tenancy domain."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import cast

import strawberry
from strawberry.types import Info

from mutual.graphql.composed import composed
from mutual.graphql.context import Context
from mutual.graphql.errors import UserError
from mutual.graphql.node import Node
from mutual.tenancy import models
from mutual.tenancy.errors import TenancyErrorCode
from mutual.tenancy.loaders import tenancy_loaders
from mutual.tenancy.models import (
    InvitationStatus,
    OrgRole,
    PartnershipStatus,
    Visibility,
    WorkspaceRole,
)
from mutual.tenancy.workspace import Workspace

# strawberry.enum registers the domain enums as GraphQL enums and returns them unchanged.
for _enum in (
    OrgRole,
    WorkspaceRole,
    PartnershipStatus,
    InvitationStatus,
    Visibility,
    TenancyErrorCode,
):
    strawberry.enum(_enum)


@strawberry.type
class TenancyError(UserError):
    code: TenancyErrorCode


@strawberry.type
class Organization(Node):
    name: str
    slug: str

    @classmethod
    def from_model(cls, org: models.Organization) -> Organization:
        return cls(raw_id=org.id, name=org.name, slug=org.slug)

    @strawberry.field(description="Whether this organization's users sign in through OIDC SSO.")
    async def has_sso(self, info: Info[Context, None]) -> bool:
        return await tenancy_loaders(info.context).sso_enabled.load(self.raw_id)


async def organization_of(info: Info[Context, None], organization_id: uuid.UUID) -> Organization:
    org = await tenancy_loaders(info.context).organization.load(organization_id)
    assert org is not None, "every user, party and invitation belongs to an organization"
    return Organization.from_model(org)


@strawberry.type
class User(Node):
    email: str
    display_name: str
    org_role: OrgRole
    organization_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(
            raw_id=user.id,
            email=user.email,
            display_name=user.display_name,
            org_role=models.OrgRole(user.org_role),
            organization_id=user.organization_id,
        )

    @strawberry.field
    async def organization(self, info: Info[Context, None]) -> Organization:
        return await organization_of(info, self.organization_id)


@strawberry.type
class Party(Node):
    label: str
    is_own: bool = strawberry.field(description="Whether this is the viewer's side.")
    organization_id: strawberry.Private[uuid.UUID]

    @classmethod
    def from_model(cls, party: models.Party, workspace: Workspace) -> Party:
        return cls(
            raw_id=party.id,
            label=party.label,
            is_own=party.id == workspace.own_party.id,
            organization_id=party.organization_id,
        )

    @strawberry.field
    async def organization(self, info: Info[Context, None]) -> Organization:
        return await organization_of(info, self.organization_id)


def party_of(workspace: Workspace, party_id: uuid.UUID) -> Party:
    """A side of the partnership: both come with the workspace, so this is a plain read, made
    once per side and workspace."""
    made = workspace.derived.get(party_id)
    if made is None:
        made = workspace.derived[party_id] = Party.from_model(workspace.party(party_id), workspace)
    return cast(Party, made)


@strawberry.type(name="PartnershipBase")
class PartnershipBase(Node):
    """The base of the hub type `Partnership`: what tenancy knows of a partnership. The schema
    composes the GraphQL type from it and every domain's fields (`<domain>/partnership.py`);
    make one with `partnership_of(workspace)`."""

    name: str
    status: PartnershipStatus
    created_at: datetime
    viewer_role: WorkspaceRole | None = strawberry.field(
        description="The viewer's workspace role; null for an org admin who is not a member."
    )
    viewer_can_manage_members: bool
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_workspace(cls, workspace: Workspace) -> PartnershipBase:
        p = workspace.partnership
        return cls(
            raw_id=p.id,
            name=p.name,
            status=models.PartnershipStatus(p.status),
            created_at=p.created_at,
            viewer_role=workspace.role,
            viewer_can_manage_members=workspace.manages_members,
            workspace=workspace,
        )

    @strawberry.field
    async def parties(self, info: Info[Context, None]) -> list[Party]:
        parties = await tenancy_loaders(info.context).parties.load(self.workspace.id)
        return [Party.from_model(p, self.workspace) for p in parties]

    @strawberry.field
    def own_party(self) -> Party:
        return Party.from_model(self.workspace.own_party, self.workspace)

    @strawberry.field
    async def counterparty(self, info: Info[Context, None]) -> Party:
        parties = await tenancy_loaders(info.context).parties.load(self.workspace.id)
        other = next(p for p in parties if p.id != self.workspace.own_party.id)
        return Party.from_model(other, self.workspace)


def partnership_of(workspace: Workspace) -> PartnershipBase:
    """The composed `Partnership` (every domain's fields) of a workspace."""
    made = cast(type[PartnershipBase], composed("Partnership")).from_workspace(workspace)
    return made
