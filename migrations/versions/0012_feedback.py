"""Feedback with SLA clocks: items, comments (SHARED or a side's INTERNAL notes), their history,
the versioned SLA policy both LEADs agree on; and the three narrow SECURITY DEFINER functions
the job worker (the application role with no identity: row-level security shows it nothing)
calls across partnerships: the SLA scan, the auto-close of resolved items, and the items waiting
on a side. Each is one statement over a partial index; each writes its audit events itself.

Revision ID: 0012_feedback
Revises: 0011
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, SHARED_OR_OWN, execute_script, policies

revision = "0012_feedback"
down_revision = "0011"

RECORD = """
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    version integer NOT NULL DEFAULT 1,
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
"""


def _clock(prefix: str) -> str:
    return f"""
    {prefix}_target_s integer NOT NULL CHECK ({prefix}_target_s > 0),
    {prefix}_used_s integer NOT NULL DEFAULT 0,
    {prefix}_running_since timestamptz,
    {prefix}_risk_at timestamptz,
    {prefix}_due_at timestamptz,
    {prefix}_stopped_at timestamptz,
    {prefix}_risk_fired_at timestamptz,
    {prefix}_breach_fired_at timestamptz,"""


SCHEMA = f"""
CREATE TABLE feedback_policy (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    number integer NOT NULL,
    status text NOT NULL CHECK (status IN ('PROPOSED', 'ACTIVE', 'SUPERSEDED', 'DECLINED')),
    business_hours boolean NOT NULL,
    targets jsonb NOT NULL,
    calendars jsonb NOT NULL,
    auto_close_days integer NOT NULL CHECK (auto_close_days BETWEEN 1 AND 90),
    note text NOT NULL DEFAULT '',
    decided_by uuid REFERENCES app_user(id),
    decided_at timestamptz,
    effective_at timestamptz,
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    UNIQUE (partnership_id, number),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
CREATE UNIQUE INDEX feedback_policy_active_key ON feedback_policy (partnership_id)
    WHERE status = 'ACTIVE';

CREATE TABLE feedback (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
    category text NOT NULL
        CHECK (category IN ('DELIVERY', 'QUALITY', 'COMMUNICATION', 'BILLING', 'OTHER')),
    severity text NOT NULL CHECK (severity IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
    status text NOT NULL CHECK (status IN ('SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS',
                                           'WAITING_ON_SUBMITTER', 'RESOLVED', 'CLOSED')),
    status_at timestamptz NOT NULL DEFAULT now(),
    receiving_party_id uuid NOT NULL CHECK (receiving_party_id <> owner_party_id),
    commitment_id uuid,
    milestone_id uuid,
    kpi_id uuid,
    policy_id uuid,
    calendar jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    resolution_note text,
    fix_commitment_id uuid,
    fix_milestone_id uuid,
    rating integer CHECK (rating BETWEEN 1 AND 5),
    rating_comment text,
    reopen_count integer NOT NULL DEFAULT 0,
    first_response_at timestamptz,
    resolved_at timestamptz,
    closed_at timestamptz,
    closes_at timestamptz,
    due_at timestamptz,
    alarm_at timestamptz,
    {_clock("fr")}
    {_clock("res")}
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id),
    FOREIGN KEY (partnership_id, receiving_party_id) REFERENCES party (partnership_id, id),
    FOREIGN KEY (partnership_id, commitment_id) REFERENCES commitment (partnership_id, id),
    FOREIGN KEY (partnership_id, milestone_id) REFERENCES milestone (partnership_id, id),
    FOREIGN KEY (partnership_id, kpi_id) REFERENCES kpi (partnership_id, id),
    FOREIGN KEY (partnership_id, fix_commitment_id) REFERENCES commitment (partnership_id, id),
    FOREIGN KEY (partnership_id, fix_milestone_id) REFERENCES milestone (partnership_id, id),
    FOREIGN KEY (partnership_id, policy_id) REFERENCES feedback_policy (partnership_id, id)
);
CREATE INDEX feedback_due_idx ON feedback (partnership_id, due_at, id);
CREATE INDEX feedback_updated_idx ON feedback (partnership_id, updated_at, id);
-- The SLA scan, the auto-close and the reminders: index range queries across partnerships.
CREATE INDEX feedback_alarm_idx ON feedback (alarm_at) WHERE alarm_at IS NOT NULL;
CREATE INDEX feedback_closes_idx ON feedback (closes_at) WHERE closes_at IS NOT NULL;
CREATE INDEX feedback_waiting_idx ON feedback (status_at) WHERE status <> 'CLOSED';

CREATE TABLE feedback_comment (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    feedback_id uuid NOT NULL,
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    author_user_id uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, feedback_id) REFERENCES feedback (partnership_id, id)
);
CREATE INDEX feedback_comment_idx ON feedback_comment (partnership_id, feedback_id, created_at);

CREATE TABLE feedback_transition (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    feedback_id uuid NOT NULL,
    action text NOT NULL,
    from_status text,
    to_status text NOT NULL,
    actor_user_id uuid REFERENCES app_user(id),
    actor_party_id uuid,
    note text NOT NULL DEFAULT '',
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, feedback_id) REFERENCES feedback (partnership_id, id)
);
CREATE INDEX feedback_transition_idx ON feedback_transition (partnership_id, feedback_id, at);
"""

# The moments of a row still to fire once `now` has been handled: every moment at or before it
# is marked fired (a breach also marks its at-risk), so the next alarm is later or NULL.
FUNCTIONS = """
CREATE FUNCTION feedback_sla_scan(p_now timestamptz, p_limit integer)
RETURNS TABLE (partnership_id uuid, feedback_id uuid, title text, severity text,
               owner_party_id uuid, receiving_party_id uuid, clock text, kind text)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH due AS (
        SELECT x.partnership_id, x.id,
               (x.fr_breach_fired_at IS NULL AND x.fr_due_at <= p_now) AS frb,
               (x.fr_risk_fired_at IS NULL AND x.fr_breach_fired_at IS NULL
                AND x.fr_risk_at <= p_now AND NOT coalesce(x.fr_due_at <= p_now, false)) AS frr,
               (x.res_breach_fired_at IS NULL AND x.res_due_at <= p_now) AS resb,
               (x.res_risk_fired_at IS NULL AND x.res_breach_fired_at IS NULL
                AND x.res_risk_at <= p_now AND NOT coalesce(x.res_due_at <= p_now, false)) AS resr
        FROM feedback x
        WHERE x.alarm_at <= p_now
        ORDER BY x.alarm_at
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    ), marked AS (
        SELECT d.*,
               CASE WHEN f.fr_due_at <= p_now THEN coalesce(f.fr_breach_fired_at, p_now)
                    ELSE f.fr_breach_fired_at END AS fr_b,
               CASE WHEN f.fr_risk_at <= p_now OR f.fr_due_at <= p_now
                    THEN coalesce(f.fr_risk_fired_at, p_now) ELSE f.fr_risk_fired_at END AS fr_r,
               CASE WHEN f.res_due_at <= p_now THEN coalesce(f.res_breach_fired_at, p_now)
                    ELSE f.res_breach_fired_at END AS res_b,
               CASE WHEN f.res_risk_at <= p_now OR f.res_due_at <= p_now
                    THEN coalesce(f.res_risk_fired_at, p_now) ELSE f.res_risk_fired_at END AS res_r
        FROM due d JOIN feedback f ON f.partnership_id = d.partnership_id AND f.id = d.id
    ), updated AS (
        UPDATE feedback f
        SET fr_breach_fired_at = m.fr_b, fr_risk_fired_at = m.fr_r,
            res_breach_fired_at = m.res_b, res_risk_fired_at = m.res_r,
            alarm_at = LEAST(CASE WHEN m.fr_r IS NULL THEN f.fr_risk_at END,
                             CASE WHEN m.fr_b IS NULL THEN f.fr_due_at END,
                             CASE WHEN m.res_r IS NULL THEN f.res_risk_at END,
                             CASE WHEN m.res_b IS NULL THEN f.res_due_at END)
        FROM marked m
        WHERE f.partnership_id = m.partnership_id AND f.id = m.id
        RETURNING f.partnership_id, f.id, f.title, f.severity, f.owner_party_id,
                  f.receiving_party_id, m.frb, m.frr, m.resb, m.resr
    ), fired AS (
        SELECT u.partnership_id, u.id, u.title, u.severity, u.owner_party_id,
               u.receiving_party_id, e.clock, e.kind
        FROM updated u
        CROSS JOIN LATERAL (VALUES ('FIRST_RESPONSE', 'BREACHED', u.frb),
                                   ('FIRST_RESPONSE', 'AT_RISK', u.frr),
                                   ('RESOLUTION', 'BREACHED', u.resb),
                                   ('RESOLUTION', 'AT_RISK', u.resr)) AS e (clock, kind, hit)
        WHERE e.hit
    ), audited AS (
        INSERT INTO audit_event (partnership_id, actor_user_id, actor_party_id, action,
                                 object_type, object_id, changes, visibility, owner_party_id,
                                 request_id)
        SELECT partnership_id, NULL, NULL,
               CASE kind WHEN 'BREACHED' THEN 'feedback.sla_breached'
                         ELSE 'feedback.sla_at_risk' END,
               'Feedback', id, jsonb_build_object('clock', clock), 'SHARED', owner_party_id,
               'job:feedback.scan_clocks'
        FROM fired
        ORDER BY partnership_id, id, clock
        RETURNING 1
    )
    SELECT partnership_id, id, title, severity, owner_party_id, receiving_party_id, clock, kind
    FROM fired
$$;

CREATE FUNCTION feedback_close_resolved(p_now timestamptz, p_limit integer)
RETURNS TABLE (partnership_id uuid, feedback_id uuid, title text, owner_party_id uuid,
               receiving_party_id uuid)
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH due AS (
        SELECT x.partnership_id, x.id FROM feedback x
        WHERE x.closes_at <= p_now AND x.status = 'RESOLVED'
        ORDER BY x.closes_at
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    ), closed AS (
        UPDATE feedback f
        SET status = 'CLOSED', status_at = p_now, closed_at = p_now, closes_at = NULL,
            version = f.version + 1, updated_at = now()
        FROM due d
        WHERE f.partnership_id = d.partnership_id AND f.id = d.id
        RETURNING f.partnership_id, f.id, f.title, f.owner_party_id, f.receiving_party_id,
                  f.visibility
    ), logged AS (
        INSERT INTO feedback_transition (partnership_id, feedback_id, action, from_status,
                                         to_status, owner_party_id, visibility, note)
        SELECT partnership_id, id, 'AUTO_CLOSE', 'RESOLVED', 'CLOSED', owner_party_id,
               visibility, 'Closed automatically: the resolution was left unanswered.'
        FROM closed
        RETURNING 1
    ), audited AS (
        INSERT INTO audit_event (partnership_id, actor_user_id, actor_party_id, action,
                                 object_type, object_id, changes, visibility, owner_party_id,
                                 request_id)
        SELECT partnership_id, NULL, NULL, 'feedback.auto_closed', 'Feedback', id,
               jsonb_build_object('status', jsonb_build_object('from', 'RESOLVED',
                                                               'to', 'CLOSED')),
               visibility, owner_party_id, 'job:feedback.close_resolved'
        FROM closed
        ORDER BY partnership_id, id
        RETURNING 1
    )
    SELECT partnership_id, id, title, owner_party_id, receiving_party_id FROM closed
$$;

-- Open items whose status has not moved since p_before, with the side they wait on.
CREATE FUNCTION feedback_waiting(p_before timestamptz, p_limit integer)
RETURNS TABLE (partnership_id uuid, feedback_id uuid, title text, status text,
               status_at timestamptz, waiting_party_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT x.partnership_id, x.id, x.title, x.status, x.status_at,
           CASE WHEN x.status IN ('WAITING_ON_SUBMITTER', 'RESOLVED') THEN x.owner_party_id
                ELSE x.receiving_party_id END
    FROM feedback x
    WHERE x.status <> 'CLOSED' AND x.status_at <= p_before
    ORDER BY x.status_at
    LIMIT p_limit
$$;
"""

TABLES = ("feedback_policy", "feedback", "feedback_comment")
HISTORY_TABLES = ("feedback_transition",)
WORKER_FUNCTIONS = (
    "feedback_sla_scan(timestamptz, integer)",
    "feedback_close_resolved(timestamptz, integer)",
    "feedback_waiting(timestamptz, integer)",
)


def upgrade() -> None:
    execute_script(op, SCHEMA)
    for table in (*TABLES, *HISTORY_TABLES):
        execute_script(op, policies(table, SHARED_OR_OWN))
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(TABLES)} TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT ON {', '.join(HISTORY_TABLES)} TO {APP_ROLE}")
    execute_script(op, FUNCTIONS)
    for function in WORKER_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {APP_ROLE}")


def downgrade() -> None:
    execute_script(
        op,
        "DROP FUNCTION feedback_sla_scan(timestamptz, integer), "
        "feedback_close_resolved(timestamptz, integer), feedback_waiting(timestamptz, integer); "
        "DROP TABLE feedback_transition, feedback_comment, feedback, feedback_policy;",
    )
