"""db.fetch_rows: list reads as SQLAlchemy Core rows give what the ORM's session gives, inside
the request's transaction, counted and seen by SQLAlchemy's events, with SQLAlchemy's errors."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import asyncpg
import pytest
from sqlalchemy import Date, Numeric, bindparam, event, literal_column, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from bench.generate import Shape
from mutual.commitments.models import Commitment
from mutual.db import Database, counting, fetch_rows
from mutual.kit.pagination import PageRequest
from mutual.kit.records import Visibility
from mutual.kit.repository import columns_of, paginate
from mutual.kpis.models import Kpi
from mutual.kpis.repository import latest_measurements
from tests.helpers import World, fill_shape


@pytest.fixture
async def session(owner_url: URL) -> AsyncIterator[AsyncSession]:
    database = Database(owner_url, pool_size=1)
    try:
        async with database.session() as session:
            yield session
    finally:
        await database.dispose()


async def _both(session: AsyncSession, stmt: object, params: dict[str, object] | None = None):
    """The rows of fetch_rows, and those of the same statement run by the session (the ORM's
    execution)."""
    connection = await session.connection()
    direct = [tuple(row) for row in await fetch_rows(connection, stmt, params)]  # type: ignore[arg-type]
    through = [tuple(row) for row in (await session.execute(stmt, params)).all()]  # type: ignore[call-overload]
    return direct, through


async def test_rows_match_sqlalchemy_for_each_shape_and_its_own_values(
    owner: asyncpg.Connection, world: World, session: AsyncSession
) -> None:
    await fill_shape(
        owner, world.fabrikam_contoso, Shape(milestones=3, commitments=6, kpis=3, measurements=4)
    )
    # One shape, two sets of literal values: the second must not reuse the first's.
    for visibility in (Visibility.SHARED, Visibility.INTERNAL):
        stmt = (
            select(*columns_of(Commitment))
            .where(Commitment.visibility == visibility)  # type: ignore[arg-type]
            .order_by(Commitment.id)  # type: ignore[arg-type]
            .limit(50)
        )
        direct, through = await _both(session, stmt)
        assert direct == through
        assert direct and {row[3] for row in direct} == {visibility}

    kpis = select(*columns_of(Kpi)).order_by(Kpi.id)  # type: ignore[arg-type]
    direct, through = await _both(session, kpis)
    assert direct == through and len(direct) >= 3
    assert any(isinstance(value, Decimal) for value in direct[0])

    # A text statement with an array parameter: the KPI list's latest measurements.
    kpi_ids = [row[1] for row in direct]
    latest = await latest_measurements(session, kpi_ids, per_kpi=2)
    stored = await owner.fetch(
        "SELECT kpi_id, period_start, value FROM kpi_measurement ORDER BY period_start DESC"
    )
    for kpi_id in kpi_ids:
        expected = [(r["period_start"], r["value"]) for r in stored if r["kpi_id"] == kpi_id]
        assert [(m.period_start, m.value) for m in latest.get(kpi_id, [])] == expected[:2]


async def test_expanding_lists_and_converting_types_read_as_sqlalchemy_reads_them(
    session: AsyncSession,
) -> None:
    # An expanding IN list (SQL made per execution).
    in_list = (
        select(literal_column("x", type_=Numeric))
        .select_from(text("unnest(ARRAY[1, 2, 3]) AS x"))
        .where(literal_column("x").in_(bindparam("xs", expanding=True)))
    )
    direct, through = await _both(session, in_list, {"xs": [1, 3]})
    assert direct == through == [(Decimal(1),), (Decimal(3),)]
    # A column whose type converts what asyncpg returns: float8 read as Decimal.
    converted = select(literal_column("1.5::float8", type_=Numeric(asdecimal=True)))
    direct, through = await _both(session, converted)
    assert direct == through == [(Decimal("1.5"),)]
    assert type(direct[0][0]) is Decimal


async def test_it_runs_in_the_sessions_transaction_and_is_counted(session: AsyncSession) -> None:
    connection = await session.connection()
    seen_by_events: list[str] = []

    def before_cursor_execute(*args: object) -> None:
        seen_by_events.append(str(args[2]))

    # First statement of the session: it begins the transaction itself.
    event.listen(connection.sync_engine, "before_cursor_execute", before_cursor_execute)
    try:
        async with counting() as counter:
            rows = await fetch_rows(
                connection, select(literal_column("set_config('mutual.probe', 'seen', true)"))
            )
    finally:
        event.remove(connection.sync_engine, "before_cursor_execute", before_cursor_execute)
    assert rows[0][0] == "seen"
    assert len(counter.statements) == 1 and "set_config" in counter.statements[0]
    # SQLAlchemy's own statement events see it (tracing does).
    assert seen_by_events == counter.statements
    # A transaction-local setting made directly is seen by SQLAlchemy's next statement, and
    # the other way round: one transaction.
    seen = await connection.execute(text("SELECT current_setting('mutual.probe', true)"))
    assert seen.scalar_one() == "seen"
    await connection.execute(text("SELECT set_config('mutual.probe', 'again', true)"))
    rows = await fetch_rows(
        connection, select(literal_column("current_setting('mutual.probe', true)"))
    )
    assert rows[0][0] == "again"
    await session.rollback()
    after = await fetch_rows(
        await session.connection(), select(literal_column("current_setting('mutual.probe', true)"))
    )
    assert after[0][0] in (None, "")


async def test_errors_are_sqlalchemys_and_the_session_recovers(session: AsyncSession) -> None:
    failing = select(literal_column("1 / 0"))
    with pytest.raises(DBAPIError) as direct:
        await fetch_rows(await session.connection(), failing)
    await session.rollback()
    with pytest.raises(DBAPIError) as through:
        await (await session.connection()).execute(failing)
    await session.rollback()

    assert type(direct.value) is type(through.value)
    assert type(direct.value.orig) is type(through.value.orig)
    assert isinstance(direct.value.orig.__cause__, asyncpg.DivisionByZeroError)
    assert "1 / 0" in str(direct.value)
    later = select(bindparam("d", type_=Date) + 1)
    rows = await fetch_rows(await session.connection(), later, {"d": date(2026, 1, 2)})
    assert [tuple(row) for row in rows] == [(date(2026, 1, 3),)]


async def test_paginate_reads_a_page_of_read_only_records(
    owner: asyncpg.Connection, world: World, session: AsyncSession
) -> None:
    await fill_shape(
        owner, world.fabrikam_contoso, Shape(milestones=1, commitments=7, kpis=0, measurements=0)
    )
    stmt = select(*columns_of(Commitment)).order_by(Commitment.id)  # type: ignore[arg-type]
    ids = sorted(r["id"] for r in await owner.fetch("SELECT id FROM commitment"))
    first = await paginate(
        session, stmt, PageRequest(first=3, after=None, last=None, before=None), model=Commitment
    )
    assert [c.id for c in first.items] == ids[:3] and first.total == len(ids)
    assert all(type(c) is Commitment for c in first.items)


async def test_concurrent_reads_on_one_session_each_get_their_own_rows(
    session: AsyncSession,
) -> None:
    # They take turns on the connection (and each lets the next send its statement before
    # handing back its rows): every one gets its own answer.
    connection = await session.connection()
    numbers = select(literal_column("n")).select_from(
        text("generate_series(1, CAST(:count AS int)) AS n")
    )
    answers = await asyncio.gather(
        *(fetch_rows(connection, numbers, {"count": count}) for count in range(1, 8))
    )
    assert [[row[0] for row in rows] for rows in answers] == [
        list(range(1, count + 1)) for count in range(1, 8)
    ]
