"""Business-time arithmetic for SLA clocks: pure functions of a calendar and UTC moments.

A calendar is the receiving side's time zone, working days (ISO weekdays, 1 = Monday), working
hours (one window a day, start before end) and holidays (local dates), or "around the clock".
Each local working day contributes the window [start, end) of that day in its zone, converted
to UTC by zoneinfo, so a day that changes to or from daylight saving counts its real length.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

# Past this many days without a working hour, a target is unreachable (a calendar with no
# working day is refused before it gets here; this bounds a calendar of all holidays).
HORIZON_DAYS = 3660


@dataclass(frozen=True)
class Calendar:
    time_zone: str = "UTC"
    working_days: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    start: time = time(9, 0)
    end: time = time(17, 0)
    holidays: frozenset[date] = field(default_factory=frozenset)
    around_the_clock: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "time_zone": self.time_zone,
            "working_days": sorted(self.working_days),
            "start": self.start.isoformat(timespec="minutes"),
            "end": self.end.isoformat(timespec="minutes"),
            "holidays": sorted(d.isoformat() for d in self.holidays),
            "around_the_clock": self.around_the_clock,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Calendar:
        return cls(
            time_zone=value.get("time_zone", "UTC"),
            working_days=frozenset(value.get("working_days", (1, 2, 3, 4, 5))),
            start=time.fromisoformat(value.get("start", "09:00")),
            end=time.fromisoformat(value.get("end", "17:00")),
            holidays=frozenset(date.fromisoformat(d) for d in value.get("holidays", ())),
            around_the_clock=bool(value.get("around_the_clock", False)),
        )


ALWAYS = Calendar(around_the_clock=True)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("business time works on aware datetimes")
    return moment.astimezone(UTC)


def _windows(calendar: Calendar, since: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The working windows (UTC) that end after `since`, in order, from its local day on."""
    zone = ZoneInfo(calendar.time_zone)
    day = since.astimezone(zone).date() - timedelta(days=1)  # a window may start the day before
    for _ in range(HORIZON_DAYS):
        if day.isoweekday() in calendar.working_days and day not in calendar.holidays:
            start = datetime.combine(day, calendar.start, zone).astimezone(UTC)
            end = datetime.combine(day, calendar.end, zone).astimezone(UTC)
            if end > since and end > start:
                yield max(start, since), end
        day += timedelta(days=1)


def elapsed(calendar: Calendar, start: datetime, end: datetime) -> timedelta:
    """Business time between two moments (zero when `end` is not after `start`)."""
    start, end = _utc(start), _utc(end)
    if end <= start:
        return timedelta(0)
    if calendar.around_the_clock:
        return end - start
    total = timedelta(0)
    for window_start, window_end in _windows(calendar, start):
        if window_start >= end:
            break
        total += min(window_end, end) - window_start
    return total


def add(calendar: Calendar, start: datetime, amount: timedelta) -> datetime | None:
    """The moment `amount` of business time after `start` (None when the calendar never gets
    there); a zero amount is `start` itself."""
    start = _utc(start)
    if amount <= timedelta(0):
        return start
    if calendar.around_the_clock:
        return start + amount
    left = amount
    for window_start, window_end in _windows(calendar, start):
        length = window_end - window_start
        if left <= length:
            return window_start + left
        left -= length
    return None
