"""Foundation: tenancy, sessions, API tokens, audit trail, and row-level security.

Revision ID: 0001
Revises:
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, SHARED_OR_OWN, VISIBLE, policies
from migrations.helpers.rls_v1 import execute_script as _execute_script

revision = "0001"
down_revision = None

# Tables every request may read without a workspace identity (login, session lookup).
GLOBAL_TABLES = ["organization", "app_user", "user_session", "login_attempt", "oidc_provider"]

# Workspace tables: partnership_id on every row, RLS enabled and forced.
WORKSPACE_TABLES = ["party", "workspace_member", "invitation", "api_token"]

SCHEMA = r"""
CREATE TABLE organization (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    slug text NOT NULL UNIQUE,
    email_domain text UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES organization(id),
    email text NOT NULL,
    display_name text NOT NULL,
    password_hash text,
    org_role text NOT NULL CHECK (org_role IN ('ADMIN', 'MEMBER')),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));
CREATE INDEX app_user_organization_idx ON app_user (organization_id);

CREATE TABLE user_session (
    token_hash bytea PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

CREATE TABLE login_attempt (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    ip text NOT NULL,
    succeeded boolean NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempt_email_idx ON login_attempt (lower(email), created_at);
CREATE INDEX login_attempt_ip_idx ON login_attempt (ip, created_at);

CREATE TABLE oidc_provider (
    organization_id uuid PRIMARY KEY REFERENCES organization(id) ON DELETE CASCADE,
    issuer text NOT NULL,
    client_id text NOT NULL,
    client_secret text NOT NULL,
    enabled boolean NOT NULL DEFAULT true
);

CREATE TABLE partnership (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status text NOT NULL CHECK (status IN ('INVITED', 'ACTIVE', 'SUSPENDED', 'ENDED')),
    created_by uuid NOT NULL REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- Set when the invited organization accepts; a partnership never accepted has no workspace.
    activated_at timestamptz,
    version integer NOT NULL DEFAULT 1
);

CREATE TABLE party (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    organization_id uuid NOT NULL REFERENCES organization(id),
    label text NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
    PRIMARY KEY (partnership_id, id),
    UNIQUE (partnership_id, organization_id)
);
CREATE INDEX party_organization_idx ON party (organization_id, partnership_id);

CREATE TABLE workspace_member (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    party_id uuid NOT NULL,
    user_id uuid NOT NULL REFERENCES app_user(id),
    role text NOT NULL CHECK (role IN ('LEAD', 'EDITOR', 'GOVERNANCE', 'VIEWER')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    UNIQUE (partnership_id, user_id),
    FOREIGN KEY (partnership_id, party_id) REFERENCES party (partnership_id, id)
);
CREATE INDEX workspace_member_user_idx ON workspace_member (user_id, partnership_id);

CREATE TABLE invitation (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    inviter_organization_id uuid NOT NULL REFERENCES organization(id),
    invitee_organization_id uuid NOT NULL REFERENCES organization(id),
    invited_by uuid NOT NULL REFERENCES app_user(id),
    message text NOT NULL DEFAULT '',
    status text NOT NULL CHECK (status IN ('PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    decided_at timestamptz,
    decided_by uuid REFERENCES app_user(id),
    PRIMARY KEY (partnership_id, id)
);
CREATE UNIQUE INDEX invitation_one_pending ON invitation
    (LEAST(inviter_organization_id, invitee_organization_id),
     GREATEST(inviter_organization_id, invitee_organization_id))
    WHERE status = 'PENDING';
CREATE INDEX invitation_invitee_idx ON invitation (invitee_organization_id, status);

CREATE TABLE api_token (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    party_id uuid NOT NULL,
    user_id uuid NOT NULL REFERENCES app_user(id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash bytea NOT NULL UNIQUE,
    scopes text[] NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, party_id) REFERENCES party (partnership_id, id)
);

CREATE TABLE audit_event (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    seq bigint NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    actor_user_id uuid REFERENCES app_user(id),
    actor_party_id uuid,
    action text NOT NULL,
    object_type text NOT NULL,
    object_id uuid NOT NULL,
    changes jsonb NOT NULL DEFAULT '{}'::jsonb,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    owner_party_id uuid NOT NULL,
    request_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    prev_hash text NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (partnership_id, seq)
);
CREATE INDEX audit_event_object_idx ON audit_event (partnership_id, object_type, object_id);

-- The identity of the caller lives in transaction-local settings; a missing setting is NULL.
CREATE FUNCTION mutual_current_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('mutual.user_id', true), '')::uuid
$$;

CREATE FUNCTION mutual_token_partnership_id() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT nullif(current_setting('mutual.partnership_id', true), '')::uuid
$$;

-- Partnerships the caller may enter: a workspace member, or an admin of a party's organization.
-- SECURITY DEFINER so the policies below can consult party and workspace_member without recursion.
CREATE FUNCTION mutual_visible_partnerships() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(array_agg(p.partnership_id), '{}')
    FROM party p
    JOIN app_user u ON u.organization_id = p.organization_id
    WHERE u.id = mutual_current_user_id()
      AND u.is_active
      AND (mutual_token_partnership_id() IS NULL
           OR p.partnership_id = mutual_token_partnership_id())
      AND (u.org_role = 'ADMIN' OR EXISTS (
            SELECT 1 FROM workspace_member m
            WHERE m.partnership_id = p.partnership_id AND m.user_id = u.id))
$$;

-- The caller's own party in each visible partnership (for INTERNAL rows).
CREATE FUNCTION mutual_own_parties() RETURNS uuid[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(array_agg(p.id), '{}')
    FROM party p
    JOIN app_user u ON u.organization_id = p.organization_id
    WHERE u.id = mutual_current_user_id()
      AND p.partnership_id = ANY (mutual_visible_partnerships())
$$;

-- Bearer tokens are looked up before any identity exists; this is the only door to api_token.
CREATE FUNCTION mutual_authenticate_token(p_hash bytea)
RETURNS TABLE (token_id uuid, partnership_id uuid, user_id uuid, scopes text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT t.id, t.partnership_id, t.user_id, t.scopes
    FROM api_token t
    WHERE t.token_hash = p_hash AND t.revoked_at IS NULL AND t.expires_at > now()
$$;

-- Canonical JSON of an audit event: jsonb's text form has sorted keys and fixed separators.
CREATE FUNCTION mutual_audit_canonical(e audit_event) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object(
        'partnership_id', e.partnership_id, 'seq', e.seq, 'id', e.id,
        'actor_user_id', e.actor_user_id, 'actor_party_id', e.actor_party_id,
        'action', e.action, 'object_type', e.object_type, 'object_id', e.object_id,
        'changes', e.changes, 'visibility', e.visibility, 'owner_party_id', e.owner_party_id,
        'request_id', e.request_id,
        'created_at', to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    )::text
$$;

CREATE FUNCTION mutual_audit_hash(prev_hash text, e audit_event) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(prev_hash || mutual_audit_canonical(e), 'UTF8')), 'hex')
$$;

-- Chains each new event to the last one of its partnership; the advisory lock serialises writers.
CREATE FUNCTION mutual_audit_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(NEW.partnership_id::text, 7));
    SELECT a.seq, a.hash INTO last_seq, last_hash FROM audit_event a
    WHERE a.partnership_id = NEW.partnership_id ORDER BY a.seq DESC LIMIT 1;
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.prev_hash := coalesce(last_hash, repeat('0', 64));
    NEW.created_at := clock_timestamp();
    NEW.hash := mutual_audit_hash(NEW.prev_hash, NEW);
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION mutual_audit_chain();

-- Walks the whole chain (INTERNAL events of both sides included) and returns the first break.
CREATE FUNCTION mutual_verify_audit_chain(p_partnership uuid)
RETURNS TABLE (checked bigint, first_broken_seq bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    e audit_event;
    expected_prev text := repeat('0', 64);
    expected_seq bigint := 1;
BEGIN
    IF NOT p_partnership = ANY (mutual_visible_partnerships()) THEN
        RETURN;
    END IF;
    checked := 0;
    first_broken_seq := NULL;
    FOR e IN SELECT * FROM audit_event a WHERE a.partnership_id = p_partnership ORDER BY a.seq LOOP
        checked := checked + 1;
        IF e.seq <> expected_seq OR e.prev_hash <> expected_prev
           OR e.hash <> mutual_audit_hash(e.prev_hash, e) THEN
            first_broken_seq := e.seq;
            RETURN NEXT;
            RETURN;
        END IF;
        expected_prev := e.hash;
        expected_seq := e.seq + 1;
    END LOOP;
    RETURN NEXT;
END
$$;
"""


def execute_script(sql: str) -> None:
    _execute_script(op, sql)


def upgrade() -> None:
    execute_script(SCHEMA)
    # A new partnership is visible to its creator until its parties exist.
    execute_script(
        policies(
            "partnership",
            "id = ANY ((SELECT mutual_visible_partnerships())::uuid[]) "
            "OR (created_by = (SELECT mutual_current_user_id()) AND status = 'INVITED')",
            insert_check="created_by = (SELECT mutual_current_user_id()) AND status = 'INVITED'",
        )
    )
    # Parties of a partnership being created are visible to its creator (INSERT ... RETURNING).
    being_created = (
        "partnership_id IN (SELECT id FROM partnership WHERE "
        "created_by = (SELECT mutual_current_user_id()) AND status = 'INVITED')"
    )
    execute_script(policies("party", f"{VISIBLE} OR {being_created}", insert_check=being_created))
    for table in ("workspace_member", "invitation"):
        execute_script(policies(table, VISIBLE))
    # A side's API tokens (names, scopes, hashes) are its own: not even readable by the other.
    execute_script(
        policies(
            "api_token", f"{VISIBLE} AND party_id = ANY ((SELECT mutual_own_parties())::uuid[])"
        )
    )
    execute_script(policies("audit_event", SHARED_OR_OWN))

    op.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    tables = ", ".join([*GLOBAL_TABLES, "partnership", *WORKSPACE_TABLES])
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {APP_ROLE}")
    # The audit trail is append-only for the application.
    op.execute(f"GRANT SELECT, INSERT ON audit_event TO {APP_ROLE}")
    op.execute("REVOKE ALL ON FUNCTION mutual_verify_audit_chain(uuid) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION mutual_verify_audit_chain(uuid) TO {APP_ROLE}")


def downgrade() -> None:
    execute_script(
        "DROP TABLE audit_event, api_token, invitation, workspace_member, party, partnership, "
        "oidc_provider, login_attempt, user_session, app_user, organization CASCADE"
    )
    execute_script(
        "DROP FUNCTION IF EXISTS mutual_verify_audit_chain(uuid), mutual_audit_chain(), "
        "mutual_audit_hash(text, audit_event), mutual_audit_canonical(audit_event), "
        "mutual_authenticate_token(bytea), mutual_own_parties(), mutual_visible_partnerships(), "
        "mutual_token_partnership_id(), mutual_current_user_id()"
    )
