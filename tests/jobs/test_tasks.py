"""Declaring tasks: names, retry backoff, cron expressions and intervals, periods, and the
intervals the settings set instead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mutual.config import Settings
from mutual.kit.jobs import JobContext, Task, interval_cron
from mutual.tasks import worker_tasks


async def nothing(job: JobContext) -> None:
    return None


@pytest.mark.parametrize(
    ("every", "cron"),
    [
        (timedelta(seconds=1), "* * * * * *"),
        (timedelta(seconds=15), "* * * * * */15"),
        (timedelta(minutes=1), "* * * * *"),
        (timedelta(minutes=10), "*/10 * * * *"),
        (timedelta(hours=1), "0 * * * *"),
        (timedelta(hours=6), "0 */6 * * *"),
        (timedelta(days=1), "0 0 * * *"),
    ],
)
def test_an_aligned_interval_is_a_cron_expression(every: timedelta, cron: str) -> None:
    assert interval_cron(every) == cron
    assert Task(name="kit.probe", run=nothing, every=every).schedule == cron


@pytest.mark.parametrize(
    "every",
    [timedelta(seconds=7), timedelta(minutes=7), timedelta(hours=5), timedelta(days=2),
     timedelta(seconds=0.5), timedelta(0)],
)  # fmt: skip
def test_an_interval_that_divides_no_minute_hour_or_day_is_refused(every: timedelta) -> None:
    with pytest.raises(ValueError):
        Task(name="kit.probe", run=nothing, every=every)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"name": "Probe"}, "lower case"),
        ({"name": "probe"}, "<domain>.<what>"),
        ({"max_attempts": 0}, "at least 1"),
        ({"cron": "every day"}, "not a cron expression"),
        ({"cron": "* * * * *", "every": timedelta(minutes=1)}, "not both"),
    ],
)
def test_a_bad_declaration_is_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Task(**{"name": "kit.probe", "run": nothing, **options})  # type: ignore[arg-type]


def test_retries_wait_twice_as_long_each_time_up_to_a_cap() -> None:
    task = Task(
        name="kit.probe",
        run=nothing,
        retry_after=timedelta(seconds=10),
        max_retry_after=timedelta(minutes=1),
    )

    delays = [task.retry_delay(failed) for failed in range(1, 6)]

    assert delays == [timedelta(seconds=s) for s in (10, 20, 40, 60, 60)]
    assert task.retry_delay(10_000) == timedelta(minutes=1)


def test_a_periodic_run_is_for_the_latest_tick_at_or_before_its_start() -> None:
    daily = Task(name="kit.probe", run=nothing, cron="17 3 * * *")
    at = datetime(2026, 3, 4, 3, 17, tzinfo=UTC)

    assert daily.period(at) == at
    assert daily.period(at + timedelta(seconds=1.5)) == at
    assert daily.period(at + timedelta(hours=30)) == at + timedelta(days=1)
    assert daily.period(at - timedelta(microseconds=1)) == at - timedelta(days=1)
    assert Task(name="kit.probe", run=nothing).schedule is None


def test_the_settings_set_a_periodic_tasks_interval_and_refuse_an_unknown_name() -> None:
    # given the SLA scan set to every 2 seconds (tests/feedback/test_two_servers.py waits on it)
    settings = Settings(env="test", task_every_seconds={"feedback.scan_clocks": 2})

    # when
    tasks = {task.name: task for task in worker_tasks(settings)}
    defaults = {task.name: task for task in worker_tasks(Settings(env="test"))}

    # then only that task's period changed
    at = datetime(2026, 3, 4, 3, 17, 5, tzinfo=UTC)
    assert tasks["feedback.scan_clocks"].period(at) == at - timedelta(seconds=1)
    assert defaults["feedback.scan_clocks"].period(at) == at - timedelta(seconds=5)
    assert tasks["feedback.scan_clocks"].run is defaults["feedback.scan_clocks"].run
    assert {n: t for n, t in tasks.items() if n != "feedback.scan_clocks"} == {
        n: t for n, t in defaults.items() if n != "feedback.scan_clocks"
    }
    for wrong in ({"feedback.scan_clock": 2}, {"notify.deliver_webhook": 2}):
        with pytest.raises(ValueError, match="names no periodic task"):
            worker_tasks(Settings(env="test", task_every_seconds=wrong))
    with pytest.raises(ValueError, match="divides a minute"):
        worker_tasks(Settings(env="test", task_every_seconds={"feedback.scan_clocks": 7}))
