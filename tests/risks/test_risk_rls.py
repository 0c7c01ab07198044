"""Row-level security of the risk tables on its own: direct SQL as the application role, the
identity set per transaction as the application sets it. The other side reads a SHARED risk and
its assessments, never an INTERNAL one; without an identity nothing shows; an assessment and
the treatment history are append-only and an acceptance's terms cannot be rewritten."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import asyncpg
import pytest

from mutual.graphql.ids import to_global_id
from mutual.kit.clock import today
from tests.commitments.factories import ClientFactory, mutate, only_record, signed_in
from tests.helpers import World
from tests.risks.factories import TREAT, assess, create_risk

TABLES = (
    "risk",
    "risk_assessment",
    "risk_acceptance",
    "risk_action",
    "risk_link",
    "risk_history",
    "risk_action_history",
)


@asynccontextmanager
async def acting_as(conn: asyncpg.Connection, user_id: uuid.UUID | None) -> AsyncIterator[None]:
    async with conn.transaction():
        if user_id is not None:
            await conn.execute("SELECT set_config('mutual.user_id', $1, true)", str(user_id))
        yield


async def _counts(conn: asyncpg.Connection) -> dict[str, dict[str, int]]:
    counts = {}
    for table in TABLES:
        rows = await conn.fetch(f"SELECT visibility, count(*) AS n FROM {table} GROUP BY 1")
        counts[table] = {row["visibility"]: row["n"] for row in rows}
    return counts


@pytest.fixture
async def northwind_rows(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    """A SHARED and an INTERNAL risk of Northwind's, each scored and accepted by Northwind."""
    approver = to_global_id("User", world.user_id("lead@northwind.example"))
    async with signed_in(make_client, owner, world, "governance@northwind.example") as client:
        for visibility in ("SHARED", "INTERNAL"):
            risk = await create_risk(client, world, f"{visibility} risk", visibility=visibility)
            scored = await assess(client, risk, 3, 3)
            only_record(
                await mutate(client, TREAT, riskId=risk["id"], expectedVersion=scored["version"],
                             treatment="ACCEPT", reason="Known cost",
                             approverId=approver,
                             expiresOn=(today() + timedelta(days=30)).isoformat()),
                "risk",
            )  # fmt: skip


@pytest.mark.usefixtures("northwind_rows")
async def test_each_side_reads_what_it_may_and_no_identity_reads_nothing(
    app_conn: asyncpg.Connection, world: World
) -> None:
    both = {"SHARED": 1, "INTERNAL": 1}
    async with acting_as(app_conn, world.user_id("viewer@northwind.example")):
        assert await _counts(app_conn) == {
            "risk": both, "risk_assessment": both, "risk_acceptance": both,
            "risk_action": {}, "risk_link": {},
            # created, then accepted: two states of each risk
            "risk_history": {"SHARED": 2, "INTERNAL": 2}, "risk_action_history": {},
        }  # fmt: skip
    async with acting_as(app_conn, world.user_id("lead@contoso.example")):
        shared = await _counts(app_conn)
        assert shared["risk"] == shared["risk_assessment"] == {"SHARED": 1}
        assert shared["risk_acceptance"] == {"SHARED": 1}
        assert shared["risk_history"] == {"SHARED": 2}
        # and the INTERNAL risk cannot be changed by the other side
        changed = await app_conn.execute(
            "UPDATE risk SET title = 'x' WHERE visibility = 'INTERNAL'"
        )
        assert changed == "UPDATE 0"
    async with acting_as(app_conn, None):
        assert await _counts(app_conn) == {table: {} for table in TABLES}


@pytest.mark.usefixtures("northwind_rows")
async def test_assessments_are_append_only_and_acceptance_terms_fixed(
    app_conn: asyncpg.Connection, world: World
) -> None:
    northwind = world.user_id("governance@northwind.example")
    for statement in (
        "UPDATE risk_assessment SET inherent_likelihood = 1",
        "DELETE FROM risk_assessment",
        "UPDATE risk_acceptance SET expires_on = expires_on + 400",
        "UPDATE risk_acceptance SET reason = 'rewritten'",
        "DELETE FROM risk_acceptance",
        "UPDATE risk_history SET treatment = 'AVOID'",
        "DELETE FROM risk_history",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            async with acting_as(app_conn, northwind):
                await app_conn.execute(statement)
    # and a score outside 1 to 5 is refused by the database too
    with pytest.raises(asyncpg.CheckViolationError):
        async with acting_as(app_conn, northwind):
            await app_conn.execute(
                "INSERT INTO risk_assessment (partnership_id, risk_id, owner_party_id, visibility, "
                "inherent_likelihood, inherent_impact, residual_likelihood, residual_impact) "
                "SELECT partnership_id, risk_id, owner_party_id, visibility, 6, 3, 3, 3 "
                "FROM risk_assessment LIMIT 1"
            )
