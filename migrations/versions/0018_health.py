"""Health: the early-warning detectors' thresholds (proposed by one side's LEAD, accepted by the
other's), their current state and history, and the daily snapshots of the trust health index.

The daily job has no identity: `mutual_health_partnerships()` (SECURITY DEFINER) lists each
active partnership with one LEAD to act as, and the job then computes as that member (every
detector and component reads SHARED records only, so both sides' members compute the same).

Revision ID: 0018_health
Revises: 0016_reports
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, VISIBLE, execute_script, policies

revision = "0018_health"
down_revision = "0017_contingency"

DETECTORS = (
    "'communication_declining', 'commitments_delayed', 'information_asymmetry', "
    "'disputes_rising', 'decisions_bypassed', 'results_reevaluated'"
)

SCHEMA = f"""
CREATE TABLE detector_threshold (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    detector text NOT NULL CHECK (detector IN ({DETECTORS})),
    watch double precision NOT NULL,
    fire double precision NOT NULL,
    status text NOT NULL CHECK (status IN ('PROPOSED', 'ACCEPTED', 'DECLINED', 'SUPERSEDED')),
    decided_by uuid REFERENCES app_user(id),
    decided_at timestamptz,
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility = 'SHARED'),
    version integer NOT NULL DEFAULT 1,
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id),
    CHECK (watch <= fire)
);
CREATE INDEX detector_threshold_idx ON detector_threshold (partnership_id, detector, status);

CREATE TABLE detector_state (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    detector text NOT NULL CHECK (detector IN ({DETECTORS})),
    status text NOT NULL CHECK (status IN ('CLEAR', 'WATCH', 'FIRING')),
    since timestamptz NOT NULL,
    episode text,
    score double precision NOT NULL,
    inputs jsonb NOT NULL,
    evidence jsonb NOT NULL,
    evaluated_at timestamptz NOT NULL,
    PRIMARY KEY (partnership_id, detector)
);

CREATE TABLE detector_event (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    detector text NOT NULL,
    status text NOT NULL,
    previous text,
    score double precision NOT NULL,
    evidence jsonb NOT NULL,
    at timestamptz NOT NULL,
    PRIMARY KEY (partnership_id, id)
);
CREATE INDEX detector_event_idx ON detector_event (partnership_id, detector, at);

CREATE TABLE health_snapshot (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    day date NOT NULL,
    value double precision,
    components jsonb NOT NULL,
    taken_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, day)
);

-- The active partnerships, each with one of its LEADs, for the daily job (no identity):
-- ids only, never any content.
CREATE FUNCTION mutual_health_partnerships()
    RETURNS TABLE (partnership_id uuid, user_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT ON (p.id) p.id, m.user_id
    FROM partnership p JOIN workspace_member m ON m.partnership_id = p.id AND m.role = 'LEAD'
    WHERE p.status = 'ACTIVE'
    ORDER BY p.id, m.created_at, m.id
$$;
REVOKE ALL ON FUNCTION mutual_health_partnerships() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mutual_health_partnerships() TO {APP_ROLE};
"""

TABLES = ("detector_threshold", "detector_state", "detector_event", "health_snapshot")


def upgrade() -> None:
    execute_script(op, SCHEMA)
    for table in TABLES:
        execute_script(op, policies(table, VISIBLE))
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON {', '.join(TABLES)} TO {APP_ROLE}")


def downgrade() -> None:
    execute_script(
        op,
        "DROP FUNCTION mutual_health_partnerships(); "
        "DROP TABLE health_snapshot, detector_event, detector_state, detector_threshold;",
    )
