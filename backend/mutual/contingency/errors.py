"""Error codes of the contingency domain (GraphQL enum ContingencyErrorCode)."""

from __future__ import annotations

import enum


class ContingencyErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"
    FORBIDDEN = "FORBIDDEN"
    ALREADY_APPROVED = "ALREADY_APPROVED"
    NOT_PENDING = "NOT_PENDING"
    WRONG_SIDE = "WRONG_SIDE"
    NOT_APPROVED = "NOT_APPROVED"
    ALREADY_DONE = "ALREADY_DONE"
    CLOSED = "CLOSED"
