"""Governance: disclosures, their versions (immutable once published: a trigger refuses UPDATE and
DELETE), attachments and files, the partner's acknowledgements; the decision log with named
approvers and one verdict per side. RLS as every workspace table; one SECURITY DEFINER function
lists, across partnerships, the published versions still waiting for the partner's receipt
(the reminder task runs without an identity).

Revision ID: 0015_governance
Revises: 0011
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, SHARED_OR_OWN, execute_script, policies

revision = "0015_governance"
down_revision = "0014_risks"

RECORD = """
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    version integer NOT NULL DEFAULT 1,
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
"""

OWNER_FK = "FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)"

SCHEMA = f"""
CREATE TABLE disclosure (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    type text NOT NULL CHECK (type IN ('DECISION_PROCESS', 'CODE_OF_CONDUCT',
        'COMPLIANCE_POLICY', 'THIRD_PARTY_ASSESSMENT', 'RISK_MANAGEMENT', 'OTHER')),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT disclosure_id_key UNIQUE (id),
    {OWNER_FK}
);
CREATE INDEX disclosure_created_idx ON disclosure (partnership_id, created_at, id);

CREATE TABLE disclosure_version (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    disclosure_id uuid NOT NULL,
    number integer NOT NULL CHECK (number >= 1),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    body text NOT NULL DEFAULT '',
    status text NOT NULL CHECK (status IN ('DRAFT', 'IN_REVIEW', 'PUBLISHED')),
    submitted_by uuid REFERENCES app_user(id),
    submitted_at timestamptz,
    published_by uuid REFERENCES app_user(id),
    published_at timestamptz,
    content_hash text,
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT disclosure_version_id_key UNIQUE (id),
    CONSTRAINT disclosure_version_number_key UNIQUE (partnership_id, disclosure_id, number),
    FOREIGN KEY (partnership_id, disclosure_id) REFERENCES disclosure (partnership_id, id),
    {OWNER_FK},
    -- Published means shared, hashed and signed off; a draft is its side's own.
    CHECK ((status = 'PUBLISHED') = (visibility = 'SHARED')),
    CHECK (status <> 'PUBLISHED' OR (content_hash IS NOT NULL AND published_at IS NOT NULL
                                     AND published_by IS NOT NULL))
);

CREATE TABLE disclosure_file (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{{64}}$'),
    size integer NOT NULL CHECK (size > 0),
    content bytea NOT NULL,
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    {OWNER_FK}
);

CREATE TABLE disclosure_attachment (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    version_id uuid NOT NULL,
    file_id uuid NOT NULL,
    filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
    content_type text NOT NULL,
    size integer NOT NULL CHECK (size > 0),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{{64}}$'),
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, version_id) REFERENCES disclosure_version (partnership_id, id),
    FOREIGN KEY (partnership_id, file_id) REFERENCES disclosure_file (partnership_id, id),
    {OWNER_FK}
);
CREATE INDEX disclosure_attachment_version_idx
    ON disclosure_attachment (partnership_id, version_id);

CREATE TABLE disclosure_acknowledgement (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    version_id uuid NOT NULL,
    disclosure_id uuid NOT NULL,
    owner_party_id uuid NOT NULL,
    user_id uuid NOT NULL REFERENCES app_user(id),
    content_hash text NOT NULL,
    acknowledged_at timestamptz NOT NULL DEFAULT now(),
    visibility text NOT NULL CHECK (visibility = 'SHARED'),
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT disclosure_acknowledgement_key UNIQUE (partnership_id, version_id, owner_party_id),
    FOREIGN KEY (partnership_id, version_id) REFERENCES disclosure_version (partnership_id, id),
    {OWNER_FK}
);

CREATE TABLE decision (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    context text NOT NULL DEFAULT '',
    options text[] NOT NULL DEFAULT '{{}}'::text[],
    rationale text NOT NULL DEFAULT '',
    approval_criteria text NOT NULL DEFAULT '',
    decide_by date,
    status text NOT NULL CHECK (status IN ('PROPOSED', 'APPROVED', 'REJECTED', 'SUPERSEDED')),
    supersedes_id uuid,
    superseded_by_id uuid,
    decided_at timestamptz,
    {RECORD}
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT decision_id_key UNIQUE (id),
    FOREIGN KEY (partnership_id, supersedes_id) REFERENCES decision (partnership_id, id),
    {OWNER_FK},
    CHECK (visibility = 'SHARED')
);
CREATE INDEX decision_created_idx ON decision (partnership_id, created_at, id);

CREATE TABLE decision_approver (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    decision_id uuid NOT NULL,
    owner_party_id uuid NOT NULL,
    user_id uuid NOT NULL REFERENCES app_user(id),
    visibility text NOT NULL CHECK (visibility = 'SHARED'),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT decision_approver_key UNIQUE (partnership_id, decision_id, user_id),
    FOREIGN KEY (partnership_id, decision_id) REFERENCES decision (partnership_id, id),
    {OWNER_FK}
);

CREATE TABLE decision_vote (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    decision_id uuid NOT NULL,
    owner_party_id uuid NOT NULL,
    user_id uuid NOT NULL REFERENCES app_user(id),
    verdict text NOT NULL CHECK (verdict IN ('APPROVE', 'REJECT')),
    comment text NOT NULL CHECK (length(comment) BETWEEN 1 AND 2000),
    at timestamptz NOT NULL DEFAULT now(),
    visibility text NOT NULL CHECK (visibility = 'SHARED'),
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT decision_vote_key UNIQUE (partnership_id, decision_id, owner_party_id),
    FOREIGN KEY (partnership_id, decision_id) REFERENCES decision (partnership_id, id),
    {OWNER_FK}
);

-- A published version, its attachments and their files are immutable: no role changes or
-- deletes them (the application role has UPDATE for drafts; this stops it on published rows).
CREATE FUNCTION governance_refuse_published_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a published disclosure version is immutable (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER disclosure_version_immutable BEFORE UPDATE OR DELETE ON disclosure_version
    FOR EACH ROW WHEN (OLD.status = 'PUBLISHED')
    EXECUTE FUNCTION governance_refuse_published_change();
CREATE TRIGGER disclosure_attachment_immutable BEFORE UPDATE OR DELETE ON disclosure_attachment
    FOR EACH ROW WHEN (OLD.visibility = 'SHARED')
    EXECUTE FUNCTION governance_refuse_published_change();
CREATE TRIGGER disclosure_file_immutable BEFORE UPDATE OR DELETE ON disclosure_file
    FOR EACH ROW WHEN (OLD.visibility = 'SHARED')
    EXECUTE FUNCTION governance_refuse_published_change();

-- For the reminder task (no identity): the latest published version of each disclosure of an
-- active partnership that the other side has not acknowledged; only SHARED content.
CREATE FUNCTION governance_pending_acknowledgements()
RETURNS TABLE (partnership_id uuid, version_id uuid, disclosure_id uuid, number integer,
               title text, owner_party_id uuid, party_id uuid, published_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT v.partnership_id, v.id, v.disclosure_id, v.number, v.title, v.owner_party_id,
           p.id, v.published_at
    FROM disclosure_version v
    JOIN partnership s ON s.id = v.partnership_id AND s.status = 'ACTIVE'
    JOIN party p ON p.partnership_id = v.partnership_id AND p.id <> v.owner_party_id
    WHERE v.status = 'PUBLISHED'
      AND NOT EXISTS (
        SELECT 1 FROM disclosure_version later
        WHERE later.partnership_id = v.partnership_id AND later.disclosure_id = v.disclosure_id
          AND later.status = 'PUBLISHED' AND later.number > v.number)
      AND NOT EXISTS (
        SELECT 1 FROM disclosure_acknowledgement a
        WHERE a.partnership_id = v.partnership_id AND a.version_id = v.id
          AND a.owner_party_id = p.id)
    ORDER BY v.partnership_id, v.published_at, v.id
$$;
"""

TABLES = (
    "disclosure",
    "disclosure_version",
    "disclosure_file",
    "disclosure_attachment",
    "disclosure_acknowledgement",
    "decision",
    "decision_approver",
    "decision_vote",
)
# Receipts and verdicts are append-only for the application.
APPEND_ONLY = ("disclosure_acknowledgement", "decision_vote")


def upgrade() -> None:
    execute_script(op, SCHEMA)
    for table in TABLES:
        execute_script(op, policies(table, SHARED_OR_OWN))
    editable = [t for t in TABLES if t not in APPEND_ONLY]
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(editable)} TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT ON {', '.join(APPEND_ONLY)} TO {APP_ROLE}")
    op.execute("REVOKE ALL ON FUNCTION governance_pending_acknowledgements() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION governance_pending_acknowledgements() TO {APP_ROLE}")


def downgrade() -> None:
    op.execute("DROP FUNCTION governance_pending_acknowledgements()")
    op.execute(f"DROP TABLE {', '.join(reversed(TABLES))}")
    op.execute("DROP FUNCTION governance_refuse_published_change()")
