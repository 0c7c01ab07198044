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

    @strawberry.field(
        description="The KPIs the caller may see, with status and evidence; built-in ones "
        "first (a side's once a commitment of its fell due in a month that is over)."
    )
    async def kpis(self, info: Info[Context, None], include_builtin: bool = True) -> list[Kpi]:
        return await kpis_for(info, self.workspace, include_builtin=include_builtin)
