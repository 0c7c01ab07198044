"""GraphQL types of the search and of the items waiting on a side."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TypedDict

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.ids import to_global_id
from mutual.graphql.node import NODE_RESOLVERS, Node
from mutual.kit.search import Waiting
from mutual.search.repository import Hit


@strawberry.interface(description="A record of some domain, found for you.")
class FoundItem:
    object_type: str = strawberry.field(description="Its Node type, e.g. Milestone.")
    object_id: strawberry.ID = strawberry.field(description="Its global ID.")
    title: str
    raw_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="The record itself.")
    async def node(self, info: Info[Context, None]) -> Node | None:
        # The Node resolvers check visibility like any read and batch by type (data loaders).
        return await NODE_RESOLVERS[self.object_type](info.context, self.raw_id)


class _Found(TypedDict):
    object_type: str
    object_id: strawberry.ID
    title: str
    raw_id: uuid.UUID


def _found(object_type: str, raw_id: uuid.UUID, title: str) -> _Found:
    global_id = strawberry.ID(to_global_id(object_type, raw_id))
    return {"object_type": object_type, "object_id": global_id, "title": title, "raw_id": raw_id}


@strawberry.type(description="A record whose title or description matches the search.")
class SearchHit(FoundItem):
    excerpt: str = strawberry.field(description="The start of its description.")

    @classmethod
    def from_hit(cls, hit: Hit) -> SearchHit:
        return cls(**_found(hit.object_type, hit.object_id, hit.title), excerpt=hit.excerpt)


@strawberry.type(description="Something that waits for your side to act.")
class WaitingItem(FoundItem):
    asked: str = strawberry.field(description="What your side is asked to do.")
    since: datetime = strawberry.field(description="Waiting since (its last change).")

    @classmethod
    def from_item(cls, item: Waiting) -> WaitingItem:
        found = _found(item.object_type, item.object_id, item.title)
        return cls(**found, asked=item.asked, since=item.since)
