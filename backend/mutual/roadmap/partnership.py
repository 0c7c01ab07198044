"""What the roadmap adds to `Partnership`: `roadmap`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.roadmap.queries import roadmap_for
from mutual.roadmap.types import Roadmap
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="RoadmapPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="The co-edited recovery roadmap.")
    async def roadmap(self, info: Info[Context, None]) -> Roadmap:
        return await roadmap_for(info, self.workspace)
