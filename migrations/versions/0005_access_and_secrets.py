"""Sign-in hardening and live access: atomic login throttling per account and source, SSO
identities by (issuer, subject), OIDC client secrets encrypted at rest, and a notification
whenever someone's access may have ended (live subscriptions check themselves again).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid

from alembic import context, op
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import text

from migrations.helpers.rls_v1 import APP_ROLE, execute_script

revision = "0005"
down_revision = "0004"

SCHEMA = r"""
-- Failed sign-ins per source (a client address) and account (a lowercased email; '' counts
-- every account tried from the source). One statement claims an attempt, so parallel requests
-- cannot all pass the check before any failure is written.
CREATE TABLE login_throttle (
    source text NOT NULL,
    account text NOT NULL,
    failures integer NOT NULL CHECK (failures >= 0),
    last_failure_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, account)
);

-- Who a user is at an identity provider: a returning SSO user is found by (issuer, subject),
-- never by an email the provider may change or reassign; one subject per user and issuer.
CREATE TABLE user_identity (
    issuer text NOT NULL,
    subject text NOT NULL,
    user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issuer, subject),
    CONSTRAINT user_identity_user_id_issuer_key UNIQUE (user_id, issuer)
);

ALTER TABLE oidc_provider ADD COLUMN client_secret_encrypted text;

-- Someone's access may have ended (signed out, token revoked or changed, removed from a
-- workspace, deactivated): processes serving that user's live subscriptions check them again.
CREATE FUNCTION mutual_access_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    affected uuid;
BEGIN
    IF TG_TABLE_NAME = 'app_user' THEN
        affected := OLD.id;
    ELSE
        affected := OLD.user_id;
    END IF;
    PERFORM pg_notify('mutual_access', json_build_object('user_id', affected)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER user_session_access AFTER UPDATE OR DELETE ON user_session
    FOR EACH ROW EXECUTE FUNCTION mutual_access_notify();
CREATE TRIGGER api_token_access AFTER UPDATE OR DELETE ON api_token
    FOR EACH ROW EXECUTE FUNCTION mutual_access_notify();
CREATE TRIGGER workspace_member_access AFTER UPDATE OR DELETE ON workspace_member
    FOR EACH ROW EXECUTE FUNCTION mutual_access_notify();
CREATE TRIGGER app_user_access AFTER UPDATE OF is_active, org_role, organization_id OR DELETE
    ON app_user FOR EACH ROW EXECUTE FUNCTION mutual_access_notify();

-- The token's expiry too, so a live subscription ends when its token does.
DROP FUNCTION mutual_authenticate_token(bytea);
CREATE FUNCTION mutual_authenticate_token(p_hash bytea)
RETURNS TABLE (token_id uuid, partnership_id uuid, user_id uuid, scopes text[],
               expires_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT t.id, t.partnership_id, t.user_id, t.scopes, t.expires_at
    FROM api_token t
    WHERE t.token_hash = p_hash AND t.revoked_at IS NULL AND t.expires_at > now()
$$;
"""

DOWNGRADE = r"""
DROP FUNCTION mutual_authenticate_token(bytea);
CREATE FUNCTION mutual_authenticate_token(p_hash bytea)
RETURNS TABLE (token_id uuid, partnership_id uuid, user_id uuid, scopes text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT t.id, t.partnership_id, t.user_id, t.scopes
    FROM api_token t
    WHERE t.token_hash = p_hash AND t.revoked_at IS NULL AND t.expires_at > now()
$$;
DROP TRIGGER app_user_access ON app_user;
DROP TRIGGER workspace_member_access ON workspace_member;
DROP TRIGGER api_token_access ON api_token;
DROP TRIGGER user_session_access ON user_session;
DROP FUNCTION mutual_access_notify();
ALTER TABLE oidc_provider ADD COLUMN client_secret text;
DROP TABLE user_identity, login_throttle;
"""

# The sealed format, version 1 (the application's mutual.kit.sealing reads it): "v1.", the
# key's id, ".", then base64url (unpadded) of a 12-byte nonce and the AES-256-GCM ciphertext,
# whose associated data names the column and the row, so a value cannot be moved to another.
KEY_ID_LABEL = b"mutual/key-id"
SECRET_PURPOSE = "oidc_provider.client_secret/"


def _key_id(key: bytes) -> str:
    return hashlib.sha256(KEY_ID_LABEL + key).hexdigest()[:8]


def _purpose(organization_id: uuid.UUID) -> bytes:
    return f"mutual/{SECRET_PURPOSE}{organization_id}".encode()


def _seal(key: bytes, plaintext: str, organization_id: uuid.UUID) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), _purpose(organization_id))
    body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"v1.{_key_id(key)}.{body}"


def _open(key: bytes, token: str, organization_id: uuid.UUID) -> str:
    version, key_id, body = token.split(".", 2)
    if version != "v1" or key_id != _key_id(key):
        raise RuntimeError("an OIDC client secret was sealed with another data key")
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return AESGCM(key).decrypt(raw[:12], raw[12:], _purpose(organization_id)).decode()


def _data_key() -> bytes:
    """The application's data key, lent by whoever runs the migrations (migrations/env.py)."""
    key = context.config.attributes.get("data_key")
    if not isinstance(key, bytes) or len(key) != 32:
        raise RuntimeError(
            "revision 0005 encrypts the stored OIDC client secrets and needs the data key: "
            "run the migrations through `mutual migrate`"
        )
    return key


def upgrade() -> None:
    execute_script(op, SCHEMA)
    bind = op.get_bind()
    rows = bind.execute(text("SELECT organization_id, client_secret FROM oidc_provider")).all()
    if rows:
        key = _data_key()
        for organization_id, secret in rows:
            bind.execute(
                text(
                    "UPDATE oidc_provider SET client_secret_encrypted = :sealed "
                    "WHERE organization_id = :organization_id"
                ),
                {
                    "sealed": _seal(key, secret, organization_id),
                    "organization_id": organization_id,
                },
            )
    op.execute("ALTER TABLE oidc_provider ALTER COLUMN client_secret_encrypted SET NOT NULL")
    op.execute("ALTER TABLE oidc_provider DROP COLUMN client_secret")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttle TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT, DELETE ON user_identity TO {APP_ROLE}")


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        text("SELECT organization_id, client_secret_encrypted FROM oidc_provider")
    ).all()
    execute_script(op, DOWNGRADE)
    if rows:
        key = _data_key()
        for organization_id, sealed in rows:
            bind.execute(
                text(
                    "UPDATE oidc_provider SET client_secret = :secret "
                    "WHERE organization_id = :organization_id"
                ),
                {"secret": _open(key, sealed, organization_id), "organization_id": organization_id},
            )
    op.execute("ALTER TABLE oidc_provider ALTER COLUMN client_secret SET NOT NULL")
    op.execute("ALTER TABLE oidc_provider DROP COLUMN client_secret_encrypted")
