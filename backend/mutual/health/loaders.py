"""The health domain's per-operation loaders: a partnership's health (computed once per
operation) and the partnership list's index and trend (one statement for the page)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.graphql.context import Context
from mutual.graphql.loaders import once
from mutual.health import repository, service
from mutual.health.models import DetectorState, HealthSnapshot
from mutual.tenancy.workspace import Workspace


class HealthLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._health: dict[uuid.UUID, asyncio.Future[service.Health]] = {}
        self._states: dict[uuid.UUID, asyncio.Future[list[DetectorState]]] = {}
        self.latest: DataLoader[uuid.UUID, list[HealthSnapshot]] = DataLoader(
            load_fn=self._load_latest
        )

    def health(self, workspace: Workspace) -> Awaitable[service.Health]:
        return once(self._health, workspace.id, lambda: service.compute(self.session, workspace))

    def states(self, workspace: Workspace) -> Awaitable[list[DetectorState]]:
        return once(
            self._states, workspace.id, lambda: repository.states_of(self.session, workspace.id)
        )

    async def _load_latest(self, ids: Sequence[uuid.UUID]) -> list[list[HealthSnapshot]]:
        found = await repository.latest_two(self.session, ids)
        return [found.get(i, []) for i in ids]


def health_loaders(context: Context) -> HealthLoaders:
    return context.loaders(HealthLoaders)
