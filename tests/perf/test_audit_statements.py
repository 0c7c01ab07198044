"""The audit trail, with its objects' titles, its actors and a filter, takes the same small number
of SQL statements for a page of 12 or of 100 events: the titles are one statement per type of
object on the page, not one per event."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from mutual.db import counting
from mutual.graphql.ids import to_global_id
from tests.commitments.factories import ClientFactory, both_sides, mutate, propose
from tests.helpers import World, gql
from tests.portal.portal import days_from_today, month_start
from tests.roadmap.test_roadmap_rules import CREATE

TRAIL = """
query($id: ID!, $filter: AuditTrailFilterInput) {
  partnership(id: $id) {
    auditTrail(first: 100, filter: $filter) {
      totalCount
      nodes {
        seq action objectType objectId objectTitle subjectId changes createdAt
        actor { displayName email } actorParty { label isOwn organization { name } }
      }
    }
  }
}
"""
CREATE_KPI = """
mutation($input: CreateKpiInput!) { createKpi(input: $input) { kpi { id } userErrors { message } } }
"""
RECORD = """
mutation($input: RecordKpiMeasurementsInput!) {
  recordKpiMeasurements(input: $input) { created userErrors { message } } }
"""
TYPES = ["Milestone", "Commitment", "Kpi", "KpiMeasurement"]


async def _write(client: httpx.AsyncClient, world: World, *, each: int, start: int) -> None:
    """`each` milestones, commitments and KPIs (with a measurement each)."""
    for n in range(start, start + each):
        await mutate(client, CREATE, partnershipId=world.nc_id, title=f"Step {n}", phase="REBUILD")
        await propose(client, world, f"Promise {n}", days_from_today(30))
        kpi = await mutate(
            client, CREATE_KPI, partnershipId=world.nc_id, name=f"Figure {n}", unit="%",
            direction="HIGHER_IS_BETTER", baselineValue=50, baselineDate=month_start(3),
            targetValue=90, targetDate=month_start(-6), warningThreshold=70,
            criticalThreshold=60, cadence="MONTHLY",
        )  # fmt: skip
        await mutate(
            client, RECORD, partnershipId=world.nc_id,
            measurements=[{"kpiId": kpi["kpi"]["id"], "period": month_start(1), "value": 60 + n}],
        )  # fmt: skip


async def _read(
    client: httpx.AsyncClient, world: World, filter_: dict[str, Any] | None
) -> tuple[list[str], list[dict[str, Any]]]:
    async with counting() as counter:
        body = await gql(client, TRAIL, {"id": world.nc_id, "filter": filter_})
    return counter.statements, body["data"]["partnership"]["auditTrail"]["nodes"]


async def test_the_trail_with_titles_takes_the_same_statements_at_any_size(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        northwind_party = to_global_id("Party", world.parties[("nc", "northwind")].id)
        editor = to_global_id("User", world.user_id("editor@northwind.example"))
        filters: list[dict[str, Any] | None] = [
            {"objectTypes": TYPES},
            {"objectTypes": TYPES, "partyId": northwind_party},
            {"actorId": editor, "createdFrom": "2000-01-01T00:00:00Z"},
        ]
        counted: dict[int, list[list[str]]] = {}
        for size, start in ((3, 0), (25, 3)):
            # given a trail with `size` of each object, made by Northwind's editor
            await _write(northwind, world, each=size - start if start else size, start=start)

            # when Contoso reads it, whole and filtered
            for filter_ in filters:
                statements, events = await _read(contoso, world, filter_)
                counted.setdefault(size, []).append(statements)
                shown = [e for e in events if e["objectType"] in TYPES]
                assert len(shown) >= 4 * 3
                assert all(e["objectTitle"] and e["subjectId"] for e in shown)

    small, large = counted[3], counted[25]
    # identity, the workspace (with both parties), the page of events with its total, the
    # titles of each of the four kinds of object on it, the actors, the sides' organizations
    assert [len(s) for s in small] == [len(s) for s in large] == [9, 9, 9], large
