"""Pulse's per-operation loaders: cadences and rounds by id, each round's results and whether
the caller answered it and its comments (one statement for every round asked in an operation)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.graphql.context import Context
from mutual.graphql.loaders import by_id
from mutual.pulse import repository, service
from mutual.pulse.models import PulseCadence, PulseRound


class PulseLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.cadence: DataLoader[uuid.UUID, PulseCadence | None] = by_id(
            session, repository.cadences_by_id
        )
        self.round: DataLoader[uuid.UUID, PulseRound | None] = by_id(
            session, repository.rounds_by_id
        )
        self.results: DataLoader[uuid.UUID, list[service.SideResult]] = DataLoader(
            load_fn=self._results
        )
        self.comments: DataLoader[uuid.UUID, dict[uuid.UUID, list[str]]] = DataLoader(
            load_fn=self._comments
        )
        # Keyed by (round, user): the caller's own answers are the only readable ones.
        self.answered: DataLoader[tuple[uuid.UUID, uuid.UUID], bool] = DataLoader(
            load_fn=self._answered
        )

    async def _results(self, ids: Sequence[uuid.UUID]) -> list[list[service.SideResult]]:
        found = await service.results(self.session, ids)
        return [found.get(i, []) for i in ids]

    async def _comments(self, ids: Sequence[uuid.UUID]) -> list[dict[uuid.UUID, list[str]]]:
        found = await service.comments(self.session, ids)
        by_round: dict[uuid.UUID, dict[uuid.UUID, list[str]]] = {i: {} for i in ids}
        for (round_id, party_id), texts in found.items():
            by_round[round_id][party_id] = texts
        return [by_round[i] for i in ids]

    async def _answered(self, keys: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> list[bool]:
        users = {user for _, user in keys}
        done: set[tuple[uuid.UUID, uuid.UUID]] = set()
        for user in users:
            rounds = [r for r, u in keys if u == user]
            done |= {(r, user) for r in await repository.answered(self.session, rounds, user)}
        return [key in done for key in keys]


def pulse_loaders(context: Context) -> PulseLoaders:
    return context.loaders(PulseLoaders)
