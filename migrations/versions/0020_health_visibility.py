"""Health: the share of INTERNAL items per side, and the detectors' pending firings.

`health_visibility_counts(partnership, start, split, end)` (SECURITY DEFINER) gives, per side of
a partnership the caller may enter (the session's `mutual.user_id`, as every policy reads it),
how many of the items that side created were INTERNAL and how many in all, before `split` and
from it: counts only, never an id or a title. Row-level security hides the other side's
INTERNAL items from the application role, so this is the only way to count them.

A detector that starts FIRING keeps what its trigger and notices need in `detector_event.pending`
(an outbox, written in the evaluation's one statement); `health_take_pending(limit)` (SECURITY
DEFINER: the daily job has no identity) takes them, oldest first, and the job fires them in the
same transaction.

Revision ID: 0020_health_visibility
Revises: 0019_pulse
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, execute_script

revision = "0020_health_visibility"
down_revision = "0019_pulse"

# The owned records a side chooses to keep INTERNAL (or share), each with its creation time.
ITEMS = ("milestone", "commitment", "kpi", "risk", "feedback", "feedback_comment")

UNION = "\n        UNION ALL\n".join(
    f"        SELECT owner_party_id, visibility, created_at FROM {table}"
    " WHERE partnership_id = p_partnership AND created_at >= p_start AND created_at < p_end"
    for table in ITEMS
)

SCHEMA = f"""
ALTER TABLE detector_event ADD COLUMN pending jsonb;
CREATE INDEX detector_event_pending_idx ON detector_event (at) WHERE pending IS NOT NULL;

CREATE FUNCTION health_visibility_counts(
    p_partnership uuid, p_start timestamptz, p_split timestamptz, p_end timestamptz
) RETURNS TABLE (party_id uuid, before_internal integer, before_total integer,
                 recent_internal integer, recent_total integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH allowed AS (
        SELECT p_partnership AS id
        WHERE p_partnership = ANY ((SELECT mutual_visible_partnerships())::uuid[])
    ), items AS (
{UNION}
    )
    SELECT s.id,
           (count(*) FILTER (WHERE i.created_at < p_split AND i.visibility = 'INTERNAL'))::integer,
           (count(*) FILTER (WHERE i.created_at < p_split))::integer,
           (count(*) FILTER (WHERE i.created_at >= p_split AND i.visibility = 'INTERNAL'))::integer,
           (count(*) FILTER (WHERE i.created_at >= p_split))::integer
    FROM allowed a
    JOIN party s ON s.partnership_id = a.id
    LEFT JOIN items i ON i.owner_party_id = s.id
    GROUP BY s.id
    ORDER BY s.id
$$;

CREATE FUNCTION health_take_pending(p_limit integer)
RETURNS TABLE (partnership_id uuid, event_id uuid, pending jsonb)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH due AS (
        SELECT e.partnership_id, e.id, e.pending FROM detector_event e
        WHERE e.pending IS NOT NULL
        ORDER BY e.at, e.id
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    ), taken AS (
        UPDATE detector_event e SET pending = NULL
        FROM due d WHERE e.partnership_id = d.partnership_id AND e.id = d.id
        RETURNING e.partnership_id, e.id
    )
    SELECT d.partnership_id, d.id, d.pending
    FROM due d JOIN taken t ON t.partnership_id = d.partnership_id AND t.id = d.id
    ORDER BY d.partnership_id, d.id
$$;
"""

FUNCTIONS = (
    "health_visibility_counts(uuid, timestamptz, timestamptz, timestamptz)",
    "health_take_pending(integer)",
)


def upgrade() -> None:
    execute_script(op, SCHEMA)
    for function in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {APP_ROLE}")


def downgrade() -> None:
    execute_script(
        op,
        "DROP FUNCTION health_take_pending(integer); "
        "DROP FUNCTION health_visibility_counts(uuid, timestamptz, timestamptz, timestamptz); "
        "DROP INDEX detector_event_pending_idx; "
        "ALTER TABLE detector_event DROP COLUMN pending;",
    )
