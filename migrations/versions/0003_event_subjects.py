"""Live events name the Node to refetch: a measurement's change is announced with its KPI.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

from migrations.helpers.rls_v1 import execute_script

revision = "0003"
down_revision = "0002"

# The payload's common part; 0003 adds the subject (0002's function, restored on downgrade,
# sends the rest alone).
PAYLOAD = """
        'partnership_id', NEW.partnership_id, 'seq', NEW.seq, 'id', NEW.id,
        'action', NEW.action, 'object_type', NEW.object_type, 'object_id', NEW.object_id,
        'visibility', NEW.visibility, 'owner_party_id', NEW.owner_party_id,
        'actor_user_id', NEW.actor_user_id, 'actor_party_id', NEW.actor_party_id,
        'created_at', NEW.created_at"""

NOTIFY = f"""
CREATE OR REPLACE FUNCTION mutual_audit_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    subject_type text := NEW.object_type;
    subject_id uuid := NEW.object_id;
BEGIN
    -- A measurement is not a Node of its own: subscribers refetch the KPI it belongs to.
    -- The writer just wrote the row, so its side's row-level security lets it read it.
    IF NEW.object_type = 'KpiMeasurement' THEN
        SELECT 'Kpi', m.kpi_id INTO subject_type, subject_id
        FROM kpi_measurement m
        WHERE m.partnership_id = NEW.partnership_id AND m.id = NEW.object_id;
        IF subject_id IS NULL THEN
            subject_type := NEW.object_type;
            subject_id := NEW.object_id;
        END IF;
    END IF;
    PERFORM pg_notify('mutual_events', json_build_object({PAYLOAD},
        'subject_type', subject_type, 'subject_id', subject_id)::text);
    RETURN NULL;
END
$$;
"""

PREVIOUS = f"""
CREATE OR REPLACE FUNCTION mutual_audit_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mutual_events', json_build_object({PAYLOAD})::text);
    RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    execute_script(op, NOTIFY)


def downgrade() -> None:
    execute_script(op, PREVIOUS)
