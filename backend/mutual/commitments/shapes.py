"""How a commitment reads in SQL, for lists answered by PostgreSQL (graphql/json_lists.py)."""

from __future__ import annotations

from sqlalchemy.types import Date

from mutual.commitments.models import OPEN_STATUSES, CommitmentStatus
from mutual.graphql.json_lists import JsonList, Shape, Step, column, global_id
from mutual.roadmap.shapes import milestone_at
from mutual.tenancy.shapes import party_at

TODAY = "today"
_OPEN = ", ".join(f"'{status}'" for status in OPEN_STATUSES)


def _effective_status(alias: str) -> str:
    # models.Commitment.effective_status: AGREED or IN_PROGRESS past due reads MISSED.
    return (
        f"CASE WHEN {alias}.status IN ({_OPEN}) AND {alias}.due_date < :{TODAY} "
        f"THEN '{CommitmentStatus.MISSED}' ELSE {alias}.status END"
    )


COMMITMENT = Shape(
    "Commitment",
    {
        "id": global_id("Commitment"),
        "title": column("title"),
        "description": column("description"),
        "dueDate": column("due_date"),
        "status": _effective_status,
        "visibility": column("visibility"),
        "version": column("version"),
        "disputeReason": column("dispute_reason"),
        "ownerParty": party_at("owner_party_id"),
        "proposedByParty": party_at("proposed_by_party_id"),
        "milestone": milestone_at("milestone_id"),
    },
    binds={TODAY: Date()},
)

# A connection's `nodes`; totalCount and pageInfo beside them need no objects.
COMMITMENT_NODES = JsonList(
    COMMITMENT, Step("nodes", frozenset({"__typename", "totalCount", "pageInfo"}))
)
