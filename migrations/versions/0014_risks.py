"""The joint risk register: risks, each side's assessments, treatment actions, acceptances and
links; the daily work across partnerships (acceptance expiry, overdue reviews) through two narrow
SECURITY DEFINER functions, since the workers' role has no identity and RLS shows it nothing.

Revision ID: 0014_risks
Revises: 0011
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, SHARED_OR_OWN, execute_script, policies

revision = "0014_risks"
down_revision = "0013_notifications"

SCHEMA = """
CREATE TABLE risk (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    category text NOT NULL CHECK (category IN ('DELIVERY', 'QUALITY', 'FINANCIAL',
        'COMPLIANCE', 'SECURITY', 'RELATIONSHIP', 'OTHER')),
    status text NOT NULL CHECK (status IN ('OPEN', 'ACCEPTED', 'IN_REVIEW', 'CLOSED')),
    treatment text CHECK (treatment IN ('MITIGATE', 'ACCEPT', 'TRANSFER', 'AVOID')),
    treatment_plan text NOT NULL DEFAULT '',
    review_every_days integer NOT NULL DEFAULT 90 CHECK (review_every_days BETWEEN 7 AND 365),
    next_review_on date NOT NULL,
    last_reviewed_at timestamptz,
    owner_assessment_id uuid,
    partner_assessment_id uuid,
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    version integer NOT NULL DEFAULT 1,
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
CREATE INDEX risk_register_idx ON risk (partnership_id, created_at, id);
CREATE INDEX risk_review_idx ON risk (next_review_on, status);
CREATE INDEX risk_search_idx ON risk
    USING gin (to_tsvector('english'::regconfig, title || ' ' || description));

CREATE TABLE risk_assessment (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    risk_id uuid NOT NULL,
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    inherent_likelihood integer NOT NULL CHECK (inherent_likelihood BETWEEN 1 AND 5),
    inherent_impact integer NOT NULL CHECK (inherent_impact BETWEEN 1 AND 5),
    residual_likelihood integer NOT NULL CHECK (residual_likelihood BETWEEN 1 AND 5),
    residual_impact integer NOT NULL CHECK (residual_impact BETWEEN 1 AND 5),
    rationale text NOT NULL DEFAULT '',
    assessed_by uuid REFERENCES app_user(id),
    assessed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, risk_id) REFERENCES risk (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
CREATE INDEX risk_assessment_latest_idx
    ON risk_assessment (partnership_id, risk_id, owner_party_id, assessed_at DESC);

CREATE TABLE risk_action (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    risk_id uuid NOT NULL,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    due_date date,
    status text NOT NULL CHECK (status IN ('OPEN', 'DONE', 'CANCELLED')),
    commitment_id uuid,
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, risk_id) REFERENCES risk (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id),
    FOREIGN KEY (partnership_id, commitment_id) REFERENCES commitment (partnership_id, id)
);
CREATE INDEX risk_action_risk_idx ON risk_action (partnership_id, risk_id, due_date);

CREATE TABLE risk_acceptance (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    risk_id uuid NOT NULL,
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    approver_user_id uuid NOT NULL REFERENCES app_user(id),
    reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
    expires_on date NOT NULL,
    accepted_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    ended_at timestamptz,
    end_reason text CHECK (end_reason IN ('EXPIRED', 'REPLACED', 'TREATMENT_CHANGED')),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, risk_id) REFERENCES risk (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
CREATE INDEX risk_acceptance_risk_idx ON risk_acceptance (partnership_id, risk_id, created_at);
CREATE UNIQUE INDEX risk_acceptance_active_key ON risk_acceptance (partnership_id, risk_id)
    WHERE ended_at IS NULL;
CREATE INDEX risk_acceptance_expiry_idx ON risk_acceptance (expires_on) WHERE ended_at IS NULL;

CREATE TABLE risk_link (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    risk_id uuid NOT NULL,
    kind text NOT NULL CHECK (kind IN ('COMMITMENT', 'MILESTONE', 'KPI')),
    commitment_id uuid,
    milestone_id uuid,
    kpi_id uuid,
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    CHECK (num_nonnulls(commitment_id, milestone_id, kpi_id) = 1),
    FOREIGN KEY (partnership_id, risk_id) REFERENCES risk (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id),
    FOREIGN KEY (partnership_id, commitment_id) REFERENCES commitment (partnership_id, id),
    FOREIGN KEY (partnership_id, milestone_id) REFERENCES milestone (partnership_id, id),
    FOREIGN KEY (partnership_id, kpi_id) REFERENCES kpi (partnership_id, id)
);
CREATE INDEX risk_link_risk_idx ON risk_link (partnership_id, risk_id);
"""

# The daily task's only doors across partnerships. Each does one narrow thing for every active
# partnership: end the acceptances past their expiry (the risk returns to review, audited in
# its partnership's chain with no actor: the system), and list the risks whose review is
# overdue (what the reminder needs: the owner side and the title, which that side may read).
JOBS = """
CREATE FUNCTION mutual_risks_expire_acceptances(p_today date)
RETURNS TABLE (partnership_id uuid, risk_id uuid, party_id uuid, title text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    a record;
BEGIN
    FOR a IN
        SELECT x.partnership_id, x.id, x.risk_id, x.owner_party_id, x.expires_on,
               r.title, r.status, r.visibility, r.owner_party_id AS risk_owner
        FROM risk_acceptance x
        JOIN risk r ON r.partnership_id = x.partnership_id AND r.id = x.risk_id
        JOIN partnership p ON p.id = x.partnership_id
        WHERE x.ended_at IS NULL AND x.expires_on < p_today AND p.status = 'ACTIVE'
        ORDER BY x.partnership_id, x.risk_id
        FOR UPDATE OF x, r
    LOOP
        UPDATE risk_acceptance SET ended_at = now(), end_reason = 'EXPIRED'
        WHERE risk_acceptance.partnership_id = a.partnership_id AND risk_acceptance.id = a.id;
        UPDATE risk SET status = 'IN_REVIEW',
                        next_review_on = least(risk.next_review_on, a.expires_on),
                        version = risk.version + 1, updated_at = now()
        WHERE risk.partnership_id = a.partnership_id AND risk.id = a.risk_id
          AND risk.status <> 'CLOSED';
        INSERT INTO audit_event (partnership_id, actor_user_id, actor_party_id, action,
                                 object_type, object_id, changes, visibility, owner_party_id,
                                 request_id)
        VALUES (a.partnership_id, NULL, NULL, 'risk.acceptance_expired', 'Risk', a.risk_id,
                jsonb_build_object(
                    'status', jsonb_build_object('from', a.status, 'to', 'IN_REVIEW'),
                    'acceptance_expires_on', a.expires_on),
                a.visibility, a.risk_owner, 'job:risks.daily');
        partnership_id := a.partnership_id;
        risk_id := a.risk_id;
        party_id := a.owner_party_id;
        title := a.title;
        RETURN NEXT;
    END LOOP;
END
$$;

CREATE FUNCTION mutual_risks_reviews_due(p_today date)
RETURNS TABLE (partnership_id uuid, risk_id uuid, party_id uuid, title text,
               next_review_on date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT r.partnership_id, r.id, r.owner_party_id, r.title, r.next_review_on
    FROM risk r
    JOIN partnership p ON p.id = r.partnership_id
    WHERE r.next_review_on < p_today AND r.status <> 'CLOSED' AND p.status = 'ACTIVE'
    ORDER BY r.partnership_id, r.next_review_on, r.id
$$;
"""

TABLES = ("risk", "risk_action", "risk_link")
APPEND_ONLY = ("risk_assessment",)
ACCEPTANCE = "risk_acceptance"
FUNCTIONS = ("mutual_risks_expire_acceptances(date)", "mutual_risks_reviews_due(date)")


def upgrade() -> None:
    execute_script(op, SCHEMA)
    for table in (*TABLES, *APPEND_ONLY, ACCEPTANCE):
        execute_script(op, policies(table, SHARED_OR_OWN))
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(TABLES)} TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT ON {', '.join(APPEND_ONLY)} TO {APP_ROLE}")
    # An acceptance is ended (replaced, treatment changed), never deleted or rewritten.
    op.execute(f"GRANT SELECT, INSERT ON {ACCEPTANCE} TO {APP_ROLE}")
    op.execute(f"GRANT UPDATE (ended_at, end_reason) ON {ACCEPTANCE} TO {APP_ROLE}")
    execute_script(op, JOBS)
    for function in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {APP_ROLE}")


def downgrade() -> None:
    execute_script(
        op,
        "DROP FUNCTION mutual_risks_reviews_due(date); "
        "DROP FUNCTION mutual_risks_expire_acceptances(date); "
        "DROP TABLE risk_link, risk_acceptance, risk_action, risk_assessment, risk;",
    )
