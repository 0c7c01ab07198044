"""The register's daily task, through a real worker with the workers' role (no identity, so
RLS shows it nothing): acceptances past their expiry end and their risks return to review,
audited in their partnership's chain; overdue reviews are reminded to the owner side with a
notice deduplicated per risk and day."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from mutual.config import Settings
from mutual.db import Database
from mutual.graphql.ids import to_global_id
from mutual.kit import jobs, notices
from mutual.kit.clock import today
from mutual.kit.notices import Notice
from mutual.kit.worker import Worker
from mutual.risks import tasks
from mutual.schema import DOMAINS
from tests.commitments.factories import (
    ClientFactory,
    both_sides,
    mutate,
    only_record,
    raw_id,
)
from tests.helpers import World
from tests.jobs.helpers import eventually
from tests.risks.factories import TREAT, create_risk

JOB_TABLES = ("pgqueuer", "pgqueuer_log", "pgqueuer_schedules", "pgqueuer_statistics")


def test_the_risks_domain_declares_its_task_and_notice_kinds() -> None:
    (risks,) = [domain for domain in DOMAINS if domain.name == "risks"]
    assert tasks.DAILY in risks.tasks
    assert set(risks.notice_kinds) == {tasks.REVIEW_DUE, tasks.ACCEPTANCE_EXPIRED}


async def _given_an_expired_acceptance_and_overdue_reviews(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> dict[str, Any]:
    async with both_sides(
        make_client, owner, world, northwind="governance", contoso="governance"
    ) as (northwind, contoso):
        accepted = await create_risk(northwind, world, "Freight costs", category="FINANCIAL")
        only_record(
            await mutate(
                contoso,
                TREAT,
                riskId=accepted["id"],
                expectedVersion=1,
                treatment="ACCEPT",
                approverId=to_global_id("User", world.user_id("lead@contoso.example")),
                reason="Within budget",
                expiresOn=(today() + timedelta(days=10)).isoformat(),
            ),
            "risk",
        )
        past = (today() - timedelta(days=2)).isoformat()
        overdue = await create_risk(contoso, world, "Buyers lose confidence", nextReviewOn=past)
        internal = await create_risk(
            northwind, world, "Shift turnover", visibility="INTERNAL", nextReviewOn=past
        )
        await create_risk(northwind, world, "Not due")
    # and the acceptance's expiry passes
    await owner.execute(
        "UPDATE risk_acceptance SET expires_on = $1 WHERE risk_id = $2",
        today() - timedelta(days=1),
        raw_id(accepted["id"]),
    )
    return {"accepted": accepted, "overdue": overdue, "internal": internal}


async def test_the_daily_task_expires_acceptances_and_reminds_overdue_reviews(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    risks = await _given_an_expired_acceptance_and_overdue_reviews(make_client, owner, world)
    for table in JOB_TABLES:
        await owner.execute(f"DELETE FROM {table}")
    sent: list[Notice] = []

    async def record(_session: Any, batch: Sequence[Notice]) -> None:
        sent.extend(batch)

    previous = list(notices.SINKS)
    notices.use([record])
    database = Database(app_database_url, pool_size=2)
    settings = Settings(env="test", job_poll_seconds=1.0)
    try:
        # when the daily job runs in a worker
        async with database.session() as session, session.begin():
            await jobs.defer(session, tasks.DAILY, {"period": "manual"})
        worker = Worker((tasks.DAILY,), database=database, url=app_database_url, settings=settings)
        running = asyncio.create_task(worker.run())

        async def done() -> bool:
            runs = await owner.fetchval(
                "SELECT count(*) FROM pgqueuer_log "
                "WHERE entrypoint = 'risks.daily' AND status = 'successful'"
            )
            return bool(runs)

        try:
            await eventually(done, what="the daily risks job")
        finally:
            worker.stop()
            await asyncio.wait_for(running, 30)
    finally:
        notices.use(previous)
        await database.dispose()

    # then the accepted risk is back in review, its acceptance ended, audited with no actor
    accepted_id = raw_id(risks["accepted"]["id"])
    risk = await owner.fetchrow(
        "SELECT status, next_review_on FROM risk WHERE id = $1", accepted_id
    )
    assert risk is not None
    assert (risk["status"], risk["next_review_on"]) == ("IN_REVIEW", today() - timedelta(days=1))
    ended = await owner.fetchval(
        "SELECT end_reason FROM risk_acceptance WHERE risk_id = $1", accepted_id
    )
    assert ended == "EXPIRED"
    event = await owner.fetchrow(
        "SELECT actor_user_id, visibility FROM audit_event "
        "WHERE object_id = $1 AND action = 'risk.acceptance_expired'",
        accepted_id,
    )
    assert event is not None and event["actor_user_id"] is None

    # and the notices: the expiry to the accepting side, each overdue review to its owner side
    parties = {
        "northwind": world.parties[("nc", "northwind")].id,
        "contoso": world.parties[("nc", "contoso")].id,
    }
    got = {(n.kind, n.subject_id): (n.party_id, n.dedupe_key) for n in sent}
    key = today().isoformat()
    overdue_id, internal_id = raw_id(risks["overdue"]["id"]), raw_id(risks["internal"]["id"])
    assert got == {
        (tasks.ACCEPTANCE_EXPIRED, accepted_id): (parties["contoso"], f"{accepted_id}:{key}"),
        (tasks.REVIEW_DUE, accepted_id): (parties["northwind"], f"{accepted_id}:{key}"),
        (tasks.REVIEW_DUE, overdue_id): (parties["contoso"], f"{overdue_id}:{key}"),
        (tasks.REVIEW_DUE, internal_id): (parties["northwind"], f"{internal_id}:{key}"),
    }
    assert all(n.partnership_id == world.northwind_contoso.id for n in sent)


async def test_a_second_run_the_same_day_expires_nothing_again_and_dedupes_reminders(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    await _given_an_expired_acceptance_and_overdue_reviews(make_client, owner, world)
    sent: list[Notice] = []

    async def record(_session: Any, batch: Sequence[Notice]) -> None:
        sent.extend(batch)

    previous = list(notices.SINKS)
    notices.use([record])
    database = Database(app_database_url, pool_size=1)
    try:
        counts = []
        for _ in range(2):
            async with database.session() as session, session.begin():
                counts.append(await tasks.run_daily(session))
    finally:
        notices.use(previous)
        await database.dispose()

    assert counts == [(1, 3), (0, 3)]
    events = await owner.fetchval(
        "SELECT count(*) FROM audit_event WHERE action = 'risk.acceptance_expired'"
    )
    assert events == 1
    reminders = [n.dedupe_key for n in sent if n.kind == tasks.REVIEW_DUE]
    assert len(reminders) == 6 and len(set(reminders)) == 3
