"""How a side (`Party`) reads in SQL, for lists answered by PostgreSQL (graphql/json_lists.py)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import UUID

from mutual.graphql.json_lists import Nested, Shape, column, global_id
from mutual.kit.visibility import VIEWER_PARTY

PARTY = Shape(
    "Party",
    {
        "id": global_id("Party"),
        "label": column("label"),
        "isOwn": lambda alias: f"{alias}.id = :{VIEWER_PARTY}",
    },
    binds={VIEWER_PARTY: UUID(as_uuid=True)},
)


def party_at(key: str) -> Nested:
    """The side a row names in its column `key` (the partnership's: both come with it)."""
    return Nested(
        PARTY,
        lambda outer, inner: (
            f"party {inner} WHERE {inner}.partnership_id = {outer}.partnership_id "
            f"AND {inner}.id = {outer}.{key}"
        ),
    )
