"""Opaque secrets for sessions and API tokens: shown once, stored as sha256."""

from __future__ import annotations

import hashlib
import secrets

SESSION_PREFIX = "mss_"
API_TOKEN_PREFIX = "mut_"


def new_secret(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()
