"""SLA clocks of one feedback item: what each clock's columns become when it starts, pauses or
stops, and what a reader sees of it now. Pure functions of the row, its calendar and a moment.

First response runs from submission to the receiving side's acknowledgement (or starting work,
or its first shared comment). Resolution runs from submission to RESOLVED, pauses while
WAITING_ON_SUBMITTER and runs again on REOPEN. A clock is at risk once 80 % of its target is
used, breached once all of it is."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from mutual.feedback import business_time
from mutual.feedback.business_time import Calendar
from mutual.feedback.models import Feedback

RISK_SHARE = 0.8


class Clock(enum.StrEnum):
    FIRST_RESPONSE = "FIRST_RESPONSE"
    RESOLUTION = "RESOLUTION"


PREFIX = {Clock.FIRST_RESPONSE: "fr", Clock.RESOLUTION: "res"}


def calendar_of(item: Feedback) -> Calendar:
    return Calendar.from_json(item.calendar) if item.calendar else business_time.ALWAYS


def _get(item: Feedback, clock: Clock, column: str) -> Any:
    return getattr(item, f"{PREFIX[clock]}_{column}")


def run_values(
    calendar: Calendar, clock: Clock, *, target_s: int, used_s: int, since: datetime
) -> dict[str, Any]:
    """The columns of a clock that runs from `since`, with `used_s` seconds already used."""
    p = PREFIX[clock]
    risk_left = max(int(target_s * RISK_SHARE) - used_s, 0)
    return {
        f"{p}_running_since": since,
        f"{p}_risk_at": business_time.add(calendar, since, timedelta(seconds=risk_left)),
        f"{p}_due_at": business_time.add(
            calendar, since, timedelta(seconds=max(target_s - used_s, 0))
        ),
        f"{p}_stopped_at": None,
    }


def used_seconds(item: Feedback, clock: Clock, now: datetime) -> int:
    used: int = _get(item, clock, "used_s")
    since: datetime | None = _get(item, clock, "running_since")
    if since is not None:
        used += int(business_time.elapsed(calendar_of(item), since, now).total_seconds())
    return used


def halt_values(item: Feedback, clock: Clock, now: datetime, *, stop: bool) -> dict[str, Any]:
    """The columns of a clock paused (or stopped) at `now`; a clock not running keeps its use."""
    p = PREFIX[clock]
    values: dict[str, Any] = {
        f"{p}_used_s": used_seconds(item, clock, now),
        f"{p}_running_since": None,
        f"{p}_risk_at": None,
        f"{p}_due_at": None,
    }
    if stop:
        values[f"{p}_stopped_at"] = now
    return values


def is_running(item: Feedback, clock: Clock) -> bool:
    return _get(item, clock, "running_since") is not None


def alarm_and_due(values: dict[str, Any]) -> dict[str, Any]:
    """The row's next moment still to fire and its earliest due time, from its clock columns
    (the same rule as the SQL scan's)."""
    alarms = []
    dues = []
    for p in PREFIX.values():
        if values.get(f"{p}_risk_fired_at") is None and values.get(f"{p}_risk_at") is not None:
            alarms.append(values[f"{p}_risk_at"])
        if values.get(f"{p}_breach_fired_at") is None and values.get(f"{p}_due_at") is not None:
            alarms.append(values[f"{p}_due_at"])
        if values.get(f"{p}_due_at") is not None:
            dues.append(values[f"{p}_due_at"])
    return {"alarm_at": min(alarms, default=None), "due_at": min(dues, default=None)}


@dataclass(frozen=True)
class ClockView:
    clock: Clock
    target_s: int
    used_s: int
    due_at: datetime | None
    running: bool
    stopped_at: datetime | None
    breached: bool
    at_risk: bool

    @property
    def remaining_s(self) -> int:
        return max(self.target_s - self.used_s, 0)

    @property
    def paused(self) -> bool:
        return not self.running and self.stopped_at is None


def view(item: Feedback, clock: Clock, now: datetime) -> ClockView:
    used = used_seconds(item, clock, now)
    target: int = _get(item, clock, "target_s")
    due_at: datetime | None = _get(item, clock, "due_at")
    stopped_at: datetime | None = _get(item, clock, "stopped_at")
    breached = (
        _get(item, clock, "breach_fired_at") is not None
        or used > target
        or (due_at is not None and due_at <= now)
    )
    at_risk = not breached and stopped_at is None and used >= target * RISK_SHARE
    return ClockView(
        clock=clock,
        target_s=target,
        used_s=used,
        due_at=due_at,
        running=is_running(item, clock),
        stopped_at=stopped_at,
        breached=breached,
        at_risk=at_risk,
    )
