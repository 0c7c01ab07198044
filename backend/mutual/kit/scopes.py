"""API token scopes. Sessions are not scoped; tokens carry a subset of these."""

from __future__ import annotations

import enum


class Scope(enum.StrEnum):
    READ = "read"
    KPI_WRITE = "kpi:write"
    REPORTS_READ = "reports:read"
