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
