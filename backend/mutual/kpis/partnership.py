"""What KPIs add to `Partnership`: `kpis`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.kpis.queries import kpis_for
from mutual.kpis.types import Kpi
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="KpisPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="KPIs with status and evidence; built-in ones first.")
    async def kpis(self, info: Info[Context, None], include_builtin: bool = True) -> list[Kpi]:
        return await kpis_for(info, self.workspace, include_builtin=include_builtin)
