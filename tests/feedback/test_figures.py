"""Figures per receiving side from the history (attainment, medians, CSAT, reopen rate), the
built-in KPIs they become, and feedback's section of the risk and compliance report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
from sqlalchemy.engine import URL

from mutual.feedback.report import sla_section
from mutual.kit.clock import today
from mutual.tenancy.workspace import load_workspace
from tests.commitments.factories import ClientFactory, both_sides, only_record, owner_session
from tests.feedback.factories import ACCEPT, ACKNOWLEDGE, REOPEN, RESOLVE, act, submit
from tests.helpers import World, gql
from tests.security.factories import principal_of

FIGURES = """
query($id: ID!, $from: Date!, $to: Date!) { partnership(id: $id) {
  feedbackFigures(from: $from, to: $to) { submitted firstResponseAttainment
    firstResponseMedianSeconds resolutionAttainment resolutionMedianSeconds rated csatAverage
    csatShare reopenRate party { label organization { name } } } } }
"""
KPIS = """
query($id: ID!) { partnership(id: $id) { kpis { name builtin unit direction baselineValue
  measurements { value } } } }
"""


async def _rated(
    northwind: httpx.AsyncClient,
    contoso: httpx.AsyncClient,
    world: World,
    title: str,
    rating: int,
    *,
    reopen: bool,
) -> None:
    item = await submit(contoso, world, title)
    item = only_record(await act(northwind, ACKNOWLEDGE, item), "feedback")
    item = only_record(await act(northwind, RESOLVE, item, note="Fixed."), "feedback")
    if reopen:
        item = only_record(await act(contoso, REOPEN, item, reason="Not yet."), "feedback")
        item = only_record(await act(northwind, RESOLVE, item, note="Now."), "feedback")
    only_record(await act(contoso, ACCEPT, item, rating=rating), "feedback")


async def test_the_figures_per_receiving_side(
    make_client: ClientFactory, owner: asyncpg.Connection, owner_url: URL, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        await _rated(northwind, contoso, world, "Labels", 5, reopen=False)
        await _rated(northwind, contoso, world, "Invoices", 3, reopen=True)
        await submit(northwind, world, "Forecast")  # to Contoso, open, nothing due yet
        day = today().isoformat()
        body = await gql(northwind, FIGURES, {"id": world.nc_id, "from": day, "to": day})
        figures = {
            f["party"]["organization"]["name"]: f
            for f in body["data"]["partnership"]["feedbackFigures"]
        }

    nw = figures["Northwind Components"]
    assert nw["submitted"] == 2
    assert nw["firstResponseAttainment"] == 1.0 and nw["resolutionAttainment"] == 1.0
    assert nw["firstResponseMedianSeconds"] is not None
    assert (nw["rated"], nw["csatAverage"], nw["csatShare"], nw["reopenRate"]) == (2, 4.0, 0.5, 0.5)
    co = figures["Contoso Retail"]
    assert co["submitted"] == 1
    assert co["firstResponseAttainment"] is None and co["csatAverage"] is None

    # the report's section: the same figures, plain JSON, as of now
    async with owner_session(owner_url) as session:
        workspace = await load_workspace(
            session,
            actor=principal_of(world.users["viewer@contoso.example"]),
            partnership_id=world.northwind_contoso.id,
        )
        section = await sla_section(session, workspace, datetime.now(UTC) + timedelta(minutes=1))
    rows = {r["receiving_party"]: r for r in section["rows"]}
    assert section["title"] == "Feedback and SLA"
    assert sum(r["submitted"] for r in rows.values()) == 3
    assert {r["csat_average"] for r in rows.values()} == {4.0, None}


async def test_last_months_figures_are_built_in_kpis(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        await _rated(northwind, contoso, world, "Labels", 4, reopen=False)
        # submitted last month (the KPIs measure months that are over)
        await owner.execute(
            "UPDATE feedback SET created_at = $1", datetime.now(UTC) - timedelta(days=40)
        )
        body = await gql(contoso, KPIS, {"id": world.nc_id})

    builtin = {k["name"]: k for k in body["data"]["partnership"]["kpis"] if "feedback" in k["name"]}
    org = "Northwind Components"
    assert set(builtin) == {
        f"{name} — {org} (from feedback)"
        for name in (
            "First-response SLA attainment",
            "Resolution SLA attainment",
            "Median first response (business hours)",
            "Median resolution (business hours)",
            "CSAT",
            "CSAT rated 4 or 5",
            "Reopen rate",
        )
    }
    csat = builtin[f"CSAT — {org} (from feedback)"]
    assert csat["builtin"] is True and csat["unit"] == "/5"
    assert [m["value"] for m in csat["measurements"]] == [4.0]
    assert builtin[f"First-response SLA attainment — {org} (from feedback)"]["baselineValue"] == 100
    assert builtin[f"CSAT rated 4 or 5 — {org} (from feedback)"]["baselineValue"] == 100
    reopen = builtin[f"Reopen rate — {org} (from feedback)"]
    assert reopen["direction"] == "LOWER_IS_BETTER" and reopen["baselineValue"] == 0
    assert builtin[f"Median first response (business hours) — {org} (from feedback)"]["unit"] == "h"
