"""The roadmap's per-operation loaders: milestones by id, and the partnership's roadmap."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.graphql.context import Context
from mutual.graphql.loaders import by_id, once
from mutual.roadmap import repository, service
from mutual.roadmap.models import Milestone
from mutual.tenancy.workspace import Workspace


class RoadmapLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.milestone: DataLoader[uuid.UUID, Milestone | None] = by_id(
            session, repository.milestones_by_id
        )
        self._roadmaps: dict[uuid.UUID, asyncio.Future[list[Milestone]]] = {}
        self._positions: dict[uuid.UUID, asyncio.Future[dict[uuid.UUID, int]]] = {}

    def roadmap(self, workspace: Workspace) -> Awaitable[list[Milestone]]:
        """Every milestone of the partnership the caller sees, once per operation; each also
        answers `milestone.load(id)`, so a roadmap and a page of commitments naming their
        milestones share one statement."""
        return once(self._roadmaps, workspace.id, lambda: self._load_roadmap(workspace))

    def positions(self, workspace: Workspace) -> Awaitable[dict[uuid.UUID, int]]:
        """Each milestone's position in its phase among those the caller sees, from the
        roadmap: a roadmap's positions cost nothing more, a lone milestone's one statement."""
        return once(self._positions, workspace.id, lambda: self._load_positions(workspace))

    async def _load_positions(self, workspace: Workspace) -> dict[uuid.UUID, int]:
        return service.positions(await self.roadmap(workspace))

    async def _load_roadmap(self, workspace: Workspace) -> list[Milestone]:
        milestones = await service.visible_milestones(self.session, workspace)
        self.milestone.prime_many({m.id: m for m in milestones})
        return milestones


def roadmap_loaders(context: Context) -> RoadmapLoaders:
    return context.loaders(RoadmapLoaders)
