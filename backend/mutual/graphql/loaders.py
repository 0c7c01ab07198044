"""Per-operation data loaders: one statement per kind of object, however many are asked for."""

from __future__ import annotations

import asyncio
import inspect
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar, cast

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from mutual.auth import repository as auth_repository
from mutual.auth.principal import Principal
from mutual.commitments import repository as commitment_repository
from mutual.commitments.models import Commitment, CommitmentEvidence, CommitmentTransition
from mutual.kpis import repository as kpi_repository
from mutual.kpis.models import Kpi, KpiMeasurement, KpiMeasurementRevision, LatestMeasurement
from mutual.roadmap import repository as roadmap_repository
from mutual.roadmap import service as roadmap_service
from mutual.roadmap.models import Milestone
from mutual.tenancy import repository as tenancy_repository
from mutual.tenancy.models import Organization, Party, User
from mutual.tenancy.service import Workspace, load_workspace

T = TypeVar("T")
R = TypeVar("R")
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


def now_or_later(loader: DataLoader[K, T], key: K) -> T | Awaitable[T]:
    """The loaded value when a list resolver already loaded it (no task, no await), else the
    loader's awaitable."""
    future = loader.cache_map.get(key) if loader.cache else None
    if future is not None and future.done() and future.exception() is None:
        return future.result()
    return loader.load(key)


def shaped(value: T | Awaitable[T], shape: Callable[[T], R]) -> R:
    """`shape(value)` now when the value is at hand, else once it arrives.

    graphql-core awaits whatever awaitable a resolver returns, so a field declared synchronous
    may still load: on a list of a hundred objects whose data the list resolver prefetched,
    each field answers at once instead of costing an asyncio task per object. The return is
    typed as the shaped value, which is what the field's schema type says."""
    if inspect.isawaitable(value):
        pending = value

        async def later() -> R:
            return shape(await pending)

        return cast(R, later())
    return shape(value)


def selects_any(info: Info[Any, Any], names: Iterable[str]) -> bool:
    """Whether the current field's selection asks, at any depth, for one of `names`. Read off
    graphql-core's field nodes: strawberry's `selected_fields` converts the whole selection,
    arguments and directives included, which cost more than the answer on a dashboard."""
    wanted = set(names)
    raw = info._raw_info
    fragments = raw.fragments

    def walk(selection_set: SelectionSetNode | None) -> bool:
        if selection_set is None:
            return False
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in wanted or walk(selection.selection_set):
                    return True
            elif isinstance(selection, InlineFragmentNode):
                if walk(selection.selection_set):
                    return True
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None and walk(fragment.selection_set):
                    return True
        return False

    return any(walk(node.selection_set) for node in raw.field_nodes)


def _once(
    started: dict[K, asyncio.Future[T]], key: K, start: Callable[[], Awaitable[T]]
) -> Awaitable[T]:
    """One load per key per operation, shared by everyone who asks while it runs or after."""
    pending = started.get(key)
    if pending is None:
        pending = started[key] = asyncio.ensure_future(start())
    return pending


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
        self.commitment: DataLoader[uuid.UUID, Commitment | None] = by_id(
            session, commitment_repository.commitments_by_id
        )
        self._workspaces: dict[uuid.UUID, asyncio.Future[Workspace]] = {}
        self._roadmaps: dict[uuid.UUID, asyncio.Future[list[Milestone]]] = {}
        self.evidence: DataLoader[uuid.UUID, list[CommitmentEvidence]] = grouped(
            session, commitment_repository.evidence_of, "commitment_id"
        )
        self.transitions: DataLoader[uuid.UUID, list[CommitmentTransition]] = grouped(
            session, commitment_repository.transitions_of, "commitment_id"
        )
        self.revisions: DataLoader[uuid.UUID, list[KpiMeasurementRevision]] = grouped(
            session, kpi_repository.revisions_of, "measurement_id"
        )
        self.latest_measurements = DataLoader[tuple[uuid.UUID, int], list[LatestMeasurement]](
            load_fn=self._latest_measurements
        )
        self.measurement: DataLoader[uuid.UUID, KpiMeasurement | None] = by_id(
            session, kpi_repository.measurements_by_id
        )

    def workspace(self, actor: Principal, partnership_id: uuid.UUID) -> Awaitable[Workspace]:
        """The caller's workspace (read scope), loaded once per partnership per operation:
        a hundred nodes of one partnership check it once. Its NOT_FOUND reaches every caller."""
        return _once(
            self._workspaces,
            partnership_id,
            lambda: load_workspace(self.session, actor=actor, partnership_id=partnership_id),
        )

    def roadmap(self, workspace: Workspace) -> Awaitable[list[Milestone]]:
        """Every milestone of the partnership the caller sees, once per operation; each also
        answers `milestone.load(id)`, so a roadmap and a page of commitments naming their
        milestones share one statement."""
        return _once(self._roadmaps, workspace.id, lambda: self._load_roadmap(workspace))

    async def _load_roadmap(self, workspace: Workspace) -> list[Milestone]:
        milestones = await roadmap_service.visible_milestones(self.session, workspace)
        self.milestone.prime_many({m.id: m for m in milestones})
        return milestones

    async def _sso_enabled(self, organization_ids: Sequence[uuid.UUID]) -> list[bool]:
        enabled = set(await auth_repository.sso_organizations(self.session, organization_ids))
        return [i in enabled for i in organization_ids]

    async def _latest_measurements(
        self, keys: Sequence[tuple[uuid.UUID, int]]
    ) -> list[list[LatestMeasurement]]:
        """The last n measurements (newest first) per KPI; one statement for the largest n."""
        most = max(n for _, n in keys)
        latest = await kpi_repository.latest_measurements(
            self.session, list({kpi_id for kpi_id, _ in keys}), per_kpi=most
        )
        return [latest.get(kpi_id, [])[:n] for kpi_id, n in keys]
