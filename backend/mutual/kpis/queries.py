"""KPI reads: the partnership's KPIs (built-in ones included) and KPI nodes."""

from __future__ import annotations

import uuid

from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.node import Node, node_resolver
from mutual.kit.errors import DomainError
from mutual.kpis import service
from mutual.kpis.types import Kpi
from mutual.tenancy.service import Workspace


async def kpis_for(
    info: Info[Context, None], workspace: Workspace, *, include_builtin: bool
) -> list[Kpi]:
    db = info.context.db
    stored = [Kpi.from_model(k, workspace) for k in await service.list_kpis(db, workspace)]
    if not include_builtin:
        return stored
    builtin = [Kpi.from_model(k, workspace) for k in await service.builtin_kpis(db, workspace)]
    return builtin + stored


@node_resolver("Kpi")
async def _kpi_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    try:
        workspace, kpi = await service.visible_kpi(context.db, context.actor, raw_id)
    except DomainError as error:
        if error.code == "NOT_FOUND":
            return None
        raise
    return Kpi.from_model(kpi, workspace)
