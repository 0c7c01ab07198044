"""Reports take the same number of SQL statements whatever their size: a list of 2 or 6 reports
with their sections and acknowledgements, and generating a report over 2 or 12 KPIs."""

from __future__ import annotations

import asyncpg

from mutual.db import counting
from tests.commitments.factories import ClientFactory, mutate, only_record, signed_in
from tests.governance.reports.factories import ACKNOWLEDGE, GENERATE, LIST
from tests.helpers import World, gql
from tests.kpis.factories import create_kpi, periods_ago, record


async def _kpis(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, n: int, start: int
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as editor:
        for i in range(start, start + n):
            kpi = await create_kpi(editor, world, f"Figure {i}")
            await record(
                editor,
                world,
                [{"kpiId": kpi["id"], "period": str(periods_ago("MONTHLY", 1)), "value": i}],
            )


async def test_generating_and_listing_reports_take_constant_statements(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    generated: dict[int, int] = {}
    listed: dict[int, int] = {}
    for size, kpis, start in ((2, 2, 0), (6, 10, 2)):
        await _kpis(make_client, owner, world, kpis, start)
        async with signed_in(make_client, owner, world, "governance@northwind.example") as nw:
            while True:
                async with counting() as counter:
                    report = only_record(
                        await mutate(nw, GENERATE, partnershipId=world.nc_id), "report"
                    )
                generated[size] = len(counter.statements)
                async with signed_in(make_client, owner, world, "governance@contoso.example") as co:
                    await mutate(co, ACKNOWLEDGE, reportId=report["id"], sha256=report["sha256"])
                total = await owner.fetchval("SELECT count(*) FROM report")
                if total >= size:
                    break
        async with signed_in(make_client, owner, world, "viewer@contoso.example") as viewer:
            async with counting() as counter:
                body = await gql(viewer, LIST, {"id": world.nc_id})
            listed[size] = len(counter.statements)
            nodes = body["data"]["partnership"]["reports"]["nodes"]
            assert len(nodes) == size
            assert all(n["acknowledgements"] and n["sections"] for n in nodes)
            figures = next(s for s in nodes[0]["sections"] if s["key"] == "kpi_evidence")
            assert len(figures["rows"]) == kpis + start

    assert generated[2] == generated[6], generated
    assert listed[2] == listed[6], listed
