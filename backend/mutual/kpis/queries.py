"""KPI reads: the partnership's KPIs (built-in ones included) and KPI nodes."""

from __future__ import annotations

import uuid

from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.loaders import selects_any
from mutual.graphql.node import Node, node_resolver, node_workspace
from mutual.kpis import service
from mutual.kpis.types import TREND_DEFAULT, Kpi
from mutual.tenancy.service import Workspace

# Fields that read the latest measurements (with their default window).
MEASURED_FIELDS = ("measurements", "latestMeasurement", "status", "evidence")


async def kpis_for(
    info: Info[Context, None], workspace: Workspace, *, include_builtin: bool
) -> list[Kpi]:
    db = info.context.db
    if selects_any(info, MEASURED_FIELDS):
        # Read with the list, so each KPI's fields answer without an await.
        kpis, latest = await service.list_kpis_with_latest(db, workspace, per_kpi=TREND_DEFAULT)
        info.context.loaders.latest_measurements.prime_many(
            {(k.id, TREND_DEFAULT): latest.get(k.id, []) for k in kpis}
        )
    else:
        kpis = await service.list_kpis(db, workspace)
    stored = [Kpi.from_model(k, workspace) for k in kpis]
    if not include_builtin:
        return stored
    builtin = [Kpi.from_model(k, workspace) for k in await service.builtin_kpis(db, workspace)]
    return builtin + stored


@node_resolver("Kpi")
async def _kpi_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    kpi = await context.loaders.kpi.load(raw_id)
    workspace = await node_workspace(context, kpi)
    return Kpi.from_model(kpi, workspace) if kpi and workspace else None
