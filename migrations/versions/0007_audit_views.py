"""Each side's view of the audit trail is a hash chain of its own.

The partnership's chain (0001) links every event, the other side's INTERNAL ones included, so
a side reading its trail saw gaps in the numbers and links to hashes it could not see, and
`verifyAuditChain` counted events it could not read. Now every event is also linked into the
view of each side that may read it (SHARED: both; INTERNAL: its owner's): numbered 1..n within
that view, chained with sha256 over the previous link's hash and the canonical JSON of what that
side reads (the view's party and number in place of the partnership's number). A side can
check its whole view itself and learns nothing of what it cannot see. The partnership's chain
stays, for the operators.

Revision ID: 0007
Revises: 0006
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, VISIBLE, execute_script, policies

revision = "0007"
down_revision = "0006"

OWN_VIEW = f"{VISIBLE} AND party_id = ANY ((SELECT mutual_own_parties())::uuid[])"

SCHEMA = """
CREATE TABLE audit_link (
    partnership_id uuid NOT NULL,
    party_id uuid NOT NULL,
    seq bigint NOT NULL,
    event_seq bigint NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    PRIMARY KEY (partnership_id, party_id, seq),
    CONSTRAINT audit_link_event_key UNIQUE (partnership_id, party_id, event_seq),
    FOREIGN KEY (partnership_id, party_id) REFERENCES party (partnership_id, id),
    FOREIGN KEY (partnership_id, event_seq) REFERENCES audit_event (partnership_id, seq)
);

-- What one side reads of an event, numbered in that side's view.
CREATE FUNCTION mutual_audit_view_canonical(e audit_event, p_party uuid, p_seq bigint)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object(
        'partnership_id', e.partnership_id, 'party_id', p_party, 'seq', p_seq, 'id', e.id,
        'actor_user_id', e.actor_user_id, 'actor_party_id', e.actor_party_id,
        'action', e.action, 'object_type', e.object_type, 'object_id', e.object_id,
        'changes', e.changes, 'visibility', e.visibility, 'owner_party_id', e.owner_party_id,
        'request_id', e.request_id,
        'created_at', to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    )::text
$$;

CREATE FUNCTION mutual_audit_view_hash(prev_hash text, e audit_event, p_party uuid, p_seq bigint)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(
        prev_hash || mutual_audit_view_canonical(e, p_party, p_seq), 'UTF8')), 'hex')
$$;

-- Links one event into the view of every side that may read it. Called after the chain
-- trigger, whose advisory lock serialises the partnership's writers until they commit.
CREATE FUNCTION mutual_audit_link_event(e audit_event) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    viewer uuid;
    last_seq bigint;
    last_hash text;
BEGIN
    FOR viewer IN
        SELECT p.id FROM party p
        WHERE p.partnership_id = e.partnership_id
          AND (e.visibility = 'SHARED' OR p.id = e.owner_party_id)
        ORDER BY p.id
    LOOP
        SELECT l.seq, l.hash INTO last_seq, last_hash FROM audit_link l
        WHERE l.partnership_id = e.partnership_id AND l.party_id = viewer
        ORDER BY l.seq DESC LIMIT 1;
        last_seq := coalesce(last_seq, 0) + 1;
        last_hash := coalesce(last_hash, repeat('0', 64));
        INSERT INTO audit_link (partnership_id, party_id, seq, event_seq, prev_hash, hash)
        VALUES (e.partnership_id, viewer, last_seq, e.seq, last_hash,
                mutual_audit_view_hash(last_hash, e, viewer, last_seq));
    END LOOP;
END
$$;

CREATE FUNCTION mutual_audit_link() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM mutual_audit_link_event(NEW);
    RETURN NULL;
END
$$;
-- Named to fire before audit_event_notify (triggers of one kind fire by name), which
-- announces each view's number.
CREATE TRIGGER audit_event_link AFTER INSERT ON audit_event
    FOR EACH ROW EXECUTE FUNCTION mutual_audit_link();

-- Walks the caller's side's view of one partnership and returns the first broken link (its
-- number in that view): a number out of sequence, a link to another hash, or an event whose
-- content no longer gives its hash.
CREATE FUNCTION mutual_verify_audit_view(p_partnership uuid)
RETURNS TABLE (checked bigint, first_broken_seq bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    viewer uuid;
    l audit_link;
    e audit_event;
    expected_prev text := repeat('0', 64);
    expected_seq bigint := 1;
BEGIN
    SELECT p.id INTO viewer FROM party p
    WHERE p.partnership_id = p_partnership AND p.id = ANY (mutual_own_parties());
    IF viewer IS NULL THEN
        RETURN;
    END IF;
    checked := 0;
    first_broken_seq := NULL;
    FOR l IN SELECT * FROM audit_link a
             WHERE a.partnership_id = p_partnership AND a.party_id = viewer ORDER BY a.seq LOOP
        checked := checked + 1;
        SELECT * INTO e FROM audit_event a
        WHERE a.partnership_id = p_partnership AND a.seq = l.event_seq;
        IF l.seq <> expected_seq OR l.prev_hash <> expected_prev
           OR l.hash <> mutual_audit_view_hash(l.prev_hash, e, viewer, l.seq) THEN
            first_broken_seq := l.seq;
            RETURN NEXT;
            RETURN;
        END IF;
        expected_prev := l.hash;
        expected_seq := l.seq + 1;
    END LOOP;
    RETURN NEXT;
END
$$;
"""

NOTIFY = """
CREATE OR REPLACE FUNCTION mutual_audit_notify() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    subject_type text := NEW.object_type;
    subject_id uuid := NEW.object_id;
    view_seqs json;
BEGIN
    -- A measurement is not a Node of its own: subscribers refetch the KPI it belongs to.
    IF NEW.object_type = 'KpiMeasurement' THEN
        SELECT 'Kpi', m.kpi_id INTO subject_type, subject_id
        FROM kpi_measurement m
        WHERE m.partnership_id = NEW.partnership_id AND m.id = NEW.object_id;
        IF subject_id IS NULL THEN
            subject_type := NEW.object_type;
            subject_id := NEW.object_id;
        END IF;
    END IF;
    -- Each side is told the event's number in its own view (audit_event_link ran first).
    SELECT json_object_agg(l.party_id, l.seq) INTO view_seqs FROM audit_link l
    WHERE l.partnership_id = NEW.partnership_id AND l.event_seq = NEW.seq;
    PERFORM pg_notify('mutual_events', json_build_object(
        'partnership_id', NEW.partnership_id, 'seq', NEW.seq, 'id', NEW.id,
        'action', NEW.action, 'object_type', NEW.object_type, 'object_id', NEW.object_id,
        'visibility', NEW.visibility, 'owner_party_id', NEW.owner_party_id,
        'actor_user_id', NEW.actor_user_id, 'actor_party_id', NEW.actor_party_id,
        'created_at', NEW.created_at,
        'subject_type', subject_type, 'subject_id', subject_id,
        'view_seqs', coalesce(view_seqs, '{}'::json))::text);
    RETURN NULL;
END
$$;
"""

# 0003's function, restored on downgrade.
PREVIOUS_NOTIFY = """
CREATE OR REPLACE FUNCTION mutual_audit_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    subject_type text := NEW.object_type;
    subject_id uuid := NEW.object_id;
BEGIN
    IF NEW.object_type = 'KpiMeasurement' THEN
        SELECT 'Kpi', m.kpi_id INTO subject_type, subject_id
        FROM kpi_measurement m
        WHERE m.partnership_id = NEW.partnership_id AND m.id = NEW.object_id;
        IF subject_id IS NULL THEN
            subject_type := NEW.object_type;
            subject_id := NEW.object_id;
        END IF;
    END IF;
    PERFORM pg_notify('mutual_events', json_build_object(
        'partnership_id', NEW.partnership_id, 'seq', NEW.seq, 'id', NEW.id,
        'action', NEW.action, 'object_type', NEW.object_type, 'object_id', NEW.object_id,
        'visibility', NEW.visibility, 'owner_party_id', NEW.owner_party_id,
        'actor_user_id', NEW.actor_user_id, 'actor_party_id', NEW.actor_party_id,
        'created_at', NEW.created_at,
        'subject_type', subject_type, 'subject_id', subject_id)::text);
    RETURN NULL;
END
$$;
"""

# The events written before this revision, linked in their order.
BACKFILL = """
DO $$
DECLARE
    e audit_event;
BEGIN
    FOR e IN SELECT * FROM audit_event ORDER BY partnership_id, seq LOOP
        PERFORM mutual_audit_link_event(e);
    END LOOP;
END
$$;
"""


def upgrade() -> None:
    execute_script(op, SCHEMA)
    execute_script(op, policies("audit_link", OWN_VIEW))
    # Links are written by the trigger alone; the application reads its side's.
    op.execute(f"GRANT SELECT ON audit_link TO {APP_ROLE}")
    op.execute("REVOKE ALL ON FUNCTION mutual_verify_audit_view(uuid) FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION mutual_verify_audit_view(uuid) TO {APP_ROLE}")
    op.execute("REVOKE ALL ON FUNCTION mutual_audit_link_event(audit_event) FROM PUBLIC")
    execute_script(op, NOTIFY)
    execute_script(op, BACKFILL)


def downgrade() -> None:
    execute_script(op, PREVIOUS_NOTIFY)
    execute_script(
        op,
        "DROP TRIGGER audit_event_link ON audit_event; DROP TABLE audit_link; "
        "DROP FUNCTION mutual_verify_audit_view(uuid), mutual_audit_link(), "
        "mutual_audit_link_event(audit_event), "
        "mutual_audit_view_hash(text, audit_event, uuid, bigint), "
        "mutual_audit_view_canonical(audit_event, uuid, bigint);",
    )
