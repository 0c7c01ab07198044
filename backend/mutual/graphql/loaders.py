"""Per-operation data loaders: one statement per kind of object, however many are asked for."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.auth import repository as auth_repository
from mutual.tenancy import repository as tenancy_repository
from mutual.tenancy.models import Organization, Party, User


class Loaders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.user = DataLoader[uuid.UUID, User | None](load_fn=self._users)
        self.organization = DataLoader[uuid.UUID, Organization | None](
            load_fn=self._organizations
        )
        self.parties = DataLoader[uuid.UUID, list[Party]](load_fn=self._parties)
        self.sso_enabled = DataLoader[uuid.UUID, bool](load_fn=self._sso_enabled)

    async def _users(self, ids: Sequence[uuid.UUID]) -> list[User | None]:
        found = {u.id: u for u in await tenancy_repository.users_by_id(self.session, ids)}
        return [found.get(i) for i in ids]

    async def _organizations(self, ids: Sequence[uuid.UUID]) -> list[Organization | None]:
        rows = await tenancy_repository.organizations_by_id(self.session, ids)
        found = {o.id: o for o in rows}
        return [found.get(i) for i in ids]

    async def _parties(self, partnership_ids: Sequence[uuid.UUID]) -> list[list[Party]]:
        grouped: defaultdict[uuid.UUID, list[Party]] = defaultdict(list)
        for party in await tenancy_repository.parties_of(self.session, partnership_ids):
            grouped[party.partnership_id].append(party)
        return [grouped[i] for i in partnership_ids]

    async def _sso_enabled(self, organization_ids: Sequence[uuid.UUID]) -> list[bool]:
        enabled = set(await auth_repository.sso_organizations(self.session, organization_ids))
        return [i in enabled for i in organization_ids]
