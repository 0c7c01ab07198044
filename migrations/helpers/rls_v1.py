"""Row-level security SQL of the first revisions (frozen: see migrations/helpers/__init__.py).

Every workspace table carries partnership_id; rows with a visibility are INTERNAL to their
owner party. The predicates call the SECURITY DEFINER functions of migration 0001 once per
statement (an InitPlan), so they stay index conditions.
"""

from __future__ import annotations

from typing import Any

APP_ROLE = "mutual_app"

VISIBLE = "partnership_id = ANY ((SELECT mutual_visible_partnerships())::uuid[])"
OWN_PARTY = "owner_party_id = ANY ((SELECT mutual_own_parties())::uuid[])"
SHARED_OR_OWN = f"{VISIBLE} AND (visibility = 'SHARED' OR {OWN_PARTY})"


def policies(table: str, predicate: str, *, insert_check: str | None = None) -> str:
    """Enable and force RLS on a table: SELECT, INSERT, UPDATE and DELETE policies bind the
    application role; the owner (the migrating role) keeps full access through its own
    policy, so the SECURITY DEFINER functions it owns read without recursing into these
    policies even when the owner is not a superuser (managed PostgreSQL)."""
    check = insert_check or predicate
    app = APP_ROLE
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY {table}_select ON {table} FOR SELECT TO {app} USING ({predicate});
CREATE POLICY {table}_insert ON {table} FOR INSERT TO {app} WITH CHECK ({check});
CREATE POLICY {table}_update ON {table} FOR UPDATE TO {app}
    USING ({predicate}) WITH CHECK ({predicate});
CREATE POLICY {table}_delete ON {table} FOR DELETE TO {app} USING ({predicate});
CREATE POLICY {table}_owner ON {table} TO CURRENT_USER USING (true) WITH CHECK (true);
"""


def execute_script(op: Any, sql: str) -> None:
    """Run several statements at once (asyncpg prepares single statements only)."""
    op.get_bind().connection.dbapi_connection.run_async(lambda conn: conn.execute(sql))
