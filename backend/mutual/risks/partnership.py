"""What risks add to `Partnership`: `risks` (the register) and `riskHeatMap`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.pagination import Connection, connection
from mutual.kit.pagination import PageRequest
from mutual.risks.models import ScoreBasis
from mutual.risks.queries import RiskFilterInput, RiskOrderInput, heat_map_for, register_for
from mutual.risks.types import Risk, RiskHeatMap
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="RisksPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(
        description="The risk register with each side's latest score, filtered and sorted "
        "(DIVERGENCE: how far apart the sides' scores are)."
    )
    @connection
    async def risks(
        self,
        info: Info[Context, None],
        page: PageRequest,
        filter: RiskFilterInput | None = None,  # noqa: A002
        order_by: RiskOrderInput | None = None,
    ) -> Connection[Risk]:
        return await register_for(info, self.workspace, page=page, filter=filter, order_by=order_by)

    @strawberry.field(description="The 5x5 heat map per side and combined, disagreements marked.")
    async def risk_heat_map(
        self,
        info: Info[Context, None],
        filter: RiskFilterInput | None = None,  # noqa: A002
        basis: ScoreBasis = ScoreBasis.RESIDUAL,
    ) -> RiskHeatMap:
        return await heat_map_for(info, self.workspace, filter=filter, basis=basis)
