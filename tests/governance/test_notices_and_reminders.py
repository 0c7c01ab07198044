"""What governance tells the partner side: a published version asks for its acknowledgement
(kind governance.acknowledgement_due), and the periodic reminder, which runs with no identity,
asks again for every pending one, once per version and day (the dedupe key); a draft, an
acknowledged or a superseded version is never reminded; a proposed decision asks the other
side's approval."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import URL

from mutual.config import Settings
from mutual.db import Database
from mutual.governance.tasks import REMIND_ACKNOWLEDGEMENTS, remind_acknowledgements
from mutual.kit import notices
from mutual.kit.clock import today
from mutual.kit.jobs import JobContext
from mutual.kit.notices import Notice
from mutual.kit.worker import Worker
from mutual.schema import DOMAINS
from mutual.tasks import worker_tasks
from tests.auth.test_expired_sessions import running
from tests.governance.conftest import People
from tests.governance.factories import (
    ACKNOWLEDGE,
    PROPOSE,
    call,
    draft,
    ok,
    published_disclosure,
    second_version,
)
from tests.governance.test_governance_bad_input import raw
from tests.helpers import World
from tests.jobs.helpers import eventually


@pytest.fixture
def sent() -> Iterator[list[Notice]]:
    """Every notice sent while the test runs (the notify domain's sink set aside)."""
    recorded: list[Notice] = []
    previous = list(notices.SINKS)

    async def record(_session: Any, batch: Sequence[Notice]) -> None:
        recorded.extend(batch)

    notices.use([record])
    yield recorded
    notices.use(previous)


async def _remind(app_database_url: URL) -> int:
    database = Database(app_database_url, pool_size=1)
    try:
        job = JobContext(
            job_id=1,
            task=REMIND_ACKNOWLEDGEMENTS.name,
            payload={},
            attempt=1,
            database=database,
            settings=Settings(env="test"),
        )
        return await remind_acknowledgements(job)
    finally:
        await database.dispose()


def test_the_domain_declares_its_notice_kinds_and_reminder() -> None:
    (governance,) = [d for d in DOMAINS if d.name == "governance"]
    assert set(governance.notice_kinds) == {
        "governance.acknowledgement_due",
        "governance.decision_awaiting_approval",
        "reports.published",  # its reports' (governance/reports)
        "reports.acknowledged",
    }
    assert REMIND_ACKNOWLEDGEMENTS in worker_tasks(Settings(env="test"))
    assert set(governance.report_sections) == {"disclosures", "decisions"}


async def test_publishing_asks_the_partner_side_to_acknowledge(
    people: People, world: World, sent: list[Notice]
) -> None:
    await draft(people.nw_gov, world)
    assert sent == []  # a draft tells nobody

    published = await published_disclosure(
        people.nw_gov, people.nw_lead, world, title="Anti-bribery policy"
    )

    (notice,) = sent
    assert notice.kind == "governance.acknowledgement_due"
    assert notice.party_id == world.parties[("nc", "contoso")].id
    assert notice.subject_type == "DisclosureVersion"
    assert notice.subject_id == raw(published["id"])
    assert "Anti-bribery policy" in notice.title
    assert notice.dedupe_key == f"{raw(published['id'])}:{today().isoformat()}"
    assert set(notice.roles) == {"LEAD", "GOVERNANCE"}


async def test_the_reminder_asks_again_for_pending_versions_only(
    people: People, world: World, sent: list[Notice], app_database_url: URL
) -> None:
    # given: one acknowledged version, one superseded before acknowledgement (its latest
    # version pending), one pending, one draft
    acknowledged = await published_disclosure(people.nw_gov, people.nw_lead, world, title="A")
    ok(await call(people.co_gov, ACKNOWLEDGE, versionId=acknowledged["id"]))
    first = await published_disclosure(people.nw_gov, people.nw_lead, world, title="B")
    latest = await second_version(people.nw_gov, people.nw_lead, first, "B, version 2")
    pending = await published_disclosure(people.co_gov, people.co_lead, world, title="C")
    await draft(people.nw_gov, world, title="D (draft)")
    sent.clear()

    # when the reminder runs (no identity: RLS alone would show it nothing)
    count = await _remind(app_database_url)

    # then it reminds the latest version of B (to Contoso) and C (to Northwind), once a day
    assert count == 2
    assert {(n.subject_id, n.party_id) for n in sent} == {
        (raw(latest["id"]), world.parties[("nc", "contoso")].id),
        (raw(pending["id"]), world.parties[("nc", "northwind")].id),
    }
    assert all(n.kind == "governance.acknowledgement_due" for n in sent)
    assert all(n.dedupe_key and n.dedupe_key.endswith(today().isoformat()) for n in sent)
    assert not any("draft" in n.title for n in sent)


async def test_proposing_a_decision_asks_the_other_side(
    people: People, world: World, sent: list[Notice]
) -> None:
    decision = ok(
        await call(people.nw_lead, PROPOSE, partnershipId=world.nc_id, title="Weekly call"),
        "decision",
    )

    (notice,) = sent
    assert notice.kind == "governance.decision_awaiting_approval"
    assert notice.party_id == world.parties[("nc", "contoso")].id
    assert notice.subject_id == raw(decision["id"])


SCHEDULE = "SELECT next_run FROM pgqueuer_schedules WHERE entrypoint = $1"


async def test_a_worker_runs_the_periodic_reminder(
    people: People,
    world: World,
    sent: list[Notice],
    owner: asyncpg.Connection,
    app_database_url: URL,
) -> None:
    # given a version waiting for Contoso, and an empty queue
    pending = await published_disclosure(people.nw_gov, people.nw_lead, world, title="Policy")
    sent.clear()
    await owner.execute(
        "DELETE FROM pgqueuer; DELETE FROM pgqueuer_log; DELETE FROM pgqueuer_schedules"
    )
    database = Database(app_database_url, pool_size=2)
    settings = Settings(env="test", job_poll_seconds=1.0)
    name = REMIND_ACKNOWLEDGEMENTS.name
    tasks = (REMIND_ACKNOWLEDGEMENTS,)
    try:
        # when a worker registers the hourly schedule, and its time passes while none runs
        async with running(
            Worker(tasks, database=database, url=app_database_url, settings=settings)
        ):
            await eventually(lambda: _fetched(owner, SCHEDULE, name), what="the schedule")
        await owner.execute(
            "UPDATE pgqueuer_schedules SET next_run = now() - interval '1 minute' "
            "WHERE entrypoint = $1",
            name,
        )
        # then the next worker runs it
        async with running(
            Worker(tasks, database=database, url=app_database_url, settings=settings)
        ):
            await eventually(lambda: _sent(sent), what="the reminder")
    finally:
        await database.dispose()
        await owner.execute(
            "DELETE FROM pgqueuer; DELETE FROM pgqueuer_log; DELETE FROM pgqueuer_schedules"
        )

    # of the version pending for Contoso
    assert [(n.kind, n.subject_id) for n in sent] == [
        ("governance.acknowledgement_due", raw(pending["id"]))
    ]


async def _fetched(owner: asyncpg.Connection, sql: str, *args: Any) -> bool:
    return bool(await owner.fetch(sql, *args))


async def _sent(sent: list[Notice]) -> bool:
    return bool(sent)
