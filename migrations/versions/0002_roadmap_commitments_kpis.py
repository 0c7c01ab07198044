"""Roadmap milestones, two-sided commitments, KPIs with measurements; live event fan-out.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, SHARED_OR_OWN, execute_script, policies

revision = "0002"
down_revision = "0001"

# Columns every owned, versioned workspace record has.
RECORD = """
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    version integer NOT NULL DEFAULT 1,
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
"""

SCHEMA = f"""
CREATE TABLE milestone (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    target_date date,
    phase text NOT NULL CHECK (phase IN ('STABILIZE', 'REBUILD', 'DEEPEN')),
    status text NOT NULL
        CHECK (status IN ('PLANNED', 'IN_PROGRESS', 'DONE', 'AT_RISK', 'DROPPED')),
    rank integer NOT NULL,
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
CREATE INDEX milestone_phase_rank_idx ON milestone (partnership_id, phase, rank);

CREATE TABLE kpi (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    unit text NOT NULL DEFAULT '' CHECK (length(unit) <= 20),
    direction text NOT NULL CHECK (direction IN ('HIGHER_IS_BETTER', 'LOWER_IS_BETTER')),
    baseline_value numeric NOT NULL,
    baseline_date date NOT NULL,
    target_value numeric NOT NULL,
    target_date date NOT NULL,
    warning_threshold numeric NOT NULL,
    critical_threshold numeric NOT NULL,
    cadence text NOT NULL CHECK (cadence IN ('WEEKLY', 'MONTHLY', 'QUARTERLY')),
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
-- Names are unique among SHARED KPIs and within a side; an INTERNAL name of the other side
-- never blocks (or reveals itself to) anyone.
CREATE UNIQUE INDEX kpi_shared_name_key ON kpi (partnership_id, name) WHERE visibility = 'SHARED';
CREATE UNIQUE INDEX kpi_party_name_key ON kpi (partnership_id, owner_party_id, name);

CREATE TABLE kpi_measurement (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    kpi_id uuid NOT NULL,
    period_start date NOT NULL,
    value numeric NOT NULL,
    source text NOT NULL CHECK (source IN ('MANUAL', 'API')),
    note text NOT NULL DEFAULT '',
    reported_by uuid REFERENCES app_user(id),
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    UNIQUE (partnership_id, kpi_id, period_start),
    FOREIGN KEY (partnership_id, kpi_id) REFERENCES kpi (partnership_id, id)
);

-- A corrected measurement keeps every previous value here (append-only).
CREATE TABLE kpi_measurement_revision (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    measurement_id uuid NOT NULL,
    value numeric NOT NULL,
    source text NOT NULL,
    note text NOT NULL,
    reported_by uuid REFERENCES app_user(id),
    reported_at timestamptz NOT NULL,
    replaced_at timestamptz NOT NULL DEFAULT now(),
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, measurement_id) REFERENCES kpi_measurement (partnership_id, id)
);
CREATE INDEX kpi_measurement_revision_idx
    ON kpi_measurement_revision (partnership_id, measurement_id);

CREATE TABLE commitment (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description text NOT NULL DEFAULT '',
    proposed_by_party_id uuid NOT NULL,
    due_date date NOT NULL,
    milestone_id uuid,
    kpi_id uuid,
    status text NOT NULL CHECK (status IN ('PROPOSED', 'AGREED', 'DECLINED', 'IN_PROGRESS',
                                           'DELIVERED', 'CONFIRMED', 'DISPUTED')),
    delivered_at timestamptz,
    confirmed_at timestamptz,
    dispute_reason text,
    renegotiation_due_date date,
    renegotiation_reason text,
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id),
    FOREIGN KEY (partnership_id, proposed_by_party_id) REFERENCES party (partnership_id, id),
    FOREIGN KEY (partnership_id, milestone_id) REFERENCES milestone (partnership_id, id),
    FOREIGN KEY (partnership_id, kpi_id) REFERENCES kpi (partnership_id, id)
);
CREATE INDEX commitment_due_idx ON commitment (partnership_id, due_date, id);
CREATE INDEX commitment_updated_idx ON commitment (partnership_id, updated_at, id);
CREATE INDEX commitment_milestone_idx ON commitment (partnership_id, milestone_id);

CREATE TABLE commitment_evidence (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    commitment_id uuid NOT NULL,
    url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    note text NOT NULL DEFAULT '',
    added_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, commitment_id) REFERENCES commitment (partnership_id, id)
);
CREATE INDEX commitment_evidence_idx ON commitment_evidence (partnership_id, commitment_id);

-- Every step of a commitment's life (append-only): the source of reliability figures.
CREATE TABLE commitment_transition (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    commitment_id uuid NOT NULL,
    action text NOT NULL,
    from_status text,
    to_status text NOT NULL,
    actor_user_id uuid REFERENCES app_user(id),
    actor_party_id uuid NOT NULL,
    due_date_before date,
    due_date_after date,
    reason text NOT NULL DEFAULT '',
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, commitment_id) REFERENCES commitment (partnership_id, id)
);
CREATE INDEX commitment_transition_idx
    ON commitment_transition (partnership_id, commitment_id, at);

-- Every audited write is announced to listeners when its transaction commits.
CREATE FUNCTION mutual_audit_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mutual_events', json_build_object(
        'partnership_id', NEW.partnership_id, 'seq', NEW.seq, 'id', NEW.id,
        'action', NEW.action, 'object_type', NEW.object_type, 'object_id', NEW.object_id,
        'visibility', NEW.visibility, 'owner_party_id', NEW.owner_party_id,
        'actor_user_id', NEW.actor_user_id, 'actor_party_id', NEW.actor_party_id,
        'created_at', NEW.created_at)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_event_notify AFTER INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION mutual_audit_notify();
"""

TABLES = ("milestone", "kpi", "kpi_measurement", "commitment", "commitment_evidence")
HISTORY_TABLES = ("kpi_measurement_revision", "commitment_transition")


def upgrade() -> None:
    execute_script(op, SCHEMA)
    for table in (*TABLES, *HISTORY_TABLES):
        execute_script(op, policies(table, SHARED_OR_OWN))
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(TABLES)} TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT ON {', '.join(HISTORY_TABLES)} TO {APP_ROLE}")


def downgrade() -> None:
    execute_script(
        op,
        "DROP TRIGGER audit_event_notify ON audit_event; DROP FUNCTION mutual_audit_notify(); "
        "DROP TABLE commitment_transition, commitment_evidence, commitment, "
        "kpi_measurement_revision, kpi_measurement, kpi, milestone;",
    )
