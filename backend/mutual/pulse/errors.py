"""Error codes of the pulse domain (GraphQL enum PulseErrorCode)."""

from __future__ import annotations

import enum


class PulseErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"
    FORBIDDEN = "FORBIDDEN"
    OWN_PROPOSAL = "OWN_PROPOSAL"
    NOT_PROPOSED = "NOT_PROPOSED"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    ALREADY_ANSWERED = "ALREADY_ANSWERED"
    ROUND_CLOSED = "ROUND_CLOSED"
    TOO_LONG = "TOO_LONG"
