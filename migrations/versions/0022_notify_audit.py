"""Notify's writes, audited: a webhook endpoint the workers disable after repeated failures
appends `webhook_endpoint.disabled` (no actor: the system; INTERNAL to the endpoint's side, like
its other events) to the partnership's chain in the same transaction. And a person's own
notification events (read marks, preferences: object type UserNotifications) are no webhook
event: they stay in their side's trail, not sent to its systems at every click.

Revision ID: 0022_notify_audit
Revises: 0021_pulse_comments
"""

from alembic import op

from migrations.helpers.rls_v1 import execute_script

revision = "0022_notify_audit"
down_revision = "0021_pulse_comments"

# 0013's function, with __AUDIT__ where this revision appends the event.
RESULT = """
CREATE OR REPLACE FUNCTION mutual_webhook_delivery_result(
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
              e.partnership_id AS pid, e.owner_party_id AS party, e.id AS eid, e.url AS address,
              e.disabled_reason AS reason
    )__AUDIT__
    SELECT c.now_disabled, c.pid, c.party, c.eid, c.address FROM changed c;
END
$$;
"""

AUDIT = """, audited AS (
        INSERT INTO audit_event (partnership_id, actor_user_id, actor_party_id, action,
                                 object_type, object_id, changes, visibility, owner_party_id,
                                 request_id)
        SELECT c.pid, NULL, NULL, 'webhook_endpoint.disabled', 'WebhookEndpoint', c.eid,
               jsonb_build_object(
                   'enabled', jsonb_build_object('from', true, 'to', false),
                   'disabled_reason', jsonb_build_object('from', NULL, 'to', c.reason)),
               'INTERNAL', c.party, 'job:notify.deliver_webhook'
        FROM changed c WHERE c.now_disabled
    )"""


WEBHOOK_TRIGGER = """
DROP TRIGGER audit_event_webhooks ON audit_event;
CREATE TRIGGER audit_event_webhooks AFTER INSERT ON audit_event
FOR EACH ROW __WHEN__ EXECUTE FUNCTION mutual_webhook_audit();
"""


def upgrade() -> None:
    execute_script(op, RESULT.replace("__AUDIT__", AUDIT))
    execute_script(
        op, WEBHOOK_TRIGGER.replace("__WHEN__", "WHEN (NEW.object_type <> 'UserNotifications')")
    )


def downgrade() -> None:
    execute_script(op, WEBHOOK_TRIGGER.replace("__WHEN__", ""))
    execute_script(op, RESULT.replace("__AUDIT__", ""))
