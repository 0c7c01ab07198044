"""Each side's view of the audit trail counts and chains only what it may read: the other
side's INTERNAL events leave no gap in its numbers, no link to an unseen hash, and no trace
in `verifyAuditChain.checkedEvents`; the live events carry the same numbers."""

from __future__ import annotations

import hashlib
from typing import Any

import asyncpg
import httpx

from tests.commitments.factories import ClientFactory, both_sides, mutate
from tests.helpers import World, gql
from tests.roadmap.test_roadmap_rules import CREATE

TRAIL = """
query($id: ID!) {
  partnership(id: $id) {
    auditTrail(first: 100) {
      totalCount
      nodes { id seq action visibility createdAt requestId prevHash hash }
    }
    verifyAuditChain { intact checkedEvents firstBrokenSeq }
  }
}
"""

CANONICAL = """
SELECT mutual_audit_view_canonical(e, $2, l.seq) AS canonical
FROM audit_link l JOIN audit_event e ON e.partnership_id = l.partnership_id AND e.seq = l.event_seq
WHERE l.partnership_id = $1 AND l.party_id = $2 ORDER BY l.seq
"""


async def _trail(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    body = await gql(client, TRAIL, {"id": world.nc_id})
    partnership: dict[str, Any] = body["data"]["partnership"]
    return partnership


async def test_a_sides_view_has_no_trace_of_the_other_sides_internal_events(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: Northwind writes three INTERNAL milestones between SHARED ones
        for title, visibility in (
            ("Shared one", "SHARED"),
            ("Price floor", "INTERNAL"),
            ("Margin review", "INTERNAL"),
            ("Shared two", "SHARED"),
            ("Fallback supplier", "INTERNAL"),
        ):
            await mutate(
                northwind, CREATE, partnershipId=world.nc_id, title=title, phase="DEEPEN",
                visibility=visibility,
            )  # fmt: skip

        # when
        theirs = await _trail(contoso, world)
        ours = await _trail(northwind, world)

    # then: Contoso's numbers run 1..n, its count is what it reads, and its chain links up
    for view, party, internal in ((theirs, "contoso", 0), (ours, "northwind", 3)):
        events = list(reversed(view["auditTrail"]["nodes"]))
        total = view["auditTrail"]["totalCount"]
        assert [e["seq"] for e in events] == list(range(1, total + 1))
        assert view["verifyAuditChain"] == {
            "intact": True, "checkedEvents": total, "firstBrokenSeq": None,
        }  # fmt: skip
        assert sum(e["visibility"] == "INTERNAL" for e in events) == internal
        previous = "0" * 64
        party_id = world.parties[("nc", party)].id
        rows = await owner.fetch(CANONICAL, world.northwind_contoso.id, party_id)
        for event, row in zip(events, rows, strict=True):
            assert event["prevHash"] == previous
            digest = hashlib.sha256((previous + row["canonical"]).encode()).hexdigest()
            assert event["hash"] == digest
            previous = event["hash"]
    assert ours["auditTrail"]["totalCount"] == theirs["auditTrail"]["totalCount"] + 3
    # and: the canonical JSON a side hashes names nothing it cannot read
    contoso_view = await owner.fetch(
        CANONICAL, world.northwind_contoso.id, world.parties[("nc", "contoso")].id
    )
    assert not any("Price floor" in row["canonical"] for row in contoso_view)
