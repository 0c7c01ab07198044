"""Business-time arithmetic: working windows in the receiving side's zone, weekends, holidays,
daylight-saving days, and around the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from mutual.feedback.business_time import ALWAYS, Calendar, add, elapsed

BERLIN = Calendar(time_zone="Europe/Berlin", start=time(9), end=time(17))
H = timedelta(hours=1)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo("Europe/Berlin"))  # type: ignore[arg-type,misc]


def test_within_one_working_day() -> None:
    # Tuesday 10:00 to 15:30 Berlin
    assert elapsed(BERLIN, berlin(2026, 3, 3, 10), berlin(2026, 3, 3, 15, 30)) == 5.5 * H
    assert add(BERLIN, berlin(2026, 3, 3, 10), 2 * H) == berlin(2026, 3, 3, 12)


def test_time_outside_working_hours_does_not_count() -> None:
    # Tuesday 18:00 to Wednesday 08:00: nothing; to Wednesday 10:00: one hour
    assert elapsed(BERLIN, berlin(2026, 3, 3, 18), berlin(2026, 3, 4, 8)) == timedelta(0)
    assert elapsed(BERLIN, berlin(2026, 3, 3, 18), berlin(2026, 3, 4, 10)) == H
    # submitted at night: the clock starts at the next opening
    assert add(BERLIN, berlin(2026, 3, 3, 22), H) == berlin(2026, 3, 4, 10)


def test_a_target_carries_over_the_weekend() -> None:
    # Friday 16:00 + 2 h = Monday 10:00
    assert add(BERLIN, berlin(2026, 3, 6, 16), 2 * H) == berlin(2026, 3, 9, 10)
    assert elapsed(BERLIN, berlin(2026, 3, 6, 16), berlin(2026, 3, 9, 10)) == 2 * H


def test_holidays_are_skipped() -> None:
    calendar = Calendar(
        time_zone="Europe/Berlin",
        start=time(9),
        end=time(17),
        holidays=frozenset({date(2026, 3, 9)}),
    )
    assert add(calendar, berlin(2026, 3, 6, 16), 2 * H) == berlin(2026, 3, 10, 10)
    assert elapsed(calendar, berlin(2026, 3, 6, 16), berlin(2026, 3, 10, 10)) == 2 * H


def test_a_daylight_saving_day_counts_its_real_hours() -> None:
    # Berlin moves to summer time on Sunday 29 March 2026 (02:00 -> 03:00): a calendar working
    # every day 00:00 to 23:59 has 22 h 59 min that day
    calendar = Calendar(
        time_zone="Europe/Berlin",
        working_days=frozenset(range(1, 8)),
        start=time(0),
        end=time(23, 59),
    )
    day = elapsed(calendar, berlin(2026, 3, 29, 0), berlin(2026, 3, 30, 0))
    assert day == timedelta(hours=22, minutes=59)
    # and a 9-to-17 window stays 8 h either side of the change, at a moving UTC offset
    assert add(BERLIN, berlin(2026, 3, 27, 16), 2 * H) == berlin(2026, 3, 30, 10)
    assert berlin(2026, 3, 30, 10).astimezone(UTC).hour == 8


def test_the_zone_is_the_receiving_sides() -> None:
    # 15:00 UTC on a Tuesday is 16:00 in Berlin (1 h left) and 10:00 in New York (7 h left)
    new_york = Calendar(time_zone="America/New_York", start=time(9), end=time(17))
    start = datetime(2026, 3, 3, 15, tzinfo=UTC)
    end_of_day = datetime(2026, 3, 4, 0, tzinfo=UTC)
    assert elapsed(BERLIN, start, end_of_day) == H
    assert elapsed(new_york, start, end_of_day) == 7 * H


def test_around_the_clock() -> None:
    start = datetime(2026, 3, 7, 22, tzinfo=UTC)  # a Saturday night
    assert add(ALWAYS, start, 3 * H) == start + 3 * H
    assert elapsed(ALWAYS, start, start + 30 * H) == 30 * H


@pytest.mark.parametrize("hours", [0.5, 1, 7.99, 8, 8.01, 23, 40, 41, 100])
def test_add_and_elapsed_agree(hours: float) -> None:
    start = berlin(2026, 3, 5, 13, 17)
    due = add(BERLIN, start, hours * H)
    assert due is not None
    assert elapsed(BERLIN, start, due) == hours * H


def test_nothing_elapses_backwards_and_zero_is_now() -> None:
    start = berlin(2026, 3, 5, 13)
    assert elapsed(BERLIN, start, start - H) == timedelta(0)
    assert add(BERLIN, start, timedelta(0)) == start.astimezone(UTC)


def test_a_calendar_without_working_time_never_gets_there() -> None:
    never = Calendar(working_days=frozenset({1}), holidays=frozenset())
    assert add(never, berlin(2026, 3, 5, 13), 9 * H) is not None  # Mondays only: it gets there
    nothing = Calendar(working_days=frozenset())
    assert add(nothing, berlin(2026, 3, 5, 13), H) is None


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError):
        elapsed(BERLIN, datetime(2026, 3, 5, 13), datetime(2026, 3, 5, 14))
