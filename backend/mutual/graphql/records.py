"""Fields read off a type's `record` when asked for, not copied at construction.

A page of a hundred commitments asks each for four or five of its fourteen fields: building
every field of every object up front took longer than answering the query. A record field is
a resolver that takes only `self`, so the executor (graphql/execution.py) still answers it in
its loop; one without a conversion also names its reader (`READER`), an operator.attrgetter
that reads the same value without a Python call.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

import strawberry

# The attribute of a resolver function naming an equivalent, faster reader of its object.
READER = "_mutual_reader"


def record_field(
    attr: str,
    graphql_type: Any,
    *,
    convert: Callable[[Any], Any] | None = None,
    description: str | None = None,
) -> Any:
    """The `attr` of the object's `record`, through `convert` unless it is None."""

    def resolve(self: Any) -> Any:
        value = getattr(self.record, attr)
        return value if convert is None or value is None else convert(value)

    if convert is None:
        setattr(resolve, READER, attrgetter(f"record.{attr}"))
    return strawberry.field(resolver=resolve, graphql_type=graphql_type, description=description)
