"""Crisis contingency plans both sides approve, their activations (by hand, as a drill, or by a
trigger), each activation's steps and append-only timeline.

A plan is joint (SHARED only). Its content lives in versions: DRAFT -> PENDING_APPROVAL ->
APPROVED once a LEAD of each side approved that version (one approval per side); the plan names
the version in force. The job worker and a trigger's sender have no identity (row-level security
shows them nothing), so `contingency_fire` (SECURITY DEFINER) activates the approved plans whose
trigger names a source, once per episode, writing the steps, the timeline and the audit events
itself; `contingency_due` marks late steps and missed status updates for the reminder task;
`contingency_scan_sources` lists the measured sources (KPIs off track, SLA breaches, residual
risk scores) of the partnerships with an approved plan.

Revision ID: 0017_contingency
Revises: 0016_reports
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, SHARED_OR_OWN, VISIBLE, execute_script, policies

revision = "0017_contingency"
down_revision = "0016_reports"

RECORD = """
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility = 'SHARED'),
    version integer NOT NULL DEFAULT 1,
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
"""

SCHEMA = f"""
CREATE TABLE contingency_plan (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    in_force_version_id uuid,
    latest_number integer NOT NULL DEFAULT 1,
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
CREATE INDEX contingency_plan_list_idx ON contingency_plan (partnership_id, created_at, id);

CREATE TABLE contingency_plan_version (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    plan_id uuid NOT NULL,
    number integer NOT NULL CHECK (number > 0),
    status text NOT NULL
        CHECK (status IN ('DRAFT', 'PENDING_APPROVAL', 'APPROVED', 'SUPERSEDED')),
    scenario text NOT NULL DEFAULT '',
    severity text NOT NULL CHECK (severity IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
    content jsonb NOT NULL,
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    submitted_at timestamptz,
    approved_at timestamptz,
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT contingency_plan_version_number_key UNIQUE (partnership_id, plan_id, number),
    FOREIGN KEY (partnership_id, plan_id) REFERENCES contingency_plan (partnership_id, id)
);

CREATE TABLE contingency_approval (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    version_id uuid NOT NULL,
    party_id uuid NOT NULL,
    user_id uuid NOT NULL REFERENCES app_user(id),
    approved_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT contingency_approval_side_key UNIQUE (partnership_id, version_id, party_id),
    FOREIGN KEY (partnership_id, version_id)
        REFERENCES contingency_plan_version (partnership_id, id),
    FOREIGN KEY (partnership_id, party_id) REFERENCES party (partnership_id, id)
);

CREATE TABLE contingency_activation (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    plan_id uuid NOT NULL,
    version_id uuid NOT NULL,
    drill boolean NOT NULL DEFAULT false,
    source text NOT NULL,
    episode text NOT NULL,
    summary text NOT NULL DEFAULT '',
    status text NOT NULL CHECK (status IN ('ACTIVE', 'CLOSED')),
    severity text NOT NULL CHECK (severity IN ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
    escalation_level integer NOT NULL DEFAULT 0,
    started_at timestamptz NOT NULL DEFAULT now(),
    closed_at timestamptz,
    next_update_due_at timestamptz,
    missed_updates integer NOT NULL DEFAULT 0,
    updates_on_time integer NOT NULL DEFAULT 0,
    postmortem jsonb,
    score integer,
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT contingency_activation_episode_key
        UNIQUE (partnership_id, plan_id, source, episode),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id),
    FOREIGN KEY (partnership_id, plan_id) REFERENCES contingency_plan (partnership_id, id),
    FOREIGN KEY (partnership_id, version_id)
        REFERENCES contingency_plan_version (partnership_id, id)
);
CREATE INDEX contingency_activation_list_idx
    ON contingency_activation (partnership_id, started_at, id);
CREATE INDEX contingency_activation_update_due_idx ON contingency_activation (next_update_due_at)
    WHERE status = 'ACTIVE';

CREATE TABLE contingency_step (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    activation_id uuid NOT NULL,
    position integer NOT NULL,
    title text NOT NULL,
    owner_party_id uuid NOT NULL,
    role text NOT NULL,
    act_within_minutes integer NOT NULL CHECK (act_within_minutes > 0),
    due_at timestamptz NOT NULL,
    completed_at timestamptz,
    completed_by uuid REFERENCES app_user(id),
    reminded_at timestamptz,
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT contingency_step_position_key UNIQUE (partnership_id, activation_id, position),
    FOREIGN KEY (partnership_id, activation_id)
        REFERENCES contingency_activation (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
CREATE INDEX contingency_step_due_idx ON contingency_step (due_at)
    WHERE completed_at IS NULL AND reminded_at IS NULL;

-- The activation room's timeline: insert-only for the application.
CREATE TABLE contingency_entry (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    activation_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('ACTIVATED', 'STEP_DONE', 'UPDATE', 'UPDATE_MISSED',
                                       'STEP_LATE', 'ESCALATED', 'NOTE', 'CLOSED')),
    body text NOT NULL DEFAULT '',
    actor_user_id uuid REFERENCES app_user(id),
    actor_party_id uuid,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, activation_id)
        REFERENCES contingency_activation (partnership_id, id)
);
CREATE INDEX contingency_entry_idx ON contingency_entry (partnership_id, activation_id, at);

CREATE FUNCTION mutual_contingency_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_user = '{APP_ROLE}' THEN
        RAISE EXCEPTION 'the activation timeline is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER contingency_entry_append_only BEFORE UPDATE OR DELETE ON contingency_entry
    FOR EACH ROW EXECUTE FUNCTION mutual_contingency_append_only();
"""

# Minutes between status updates by severity: the plan's protocol, else these.
FUNCTIONS = """
CREATE FUNCTION contingency_start(
    p_partnership uuid, p_plan uuid, p_source text, p_episode text, p_summary text,
    p_drill boolean, p_user uuid, p_party uuid, p_request text, p_now timestamptz
) RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v record;
    act uuid;
    cadence integer;
BEGIN
    SELECT pv.id, pv.severity, pv.content, p.owner_party_id INTO v
    FROM contingency_plan p
    JOIN contingency_plan_version pv
      ON pv.partnership_id = p.partnership_id AND pv.id = p.in_force_version_id
    WHERE p.partnership_id = p_partnership AND p.id = p_plan AND pv.status = 'APPROVED';
    IF v.id IS NULL THEN
        RETURN NULL;
    END IF;
    cadence := coalesce((v.content -> 'cadence' ->> v.severity)::integer, 60);
    INSERT INTO contingency_activation (partnership_id, plan_id, version_id, drill, source,
        episode, summary, status, severity, started_at, next_update_due_at, owner_party_id,
        visibility, created_by)
    VALUES (p_partnership, p_plan, v.id, p_drill, p_source, p_episode, p_summary, 'ACTIVE',
        v.severity, p_now, p_now + make_interval(mins => cadence), v.owner_party_id, 'SHARED',
        p_user)
    ON CONFLICT (partnership_id, plan_id, source, episode) DO NOTHING
    RETURNING id INTO act;
    IF act IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO contingency_step (partnership_id, activation_id, position, title,
        owner_party_id, role, act_within_minutes, due_at)
    SELECT p_partnership, act, s.ord::integer, s.step ->> 'title',
        (s.step ->> 'ownerPartyId')::uuid, s.step ->> 'role',
        (s.step ->> 'actWithinMinutes')::integer,
        p_now + make_interval(mins => (s.step ->> 'actWithinMinutes')::integer)
    FROM jsonb_array_elements(v.content -> 'steps') WITH ORDINALITY AS s (step, ord);
    INSERT INTO contingency_entry (partnership_id, activation_id, kind, body, actor_user_id,
        actor_party_id, at)
    VALUES (p_partnership, act, 'ACTIVATED', p_summary, p_user, p_party, p_now);
    INSERT INTO audit_event (partnership_id, actor_user_id, actor_party_id, action, object_type,
        object_id, changes, visibility, owner_party_id, request_id)
    VALUES (p_partnership, p_user, p_party, 'activation.started', 'Activation', act,
        jsonb_build_object('source', p_source, 'drill', p_drill), 'SHARED', v.owner_party_id,
        p_request);
    RETURN act;
END
$$;

-- By hand (or a drill): only in a partnership the caller's identity sees, as the caller.
CREATE FUNCTION contingency_activate(
    p_partnership uuid, p_plan uuid, p_episode text, p_summary text, p_drill boolean,
    p_party uuid, p_request text, p_now timestamptz
) RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF mutual_current_user_id() IS NULL
       OR NOT p_partnership = ANY (mutual_visible_partnerships()) THEN
        RETURN NULL;
    END IF;
    RETURN contingency_start(p_partnership, p_plan, CASE WHEN p_drill THEN 'drill' ELSE 'manual'
        END, p_episode, p_summary, p_drill, mutual_current_user_id(), p_party, p_request, p_now);
END
$$;

-- A trigger's firing: every approved plan of the partnership whose trigger names the source,
-- once per episode (the activation's unique key).
CREATE FUNCTION contingency_fire(
    p_partnership uuid, p_source text, p_episode text, p_summary text, p_now timestamptz
) RETURNS TABLE (activation_id uuid, plan_id uuid, title text, parties uuid[])
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    p record;
    act uuid;
    sides uuid[] := ARRAY(SELECT s.id FROM party s WHERE s.partnership_id = p_partnership
                          ORDER BY s.label);
BEGIN
    FOR p IN
        SELECT c.id, c.title FROM contingency_plan c
        JOIN contingency_plan_version pv
          ON pv.partnership_id = c.partnership_id AND pv.id = c.in_force_version_id
        WHERE c.partnership_id = p_partnership AND pv.status = 'APPROVED'
          AND pv.content -> 'triggers' @> jsonb_build_array(jsonb_build_object('source', p_source))
        ORDER BY c.created_at, c.id
    LOOP
        act := contingency_start(p_partnership, p.id, p_source, p_episode, p_summary, false,
                                 NULL, NULL, 'trigger:' || p_source, p_now);
        IF act IS NOT NULL THEN
            activation_id := act;
            plan_id := p.id;
            title := p.title;
            parties := sides;
            RETURN NEXT;
        END IF;
    END LOOP;
END
$$;

-- Late steps (each reminded once) and missed status updates (each flagged once per cadence),
-- marked and returned for the reminder task; the timeline records both.
CREATE FUNCTION contingency_due(p_now timestamptz, p_limit integer)
RETURNS TABLE (partnership_id uuid, activation_id uuid, step_id uuid, kind text, title text,
               party_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RETURN QUERY
    WITH late AS (
        UPDATE contingency_step s SET reminded_at = p_now
        FROM (SELECT x.partnership_id, x.id FROM contingency_step x
              JOIN contingency_activation a
                ON a.partnership_id = x.partnership_id AND a.id = x.activation_id
              WHERE x.completed_at IS NULL AND x.reminded_at IS NULL AND x.due_at <= p_now
                AND a.status = 'ACTIVE'
              ORDER BY x.due_at LIMIT p_limit FOR UPDATE OF x SKIP LOCKED) d
        WHERE s.partnership_id = d.partnership_id AND s.id = d.id
        RETURNING s.partnership_id, s.activation_id, s.id, s.title, s.owner_party_id
    ), logged AS (
        INSERT INTO contingency_entry (partnership_id, activation_id, kind, body)
        SELECT l.partnership_id, l.activation_id, 'STEP_LATE', l.title FROM late l
        RETURNING 1
    )
    SELECT l.partnership_id, l.activation_id, l.id, 'STEP_LATE'::text, l.title, l.owner_party_id
    FROM late l;

    RETURN QUERY
    WITH missed AS (
        UPDATE contingency_activation a
        SET missed_updates = a.missed_updates + 1,
            next_update_due_at = p_now + make_interval(mins =>
                coalesce((v.content -> 'cadence' ->> a.severity)::integer, 60))
        FROM contingency_plan_version v
        WHERE v.partnership_id = a.partnership_id AND v.id = a.version_id
          AND a.status = 'ACTIVE' AND a.next_update_due_at <= p_now
        RETURNING a.partnership_id, a.id, a.owner_party_id
    ), logged AS (
        INSERT INTO contingency_entry (partnership_id, activation_id, kind, body)
        SELECT m.partnership_id, m.id, 'UPDATE_MISSED', 'A status update was due.' FROM missed m
        RETURNING 1
    )
    SELECT m.partnership_id, m.id, NULL::uuid, 'UPDATE_MISSED'::text, ''::text, m.owner_party_id
    FROM missed m;
END
$$;

-- The measured sources of the partnerships with an approved plan that watches them, for the
-- trigger scan: (partnership, source, episode) of N SLA breaches in a window (episode: the
-- day), a risk's residual score at or above a value (the month), a KPI off track or past a
-- threshold (its latest measured period). SHARED records only.
CREATE FUNCTION contingency_scan_sources(p_now timestamptz)
RETURNS TABLE (partnership_id uuid, source text, episode text, summary text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH watched AS (
        SELECT c.partnership_id, t.trig
        FROM contingency_plan c
        JOIN contingency_plan_version pv
          ON pv.partnership_id = c.partnership_id AND pv.id = c.in_force_version_id
        CROSS JOIN LATERAL jsonb_array_elements(pv.content -> 'triggers') AS t (trig)
        WHERE pv.status = 'APPROVED'
          AND t.trig ->> 'kind' IN ('SLA_BREACHES', 'RISK_SCORE', 'KPI_OFF_TRACK')
    )
    SELECT w.partnership_id, w.trig ->> 'source',
           to_char(p_now, 'YYYY-MM-DD'), count(*)::text || ' SLA breaches in the window'
    FROM watched w
    JOIN audit_event e ON e.partnership_id = w.partnership_id
        AND e.action = 'feedback.sla_breached'
        AND e.created_at > p_now - make_interval(days => (w.trig ->> 'windowDays')::integer)
    WHERE w.trig ->> 'kind' = 'SLA_BREACHES'
    GROUP BY w.partnership_id, w.trig
    HAVING count(*) >= (w.trig ->> 'count')::integer
    UNION ALL
    SELECT w.partnership_id, w.trig ->> 'source', r.id::text || ':' || to_char(p_now, 'YYYY-MM'),
           'Residual score ' || (a.residual_likelihood * a.residual_impact)::text || ': '
           || r.title
    FROM watched w
    JOIN risk r ON r.partnership_id = w.partnership_id AND r.visibility = 'SHARED'
        AND r.id = (w.trig ->> 'riskId')::uuid
    JOIN risk_assessment a ON a.partnership_id = r.partnership_id
        AND a.id = r.owner_assessment_id AND a.visibility = 'SHARED'
    WHERE w.trig ->> 'kind' = 'RISK_SCORE'
      AND a.residual_likelihood * a.residual_impact >= (w.trig ->> 'score')::integer
    UNION ALL
    -- A KPI's latest value past the trigger's threshold (else the KPI's critical threshold:
    -- OFF_TRACK), once per measured period.
    SELECT w.partnership_id, w.trig ->> 'source', m.period_start::text,
           'KPI ' || k.name || ' at ' || m.value::text
    FROM watched w
    JOIN kpi k ON k.partnership_id = w.partnership_id AND k.visibility = 'SHARED'
        AND k.id = (w.trig ->> 'kpiId')::uuid
    CROSS JOIN LATERAL (
        SELECT x.period_start, x.value FROM kpi_measurement x
        WHERE x.partnership_id = k.partnership_id AND x.kpi_id = k.id
        ORDER BY x.period_start DESC LIMIT 1
    ) m
    WHERE w.trig ->> 'kind' = 'KPI_OFF_TRACK'
      AND CASE WHEN k.direction = 'HIGHER_IS_BETTER'
               THEN m.value < coalesce((w.trig ->> 'threshold')::numeric, k.critical_threshold)
               ELSE m.value > coalesce((w.trig ->> 'threshold')::numeric, k.critical_threshold)
          END
$$;
"""

TABLES = ("contingency_plan", "contingency_activation")
VISIBLE_TABLES = ("contingency_plan_version", "contingency_approval", "contingency_step")
WORKER_FUNCTIONS = (
    "contingency_fire(uuid, text, text, text, timestamptz)",
    "contingency_due(timestamptz, integer)",
    "contingency_scan_sources(timestamptz)",
    "contingency_activate(uuid, uuid, text, text, boolean, uuid, text, timestamptz)",
)
START = "contingency_start(uuid, uuid, text, text, text, boolean, uuid, uuid, text, timestamptz)"


def upgrade() -> None:
    execute_script(op, SCHEMA)
    for table in TABLES:
        execute_script(op, policies(table, SHARED_OR_OWN))
    for table in (*VISIBLE_TABLES, "contingency_entry"):
        execute_script(op, policies(table, VISIBLE))
    grant = ", ".join((*TABLES, *VISIBLE_TABLES))
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {grant} TO {APP_ROLE}")
    # UPDATE and DELETE are granted so that the trigger is what refuses them (tested).
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON contingency_entry TO {APP_ROLE}")
    execute_script(op, FUNCTIONS)
    op.execute(f"REVOKE ALL ON FUNCTION {START} FROM PUBLIC")
    for function in WORKER_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {APP_ROLE}")


def downgrade() -> None:
    execute_script(
        op,
        f"DROP FUNCTION {', '.join(WORKER_FUNCTIONS)}, {START}; "
        "DROP TABLE contingency_entry, contingency_step, contingency_activation, "
        "contingency_approval, contingency_plan_version, contingency_plan; "
        "DROP FUNCTION mutual_contingency_append_only();",
    )
