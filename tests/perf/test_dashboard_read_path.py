"""The dashboard's list reads take the fast path (kit.repository.read_rows: SQLAlchemy Core rows
made into read_only records), not the ORM's loading: counted with SQLAlchemy's events, so the
test fails when a list read goes back through the session."""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from bench.dashboard import DASHBOARD
from bench.generate import Shape
from mutual.db import counting
from tests.helpers import World, fill_shape, gql, login

# The tables the dashboard lists (roadmap, commitments page, KPIs with their latest
# measurements, the built-in on-time KPIs' monthly counts, the built-in feedback figures).
LISTED = ("FROM milestone", "FROM commitment", "FROM kpi", "date_trunc('month'", "JOIN feedback f")


@pytest.fixture
def orm_statements() -> Iterator[list[str]]:
    """The SQL of every statement the ORM's session executes meanwhile."""
    seen: list[str] = []

    def note(state: ORMExecuteState) -> None:
        seen.append(str(state.statement))

    event.listen(Session, "do_orm_execute", note)
    try:
        yield seen
    finally:
        event.remove(Session, "do_orm_execute", note)


async def test_the_dashboards_list_reads_go_past_the_orm(
    client: httpx.AsyncClient,
    world: World,
    owner: asyncpg.Connection,
    orm_statements: list[str],
) -> None:
    await fill_shape(
        owner, world.fabrikam_contoso, Shape(milestones=8, commitments=8, kpis=4, measurements=3)
    )
    await login(client, "lead@contoso.example")
    await gql(client, DASHBOARD, {"id": world.gid(world.fabrikam_contoso)})  # warm
    orm_statements.clear()

    async with counting() as counter:
        body = await gql(client, DASHBOARD, {"id": world.gid(world.fabrikam_contoso)})

    assert body["data"]["partnership"]["commitments"]["totalCount"] > 0
    assert len(counter.statements) == 6
    # Only the identity goes through the session; the workspace, the three list reads and the
    # built-in KPIs (both sources in one statement) are Core rows on its connection.
    assert len(orm_statements) == 1, orm_statements
    assert "set_config" in orm_statements[0]
    direct = [sql for sql in counter.statements if "set_config" not in sql]
    assert len(direct) == 5
    for table in LISTED:
        assert any(table in sql for sql in direct), table
