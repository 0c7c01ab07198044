"""Request-scoped values that logging and the audit trail need without threading them through."""

from __future__ import annotations

import contextvars
import secrets

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar(
    "mutual_request_id", default="-"
)


def new_request_id() -> str:
    return secrets.token_hex(8)


def current_request_id() -> str:
    return request_id_var.get()


def bearer_secret(authorization: str) -> str | None:
    """The secret of an `Authorization: Bearer <secret>` header; None without one, or when it is
    blank (spaces, U+00A0 and other whitespace): such a request is cookie-authenticated, and the
    CSRF checks and the authentication must agree on that."""
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return secret.strip() or None
