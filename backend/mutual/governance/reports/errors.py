"""Error codes of the reports domain (GraphQL enum ReportErrorCode)."""

from __future__ import annotations

import enum


class ReportErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"
    FORBIDDEN = "FORBIDDEN"
    # acknowledging a report of one's own side
    OWN_SIDE = "OWN_SIDE"
    ALREADY_ACKNOWLEDGED = "ALREADY_ACKNOWLEDGED"
    # the hash acknowledged is not the report's
    HASH_MISMATCH = "HASH_MISMATCH"
    # verifyReport: a file that is not a Mutual report, and one that was changed
    NOT_A_REPORT = "NOT_A_REPORT"
    TAMPERED = "TAMPERED"
    INACTIVE = "INACTIVE"
