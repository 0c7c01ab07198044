"""The Relay Node interface and the registry that resolves global IDs with permission checks."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

import strawberry

from mutual.graphql.context import Context
from mutual.graphql.ids import to_global_id


@strawberry.interface(description="An object with an opaque global ID.")
class Node:
    raw_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="Opaque global ID.")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id(type(self).__name__, self.raw_id))


NodeResolver = Callable[[Context, uuid.UUID], Awaitable[Node | None]]
NODE_RESOLVERS: dict[str, NodeResolver] = {}


def node_resolver(type_name: str) -> Callable[[NodeResolver], NodeResolver]:
    """Register how a type is fetched by id; the resolver applies the same checks as any read."""

    def register(fn: NodeResolver) -> NodeResolver:
        NODE_RESOLVERS[type_name] = fn
        return fn

    return register
