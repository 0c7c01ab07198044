"""The KPIs' per-operation loaders: KPIs, measurements, their revisions, the latest ones."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.graphql.context import Context
from mutual.graphql.loaders import by_id, grouped
from mutual.kpis import repository
from mutual.kpis.models import Kpi, KpiMeasurement, KpiMeasurementRevision, LatestMeasurement


class KpiLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.kpi: DataLoader[uuid.UUID, Kpi | None] = by_id(session, repository.kpis_by_id)
        self.revisions: DataLoader[uuid.UUID, list[KpiMeasurementRevision]] = grouped(
            session, repository.revisions_of, "measurement_id"
        )
        self.latest_measurements = DataLoader[tuple[uuid.UUID, int], list[LatestMeasurement]](
            load_fn=self._latest_measurements
        )
        self.measurement: DataLoader[uuid.UUID, KpiMeasurement | None] = by_id(
            session, repository.measurements_by_id
        )

    async def _latest_measurements(
        self, keys: Sequence[tuple[uuid.UUID, int]]
    ) -> list[list[LatestMeasurement]]:
        """The last n measurements (newest first) per KPI; one statement for the largest n."""
        most = max(n for _, n in keys)
        latest = await repository.latest_measurements(
            self.session, list({kpi_id for kpi_id, _ in keys}), per_kpi=most
        )
        return [latest.get(kpi_id, [])[:n] for kpi_id, n in keys]


def kpi_loaders(context: Context) -> KpiLoaders:
    return context.loaders(KpiLoaders)
