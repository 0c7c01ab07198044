"""Risk and compliance reports: frozen, hashed snapshots of a partnership as of a date, their
documents (canonical JSON and PDF), the partner's acknowledgements, and report schedules.

A report and its document are immutable for the application role: a trigger refuses UPDATE and
DELETE (the grants allow them, so the refusal is the database's rule, not a missing grant); an
acknowledgement is insert-only. The job worker has no identity, so it cannot read schedules:
`mutual_reports_due(day)` (SECURITY DEFINER) lists the due ones and who created them, and the
task then acts as that creator.

Revision ID: 0016_reports
Revises: 0011
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, SHARED_OR_OWN, VISIBLE, execute_script, policies

revision = "0016_reports"
down_revision = "0015_governance"

RECORD = """
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    version integer NOT NULL DEFAULT 1,
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
"""

SCHEMA = f"""
CREATE TABLE report_schedule (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    cadence text NOT NULL CHECK (cadence IN ('MONTHLY', 'QUARTERLY')),
    next_run_on date NOT NULL,
    active boolean NOT NULL DEFAULT true,
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
CREATE INDEX report_schedule_due_idx ON report_schedule (next_run_on) WHERE active;

CREATE TABLE report (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    as_of date NOT NULL,
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{{64}}$'),
    audit_head_hash text,
    schedule_id uuid,
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id),
    FOREIGN KEY (partnership_id, schedule_id) REFERENCES report_schedule (partnership_id, id),
    CHECK (visibility = 'SHARED')
);
CREATE INDEX report_list_idx ON report (partnership_id, created_at);
CREATE INDEX report_sha256_idx ON report (sha256);

CREATE TABLE report_document (
    partnership_id uuid NOT NULL,
    report_id uuid NOT NULL,
    content text NOT NULL,
    pdf bytea NOT NULL,
    pdf_sha256 text NOT NULL,
    PRIMARY KEY (partnership_id, report_id),
    FOREIGN KEY (partnership_id, report_id) REFERENCES report (partnership_id, id)
);
CREATE INDEX report_document_pdf_idx ON report_document (pdf_sha256);

CREATE TABLE report_acknowledgement (
    partnership_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    report_id uuid NOT NULL,
    party_id uuid NOT NULL,
    user_id uuid NOT NULL REFERENCES app_user(id),
    sha256 text NOT NULL,
    acknowledged_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT report_acknowledgement_side_key UNIQUE (partnership_id, report_id, party_id),
    FOREIGN KEY (partnership_id, report_id) REFERENCES report (partnership_id, id),
    FOREIGN KEY (partnership_id, party_id) REFERENCES party (partnership_id, id)
);

-- A report is what it was when generated: the application may not change or remove it.
CREATE FUNCTION mutual_report_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_user = '{APP_ROLE}' THEN
        RAISE EXCEPTION 'a report is immutable: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE TRIGGER report_immutable BEFORE UPDATE OR DELETE ON report
    FOR EACH ROW EXECUTE FUNCTION mutual_report_immutable();
CREATE TRIGGER report_document_immutable BEFORE UPDATE OR DELETE ON report_document
    FOR EACH ROW EXECUTE FUNCTION mutual_report_immutable();
CREATE TRIGGER report_acknowledgement_immutable BEFORE UPDATE OR DELETE ON report_acknowledgement
    FOR EACH ROW EXECUTE FUNCTION mutual_report_immutable();

-- The schedules due on a day, for the job worker (which has no identity): only ids and the
-- creator each is generated as, never a schedule's content.
CREATE FUNCTION mutual_reports_due(p_day date)
    RETURNS TABLE (partnership_id uuid, schedule_id uuid, created_by uuid)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT s.partnership_id, s.id, s.created_by FROM report_schedule s
    WHERE s.active AND s.next_run_on <= p_day AND s.created_by IS NOT NULL
    ORDER BY s.next_run_on, s.id
    LIMIT 500
$$;
REVOKE ALL ON FUNCTION mutual_reports_due(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mutual_reports_due(date) TO {APP_ROLE};
"""


def upgrade() -> None:
    execute_script(op, SCHEMA)
    execute_script(op, policies("report_schedule", SHARED_OR_OWN))
    execute_script(op, policies("report", SHARED_OR_OWN))
    execute_script(op, policies("report_document", VISIBLE))
    execute_script(op, policies("report_acknowledgement", VISIBLE))
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON report_schedule TO {APP_ROLE}")
    # UPDATE and DELETE are granted so that the trigger is what refuses them (tested).
    op.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON report, report_document, "
        f"report_acknowledgement TO {APP_ROLE}"
    )


def downgrade() -> None:
    execute_script(
        op,
        "DROP FUNCTION mutual_reports_due(date); "
        "DROP TABLE report_acknowledgement, report_document, report, report_schedule; "
        "DROP FUNCTION mutual_report_immutable();",
    )
