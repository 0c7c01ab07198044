"""Migration 0011 creates exactly what pgqueuer 1.6.0 declares (a new version of the library
fails here until a revision brings its schema), and the application role has only the
privileges the request path and the worker use."""

from __future__ import annotations

import asyncpg
import pgqueuer
from pgqueuer import AsyncpgDriver, Queries

from mutual.config import Settings

# What defer (INSERT ... RETURNING, and its log row) and the worker (pick, finish, retry,
# schedule, aggregate statistics) do; the owner keeps the rest (TRUNCATE, DDL, log pruning).
GRANTED = {
    "pgqueuer": {"SELECT", "INSERT", "UPDATE", "DELETE"},
    "pgqueuer_log": {"SELECT", "INSERT", "UPDATE"},
    "pgqueuer_statistics": {"SELECT", "INSERT", "UPDATE"},
    "pgqueuer_schedules": {"SELECT", "INSERT", "UPDATE"},
}
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


async def test_the_migrated_schema_is_what_this_pgqueuer_declares(
    owner: asyncpg.Connection,
) -> None:
    plan = await Queries(AsyncpgDriver(owner)).plan_upgrade()

    assert pgqueuer.__version__ == "1.6.0", "a new pgqueuer: add a revision with its schema"
    assert plan.statements == (), plan.statements


async def test_the_check_sees_a_schema_that_differs(owner: asyncpg.Connection) -> None:
    # inside a transaction rolled back afterwards, the queue loses an index
    transaction = owner.transaction()
    await transaction.start()
    try:
        await owner.execute("DROP INDEX pgqueuer_ep_ea_idx")
        plan = await Queries(AsyncpgDriver(owner)).plan_upgrade()
    finally:
        await transaction.rollback()

    assert any("pgqueuer_ep_ea_idx" in statement for statement in plan.statements), plan


async def test_the_app_role_has_the_privileges_it_uses_and_no_more(
    owner: asyncpg.Connection, settings: Settings
) -> None:
    granted = {}
    for table in GRANTED:
        granted[table] = {
            privilege
            for privilege in PRIVILEGES
            if await owner.fetchval(
                "SELECT has_table_privilege($1, $2, $3)", settings.app_db_role, table, privilege
            )
        }
    sequences = await owner.fetch(
        "SELECT c.relname, has_sequence_privilege($1, c.oid, 'USAGE') AS usage, "
        "has_sequence_privilege($1, c.oid, 'UPDATE') AS updates "
        "FROM pg_class c WHERE c.relkind = 'S' AND c.relname LIKE 'pgqueuer%'",
        settings.app_db_role,
    )

    assert granted == GRANTED
    assert len(sequences) == 4
    assert all(row["usage"] and not row["updates"] for row in sequences), sequences
