"""Types the schema composes from the domains' parts (mutual/schema.py), and that a domain
may name without importing the composition: `Annotated["Partnership", COMPOSED]` in a field's
type, `composed("Partnership")` for the class itself.

`Partnership` and `Viewer` are hubs: every domain adds fields to them. Each domain writes its
fields as a small strawberry type of its own (`<domain>/partnership.py`); the schema composes
the hub once, at start-up, from the base type and the domains' parts, in the domains' order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from strawberry.types.base import get_object_definition

# strawberry resolves a lazy reference by reading this module's namespace when the schema is
# built, after compose() put the composed types there.
COMPOSED = strawberry.lazy("mutual.graphql.composed")

_NAMES: set[str] = set()


def compose(name: str, parts: Sequence[type], *, description: str | None = None) -> type[Any]:
    """One strawberry type named `name` with every field of `parts`, in their order (the base
    first, then each domain's); a field two parts both declare fails here, so no domain hides
    another's. `workspace` and the like are shared private state, declared by each part."""
    seen: dict[str, type] = {}
    for part in parts:
        for field_name in _public_fields(part):
            if field_name in seen:
                raise TypeError(f"{name}.{field_name} comes from {seen[field_name]} and {part}")
            seen[field_name] = part
    made: type[Any] = strawberry.type(
        type(name, tuple(parts), {}), name=name, description=description
    )
    globals()[name] = made
    _NAMES.add(name)
    return made


def _public_fields(part: type) -> set[str]:
    """The part's GraphQL fields (not its strawberry.Private state, which parts share)."""
    private = {
        name
        for klass in part.__mro__
        for name, annotation in vars(klass).get("__annotations__", {}).items()
        if "Private[" in str(annotation)
    }
    definition = get_object_definition(part, strict=True)
    return {f.python_name for f in definition.fields} - private


def composed(name: str) -> type[Any]:
    """The composed type `name`; a KeyError before the schema is built."""
    if name not in _NAMES:
        raise KeyError(f"{name} is composed by mutual.schema.build_schema, not yet run")
    made: type[Any] = globals()[name]
    return made
