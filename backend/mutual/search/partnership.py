"""What the search adds to `Partnership`: `search`, `waitingOnYourSide`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.search import service
from mutual.search.types import SearchHit, WaitingItem
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="SearchPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(
        description="Milestones and commitments whose title or description hold every word "
        "(a word also finds those it begins: 'deliv' finds 'delivery'), best matches first."
    )
    async def search(
        self, info: Info[Context, None], text: str, first: int = 20
    ) -> list[SearchHit]:
        hits = await service.search(info.context.db, self.workspace, text=text, first=first)
        return [SearchHit.from_hit(hit) for hit in hits]

    @strawberry.field(
        description="What waits for your side to act, across the workspace, longest first."
    )
    async def waiting_on_your_side(self, info: Info[Context, None]) -> list[WaitingItem]:
        items = await service.waiting_on_side(info.context.db, self.workspace)
        return [WaitingItem.from_item(item) for item in items]
