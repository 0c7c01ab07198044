"""The one clock of the application, so tests can reason about time."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today in UTC: MISSED and STALE are read against this date."""
    return utcnow().date()
