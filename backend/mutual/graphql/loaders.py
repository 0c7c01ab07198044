"""Per-operation data loaders: one statement per kind of object, however many are asked for."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.auth import repository as auth_repository
from mutual.commitments import repository as commitment_repository
from mutual.commitments.models import CommitmentEvidence, CommitmentTransition
from mutual.kpis import repository as kpi_repository
from mutual.kpis.models import Kpi, KpiMeasurement, KpiMeasurementRevision
from mutual.roadmap import repository as roadmap_repository
from mutual.roadmap.models import Milestone
from mutual.tenancy import repository as tenancy_repository
from mutual.tenancy.models import Organization, Party, User

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

Fetch = Callable[[AsyncSession, Sequence[uuid.UUID]], Awaitable[Sequence[T]]]


def by_id(session: AsyncSession, fetch: Fetch[T]) -> DataLoader[uuid.UUID, T | None]:
    """Objects by their `id`; None for what does not exist or is not visible."""

    async def load(ids: Sequence[uuid.UUID]) -> list[T | None]:
        found = {getattr(o, "id"): o for o in await fetch(session, ids)}  # noqa: B009
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


def grouped(session: AsyncSession, fetch: Fetch[T], key: str) -> DataLoader[uuid.UUID, list[T]]:
    """Lists of objects by the value of their `key` attribute (in the order fetched)."""

    async def load(ids: Sequence[uuid.UUID]) -> list[list[T]]:
        groups: defaultdict[Any, list[T]] = defaultdict(list)
        for item in await fetch(session, ids):
            groups[getattr(item, key)].append(item)
        return [groups[i] for i in ids]

    return DataLoader(load_fn=load)


class Loaders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.user: DataLoader[uuid.UUID, User | None] = by_id(
            session, tenancy_repository.users_by_id
        )
        self.organization: DataLoader[uuid.UUID, Organization | None] = by_id(
            session, tenancy_repository.organizations_by_id
        )
        self.parties: DataLoader[uuid.UUID, list[Party]] = grouped(
            session, tenancy_repository.parties_of, "partnership_id"
        )
        self.sso_enabled = DataLoader[uuid.UUID, bool](load_fn=self._sso_enabled)
        self.milestone: DataLoader[uuid.UUID, Milestone | None] = by_id(
            session, roadmap_repository.milestones_by_id
        )
        self.kpi: DataLoader[uuid.UUID, Kpi | None] = by_id(session, kpi_repository.kpis_by_id)
        self.evidence: DataLoader[uuid.UUID, list[CommitmentEvidence]] = grouped(
            session, commitment_repository.evidence_of, "commitment_id"
        )
        self.transitions: DataLoader[uuid.UUID, list[CommitmentTransition]] = grouped(
            session, commitment_repository.transitions_of, "commitment_id"
        )
        self.revisions: DataLoader[uuid.UUID, list[KpiMeasurementRevision]] = grouped(
            session, kpi_repository.revisions_of, "measurement_id"
        )
        self.latest_measurements = DataLoader[tuple[uuid.UUID, int], list[KpiMeasurement]](
            load_fn=self._latest_measurements
        )

    async def _sso_enabled(self, organization_ids: Sequence[uuid.UUID]) -> list[bool]:
        enabled = set(await auth_repository.sso_organizations(self.session, organization_ids))
        return [i in enabled for i in organization_ids]

    async def _latest_measurements(
        self, keys: Sequence[tuple[uuid.UUID, int]]
    ) -> list[list[KpiMeasurement]]:
        """The last n measurements (newest first) per KPI; one statement for the largest n."""
        most = max(n for _, n in keys)
        rows = await kpi_repository.latest_measurements(
            self.session, list({kpi_id for kpi_id, _ in keys}), per_kpi=most
        )
        groups: defaultdict[uuid.UUID, list[KpiMeasurement]] = defaultdict(list)
        for row in rows:
            groups[row.kpi_id].append(row)
        return [groups[kpi_id][:n] for kpi_id, n in keys]
