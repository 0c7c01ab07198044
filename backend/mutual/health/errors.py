"""Error codes of the health domain (GraphQL enum HealthErrorCode)."""

from __future__ import annotations

import enum


class HealthErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"
    FORBIDDEN = "FORBIDDEN"
    # Accepting (or declining) thresholds one's own side proposed: both sides must agree.
    SAME_SIDE = "SAME_SIDE"
    # The proposal was already accepted, declined or replaced.
    NOT_PENDING = "NOT_PENDING"
    THRESHOLD_OUT_OF_RANGE = "THRESHOLD_OUT_OF_RANGE"
    BAD_PERIOD = "BAD_PERIOD"
