"""What pulse adds to `Partnership`: `pulse`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.pulse.queries import surveys_for
from mutual.pulse.types import PulseSurveys
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="PulsePartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="Pulse surveys: the cadence and the latest rounds.")
    async def pulse(self, info: Info[Context, None], last: int = 12) -> PulseSurveys:
        return await surveys_for(info, self.workspace, last)
