"""Error codes of the roadmap domain (GraphQL enum RoadmapErrorCode)."""

from __future__ import annotations

import enum


class RoadmapErrorCode(enum.StrEnum):
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    INVALID = "INVALID"
    FORBIDDEN = "FORBIDDEN"
    DROPPED = "DROPPED"
