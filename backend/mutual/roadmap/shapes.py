"""How a milestone reads in SQL, for lists answered by PostgreSQL (graphql/json_lists.py)."""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import UUID

from mutual.graphql.json_lists import JsonList, Nested, Shape, Step, column, global_id
from mutual.kit.visibility import VIEWER_PARTY
from mutual.tenancy.shapes import party_at

MILESTONE = Shape(
    "Milestone",
    {
        "id": global_id("Milestone"),
        "title": column("title"),
        "description": column("description"),
        "targetDate": column("target_date"),
        "phase": column("phase"),
        "status": column("status"),
        "visibility": column("visibility"),
        "version": column("version"),
        "ownerParty": party_at("owner_party_id"),
    },
)

# `roadmap { phases { milestones { ... } } }`: each phase's milestones.
ROADMAP_MILESTONES = JsonList(
    MILESTONE,
    Step("phases"),
    Step("milestones", frozenset({"__typename", "phase"})),
)


def milestone_at(key: str) -> Nested:
    """The milestone a row names in its column `key`, when the viewer's side may read it."""
    return Nested(
        MILESTONE,
        lambda outer, inner: (
            f"milestone {inner} WHERE {inner}.partnership_id = {outer}.partnership_id "
            f"AND {inner}.id = {outer}.{key} "
            f"AND ({inner}.visibility = 'SHARED' OR {inner}.owner_party_id = :{VIEWER_PARTY})"
        ),
        binds={VIEWER_PARTY: UUID(as_uuid=True)},
    )
