"""The data stays distributable by partnership (Citus): in the migrated database, every
workspace table (one with a partnership_id column) has partnership_id in its primary key, and
every foreign key from one workspace table to another matches partnership_id to partnership_id.
"""

from __future__ import annotations

import asyncpg

# Violations in one schema, from the catalog: (table, what is wrong).
VIOLATIONS = """
WITH workspace AS (
    SELECT c.oid, c.relname, a.attnum AS partnership_attnum
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a
      ON a.attrelid = c.oid AND a.attname = 'partnership_id' AND NOT a.attisdropped
    WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
)
SELECT w.relname AS table_name, 'primary key without partnership_id' AS problem
FROM workspace w
WHERE NOT EXISTS (
    SELECT 1 FROM pg_constraint k
    WHERE k.conrelid = w.oid AND k.contype = 'p' AND w.partnership_attnum = ANY (k.conkey)
)
UNION ALL
SELECT source.relname, 'foreign key ' || k.conname || ' without partnership_id'
FROM pg_constraint k
JOIN workspace source ON source.oid = k.conrelid
JOIN workspace target ON target.oid = k.confrelid
WHERE k.contype = 'f' AND NOT EXISTS (
    SELECT 1 FROM unnest(k.conkey, k.confkey) AS pair(source_attnum, target_attnum)
    WHERE pair.source_attnum = source.partnership_attnum
      AND pair.target_attnum = target.partnership_attnum
)
ORDER BY 1, 2
"""

WORKSPACE_TABLES = """
SELECT table_name FROM information_schema.columns
WHERE table_schema = $1 AND column_name = 'partnership_id'
"""


async def violations(conn: asyncpg.Connection, schema: str) -> list[tuple[str, str]]:
    return [(row["table_name"], row["problem"]) for row in await conn.fetch(VIOLATIONS, schema)]


async def test_workspace_keys_include_the_partnership(owner: asyncpg.Connection) -> None:
    tables = {row["table_name"] for row in await owner.fetch(WORKSPACE_TABLES, "public")}
    # The check covers the workspace: every table of it is found as one.
    assert tables >= {
        "party", "workspace_member", "invitation", "api_token", "audit_event", "milestone",
        "kpi", "kpi_measurement", "kpi_measurement_revision", "commitment",
        "commitment_evidence", "commitment_transition",
    }  # fmt: skip
    assert await violations(owner, "public") == []


async def test_a_key_without_the_partnership_is_reported(owner: asyncpg.Connection) -> None:
    # Scratch tables in a transaction rolled back afterwards.
    transaction = owner.transaction()
    await transaction.start()
    try:
        await owner.execute(
            """
            CREATE SCHEMA distribution_check;
            CREATE TABLE distribution_check.parent (
                partnership_id uuid NOT NULL, id uuid PRIMARY KEY);
            CREATE TABLE distribution_check.keyed (
                partnership_id uuid NOT NULL, id uuid NOT NULL,
                PRIMARY KEY (partnership_id, id));
            CREATE TABLE distribution_check.child (
                partnership_id uuid NOT NULL, id uuid NOT NULL, parent_id uuid, keyed_id uuid,
                other_partnership uuid, PRIMARY KEY (partnership_id, id),
                FOREIGN KEY (parent_id) REFERENCES distribution_check.parent (id),
                FOREIGN KEY (other_partnership, keyed_id)
                    REFERENCES distribution_check.keyed (partnership_id, id),
                FOREIGN KEY (partnership_id, keyed_id)
                    REFERENCES distribution_check.keyed (partnership_id, id));
            """
        )
        found = await violations(owner, "distribution_check")
    finally:
        await transaction.rollback()
    assert found == [
        ("child", "foreign key child_other_partnership_keyed_id_fkey without partnership_id"),
        ("child", "foreign key child_parent_id_fkey without partnership_id"),
        ("parent", "primary key without partnership_id"),
    ]
