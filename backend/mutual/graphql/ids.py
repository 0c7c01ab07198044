"""Opaque global IDs: base64url of "Type:uuid"."""

from __future__ import annotations

import base64
import binascii
import uuid

from mutual.kit.errors import DomainError


def to_global_id(type_name: str, raw_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{raw_id}".encode()).decode().rstrip("=")


def parse_global_id(value: str) -> tuple[str, uuid.UUID] | None:
    try:
        padded = value + "=" * (-len(value) % 4)
        type_name, _, raw = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        return type_name, uuid.UUID(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def decode_id(value: str, type_name: str, *, field: str) -> uuid.UUID:
    """The uuid behind a global ID of the expected type; anything else is NOT_FOUND."""
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != type_name:
        raise DomainError(
            "NOT_FOUND", f"No {type_name} with this id is visible to you.", field=field
        )
    return parsed[1]
