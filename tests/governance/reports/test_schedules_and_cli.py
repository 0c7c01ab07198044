"""Scheduled reports through the job queue's periodic task (the worker has no identity: the
migration's SECURITY DEFINER function lists what is due, and the report is generated as the
schedule's creator), and `mutual verify-report`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy.engine import URL

from mutual.config import Settings
from mutual.db import Database
from mutual.governance.reports.cli import verify_report_file
from mutual.governance.reports.tasks import GENERATE_DUE
from mutual.kit.jobs import JobContext
from mutual.kit.worker import Worker
from mutual.schema import DOMAINS
from tests.auth.test_expired_sessions import running
from tests.commitments.factories import ClientFactory, mutate, only_error, only_record, signed_in
from tests.governance.reports.factories import download, generate
from tests.helpers import World
from tests.jobs.helpers import eventually

CREATE = """
mutation($input: CreateReportScheduleInput!) {
  createReportSchedule(input: $input) {
    schedule { id title cadence nextRunOn active version ownerParty { label } }
    userErrors { field code message }
  }
}
"""
CANCEL = """
mutation($input: CancelReportScheduleInput!) {
  cancelReportSchedule(input: $input) {
    schedule { id active version } userErrors { field code message }
  }
}
"""


async def _run_task(app_database_url: URL) -> None:
    database = Database(app_database_url, pool_size=1)
    try:
        job = JobContext(
            job_id=0,
            task=GENERATE_DUE.name,
            payload={"period": datetime.now(UTC).isoformat()},
            attempt=1,
            database=database,
            settings=Settings(env="test"),
        )
        await GENERATE_DUE.run(job)
    finally:
        await database.dispose()


async def test_a_due_schedule_generates_its_report_once_as_its_creator(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database_url: URL,
) -> None:
    (governance,) = [d for d in DOMAINS if d.name == "governance"]  # reports are part of it
    assert GENERATE_DUE in governance.tasks and GENERATE_DUE.every == timedelta(hours=1)
    async with signed_in(make_client, owner, world, "governance@northwind.example") as northwind:
        schedule = only_record(
            await mutate(northwind, CREATE, partnershipId=world.nc_id, cadence="QUARTERLY"),
            "schedule",
        )
    assert schedule["active"] and schedule["ownerParty"]["label"] == "Supplier"
    # given it fell due today (as the owner: the service refuses a day in the past)
    today = datetime.now(UTC).date()
    await owner.execute("UPDATE report_schedule SET next_run_on = $1", today)

    # when the periodic task runs, twice (a period may run twice)
    await _run_task(app_database_url)
    await _run_task(app_database_url)

    # then one report, as of the day before, generated as the creator
    rows = await owner.fetch("SELECT as_of, created_by, schedule_id, owner_party_id FROM report")
    assert len(rows) == 1
    assert rows[0]["as_of"] == today - timedelta(days=1)
    assert rows[0]["created_by"] == world.user_id("governance@northwind.example")
    assert rows[0]["owner_party_id"] == world.parties[("nc", "northwind")].id
    nxt = await owner.fetchval("SELECT next_run_on FROM report_schedule")
    assert nxt > today and (nxt.year * 12 + nxt.month) - (today.year * 12 + today.month) == 3
    actions = await owner.fetch(
        "SELECT action FROM audit_event WHERE action LIKE 'report%' ORDER BY seq"
    )
    assert [a["action"] for a in actions] == [
        "report_schedule.created",
        "report.generated",
        "report_schedule.ran",
    ]


async def test_schedules_are_cancelled_by_their_side_only_and_refuse_bad_days(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    async with signed_in(make_client, owner, world, "governance@northwind.example") as northwind:
        for fields in ({"firstRunOn": "2000-01-01"}, {"firstRunOn": "2999-01-01"}):
            payload = await mutate(
                northwind, CREATE, partnershipId=world.nc_id, cadence="MONTHLY", **fields
            )
            assert only_error(payload, "schedule")["code"] == "INVALID"
        schedule = only_record(
            await mutate(northwind, CREATE, partnershipId=world.nc_id, cadence="MONTHLY"),
            "schedule",
        )
    async with signed_in(make_client, owner, world, "governance@contoso.example") as contoso:
        refused = await mutate(contoso, CANCEL, scheduleId=schedule["id"], expectedVersion=1)
        assert only_error(refused, "schedule")["code"] == "FORBIDDEN"
    async with signed_in(make_client, owner, world, "lead@northwind.example") as lead:
        stale = await mutate(lead, CANCEL, scheduleId=schedule["id"], expectedVersion=7)
        assert only_error(stale, "schedule")["code"] == "CONFLICT"
        done = only_record(
            await mutate(lead, CANCEL, scheduleId=schedule["id"], expectedVersion=1), "schedule"
        )
        assert done["active"] is False and done["version"] == 2
        again = await mutate(lead, CANCEL, scheduleId=schedule["id"], expectedVersion=2)
        assert only_error(again, "schedule")["code"] == "INACTIVE"
    # a cancelled schedule generates nothing, even when its day comes
    await owner.execute("UPDATE report_schedule SET next_run_on = now()::date")
    await _run_task(app_database_url)
    assert await owner.fetchval("SELECT count(*) FROM report") == 0


async def test_the_cli_verifies_a_report_file_for_a_member(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database_url: URL,
    tmp_path: Path,
) -> None:
    async with signed_in(make_client, owner, world, "governance@northwind.example") as northwind:
        report = await generate(northwind, world, title="Board pack")
        pdf = (await download(northwind, report["pdfUrl"])).content
    good = tmp_path / "report.pdf"
    good.write_bytes(pdf)
    bad = tmp_path / "changed.pdf"
    bad.write_bytes(pdf + b"\n%changed\n")

    code, message = await verify_report_file(app_database_url, good, "viewer@contoso.example")
    assert code == 0 and "VERIFIED" in message and "Board pack" in message
    assert report["sha256"] in message
    code, message = await verify_report_file(app_database_url, bad, "viewer@contoso.example")
    assert code == 1 and "TAMPERED" in message
    code, message = await verify_report_file(app_database_url, good, "admin@fabrikam.example")
    assert code == 1 and "NOT_FOUND" in message
    code, _message = await verify_report_file(app_database_url, tmp_path / "none", "x@y.z")
    assert code == 2


async def test_a_worker_runs_the_periodic_task_and_generates_the_due_report(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database_url: URL,
) -> None:
    # given an empty queue and a schedule due today
    await owner.execute(
        "DELETE FROM pgqueuer; DELETE FROM pgqueuer_log; DELETE FROM pgqueuer_schedules"
    )
    async with signed_in(make_client, owner, world, "lead@contoso.example") as contoso:
        only_record(
            await mutate(contoso, CREATE, partnershipId=world.nc_id, cadence="MONTHLY"),
            "schedule",
        )
    await owner.execute("UPDATE report_schedule SET next_run_on = now()::date")
    database = Database(app_database_url, pool_size=2)
    settings = Settings(env="test", job_poll_seconds=1.0)
    entry = "SELECT next_run FROM pgqueuer_schedules WHERE entrypoint = 'reports.generate_due'"

    async def registered() -> bool:
        return bool(await owner.fetch(entry))

    async def generated() -> bool:
        return bool(await owner.fetchval("SELECT count(*) FROM report"))

    try:
        # when a worker registers the hourly task, and its hour has come
        async with running(
            Worker((GENERATE_DUE,), database=database, url=app_database_url, settings=settings)
        ):
            await eventually(registered, what="the schedule's registration")
        await owner.execute(
            "UPDATE pgqueuer_schedules SET next_run = now() - interval '1 minute' "
            "WHERE entrypoint = 'reports.generate_due'"
        )
        async with running(
            Worker((GENERATE_DUE,), database=database, url=app_database_url, settings=settings)
        ):
            await eventually(generated, what="the scheduled report")
    finally:
        await database.dispose()

    # then Contoso's report was generated, as its lead
    row = await owner.fetchrow("SELECT created_by, owner_party_id, schedule_id FROM report")
    assert row["created_by"] == world.user_id("lead@contoso.example")
    assert row["owner_party_id"] == world.parties[("nc", "contoso")].id
    assert row["schedule_id"] is not None
