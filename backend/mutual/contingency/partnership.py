"""What contingency adds to `Partnership`: `contingencyPlans`, `activations`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from mutual.contingency.queries import activations_for, plans_for
from mutual.contingency.types import Activation, ContingencyPlan
from mutual.graphql.context import Context
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="ContingencyPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="The partnership's joint contingency plans, oldest first.")
    async def contingency_plans(self, info: Info[Context, None]) -> list[ContingencyPlan]:
        return await plans_for(info, self.workspace)

    @strawberry.field(description="Activations and drills of its plans, newest first.")
    async def activations(self, info: Info[Context, None]) -> list[Activation]:
        return await activations_for(info, self.workspace)
