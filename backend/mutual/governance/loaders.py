"""Governance's per-operation loaders: one statement per kind of record, however many
disclosures, versions or decisions a page shows."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.governance import repository
from mutual.governance.models import (
    Decision,
    DecisionApprover,
    DecisionVote,
    Disclosure,
    DisclosureAcknowledgement,
    DisclosureAttachment,
    DisclosureVersion,
)
from mutual.graphql.context import Context
from mutual.graphql.loaders import by_id
from mutual.tenancy.workspace import Workspace

T = TypeVar("T")


def _grouped(
    fetch: Callable[[Sequence[uuid.UUID]], Awaitable[Sequence[T]]], key: str
) -> DataLoader[uuid.UUID, list[T]]:
    async def load(ids: Sequence[uuid.UUID]) -> list[list[T]]:
        groups: defaultdict[Any, list[T]] = defaultdict(list)
        for item in await fetch(ids):
            groups[getattr(item, key)].append(item)
        return [groups[i] for i in ids]

    return DataLoader(load_fn=load)


class GovernanceLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.disclosure: DataLoader[uuid.UUID, Disclosure | None] = by_id(
            session, repository.disclosures_by_id
        )
        self.version: DataLoader[uuid.UUID, DisclosureVersion | None] = by_id(
            session, repository.versions_by_id
        )
        self.decision: DataLoader[uuid.UUID, Decision | None] = by_id(
            session, repository.decisions_by_id
        )
        self._per_side: dict[tuple[str, uuid.UUID], DataLoader[Any, Any]] = {}

    def _side(self, name: str, workspace: Workspace, make: Callable[[], Any]) -> Any:
        key = (name, workspace.own_party.id)
        if key not in self._per_side:
            self._per_side[key] = make()
        return self._per_side[key]

    def versions(self, workspace: Workspace) -> DataLoader[uuid.UUID, list[DisclosureVersion]]:
        """The versions of a disclosure this side may read, by number."""

        async def fetch(ids: Sequence[uuid.UUID]) -> list[DisclosureVersion]:
            found = await repository.versions_of(
                self.session, workspace.id, ids, viewer_party_id=workspace.own_party.id
            )
            self.version.prime_many({v.id: v for v in found})
            return found

        loader: DataLoader[uuid.UUID, list[DisclosureVersion]] = self._side(
            "versions", workspace, lambda: _grouped(fetch, "disclosure_id")
        )
        return loader

    def attachments(
        self, workspace: Workspace
    ) -> DataLoader[uuid.UUID, list[DisclosureAttachment]]:
        async def fetch(ids: Sequence[uuid.UUID]) -> list[DisclosureAttachment]:
            return await repository.attachments_of(
                self.session, workspace.id, ids, viewer_party_id=workspace.own_party.id
            )

        loader: DataLoader[uuid.UUID, list[DisclosureAttachment]] = self._side(
            "attachments", workspace, lambda: _grouped(fetch, "version_id")
        )
        return loader

    def acknowledgements(
        self, workspace: Workspace
    ) -> DataLoader[uuid.UUID, list[DisclosureAcknowledgement]]:
        async def fetch(ids: Sequence[uuid.UUID]) -> list[DisclosureAcknowledgement]:
            return await repository.acknowledgements_of(self.session, workspace.id, ids)

        loader: DataLoader[uuid.UUID, list[DisclosureAcknowledgement]] = self._side(
            "acknowledgements", workspace, lambda: _grouped(fetch, "version_id")
        )
        return loader

    def approvers(self, workspace: Workspace) -> DataLoader[uuid.UUID, list[DecisionApprover]]:
        async def fetch(ids: Sequence[uuid.UUID]) -> list[DecisionApprover]:
            return await repository.approvers_of(self.session, workspace.id, ids)

        loader: DataLoader[uuid.UUID, list[DecisionApprover]] = self._side(
            "approvers", workspace, lambda: _grouped(fetch, "decision_id")
        )
        return loader

    def votes(self, workspace: Workspace) -> DataLoader[uuid.UUID, list[DecisionVote]]:
        async def fetch(ids: Sequence[uuid.UUID]) -> list[DecisionVote]:
            return await repository.votes_of(self.session, workspace.id, ids)

        loader: DataLoader[uuid.UUID, list[DecisionVote]] = self._side(
            "votes", workspace, lambda: _grouped(fetch, "decision_id")
        )
        return loader


def governance_loaders(context: Context) -> GovernanceLoaders:
    return context.loaders(GovernanceLoaders)
