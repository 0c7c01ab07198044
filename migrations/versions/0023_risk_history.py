"""The treatment history of risks and of their actions, so a report as of a past date shows the
risk's status, treatment, plan and review date then, and each action's status and due date then.

Append-only for the application (SELECT and INSERT), readable like the risk itself (RLS:
SHARED or the owner side's). Rows are written by triggers on `risk` and `risk_action` after
every insert and every update that changes a kept column, so no path (the services, the daily
task's SECURITY DEFINER function, the demo data) can change a risk without leaving its trace.

Existing rows are backfilled with their current state from their `updated_at`: every update
sets it, so that state has held since then; what came before is not known, and the report says
so (`backfilled` marks those first rows).

Revision ID: 0023_risk_history
Revises: 0022_notify_audit
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, SHARED_OR_OWN, execute_script, policies

revision = "0023_risk_history"
down_revision = "0022_notify_audit"

SCHEMA = """
CREATE TABLE risk_history (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    risk_id uuid NOT NULL,
    title text NOT NULL,
    category text NOT NULL,
    status text NOT NULL,
    treatment text,
    treatment_plan text NOT NULL DEFAULT '',
    next_review_on date NOT NULL,
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    backfilled boolean NOT NULL DEFAULT false,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, risk_id) REFERENCES risk (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
CREATE INDEX risk_history_as_of_idx ON risk_history (partnership_id, risk_id, at DESC);

CREATE TABLE risk_action_history (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    action_id uuid NOT NULL,
    risk_id uuid NOT NULL,
    title text NOT NULL,
    status text NOT NULL,
    due_date date,
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility IN ('SHARED', 'INTERNAL')),
    backfilled boolean NOT NULL DEFAULT false,
    at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (partnership_id, id),
    FOREIGN KEY (partnership_id, action_id) REFERENCES risk_action (partnership_id, id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
CREATE INDEX risk_action_history_as_of_idx
    ON risk_action_history (partnership_id, action_id, at DESC);

CREATE FUNCTION risks_keep_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO risk_history (partnership_id, risk_id, title, category, status, treatment,
                              treatment_plan, next_review_on, owner_party_id, visibility)
    VALUES (NEW.partnership_id, NEW.id, NEW.title, NEW.category, NEW.status, NEW.treatment,
            NEW.treatment_plan, NEW.next_review_on, NEW.owner_party_id, NEW.visibility);
    RETURN NULL;
END
$$;
CREATE TRIGGER risk_history_on_insert AFTER INSERT ON risk
    FOR EACH ROW EXECUTE FUNCTION risks_keep_history();
CREATE TRIGGER risk_history_on_update AFTER UPDATE ON risk
    FOR EACH ROW WHEN ((OLD.title, OLD.category, OLD.status, OLD.treatment, OLD.treatment_plan,
                        OLD.next_review_on, OLD.owner_party_id, OLD.visibility)
                       IS DISTINCT FROM
                       (NEW.title, NEW.category, NEW.status, NEW.treatment, NEW.treatment_plan,
                        NEW.next_review_on, NEW.owner_party_id, NEW.visibility))
    EXECUTE FUNCTION risks_keep_history();

CREATE FUNCTION risks_keep_action_history() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO risk_action_history (partnership_id, action_id, risk_id, title, status,
                                     due_date, owner_party_id, visibility)
    VALUES (NEW.partnership_id, NEW.id, NEW.risk_id, NEW.title, NEW.status, NEW.due_date,
            NEW.owner_party_id, NEW.visibility);
    RETURN NULL;
END
$$;
CREATE TRIGGER risk_action_history_on_insert AFTER INSERT ON risk_action
    FOR EACH ROW EXECUTE FUNCTION risks_keep_action_history();
CREATE TRIGGER risk_action_history_on_update AFTER UPDATE ON risk_action
    FOR EACH ROW WHEN ((OLD.title, OLD.status, OLD.due_date, OLD.owner_party_id, OLD.visibility)
                       IS DISTINCT FROM
                       (NEW.title, NEW.status, NEW.due_date, NEW.owner_party_id, NEW.visibility))
    EXECUTE FUNCTION risks_keep_action_history();

INSERT INTO risk_history (partnership_id, risk_id, title, category, status, treatment,
                          treatment_plan, next_review_on, owner_party_id, visibility,
                          backfilled, at)
SELECT partnership_id, id, title, category, status, treatment, treatment_plan, next_review_on,
       owner_party_id, visibility, true, updated_at
FROM risk;
INSERT INTO risk_action_history (partnership_id, action_id, risk_id, title, status, due_date,
                                 owner_party_id, visibility, backfilled, at)
SELECT partnership_id, id, risk_id, title, status, due_date, owner_party_id, visibility, true,
       updated_at
FROM risk_action;
"""

TABLES = ("risk_history", "risk_action_history")


def upgrade() -> None:
    execute_script(op, SCHEMA)
    for table in TABLES:
        execute_script(op, policies(table, SHARED_OR_OWN))
    op.execute(f"GRANT SELECT, INSERT ON {', '.join(TABLES)} TO {APP_ROLE}")


def downgrade() -> None:
    execute_script(
        op,
        "DROP TABLE risk_action_history, risk_history; "
        "DROP FUNCTION risks_keep_action_history(); DROP FUNCTION risks_keep_history();",
    )
