"""Relay connections with totalCount."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry

from mutual.graphql.context import Context
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


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    total_count: int

    @strawberry.field
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]


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
    edges = [
        Edge(node=wrap(item), cursor=encode_cursor(page.offset + index))
        for index, item in enumerate(page.items)
    ]
    end = page.offset + len(page.items)
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=end < page.total,
            has_previous_page=page.offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        total_count=page.total,
    )
