"""Notifications: notices and each recipient's inbox, notification preferences, webhook
endpoints per side and their delivery log; the narrow SECURITY DEFINER functions through which
a notice is delivered (inbox rows, webhook deliveries, their jobs), audit events become webhook
deliveries (a trigger), and the workers (who have no identity) read and record a delivery,
find the commitments to remind and the users owed a digest.

What a webhook carries: the partnership's audit events the endpoint's side may read (SHARED
ones, and its own side's INTERNAL ones; never the other side's INTERNAL ones; not the events of
the webhook settings themselves), and the notices addressed to that side. Both are decided
here, when the delivery row is written.

Revision ID: 0013_notifications
Revises: 0011
"""

from alembic import op

from migrations.helpers.rls_v1 import APP_ROLE, OWN_PARTY, VISIBLE, execute_script, policies

revision = "0013_notifications"
down_revision = "0012_feedback"

DELIVERY_TASK = "notify.deliver_webhook"

SCHEMA = r"""
CREATE TABLE notice (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    kind text NOT NULL,
    party_id uuid NOT NULL,
    subject_type text NOT NULL,
    subject_id uuid NOT NULL,
    title text NOT NULL,
    body text NOT NULL DEFAULT '',
    dedupe_key text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT notice_dedupe_key UNIQUE (partnership_id, kind, dedupe_key),
    FOREIGN KEY (partnership_id, party_id) REFERENCES party (partnership_id, id)
);

CREATE TABLE inbox_item (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    notice_id uuid NOT NULL,
    user_id uuid NOT NULL REFERENCES app_user(id),
    delivery text NOT NULL CHECK (delivery IN ('INBOX_ONLY', 'EMAIL', 'DAILY_DIGEST')),
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    read_at timestamptz,
    emailed_at timestamptz,
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT inbox_item_notice_user_key UNIQUE (partnership_id, notice_id, user_id),
    FOREIGN KEY (partnership_id, notice_id) REFERENCES notice (partnership_id, id)
);
CREATE INDEX inbox_item_user_idx ON inbox_item (user_id, created_at, id);
CREATE INDEX inbox_item_unread_idx ON inbox_item (user_id, read_at);

CREATE TABLE notification_preference (
    user_id uuid NOT NULL REFERENCES app_user(id),
    kind text NOT NULL,
    delivery text NOT NULL CHECK (delivery IN ('INBOX_ONLY', 'EMAIL', 'DAILY_DIGEST')),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE webhook_endpoint (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    owner_party_id uuid NOT NULL,
    visibility text NOT NULL CHECK (visibility = 'INTERNAL'),
    version integer NOT NULL DEFAULT 1,
    created_by uuid REFERENCES app_user(id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    url text NOT NULL,
    description text NOT NULL DEFAULT '',
    event_types text[] NOT NULL DEFAULT '{}',
    -- Sealed (kit/sealing.py); the previous one stays valid until its expiry after a rotation.
    secret text NOT NULL,
    previous_secret text,
    previous_secret_expires_at timestamptz,
    enabled boolean NOT NULL DEFAULT true,
    disabled_reason text,
    failure_count integer NOT NULL DEFAULT 0,
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT webhook_endpoint_id_key UNIQUE (id),
    FOREIGN KEY (partnership_id, owner_party_id) REFERENCES party (partnership_id, id)
);

CREATE TABLE webhook_delivery (
    partnership_id uuid NOT NULL REFERENCES partnership(id),
    id uuid NOT NULL DEFAULT gen_random_uuid(),
    endpoint_id uuid NOT NULL,
    owner_party_id uuid NOT NULL,
    event_type text NOT NULL,
    payload jsonb NOT NULL,
    status text NOT NULL DEFAULT 'PENDING'
        CHECK (status IN ('PENDING', 'SUCCEEDED', 'RETRYING', 'FAILED')),
    attempts integer NOT NULL DEFAULT 0,
    response_status integer,
    response_ms integer,
    error text,
    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    last_attempt_at timestamptz,
    delivered_at timestamptz,
    PRIMARY KEY (partnership_id, id),
    CONSTRAINT webhook_delivery_id_key UNIQUE (id),
    FOREIGN KEY (partnership_id, endpoint_id) REFERENCES webhook_endpoint (partnership_id, id)
        ON DELETE CASCADE
);
CREATE INDEX webhook_delivery_endpoint_idx
    ON webhook_delivery (partnership_id, endpoint_id, created_at);

-- A global id as the API writes it (graphql/ids.py): url-safe base64 of "Type:uuid", unpadded.
CREATE FUNCTION mutual_global_id(p_type text, p_id uuid) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT rtrim(translate(encode(convert_to(p_type || ':' || p_id::text, 'UTF8'), 'base64'),
                           E'+/\n', '-_'), '=')
$$;

-- An endpoint's filter: empty takes every event; "commitment.*" a prefix; else exact names.
CREATE FUNCTION mutual_webhook_matches(p_types text[], p_event text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT cardinality(p_types) = 0 OR EXISTS (
        SELECT 1 FROM unnest(p_types) t
        WHERE t = p_event
           OR (right(t, 1) = '*' AND left(p_event, length(t) - 1) = left(t, length(t) - 1)))
$$;

-- One delivery job per delivery, as kit/jobs.py defers them (pgqueuer's queue and log).
CREATE FUNCTION mutual_webhook_enqueue(p_ids uuid[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH inserted AS (
        INSERT INTO pgqueuer (priority, entrypoint, payload, execute_after, status)
        SELECT 0, '__TASK__',
               convert_to(json_build_object('delivery_id', d)::text, 'UTF8'), now(), 'queued'
        FROM unnest(p_ids) d
        RETURNING id, entrypoint, priority
    )
    INSERT INTO pgqueuer_log (job_id, status, entrypoint, priority)
    SELECT id, 'queued', entrypoint, priority FROM inserted
$$;

-- A notice, delivered: one notice row (none if its dedupe key was used), an inbox row for each
-- active member of its side (narrowed by user ids and roles), with the delivery each chose for
-- the kind (or the default), and a webhook delivery for each enabled endpoint of that side whose
-- filter takes "notice.<kind>". Returns the inbox rows. A caller with an identity must see the
-- partnership; a worker (no identity) sends reminders and breaches across partnerships.
CREATE FUNCTION mutual_send_notice(
    p_partnership uuid, p_kind text, p_party uuid, p_subject_type text, p_subject_id uuid,
    p_title text, p_body text, p_user_ids uuid[], p_roles text[], p_dedupe_key text,
    p_default_delivery text
) RETURNS TABLE (inbox_id uuid, user_id uuid, delivery text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_notice uuid;
    v_created timestamptz;
    v_ids uuid[];
BEGIN
    IF mutual_current_user_id() IS NOT NULL
       AND NOT (p_partnership = ANY (mutual_visible_partnerships())) THEN
        RAISE EXCEPTION 'partnership % is not visible', p_partnership
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO notice AS n (partnership_id, kind, party_id, subject_type, subject_id, title,
                             body, dedupe_key)
    VALUES (p_partnership, p_kind, p_party, p_subject_type, p_subject_id, p_title, p_body,
            p_dedupe_key)
    ON CONFLICT ON CONSTRAINT notice_dedupe_key DO NOTHING
    RETURNING n.id, n.created_at INTO v_notice, v_created;
    IF v_notice IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH recipients AS (
        SELECT m.user_id AS uid,
               coalesce(pref.delivery, p_default_delivery) AS how
        FROM workspace_member m
        JOIN app_user u ON u.id = m.user_id AND u.is_active
        LEFT JOIN notification_preference pref ON pref.user_id = m.user_id
             AND pref.kind = p_kind
        WHERE m.partnership_id = p_partnership AND m.party_id = p_party
          AND (cardinality(p_user_ids) = 0 OR m.user_id = ANY (p_user_ids))
          AND (cardinality(p_roles) = 0 OR m.role = ANY (p_roles))
    ), inserted AS (
        INSERT INTO inbox_item AS i (partnership_id, notice_id, user_id, delivery)
        SELECT p_partnership, v_notice, r.uid, r.how FROM recipients r
        RETURNING i.id, i.user_id, i.delivery
    )
    SELECT ins.id, ins.user_id, ins.delivery FROM inserted ins;
    PERFORM pg_notify('mutual_notices', json_build_object('user_id', m.user_id)::text)
    FROM workspace_member m
    WHERE m.partnership_id = p_partnership AND m.party_id = p_party
      AND (cardinality(p_user_ids) = 0 OR m.user_id = ANY (p_user_ids))
      AND (cardinality(p_roles) = 0 OR m.role = ANY (p_roles));
    WITH made AS (
        INSERT INTO webhook_delivery AS d (partnership_id, endpoint_id, owner_party_id,
                                           event_type, payload)
        SELECT p_partnership, e.id, e.owner_party_id, 'notice.' || p_kind,
               jsonb_build_object(
                   'type', 'notice.' || p_kind,
                   'timestamp', v_created,
                   'data', jsonb_build_object(
                       'partnershipId', mutual_global_id('Partnership', p_partnership),
                       'kind', p_kind,
                       'subjectType', p_subject_type,
                       'subjectId', mutual_global_id(p_subject_type, p_subject_id),
                       'title', p_title,
                       'body', p_body))
        FROM webhook_endpoint e
        WHERE e.partnership_id = p_partnership AND e.owner_party_id = p_party AND e.enabled
          AND mutual_webhook_matches(e.event_types, 'notice.' || p_kind)
        RETURNING d.id
    )
    SELECT array_agg(made.id) INTO v_ids FROM made;
    IF v_ids IS NOT NULL THEN
        PERFORM mutual_webhook_enqueue(v_ids);
    END IF;
END
$$;

-- Every audit event, towards the endpoints of the sides that may read it.
CREATE FUNCTION mutual_webhook_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_ids uuid[];
BEGIN
    WITH made AS (
        INSERT INTO webhook_delivery AS d (partnership_id, endpoint_id, owner_party_id,
                                           event_type, payload)
        SELECT NEW.partnership_id, e.id, e.owner_party_id, NEW.action,
               jsonb_build_object(
                   'type', NEW.action,
                   'timestamp', NEW.created_at,
                   'data', jsonb_build_object(
                       'partnershipId', mutual_global_id('Partnership', NEW.partnership_id),
                       'objectType', NEW.object_type,
                       'objectId', mutual_global_id(NEW.object_type, NEW.object_id),
                       'visibility', NEW.visibility,
                       'ownerPartyId', mutual_global_id('Party', NEW.owner_party_id),
                       'actorPartyId', CASE WHEN NEW.actor_party_id IS NULL THEN NULL
                           ELSE mutual_global_id('Party', NEW.actor_party_id) END,
                       'changes', NEW.changes))
        FROM webhook_endpoint e
        WHERE e.partnership_id = NEW.partnership_id AND e.enabled
          -- An endpoint's own settings are not sent to endpoints (a test event would echo).
          AND NEW.object_type <> 'WebhookEndpoint'
          AND (NEW.visibility = 'SHARED' OR e.owner_party_id = NEW.owner_party_id)
          AND mutual_webhook_matches(e.event_types, NEW.action)
        RETURNING d.id
    )
    SELECT array_agg(made.id) INTO v_ids FROM made;
    IF v_ids IS NOT NULL THEN
        PERFORM mutual_webhook_enqueue(v_ids);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_event_webhooks AFTER INSERT ON audit_event
FOR EACH ROW EXECUTE FUNCTION mutual_webhook_audit();

-- For the delivery worker (no identity): one delivery, by its unguessable id, with its
-- endpoint's address and sealed secrets.
CREATE FUNCTION mutual_webhook_delivery_to_send(p_id uuid)
RETURNS TABLE (partnership_id uuid, endpoint_id uuid, url text, secret text,
               previous_secret text, previous_secret_expires_at timestamptz, enabled boolean,
               status text, attempts integer, event_type text, payload jsonb,
               created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT d.partnership_id, d.endpoint_id, e.url, e.secret, e.previous_secret,
           e.previous_secret_expires_at, e.enabled, d.status, d.attempts, d.event_type,
           d.payload, d.created_at
    FROM webhook_delivery d
    JOIN webhook_endpoint e ON e.partnership_id = d.partnership_id AND e.id = d.endpoint_id
    WHERE d.id = p_id
$$;

-- For the delivery worker: an attempt's outcome. A success resets the endpoint's count of
-- failures in a row; a failure adds one, and at p_disable_after the endpoint is disabled
-- (returned once, so that its side is told).
CREATE FUNCTION mutual_webhook_delivery_result(
    p_id uuid, p_ok boolean, p_status integer, p_ms integer, p_error text, p_final boolean,
    p_disable_after integer
) RETURNS TABLE (disabled boolean, partnership_id uuid, party_id uuid, endpoint_id uuid,
                 url text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_partnership uuid;
    v_endpoint uuid;
BEGIN
    UPDATE webhook_delivery d
    SET status = CASE WHEN p_ok THEN 'SUCCEEDED' WHEN p_final THEN 'FAILED' ELSE 'RETRYING' END,
        attempts = d.attempts + 1, response_status = p_status, response_ms = p_ms,
        error = left(p_error, 500), last_attempt_at = now(),
        delivered_at = CASE WHEN p_ok THEN now() ELSE NULL END
    WHERE d.id = p_id
    RETURNING d.partnership_id, d.endpoint_id INTO v_partnership, v_endpoint;
    IF v_endpoint IS NULL THEN
        RETURN;
    END IF;
    IF p_ok THEN
        UPDATE webhook_endpoint e SET failure_count = 0
        WHERE e.partnership_id = v_partnership AND e.id = v_endpoint AND e.failure_count > 0;
        RETURN;
    END IF;
    RETURN QUERY
    WITH changed AS (
    UPDATE webhook_endpoint e
    SET failure_count = e.failure_count + 1,
        enabled = CASE WHEN e.failure_count + 1 >= p_disable_after THEN false ELSE e.enabled END,
        disabled_reason = CASE WHEN e.enabled AND e.failure_count + 1 >= p_disable_after
            THEN 'Disabled after ' || (e.failure_count + 1) || ' failed deliveries in a row.'
            ELSE e.disabled_reason END
    WHERE e.partnership_id = v_partnership AND e.id = v_endpoint
    RETURNING (e.failure_count = p_disable_after AND NOT e.enabled) AS now_disabled,
              e.partnership_id AS pid, e.owner_party_id AS party, e.id AS eid, e.url AS address
    )
    SELECT c.now_disabled, c.pid, c.party, c.eid, c.address FROM changed c;
END
$$;

-- For the reminder task: commitments in work that are due in p_days days, or overdue.
CREATE FUNCTION mutual_commitments_to_remind(p_today date, p_days integer)
RETURNS TABLE (partnership_id uuid, commitment_id uuid, owner_party_id uuid, title text,
               due_date date, overdue boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT c.partnership_id, c.id, c.owner_party_id, c.title, c.due_date, c.due_date < p_today
    FROM commitment c
    JOIN partnership p ON p.id = c.partnership_id AND p.status = 'ACTIVE'
    WHERE c.status IN ('AGREED', 'IN_PROGRESS', 'DISPUTED')
      AND (c.due_date = p_today + p_days OR c.due_date < p_today)
$$;

-- For the digest task: users with digest items not yet emailed.
CREATE FUNCTION mutual_digest_recipients() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT DISTINCT i.user_id FROM inbox_item i
    WHERE i.delivery = 'DAILY_DIGEST' AND i.emailed_at IS NULL AND i.read_at IS NULL
$$;
"""

OWN_INBOX = f"user_id = (SELECT mutual_current_user_id()) AND {VISIBLE}"
NOTICE_READER = f"{VISIBLE} AND party_id = ANY ((SELECT mutual_own_parties())::uuid[])"
OWN_SIDE = f"{VISIBLE} AND {OWN_PARTY}"
FUNCTIONS = (
    "mutual_webhook_enqueue(uuid[])",
    "mutual_send_notice(uuid, text, uuid, text, uuid, text, text, uuid[], text[], text, text)",
    "mutual_webhook_delivery_to_send(uuid)",
    "mutual_webhook_delivery_result(uuid, boolean, integer, integer, text, boolean, integer)",
    "mutual_commitments_to_remind(date, integer)",
    "mutual_digest_recipients()",
)


def upgrade() -> None:
    execute_script(op, SCHEMA.replace("__TASK__", DELIVERY_TASK))
    # Notices and inbox rows are written by mutual_send_notice alone (no INSERT for the app).
    execute_script(op, policies("notice", NOTICE_READER, insert_check="false"))
    execute_script(op, policies("inbox_item", OWN_INBOX, insert_check="false"))
    execute_script(op, policies("webhook_endpoint", OWN_SIDE))
    execute_script(op, policies("webhook_delivery", OWN_SIDE))
    own_prefs = "user_id = (SELECT mutual_current_user_id())"
    execute_script(op, policies("notification_preference", own_prefs))
    op.execute(f"GRANT SELECT ON notice TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, UPDATE (read_at, emailed_at) ON inbox_item TO {APP_ROLE}")
    op.execute(
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON notification_preference, webhook_endpoint "
        f"TO {APP_ROLE}"
    )
    op.execute(f"GRANT SELECT, INSERT ON webhook_delivery TO {APP_ROLE}")
    for function in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {APP_ROLE}")


def downgrade() -> None:
    execute_script(
        op,
        "DROP TRIGGER audit_event_webhooks ON audit_event; "
        "DROP FUNCTION mutual_webhook_audit(); "
        + " ".join(f"DROP FUNCTION {function};" for function in FUNCTIONS)
        + " DROP FUNCTION mutual_webhook_matches(text[], text);"
        " DROP FUNCTION mutual_global_id(text, uuid);"
        " DROP TABLE webhook_delivery, webhook_endpoint, notification_preference, inbox_item,"
        " notice;",
    )
