"""Pulse surveys: the cadence both LEADs agree on (one proposes, the other accepts), the rounds
the job worker opens when one is due, and the answers.

An answer is readable only by its author (row-level security: `user_id` is the caller); no
grant lets the application change or remove one. Results are read through
`pulse_results(rounds)` (SECURITY DEFINER): aggregates per rating side, and no figure at all for
a side with fewer than 3 respondents. The worker has no identity: `pulse_open_due` opens the due
rounds (and audits them), `pulse_unanswered` lists who has not answered an open round (for the
reminders) - ids only, never a value.

Revision ID: 0019_pulse
Revises: 0016_reports
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, SHARED_OR_OWN, VISIBLE, execute_script, policies

revision = "0019_pulse"
down_revision = "0018_health"

SCHEMA = """
CREATE TABLE pulse_cadence (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    number integer NOT NULL,
    every_days integer NOT NULL CHECK (every_days BETWEEN 7 AND 365),
    status text NOT NULL CHECK (status IN ('PROPOSED', 'ACTIVE', 'DECLINED', 'SUPERSEDED')),
    note text NOT NULL DEFAULT '',
    decided_by uuid REFERENCES app_user(id),
    decided_at timestamptz,
    next_round_at timestamptz,
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility = 'SHARED'),
    version integer NOT NULL DEFAULT 1,
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT pulse_cadence_number_key UNIQUE (partnership_id, number),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);
CREATE INDEX pulse_cadence_due_idx ON pulse_cadence (next_round_at);
CREATE UNIQUE INDEX pulse_cadence_active_key ON pulse_cadence (partnership_id)
    WHERE status = 'ACTIVE';

CREATE TABLE pulse_round (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    cadence_id uuid NOT NULL,
    number integer NOT NULL,
    opens_at timestamptz NOT NULL,
    closes_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT pulse_round_number_key UNIQUE (partnership_id, number),
    FOREIGN KEY (partnership_id, cadence_id) REFERENCES pulse_cadence (partnership_id, id),
    CHECK (closes_at > opens_at)
);
CREATE INDEX pulse_round_closes_idx ON pulse_round (closes_at);

CREATE TABLE pulse_answer (
    partnership_id uuid NOT NULL,
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    round_id uuid NOT NULL,
    party_id uuid NOT NULL,
    user_id uuid NOT NULL REFERENCES app_user(id),
    nps integer NOT NULL CHECK (nps BETWEEN 0 AND 10),
    transparency integer NOT NULL CHECK (transparency BETWEEN 1 AND 5),
    consistency integer NOT NULL CHECK (consistency BETWEEN 1 AND 5),
    interaction integer NOT NULL CHECK (interaction BETWEEN 1 AND 5),
    comment text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    answered_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT pulse_answer_once_key UNIQUE (partnership_id, round_id, user_id),
    FOREIGN KEY (partnership_id, round_id) REFERENCES pulse_round (partnership_id, id),
    FOREIGN KEY (partnership_id, party_id) REFERENCES party (partnership_id, id)
);
"""

FUNCTIONS = """
-- Opens a round for each ACTIVE cadence whose moment has come (also one missed while no worker
-- ran: one round, not one per missed period), moves the cadence on, audits each opening.
CREATE FUNCTION pulse_open_due(p_now timestamptz, p_limit integer)
RETURNS TABLE (partnership_id uuid, round_id uuid, number integer, closes_at timestamptz,
               party_ids uuid[])
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH due AS (
        SELECT c.partnership_id, c.id, c.every_days, c.owner_party_id FROM pulse_cadence c
        WHERE c.status = 'ACTIVE' AND c.next_round_at <= p_now
        ORDER BY c.next_round_at
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    ), moved AS (
        UPDATE pulse_cadence c SET next_round_at = p_now + make_interval(hours => 24 * d.every_days)
        FROM due d WHERE c.partnership_id = d.partnership_id AND c.id = d.id
        RETURNING c.id
    ), made AS (
        INSERT INTO pulse_round (partnership_id, cadence_id, number, opens_at, closes_at)
        SELECT d.partnership_id, d.id,
               coalesce((SELECT max(r.number) FROM pulse_round r
                         WHERE r.partnership_id = d.partnership_id), 0) + 1,
               p_now, p_now + make_interval(hours => 24 * least(d.every_days, 14))
        FROM due d
        RETURNING pulse_round.partnership_id, pulse_round.id, pulse_round.number,
                  pulse_round.closes_at, pulse_round.cadence_id
    ), audited AS (  -- data-modifying CTEs run to completion, read or not
        INSERT INTO audit_event (partnership_id, actor_user_id, actor_party_id, action,
                                 object_type, object_id, changes, visibility, owner_party_id,
                                 request_id)
        SELECT m.partnership_id, NULL, NULL, 'pulse_round.opened', 'PulseRound', m.id,
               jsonb_build_object('number', jsonb_build_object('from', NULL, 'to', m.number)),
               'SHARED', d.owner_party_id, 'job:pulse.open_rounds'
        FROM made m JOIN due d ON d.id = m.cadence_id
        RETURNING 1
    )
    SELECT m.partnership_id, m.id, m.number, m.closes_at,
           (SELECT array_agg(p.id ORDER BY p.id) FROM party p
            WHERE p.partnership_id = m.partnership_id)
    FROM made m
$$;

-- Who has not answered a round open since before p_opened_before: user ids per side.
CREATE FUNCTION pulse_unanswered(p_now timestamptz, p_opened_before timestamptz,
                                 p_limit integer)
RETURNS TABLE (partnership_id uuid, round_id uuid, number integer, closes_at timestamptz,
               party_id uuid, user_ids uuid[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT r.partnership_id, r.id, r.number, r.closes_at, m.party_id,
           array_agg(m.user_id ORDER BY m.user_id)
    FROM pulse_round r
    JOIN workspace_member m ON m.partnership_id = r.partnership_id
    JOIN app_user u ON u.id = m.user_id AND u.is_active
    WHERE r.closes_at > p_now AND r.opens_at <= p_opened_before
      AND NOT EXISTS (SELECT 1 FROM pulse_answer a
                      WHERE a.partnership_id = r.partnership_id AND a.round_id = r.id
                        AND a.user_id = m.user_id)
    GROUP BY r.partnership_id, r.id, r.number, r.closes_at, m.party_id
    ORDER BY r.closes_at, r.id, m.party_id
    LIMIT p_limit
$$;

-- Aggregates per round and rating side, for the rounds of partnerships the caller may enter:
-- members (the side's members now), respondents and the figures only from 3 respondents on;
-- below that, every figure (the count too) is NULL.
CREATE FUNCTION pulse_results(p_rounds uuid[])
RETURNS TABLE (round_id uuid, rating_party_id uuid, members integer, respondents integer,
               nps numeric, transparency numeric, consistency numeric, interaction numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH rounds AS (
        SELECT r.partnership_id, r.id FROM pulse_round r
        WHERE r.id = ANY (p_rounds)
          AND r.partnership_id = ANY ((SELECT mutual_visible_partnerships())::uuid[])
    ), figures AS (
        SELECT x.id AS round_id, p.id AS party_id,
               (SELECT count(*) FROM workspace_member m
                WHERE m.partnership_id = x.partnership_id AND m.party_id = p.id)::integer
                   AS members,
               count(a.id)::integer AS n,
               round(100.0 * (count(*) FILTER (WHERE a.nps >= 9)
                              - count(*) FILTER (WHERE a.nps <= 6)) / nullif(count(a.id), 0), 1)
                   AS nps,
               round(avg(a.transparency), 2) AS transparency,
               round(avg(a.consistency), 2) AS consistency,
               round(avg(a.interaction), 2) AS interaction
        FROM rounds x
        JOIN party p ON p.partnership_id = x.partnership_id
        LEFT JOIN pulse_answer a
               ON a.partnership_id = x.partnership_id AND a.round_id = x.id AND a.party_id = p.id
        GROUP BY x.id, x.partnership_id, p.id
    )
    SELECT f.round_id, f.party_id, f.members,
           CASE WHEN f.n >= 3 THEN f.n END,
           CASE WHEN f.n >= 3 THEN f.nps END,
           CASE WHEN f.n >= 3 THEN f.transparency END,
           CASE WHEN f.n >= 3 THEN f.consistency END,
           CASE WHEN f.n >= 3 THEN f.interaction END
    FROM figures f
    ORDER BY f.round_id, f.party_id
$$;
"""

AUTHOR_ONLY = f"{VISIBLE} AND user_id = mutual_current_user_id()"
WORKER_FUNCTIONS = (
    "pulse_open_due(timestamptz, integer)",
    "pulse_unanswered(timestamptz, timestamptz, integer)",
    "pulse_results(uuid[])",
)


def upgrade() -> None:
    execute_script(op, SCHEMA)
    execute_script(op, policies("pulse_cadence", SHARED_OR_OWN))
    execute_script(op, policies("pulse_round", VISIBLE))
    execute_script(op, policies("pulse_answer", AUTHOR_ONLY))
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON pulse_cadence TO {APP_ROLE}")
    # Rounds are opened by pulse_open_due only; an answer is written once, never changed.
    op.execute(f"GRANT SELECT ON pulse_round TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT ON pulse_answer TO {APP_ROLE}")
    execute_script(op, FUNCTIONS)
    for function in WORKER_FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {APP_ROLE}")


def downgrade() -> None:
    execute_script(
        op,
        "DROP FUNCTION pulse_results(uuid[]); "
        "DROP FUNCTION pulse_unanswered(timestamptz, timestamptz, integer); "
        "DROP FUNCTION pulse_open_due(timestamptz, integer); "
        "DROP TABLE pulse_answer, pulse_round, pulse_cadence;",
    )
