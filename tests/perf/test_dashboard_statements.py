"""The dashboard query (bench/dashboard.py) takes the same small number of SQL statements
whatever the size of the partnership: 5 or 40 milestones, commitments and KPIs."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from bench.dashboard import DASHBOARD
from bench.generate import Shape
from mutual.db import counting
from mutual.tenancy.models import Partnership
from tests.helpers import World, fill_shape, gql, login

SMALL = Shape(milestones=5, commitments=5, kpis=5, measurements=3)
LARGE = Shape(milestones=40, commitments=40, kpis=40, measurements=30)


async def _dashboard(
    client: httpx.AsyncClient, world: World, partnership: Partnership
) -> tuple[list[str], dict[str, Any]]:
    async with counting() as counter:
        body = await gql(client, DASHBOARD, {"id": world.gid(partnership)})
    dashboard: dict[str, Any] = body["data"]["partnership"]
    return counter.statements, dashboard


@pytest.fixture
async def two_sizes(client: httpx.AsyncClient, world: World, owner: asyncpg.Connection) -> None:
    """Northwind and Contoso small, Fabrikam and Contoso large; the client is Contoso's lead."""
    await fill_shape(owner, world.northwind_contoso, SMALL)
    await fill_shape(owner, world.fabrikam_contoso, LARGE)
    await login(client, "lead@contoso.example")


@pytest.mark.usefixtures("two_sizes")
async def test_the_dashboard_takes_six_statements_at_any_size(
    client: httpx.AsyncClient, world: World
) -> None:

    small, small_board = await _dashboard(client, world, world.northwind_contoso)
    large, large_board = await _dashboard(client, world, world.fabrikam_contoso)

    assert small_board["commitments"]["totalCount"] <= 5
    assert large_board["commitments"]["totalCount"] > 30
    assert sum(len(p["milestones"]) for p in large_board["roadmap"]["phases"]) > 30
    stored = [k for k in large_board["kpis"] if not k["name"].endswith("(from commitments)")]
    assert len(stored) > 30
    assert {len(k["measurements"]) for k in stored} == {12}
    for board in (small_board, large_board):  # so both sizes read the linked milestones
        assert any(c["milestone"] for c in board["commitments"]["nodes"])
    # identity, the workspace (with both parties), the roadmap (whose milestones also answer
    # the commitments'), the commitments page, the KPIs with their latest measurements, and
    # the built-in KPIs of every source (on-time from commitments, feedback figures) in one
    assert len(small) == len(large) == 6, large


NODES = """
query($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on Milestone { title }
    ... on Commitment { title }
    ... on Kpi { name }
  }
}
"""


async def _ids_of(client: httpx.AsyncClient, world: World, partnership: Partnership) -> list[str]:
    board = (await _dashboard(client, world, partnership))[1]
    milestones = [m["id"] for p in board["roadmap"]["phases"] for m in p["milestones"]]
    commitments = [c["id"] for c in board["commitments"]["nodes"]]
    kpis = await gql(
        client,
        "query($id: ID!) { partnership(id: $id) { kpis(includeBuiltin: false) { id } } }",
        {"id": world.gid(partnership)},
    )
    return (
        milestones[:30]
        + commitments[:30]
        + [k["id"] for k in kpis["data"]["partnership"]["kpis"]][:30]
    )


async def test_nodes_by_id_take_the_same_statements_for_3_or_90_ids(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:
    await fill_shape(
        owner, world.northwind_contoso, Shape(milestones=1, commitments=1, kpis=1, measurements=1)
    )
    await fill_shape(owner, world.fabrikam_contoso, LARGE)
    await login(client, "lead@contoso.example")
    few = await _ids_of(client, world, world.northwind_contoso)
    many = await _ids_of(client, world, world.fabrikam_contoso)

    async with counting() as small:
        few_body = await gql(client, NODES, {"ids": few})
    async with counting() as large:
        many_body = await gql(client, NODES, {"ids": many})

    assert [n["id"] for n in few_body["data"]["nodes"]] == few
    assert [n["id"] for n in many_body["data"]["nodes"]] == many
    assert len(few) == 3 and len(many) == 90
    # identity, then each type's records in one statement and the workspace once
    assert len(small.statements) == len(large.statements) == 5, large.statements


MEASUREMENT_DETAILS = """
query($id: ID!) {
  partnership(id: $id) {
    kpis(includeBuiltin: false) {
      name
      measurements(last: 12) { period value source note version recordedAt reportedBy { email } }
    }
  }
}
"""


async def _stored_details(
    owner: asyncpg.Connection, partnership: Partnership
) -> set[tuple[str, str, float, str, str, str]]:
    """What Contoso may see of the latest 12 measurements of each KPI, read as the owner."""
    rows = await owner.fetch(
        "SELECT k.name, m.period_start, m.value, m.source, m.note, u.email FROM kpi k "
        "JOIN LATERAL (SELECT * FROM kpi_measurement m WHERE m.kpi_id = k.id "
        "ORDER BY m.period_start DESC LIMIT 12) m ON true "
        "JOIN app_user u ON u.id = m.reported_by WHERE k.partnership_id = $1 "
        "AND (k.visibility = 'SHARED' OR k.owner_party_id IN (SELECT p.id FROM party p "
        "JOIN organization o ON o.id = p.organization_id WHERE o.slug = 'contoso'))",
        partnership.id,
    )
    return {
        (r["name"], r["period_start"].isoformat(), float(r["value"]), r["source"], r["note"],
         r["email"])
        for r in rows
    }  # fmt: skip


@pytest.mark.usefixtures("two_sizes")
async def test_measurement_details_take_one_statement_for_any_number_of_measurements(
    client: httpx.AsyncClient, world: World, owner: asyncpg.Connection
) -> None:

    counted = []
    for partnership in (world.northwind_contoso, world.fabrikam_contoso):
        async with counting() as counter:
            body = await gql(client, MEASUREMENT_DETAILS, {"id": world.gid(partnership)})
        counted.append(counter.statements)
        measurements = [m for k in body["data"]["partnership"]["kpis"] for m in k["measurements"]]
        shown = {
            (k["name"], m["period"], m["value"], m["source"], m["note"], m["reportedBy"]["email"])
            for k in body["data"]["partnership"]["kpis"]
            for m in k["measurements"]
        }
        assert shown == await _stored_details(owner, partnership)
        assert all(m["version"] >= 1 and m["recordedAt"] for m in measurements)

    assert len(shown) > 400  # 40 KPIs x 12 measurements
    # identity, the workspace, the KPIs with their latest measurements (period and value),
    # the rest of those measurements' rows, their reporters
    assert len(counted[0]) == len(counted[1]) == 5, counted[1]
