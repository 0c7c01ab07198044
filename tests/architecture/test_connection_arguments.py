"""Connection arguments are declared once (graphql.pagination.connection)."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from mutual.graphql.pagination import connection


def test_a_connection_field_takes_the_relay_arguments_then_its_own() -> None:
    async def members(self: Any, info: Any, page: Any, own_side_only: bool = False) -> Any:
        return page

    resolve = connection(members)
    assert list(inspect.signature(resolve).parameters) == [
        "self",
        "info",
        "first",
        "after",
        "last",
        "before",
        "own_side_only",
    ]
    assert "page" not in resolve.__annotations__


def test_a_resolver_without_a_page_is_refused() -> None:
    async def members(self: Any, info: Any, first: int) -> Any:
        return first

    with pytest.raises(TypeError, match="page"):
        connection(members)
