"""Row-level security on its own: direct SQL as the application role, no service layer.

The identity is what the application sets per transaction: `set_config('mutual.user_id', ...)`.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from mutual.auth.repository import set_user_identity
from mutual.config import Settings
from mutual.db import Database
from tests.helpers import World
from tests.security.factories import insert_api_token

# The foundation's workspace tables, and the column naming the partnership of each row.
WORKSPACE_TABLES = {
    "partnership": "id",
    "party": "partnership_id",
    "workspace_member": "partnership_id",
    "invitation": "partnership_id",
    "api_token": "partnership_id",
    "audit_event": "partnership_id",
}

UPDATES = {
    "partnership": "UPDATE partnership SET name = 'Hijacked' WHERE id = $1",
    "party": "UPDATE party SET label = 'Hijacked' WHERE partnership_id = $1",
    "workspace_member": "UPDATE workspace_member SET role = 'VIEWER' WHERE partnership_id = $1",
    "invitation": "UPDATE invitation SET message = 'Hijacked' WHERE partnership_id = $1",
    "api_token": "UPDATE api_token SET revoked_at = now() WHERE partnership_id = $1",
}

# Children first, so a visible row would be deleted rather than stopped by a foreign key.
DELETES = {
    "workspace_member": "DELETE FROM workspace_member WHERE partnership_id = $1",
    "api_token": "DELETE FROM api_token WHERE partnership_id = $1",
    "invitation": "DELETE FROM invitation WHERE partnership_id = $1",
    "party": "DELETE FROM party WHERE partnership_id = $1",
    "partnership": "DELETE FROM partnership WHERE id = $1",
}


EVERY_ROW = """
SELECT to_jsonb(p) AS p FROM partnership p
UNION ALL SELECT to_jsonb(x) FROM party x
UNION ALL SELECT to_jsonb(m) FROM workspace_member m
UNION ALL SELECT to_jsonb(i) FROM invitation i
UNION ALL SELECT to_jsonb(t) FROM api_token t
"""


# Every table with a partnership_id column, plus partnership itself: a new one is found here.
PARTNERSHIP_TABLES = """
SELECT c.relname AS name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
  AND (c.relname = 'partnership' OR EXISTS (
        SELECT 1 FROM pg_attribute a
        WHERE a.attrelid = c.oid AND a.attname = 'partnership_id' AND NOT a.attisdropped))
"""


@asynccontextmanager
async def acting_as(conn: asyncpg.Connection, user_id: uuid.UUID) -> AsyncIterator[None]:
    """One transaction with the caller's identity set, as the application sets it."""
    async with conn.transaction():
        await conn.execute("SELECT set_config('mutual.user_id', $1, true)", str(user_id))
        yield


async def _counts(conn: asyncpg.Connection) -> dict[str, dict[uuid.UUID, int]]:
    """Rows per partnership in every workspace table, as this connection sees them."""
    counts: dict[str, dict[uuid.UUID, int]] = {}
    for table, column in WORKSPACE_TABLES.items():
        rows = await conn.fetch(f"SELECT {column} AS p, count(*) AS n FROM {table} GROUP BY 1")
        counts[table] = {row["p"]: row["n"] for row in rows}
    return counts


@pytest.fixture
async def tokens(world: World, owner: asyncpg.Connection) -> World:
    """The demo world plus an API token in each partnership (the seed creates none)."""
    await insert_api_token(
        owner,
        partnership_id=world.northwind_contoso.id,
        party_id=world.parties[("nc", "northwind")].id,
        user_id=world.user_id("lead@northwind.example"),
    )
    await insert_api_token(
        owner,
        partnership_id=world.fabrikam_contoso.id,
        party_id=world.parties[("fc", "fabrikam")].id,
        user_id=world.user_id("admin@fabrikam.example"),
    )
    return world


async def test_without_identity_every_workspace_table_reads_empty(
    tokens: World, owner: asyncpg.Connection, app_conn: asyncpg.Connection
) -> None:
    # given: every workspace table holds rows of both partnerships
    stored = await _counts(owner)
    assert all(
        set(stored[t]) == {tokens.northwind_contoso.id, tokens.fabrikam_contoso.id}
        for t in WORKSPACE_TABLES
    ), stored

    # when: the application role reads with no identity, outside and inside a transaction
    outside = await _counts(app_conn)
    async with app_conn.transaction():
        inside = await _counts(app_conn)

    # then: fail closed
    assert outside == {t: {} for t in WORKSPACE_TABLES}
    assert inside == {t: {} for t in WORKSPACE_TABLES}


async def test_without_identity_every_table_with_a_partnership_id_reads_empty(
    tokens: World, owner: asyncpg.Connection, app_conn: asyncpg.Connection
) -> None:
    # given: the foundation's tables and those of every later domain
    tables = [r["name"] for r in await owner.fetch(PARTNERSHIP_TABLES)]

    # when
    visible = {table: await app_conn.fetchval(f"SELECT count(*) FROM {table}") for table in tables}

    # then
    assert set(WORKSPACE_TABLES) <= set(tables)
    assert visible == dict.fromkeys(tables, 0)


@pytest.mark.parametrize("identity", ["", "00000000-0000-0000-0000-000000000000"])
async def test_an_empty_or_unknown_identity_reads_empty(
    identity: str, tokens: World, app_conn: asyncpg.Connection
) -> None:
    # when
    async with app_conn.transaction():
        await app_conn.execute("SELECT set_config('mutual.user_id', $1, true)", identity)
        seen = await _counts(app_conn)

    # then
    assert seen == {t: {} for t in WORKSPACE_TABLES}


async def test_a_fabrikam_user_reads_nothing_of_northwind_contoso(
    tokens: World, app_conn: asyncpg.Connection
) -> None:
    # given
    fabrikam = tokens.user_id("admin@fabrikam.example")

    # when
    async with acting_as(app_conn, fabrikam):
        seen = await _counts(app_conn)

    # then: only Fabrikam ↔ Contoso, in every table
    for table in WORKSPACE_TABLES:
        assert set(seen[table]) == {tokens.fabrikam_contoso.id}, table


async def test_a_northwind_member_reads_its_partnership_and_not_fabrikams(
    tokens: World, owner: asyncpg.Connection, app_conn: asyncpg.Connection
) -> None:
    # given
    nc = tokens.northwind_contoso.id
    stored = await _counts(owner)

    # when
    async with acting_as(app_conn, tokens.user_id("editor@northwind.example")):
        seen = await _counts(app_conn)

    # then: every Northwind ↔ Contoso row (all shared), nothing of Fabrikam ↔ Contoso
    assert seen == {table: {nc: stored[table][nc]} for table in WORKSPACE_TABLES}
    assert seen["party"] == {nc: 2}
    assert seen["workspace_member"] == {nc: 8}


async def test_a_fabrikam_user_cannot_insert_into_northwind_contoso(
    tokens: World, app_conn: asyncpg.Connection
) -> None:
    # given
    nc = tokens.northwind_contoso.id
    fabrikam = tokens.user_id("admin@fabrikam.example")
    fabrikam_org = tokens.orgs["fabrikam"].id
    contoso_party = tokens.parties[("nc", "contoso")].id
    northwind_lead = tokens.user_id("lead@northwind.example")
    inserts = {
        "partnership": (
            "INSERT INTO partnership (name, status, created_by) VALUES ('Forged', 'ACTIVE', $1)",
            [northwind_lead],
        ),
        "party": (
            "INSERT INTO party (partnership_id, organization_id, label) "
            "VALUES ($1, $2, 'Intruder')",
            [nc, fabrikam_org],
        ),
        "workspace_member": (
            "INSERT INTO workspace_member (partnership_id, party_id, user_id, role) "
            "VALUES ($1, $2, $3, 'LEAD')",
            [nc, contoso_party, fabrikam],
        ),
        "invitation": (
            "INSERT INTO invitation (partnership_id, inviter_organization_id, "
            "invitee_organization_id, invited_by, status, expires_at) "
            "VALUES ($1, $2, $2, $3, 'PENDING', now() + interval '1 day')",
            [nc, fabrikam_org, fabrikam],
        ),
        "api_token": (
            "INSERT INTO api_token (partnership_id, party_id, user_id, name, token_hash, scopes, "
            "expires_at) VALUES ($1, $2, $3, 'stolen', '\\x00'::bytea, '{read}', "
            "now() + interval '1 day')",
            [nc, contoso_party, fabrikam],
        ),
        "audit_event": (
            "INSERT INTO audit_event (partnership_id, action, object_type, object_id, "
            "visibility, owner_party_id, request_id) "
            "VALUES ($1, 'forged', 'Partnership', $1, 'SHARED', $2, 'forged')",
            [nc, contoso_party],
        ),
    }

    # when / then: every insert violates a policy
    refused: list[str] = []
    async with acting_as(app_conn, fabrikam):
        for table, (sql, args) in inserts.items():
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
                async with app_conn.transaction():
                    await app_conn.execute(sql, *args)
            refused.append(table)
    assert refused == list(WORKSPACE_TABLES)


async def test_a_fabrikam_user_updates_and_deletes_no_northwind_contoso_row(
    tokens: World, owner: asyncpg.Connection, app_conn: asyncpg.Connection
) -> None:
    # given
    nc = tokens.northwind_contoso.id
    before = await owner.fetch(EVERY_ROW)

    # when
    statuses: dict[str, str] = {}
    async with acting_as(app_conn, tokens.user_id("admin@fabrikam.example")):
        for table, sql in UPDATES.items():
            statuses[f"update {table}"] = await app_conn.execute(sql, nc)
        for table, sql in DELETES.items():
            statuses[f"delete {table}"] = await app_conn.execute(sql, nc)

    # then: 0 rows affected everywhere, and the owner sees every row as it was
    assert statuses == {
        **{f"update {t}": "UPDATE 0" for t in UPDATES},
        **{f"delete {t}": "DELETE 0" for t in DELETES},
    }
    after = await owner.fetch(EVERY_ROW)
    assert sorted(r["p"] for r in after) == sorted(r["p"] for r in before)


async def test_the_updates_that_affect_nothing_for_an_outsider_do_work_for_a_member(
    tokens: World, app_conn: asyncpg.Connection
) -> None:
    # given: the same statements as above, as Northwind's lead (rolled back afterwards)
    nc = tokens.northwind_contoso.id

    # when
    statuses: dict[str, str] = {}
    tx = app_conn.transaction()
    await tx.start()
    try:
        await app_conn.execute(
            "SELECT set_config('mutual.user_id', $1, true)",
            str(tokens.user_id("lead@northwind.example")),
        )
        for table, sql in UPDATES.items():
            statuses[table] = await app_conn.execute(sql, nc)
    finally:
        await tx.rollback()

    # then: the outsider test above is not passing merely because the statements are wrong
    assert statuses == {
        "partnership": "UPDATE 1",
        "party": "UPDATE 2",
        "workspace_member": "UPDATE 8",
        "invitation": "UPDATE 1",
        "api_token": "UPDATE 1",
    }


async def test_internal_audit_events_are_invisible_to_the_other_party(
    world: World, app_conn: asyncpg.Connection
) -> None:
    # given: Northwind records an INTERNAL event in Northwind ↔ Contoso
    nc = world.northwind_contoso.id
    northwind_party = world.parties[("nc", "northwind")].id
    async with acting_as(app_conn, world.user_id("lead@northwind.example")):
        internal_id = await app_conn.fetchval(
            "INSERT INTO audit_event (partnership_id, actor_user_id, actor_party_id, action, "
            "object_type, object_id, visibility, owner_party_id, request_id) "
            "VALUES ($1, $2, $3, 'note.drafted', 'Note', gen_random_uuid(), 'INTERNAL', $3, 't') "
            "RETURNING id",
            nc,
            world.user_id("lead@northwind.example"),
            northwind_party,
        )

    # when
    query = "SELECT id FROM audit_event WHERE partnership_id = $1"
    async with acting_as(app_conn, world.user_id("viewer@northwind.example")):
        northwind_sees = {r["id"] for r in await app_conn.fetch(query, nc)}
    async with acting_as(app_conn, world.user_id("lead@contoso.example")):
        contoso_sees = {r["id"] for r in await app_conn.fetch(query, nc)}
        contoso_direct = await app_conn.fetchval(
            "SELECT count(*) FROM audit_event WHERE id = $1", internal_id
        )

    # then: the other party sees the shared trail only
    assert internal_id in northwind_sees
    assert internal_id not in contoso_sees
    assert contoso_direct == 0
    assert northwind_sees - contoso_sees == {internal_id}


async def test_the_other_party_cannot_write_an_internal_event_in_northwinds_name(
    world: World, app_conn: asyncpg.Connection
) -> None:
    # given
    nc = world.northwind_contoso.id
    northwind_party = world.parties[("nc", "northwind")].id

    # when / then
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with acting_as(app_conn, world.user_id("lead@contoso.example")):
            await app_conn.execute(
                "INSERT INTO audit_event (partnership_id, action, object_type, object_id, "
                "visibility, owner_party_id, request_id) "
                "VALUES ($1, 'forged', 'Note', gen_random_uuid(), 'INTERNAL', $2, 'forged')",
                nc,
                northwind_party,
            )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET changes = '{}'::jsonb WHERE partnership_id = $1",
        "DELETE FROM audit_event WHERE partnership_id = $1",
    ],
)
async def test_the_app_role_cannot_alter_or_delete_audit_events_even_of_its_own_partnership(
    statement: str, world: World, owner: asyncpg.Connection, app_conn: asyncpg.Connection
) -> None:
    # given
    nc = world.northwind_contoso.id
    before = await owner.fetch("SELECT * FROM audit_event ORDER BY partnership_id, seq")

    # when / then
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
        async with acting_as(app_conn, world.user_id("lead@northwind.example")):
            await app_conn.execute(statement, nc)
    assert await owner.fetch("SELECT * FROM audit_event ORDER BY partnership_id, seq") == before


async def test_the_app_role_cannot_truncate_the_audit_trail(app_conn: asyncpg.Connection) -> None:
    # when / then
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
        await app_conn.execute("TRUNCATE audit_event")


@pytest.mark.parametrize("ending", ["commit", "rollback"])
async def test_a_pooled_connection_carries_no_identity_into_the_next_transaction(
    ending: str, world: World, app_database_url: URL
) -> None:
    # given: a pool of one connection, and a transaction that set an identity
    database = Database(app_database_url, pool_size=1)
    try:
        async with database.session() as session:
            first_backend = await session.scalar(text("SELECT pg_backend_pid()"))
            await set_user_identity(session, world.user_id("lead@northwind.example"))
            seen_with_identity = await session.scalar(text("SELECT count(*) FROM partnership"))
            await (session.commit() if ending == "commit" else session.rollback())

        # when: the next transaction takes the same connection from the pool
        async with database.session() as session:
            next_backend = await session.scalar(text("SELECT pg_backend_pid()"))
            setting = await session.scalar(text("SELECT current_setting('mutual.user_id', true)"))
            seen_after = await session.scalar(text("SELECT count(*) FROM partnership"))
            members_after = await session.scalar(text("SELECT count(*) FROM workspace_member"))
    finally:
        await database.dispose()

    # then
    assert next_backend == first_backend
    assert seen_with_identity == 1
    assert setting in ("", None)
    assert seen_after == 0
    assert members_after == 0


async def test_the_app_role_owns_no_table_and_cannot_bypass_rls(
    owner: asyncpg.Connection, app_conn: asyncpg.Connection, settings: Settings
) -> None:
    # given
    role = settings.app_db_role

    # when
    connected_as = await app_conn.fetchval("SELECT current_user")
    attributes = await owner.fetchrow(
        "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1", role
    )
    owned = await owner.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND pg_has_role($1, tableowner, 'MEMBER')",
        role,
    )
    tables = await owner.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")

    # then: not the owner of any table (nor a member of an owning role), neither super nor BYPASSRLS
    assert connected_as == role
    assert attributes is not None
    assert attributes["rolsuper"] is False
    assert attributes["rolbypassrls"] is False
    assert [r["tablename"] for r in owned] == []
    assert tables >= len(WORKSPACE_TABLES)


async def test_every_partnership_table_has_rls_enabled_forced_and_policies_for_its_grants(
    owner: asyncpg.Connection, settings: Settings
) -> None:
    # given: every table with a partnership_id column, plus partnership itself
    rows = await owner.fetch(
        f"""
        SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
               array(SELECT p.cmd FROM pg_policies p
                     WHERE p.schemaname = 'public' AND p.tablename = c.relname) AS commands,
               array(SELECT priv FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE']) priv
                     WHERE has_table_privilege($1, c.oid, priv)) AS granted
        FROM pg_class c
        WHERE c.relname IN (SELECT name FROM ({PARTNERSHIP_TABLES}) t)
          AND c.relnamespace = 'public'::regnamespace
        ORDER BY c.relname
        """,
        settings.app_db_role,
    )

    # then
    assert set(WORKSPACE_TABLES) <= {r["name"] for r in rows}
    for row in rows:
        assert row["enabled"] and row["forced"], f"{row['name']} lacks enabled and forced RLS"
        commands = set(row["commands"])
        assert "SELECT" in row["granted"], row["name"]
        for privilege in row["granted"]:
            assert {privilege, "ALL"} & commands, f"{row['name']}: no policy for {privilege}"
