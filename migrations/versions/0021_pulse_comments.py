"""Pulse comments, shown without their authors: `pulse_comments(rounds)` (SECURITY DEFINER)
gives, per closed round and rating side with 3 respondents or more (the rule of the figures),
the text of that side's non-empty comments, sorted by the text itself. Nothing else of an
answer: no author, no time, no score, not even the order in which they were given. Rounds still
open give none, so that no one can tell a newcomer's comment by watching the list grow.

Revision ID: 0021_pulse_comments
Revises: 0020_health_visibility
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, execute_script

revision = "0021_pulse_comments"
down_revision = "0020_health_visibility"

FUNCTION = """
CREATE FUNCTION pulse_comments(p_rounds uuid[])
RETURNS TABLE (round_id uuid, rating_party_id uuid, comments text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT a.round_id, a.party_id,
           coalesce(array_agg(a.comment ORDER BY a.comment) FILTER (WHERE a.comment <> ''),
                    '{}')
    FROM pulse_round r
    JOIN pulse_answer a ON a.partnership_id = r.partnership_id AND a.round_id = r.id
    WHERE r.id = ANY (p_rounds)
      AND r.partnership_id = ANY ((SELECT mutual_visible_partnerships())::uuid[])
      AND r.closes_at <= now()
    GROUP BY a.round_id, a.party_id
    HAVING count(*) >= 3
    ORDER BY a.round_id, a.party_id
$$;
"""


def upgrade() -> None:
    execute_script(op, FUNCTION)
    op.execute("REVOKE ALL ON FUNCTION pulse_comments(uuid[]) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION pulse_comments(uuid[]) TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION pulse_comments(uuid[])")
