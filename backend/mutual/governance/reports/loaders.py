"""The reports' per-operation loaders: reports by id, their snapshots and acknowledgements,
each one statement for every report an operation shows."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.governance.reports import repository, service
from mutual.governance.reports.models import Report, ReportAcknowledgement
from mutual.graphql.context import Context
from mutual.graphql.loaders import by_id


class ReportLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.report: DataLoader[uuid.UUID, Report | None] = by_id(session, repository.reports_by_id)
        self.snapshot = DataLoader[uuid.UUID, tuple[str, dict[str, Any], str]](
            load_fn=self._snapshots
        )
        self.acknowledgements = DataLoader[uuid.UUID, list[tuple[ReportAcknowledgement, str]]](
            load_fn=self._acknowledgements
        )

    async def _snapshots(self, ids: Sequence[uuid.UUID]) -> list[tuple[str, dict[str, Any], str]]:
        """(canonical JSON, parsed, PDF sha256) per report."""
        found = await repository.documents(self.session, ids)
        return [(found[i][0], json.loads(found[i][0]), found[i][2]) for i in ids]

    async def _acknowledgements(
        self, ids: Sequence[uuid.UUID]
    ) -> list[list[tuple[ReportAcknowledgement, str]]]:
        found = await service.acknowledgements(self.session, list(ids))
        return [found[i] for i in ids]


def report_loaders(context: Context) -> ReportLoaders:
    return context.loaders(ReportLoaders)
