"""Error codes of the KPI domain (GraphQL enum KpiErrorCode)."""

from __future__ import annotations

import enum


class KpiErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"
    FORBIDDEN = "FORBIDDEN"
    DUPLICATE_NAME = "DUPLICATE_NAME"
    BAD_ROW = "BAD_ROW"
