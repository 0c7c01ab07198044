"""GraphQL types of the search and of the items waiting on a side."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.ids import to_global_id
from mutual.graphql.node import NODE_RESOLVERS, Node
from mutual.kit.search import Waiting
from mutual.search.repository import Hit


async def _node(info: Info[Context, None], object_type: str, raw_id: object) -> Node | None:
    # The Node resolvers check visibility like any read and batch by type (data loaders).
    return await NODE_RESOLVERS[object_type](info.context, raw_id)  # type: ignore[arg-type]


@strawberry.type(description="A record whose title or description matches the search.")
class SearchHit:
    object_type: str = strawberry.field(description="Its Node type, e.g. Milestone.")
    object_id: strawberry.ID = strawberry.field(description="Its global ID.")
    title: str
    excerpt: str = strawberry.field(description="The start of its description.")
    hit: strawberry.Private[Hit]

    @classmethod
    def from_hit(cls, hit: Hit) -> SearchHit:
        return cls(
            object_type=hit.object_type,
            object_id=strawberry.ID(to_global_id(hit.object_type, hit.object_id)),
            title=hit.title,
            excerpt=hit.excerpt,
            hit=hit,
        )

    @strawberry.field(description="The record itself.")
    async def node(self, info: Info[Context, None]) -> Node | None:
        return await _node(info, self.hit.object_type, self.hit.object_id)


@strawberry.type(description="Something that waits for your side to act.")
class WaitingItem:
    object_type: str = strawberry.field(description="Its Node type, e.g. Commitment.")
    object_id: strawberry.ID = strawberry.field(description="Its global ID.")
    title: str
    asked: str = strawberry.field(description="What your side is asked to do.")
    since: datetime = strawberry.field(description="Waiting since (its last change).")
    item: strawberry.Private[Waiting]

    @classmethod
    def from_item(cls, item: Waiting) -> WaitingItem:
        return cls(
            object_type=item.object_type,
            object_id=strawberry.ID(to_global_id(item.object_type, item.object_id)),
            title=item.title,
            asked=item.asked,
            since=item.since,
            item=item,
        )

    @strawberry.field(description="The record itself.")
    async def node(self, info: Info[Context, None]) -> Node | None:
        return await _node(info, self.item.object_type, self.item.object_id)
