"""KPI reads: the partnership's KPIs (built-in ones included) and KPI nodes."""

from __future__ import annotations

import uuid

from graphql.pyutils import gather_with_cancel
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.loaders import selects_any
from mutual.graphql.node import Node, node_resolver
from mutual.kpis import service
from mutual.kpis.builtin import builtin_kpis
from mutual.kpis.loaders import kpi_loaders
from mutual.kpis.types import TREND_DEFAULT, Kpi
from mutual.tenancy.loaders import node_workspace
from mutual.tenancy.workspace import Workspace

# Fields that read the latest measurements (with their default window).
MEASURED_FIELDS = ("measurements", "latestMeasurement", "status", "evidence")


async def kpis_for(
    info: Info[Context, None], workspace: Workspace, *, include_builtin: bool
) -> list[Kpi]:
    if not include_builtin:
        return await _stored_kpis(info, workspace)
    # Both statements at once: the built-in KPIs' waits for the connection while the stored
    # ones are read, and PostgreSQL runs it while those rows are turned into objects.
    stored, builtin = await gather_with_cancel(
        _stored_kpis(info, workspace), builtin_kpis(info.context.db, workspace)
    )
    made: list[Kpi] = [Kpi.from_model(k, workspace) for k in builtin] + stored
    return made


async def _stored_kpis(info: Info[Context, None], workspace: Workspace) -> list[Kpi]:
    db = info.context.db
    if selects_any(info, MEASURED_FIELDS):
        # Read with the list, so each KPI's fields answer without an await.
        kpis, latest = await service.list_kpis_with_latest(db, workspace, per_kpi=TREND_DEFAULT)
        kpi_loaders(info.context).latest_measurements.prime_many(
            {(k.id, TREND_DEFAULT): latest.get(k.id, []) for k in kpis}
        )
    else:
        kpis = await service.list_kpis(db, workspace)
    return [Kpi.from_model(k, workspace) for k in kpis]


@node_resolver("Kpi")
async def _kpi_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    kpi = await kpi_loaders(context).kpi.load(raw_id)
    workspace = await node_workspace(context, kpi)
    return Kpi.from_model(kpi, workspace) if kpi and workspace else None
