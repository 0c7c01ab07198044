"""Relay connections with totalCount."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry

from mutual.graphql.context import Context
from mutual.graphql.json_lists import joined
from mutual.kit.pagination import Page, PageRequest, encode_cursor

NodeT = TypeVar("NodeT")
ItemT = TypeVar("ItemT")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    node: NodeT
    cursor: str


def _edges(root: Connection[NodeT]) -> list[Edge[NodeT]]:
    # Made when asked for: most lists ask for nodes only, and a cursor each is not free.
    return [
        Edge(node=node, cursor=encode_cursor(root.offset + index))
        for index, node in enumerate(root.nodes)
    ]


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(resolver=_edges)
    page_info: PageInfo
    total_count: int
    nodes: list[NodeT]
    offset: strawberry.Private[int]


def page_request(
    info_context: Context,
    *,
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
) -> PageRequest:
    return PageRequest.parse(
        first=first,
        after=after,
        last=last,
        before=before,
        max_size=info_context.settings.max_page_size,
    )


def to_connection(page: Page[ItemT], wrap: Callable[[ItemT], NodeT]) -> Connection[NodeT]:
    return _connection(page, [wrap(item) for item in page.items])


def json_connection(page: Page[str]) -> Connection[Any]:
    """A page of objects' JSON texts (graphql/json_lists.py) as a connection whose `nodes` is
    their list as PostgreSQL wrote it (its `edges` are never asked for: see JsonList)."""
    return _connection(page, joined(page.items))


def _connection(page: Page[Any], nodes: Any) -> Connection[Any]:
    end = page.offset + len(page.items)
    return Connection(
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=end < page.total,
            has_previous_page=page.offset > 0,
            start_cursor=encode_cursor(page.offset) if page.items else None,
            end_cursor=encode_cursor(end - 1) if page.items else None,
        ),
        total_count=page.total,
        offset=page.offset,
    )


# The Relay arguments every connection field takes, declared here once.
_PAGE_PARAMETERS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
    for name, annotation in (
        ("first", "int | None"),
        ("after", "str | None"),
        ("last", "int | None"),
        ("before", "str | None"),
    )
]


def connection(resolver: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """A connection field's resolver `(self, info, page: PageRequest, ...)`: the field takes
    `first`, `after`, `last` and `before` (declared once, here), parsed and size-checked into
    `page`. Put it under `@strawberry.field`."""
    signature = inspect.signature(resolver)
    names = list(signature.parameters)
    if names[:3] != ["self", "info", "page"]:
        raise TypeError(f"{resolver.__qualname__} must take (self, info, page, ...)")
    rest = [
        p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for p in list(signature.parameters.values())[3:]
    ]

    @functools.wraps(resolver)
    async def resolve(
        self: Any,
        info: Any,
        *,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        **arguments: Any,
    ) -> Any:
        page = page_request(info.context, first=first, after=after, last=last, before=before)
        return await resolver(self, info, page, **arguments)

    parameters = [*list(signature.parameters.values())[:2], *_PAGE_PARAMETERS, *rest]
    resolve.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    annotations = {k: v for k, v in resolver.__annotations__.items() if k != "page"}
    resolve.__annotations__ = {**{p.name: p.annotation for p in _PAGE_PARAMETERS}, **annotations}
    return resolve
