"""Row-level security of the roadmap, commitment and KPI tables on its own: direct SQL as the
application role, the identity set per transaction as the application sets it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest

from tests.commitments.factories import (
    DELIVER,
    EVIDENCE,
    ClientFactory,
    mutate,
    propose,
    signed_in,
    step,
)
from tests.helpers import World
from tests.kpis.factories import create_kpi, periods_ago, record

TABLES = (
    "milestone",
    "commitment",
    "commitment_evidence",
    "commitment_transition",
    "kpi",
    "kpi_measurement",
    "kpi_measurement_revision",
)

# What Northwind stored, per table and visibility (see the `northwind_rows` fixture).
STORED = {
    "milestone": {"INTERNAL": 1, "SHARED": 1},
    "commitment": {"INTERNAL": 1, "SHARED": 1},
    "commitment_evidence": {"INTERNAL": 1},
    "commitment_transition": {"INTERNAL": 2, "SHARED": 1},
    "kpi": {"INTERNAL": 1, "SHARED": 1},
    "kpi_measurement": {"INTERNAL": 1, "SHARED": 1},
    "kpi_measurement_revision": {"INTERNAL": 1},
}
SHARED_ONLY = {t: {k: n for k, n in c.items() if k == "SHARED"} for t, c in STORED.items()}
NOTHING: dict[str, dict[str, int]] = {t: {} for t in TABLES}

CREATE_MILESTONE = """
mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { code } }
}
"""

Counts = dict[str, dict[str, int]]


@asynccontextmanager
async def acting_as(conn: asyncpg.Connection, user_id: uuid.UUID | None) -> AsyncIterator[None]:
    """One transaction with the caller's identity set (none when `user_id` is None)."""
    async with conn.transaction():
        if user_id is not None:
            await conn.execute("SELECT set_config('mutual.user_id', $1, true)", str(user_id))
        yield


async def _counts(conn: asyncpg.Connection) -> Counts:
    """Rows per table and visibility, as this connection sees them."""
    counts: Counts = {}
    for table in TABLES:
        rows = await conn.fetch(f"SELECT visibility, count(*) AS n FROM {table} GROUP BY 1")
        counts[table] = {row["visibility"]: row["n"] for row in rows}
    return counts


@pytest.fixture
async def northwind_rows(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> World:
    """Northwind's INTERNAL and SHARED rows in every table of the three domains."""
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        for title, visibility in (("Price floor", "INTERNAL"), ("Joint RCA", "SHARED")):
            created = await mutate(
                northwind,
                CREATE_MILESTONE,
                partnershipId=world.nc_id,
                title=title,
                phase="STABILIZE",
                visibility=visibility,
            )
            assert created["userErrors"] == []
        # an INTERNAL commitment is agreed at once, and its own side delivers it with evidence
        internal = await propose(
            northwind, world, "Margin plan", "2099-01-31", visibility="INTERNAL"
        )
        await step(northwind, DELIVER, internal, evidence=EVIDENCE)
        await propose(northwind, world, "Weekly shipments", "2099-01-31")
        period = str(periods_ago("MONTHLY", 0))
        for name, visibility in (("On-time delivery", "SHARED"), ("Margin", "INTERNAL")):
            kpi = await create_kpi(northwind, world, name, visibility=visibility)
            await record(northwind, world, [{"kpiId": kpi["id"], "period": period, "value": 70}])
        # correcting the INTERNAL measurement keeps a revision
        await record(northwind, world, [{"kpiId": kpi["id"], "period": period, "value": 71}])
    assert await _counts(owner) == STORED
    return world


async def test_without_identity_no_row_of_the_three_domains_is_visible(
    northwind_rows: World, app_conn: asyncpg.Connection
) -> None:
    # when: outside a transaction, and inside one with no identity set
    outside = await _counts(app_conn)
    async with acting_as(app_conn, None):
        inside = await _counts(app_conn)

    # then
    assert outside == NOTHING
    assert inside == NOTHING


async def test_northwind_sees_its_internal_rows_and_contoso_only_the_shared_ones(
    northwind_rows: World, app_conn: asyncpg.Connection
) -> None:
    # when
    async with acting_as(app_conn, northwind_rows.user_id("viewer@northwind.example")):
        northwind = await _counts(app_conn)
    async with acting_as(app_conn, northwind_rows.user_id("lead@contoso.example")):
        contoso = await _counts(app_conn)

    # then
    assert northwind == STORED
    assert contoso == SHARED_ONLY


async def test_fabrikam_sees_nothing_of_northwind_contoso(
    northwind_rows: World, app_conn: asyncpg.Connection
) -> None:
    # when: Fabrikam's admin, a partner of Contoso in another partnership
    async with acting_as(app_conn, northwind_rows.user_id("admin@fabrikam.example")):
        fabrikam = await _counts(app_conn)

    # then
    assert fabrikam == NOTHING


async def test_contoso_can_neither_change_nor_delete_northwinds_internal_rows(
    northwind_rows: World, app_conn: asyncpg.Connection, owner: asyncpg.Connection
) -> None:
    # given
    contoso = northwind_rows.user_id("lead@contoso.example")
    statements = [
        "UPDATE milestone SET title = 'Hijacked' WHERE visibility = 'INTERNAL'",
        "UPDATE commitment SET status = 'CONFIRMED' WHERE visibility = 'INTERNAL'",
        "UPDATE kpi SET target_value = 0 WHERE visibility = 'INTERNAL'",
        "UPDATE kpi_measurement SET value = 0 WHERE visibility = 'INTERNAL'",
        "UPDATE commitment_evidence SET url = 'https://evil.example' WHERE visibility = 'INTERNAL'",
        "DELETE FROM commitment_evidence WHERE visibility = 'INTERNAL'",
    ]

    # when
    async with acting_as(app_conn, contoso):
        results = [await app_conn.execute(sql) for sql in statements]

    # then
    assert results == ["UPDATE 0"] * 5 + ["DELETE 0"]
    assert await _counts(owner) == STORED
    assert await owner.fetchval("SELECT count(*) FROM milestone WHERE title = 'Hijacked'") == 0


async def test_contoso_cannot_write_an_internal_row_in_northwinds_name(
    northwind_rows: World, app_conn: asyncpg.Connection, owner: asyncpg.Connection
) -> None:
    # given
    northwind_party = northwind_rows.parties[("nc", "northwind")].id

    # when
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with acting_as(app_conn, northwind_rows.user_id("lead@contoso.example")):
            await app_conn.execute(
                "INSERT INTO milestone (partnership_id, title, phase, status, sort_key, "
                "owner_party_id, visibility) VALUES ($1, 'Planted', 'DEEPEN', 'PLANNED', 0, $2, "
                "'INTERNAL')",
                northwind_rows.northwind_contoso.id,
                northwind_party,
            )

    # then
    assert await _counts(owner) == STORED


@pytest.mark.parametrize("table", ["commitment_transition", "kpi_measurement_revision"])
async def test_the_app_role_cannot_rewrite_or_erase_history_even_of_its_own_side(
    table: str, northwind_rows: World, app_conn: asyncpg.Connection, owner: asyncpg.Connection
) -> None:
    # given: Northwind sees its own history rows
    northwind = northwind_rows.user_id("lead@northwind.example")
    async with acting_as(app_conn, northwind):
        visible = await app_conn.fetchval(f"SELECT count(*) FROM {table}")

    # when / then
    for statement in (
        f"UPDATE {table} SET reason = 'rewritten'"
        if table == "commitment_transition"
        else f"UPDATE {table} SET value = 0",
        f"DELETE FROM {table}",
        f"TRUNCATE {table}",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            async with acting_as(app_conn, northwind):
                await app_conn.execute(statement)
    assert visible == sum(STORED[table].values())
    assert await _counts(owner) == STORED
