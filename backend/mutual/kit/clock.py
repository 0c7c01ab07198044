"""The one clock of the application, so tests can reason about time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime

# Set only by `stopped_at` (the demo seed acting at its story's moments, and tests); a request
# never sets it, so it reads the real time.
_stopped: ContextVar[datetime | None] = ContextVar("mutual_clock_stopped", default=None)


def utcnow() -> datetime:
    stopped = _stopped.get()
    return datetime.now(UTC) if stopped is None else stopped


def today() -> date:
    """Today in UTC: MISSED and STALE are read against this date, and a due date must be
    today or later."""
    return utcnow().date()


@contextmanager
def stopped_at(moment: datetime) -> Iterator[None]:
    """Within the block (and the tasks it starts), the clock reads `moment`: the demo's story
    acts on the days it tells of, through the same rules as anyone today."""
    if moment.tzinfo is None:
        raise ValueError("the clock keeps UTC: give an aware datetime")
    token = _stopped.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _stopped.reset(token)
