"""Tenancy's per-operation loaders: users, organizations, parties, SSO flags, workspaces."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.graphql.context import Context
from mutual.graphql.loaders import by_id, grouped, once
from mutual.kit.errors import DomainError
from mutual.kit.principal import Principal
from mutual.kit.records import OwnedRecord, Visibility
from mutual.tenancy import repository
from mutual.tenancy.models import Organization, Party, User
from mutual.tenancy.workspace import Workspace, load_workspace


class TenancyLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.user: DataLoader[uuid.UUID, User | None] = by_id(session, repository.users_by_id)
        self.organization: DataLoader[uuid.UUID, Organization | None] = by_id(
            session, repository.organizations_by_id
        )
        self.parties: DataLoader[uuid.UUID, list[Party]] = grouped(
            session, repository.parties_of, "partnership_id"
        )
        self.sso_enabled = DataLoader[uuid.UUID, bool](load_fn=self._sso_enabled)
        self._workspaces: dict[uuid.UUID, asyncio.Future[Workspace]] = {}

    def workspace(self, actor: Principal, partnership_id: uuid.UUID) -> Awaitable[Workspace]:
        """The caller's workspace (read scope), loaded once per partnership per operation:
        a hundred nodes of one partnership check it once. Its NOT_FOUND reaches every caller."""
        return once(
            self._workspaces,
            partnership_id,
            lambda: load_workspace(self.session, actor=actor, partnership_id=partnership_id),
        )

    async def _sso_enabled(self, organization_ids: Sequence[uuid.UUID]) -> list[bool]:
        enabled = set(await repository.sso_organizations(self.session, organization_ids))
        return [i in enabled for i in organization_ids]


def tenancy_loaders(context: Context) -> TenancyLoaders:
    return context.loaders(TenancyLoaders)


async def node_workspace(context: Context, record: OwnedRecord | None) -> Workspace | None:
    """The caller's workspace of a record fetched as a node; None, all alike, when the record
    is missing, in a partnership the caller cannot enter, or INTERNAL to the other side."""
    if record is None:
        return None
    try:
        workspace = await tenancy_loaders(context).workspace(context.actor, record.partnership_id)
    except DomainError as error:
        if error.code == "NOT_FOUND":
            return None
        raise
    if record.visibility == Visibility.INTERNAL and record.owner_party_id != workspace.own_party.id:
        return None
    return workspace
