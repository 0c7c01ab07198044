"""A due date is today (UTC) or later: proposed, asked for in a renegotiation, or agreed to.
A date in the past is one coded userError (DUE_DATE_IN_PAST) and nothing is stored, so no
commitment is MISSED the moment it is agreed nor lands in a month the on-time KPIs measured."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import asyncpg

from mutual.kit.clock import stopped_at, today
from tests.commitments.factories import (
    ACCEPT,
    ACCEPT_RENEGOTIATION,
    PROPOSE,
    RENEGOTIATE,
    ClientFactory,
    agreed,
    audit_count,
    both_sides,
    commitment_row,
    mutate,
    only_error,
    propose,
    row_counts,
    step,
)
from tests.helpers import World, gql

COMMITMENTS = """
query($id: ID!) { partnership(id: $id) { commitments(first: 50) { nodes { title status } } } }
"""

ACTIONS = """
query($id: ID!) { node(id: $id) { ... on Commitment { status viewerActions } } }
"""


def _day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


async def test_a_proposal_due_in_the_past_is_refused_and_today_is_accepted(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given
        events = await audit_count(owner, world.northwind_contoso.id)

        # when: yesterday, shared and internal; then today
        past = [
            await mutate(
                northwind, PROPOSE, partnershipId=world.nc_id, title="Late", dueDate=_day(-1)
            ),
            await mutate(
                northwind,
                PROPOSE,
                partnershipId=world.nc_id,
                title="Own plan, late",
                dueDate=_day(-30),
                visibility="INTERNAL",
            ),
        ]
        counts = await row_counts(owner, "commitment", "commitment_transition")
        due_today = await propose(northwind, world, "Due today", _day(0))
        accepted = await step(contoso, ACCEPT, due_today)
        listed = await gql(northwind, COMMITMENTS, {"id": world.nc_id})

    # then
    errors = [only_error(p, "commitment") for p in past]
    assert [(e["code"], e["field"]) for e in errors] == [("DUE_DATE_IN_PAST", "dueDate")] * 2
    assert f"give today ({_day(0)}, UTC) or a later date" in errors[0]["message"]
    assert counts == {"commitment": 0, "commitment_transition": 0}
    assert accepted["status"] == "AGREED"
    assert listed["data"]["partnership"]["commitments"]["nodes"] == [
        {"title": "Due today", "status": "AGREED"}
    ]
    # the refused ones were not audited; the accepted proposal and its acceptance were
    assert await audit_count(owner, world.northwind_contoso.id) == events + 2


async def test_a_renegotiation_to_a_past_date_is_refused(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given
        commitment = await agreed(northwind, contoso, world, "Weekly shipments", _day(20))
        before = await commitment_row(owner, commitment["id"])

        # when
        refused = await mutate(
            northwind,
            RENEGOTIATE,
            commitmentId=commitment["id"],
            expectedVersion=commitment["version"],
            newDueDate=_day(-2),
            reason="The carrier went bankrupt",
        )
        moved_to_today = await step(
            northwind, RENEGOTIATE, commitment, newDueDate=_day(0), reason="Sooner after all"
        )

    # then
    error = only_error(refused, "commitment")
    assert (error["code"], error["field"]) == ("DUE_DATE_IN_PAST", "newDueDate")
    assert "The new due date" in error["message"]
    assert before["renegotiation_due_date"] is None
    assert moved_to_today["pendingRenegotiation"]["proposedDueDate"] == _day(0)


async def test_a_date_that_passed_while_waiting_cannot_be_agreed_only_declined(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    # given: made ten days ago, due five days ago (then still ahead): a proposal Contoso never
    # answered, and an agreed commitment whose renegotiated date Contoso never answered
    ten_days_ago = datetime.combine(today() - timedelta(days=10), time(9), UTC)
    three_days_ago, five_days_ago = _day(-3), _day(-5)
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        with stopped_at(ten_days_ago):
            waiting = await propose(northwind, world, "Waiting proposal", five_days_ago)
            moving = await agreed(northwind, contoso, world, "Moving date", three_days_ago)
            moving = await step(
                northwind, RENEGOTIATE, moving, newDueDate=five_days_ago, reason="Earlier slot"
            )
        before = [
            await commitment_row(owner, waiting["id"]),
            await commitment_row(owner, moving["id"]),
        ]

        # when
        attempts = [
            await mutate(contoso, ACCEPT, commitmentId=waiting["id"], expectedVersion=1),
            await mutate(
                contoso,
                ACCEPT_RENEGOTIATION,
                commitmentId=moving["id"],
                expectedVersion=moving["version"],
            ),
        ]
        offered = [
            (await gql(contoso, ACTIONS, {"id": c["id"]}))["data"]["node"]
            for c in (waiting, moving)
        ]

    # then
    errors = [only_error(a, "commitment") for a in attempts]
    assert [(e["code"], e["field"]) for e in errors] == [("DUE_DATE_IN_PAST", "commitmentId")] * 2
    assert [
        await commitment_row(owner, waiting["id"]),
        await commitment_row(owner, moving["id"]),
    ] == before
    # the buttons offered are the ones that would work
    assert offered == [
        {"status": "PROPOSED", "viewerActions": ["DECLINE"]},
        {"status": "MISSED", "viewerActions": ["DECLINE_RENEGOTIATION"]},
    ]
