"""Reliability per party and period, from the stored history: a small history built through
the API in 2001 (the clock stopped then: a due date in the past is refused), with the dates
that matter moved by the table owner, and read today."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx

from mutual.kit.clock import stopped_at
from tests.commitments.factories import (
    ACCEPT_RENEGOTIATION,
    CONFIRM,
    DECLINE,
    DELIVER,
    DISPUTE,
    EVIDENCE,
    RENEGOTIATE,
    START,
    ClientFactory,
    agreed,
    both_sides,
    delivered,
    propose,
    raw_id,
    signed_in,
    step,
)
from tests.helpers import World, error_codes, gql

RELIABILITY = """
query($id: ID!, $from: Date!, $to: Date!) {
  partnership(id: $id) {
    commitmentReliability(from: $from, to: $to) {
      party { label } due onTime onTimeRate missed renegotiations disputes
    }
  }
}
"""

YEAR_2001 = {"from": "2001-01-01", "to": "2001-12-31"}
NEW_YEAR_2001 = datetime(2001, 1, 1, 9, tzinfo=UTC)


async def _set_delivered_at(owner: asyncpg.Connection, commitment: dict[str, Any], at: str) -> None:
    await owner.execute(
        "UPDATE commitment SET delivered_at = $2::text::timestamptz WHERE id = $1",
        raw_id(commitment["id"]),
        at,
    )


async def _set_step_at(
    owner: asyncpg.Connection, commitment: dict[str, Any], action: str, at: str
) -> None:
    updated = await owner.execute(
        "UPDATE commitment_transition SET at = $3::text::timestamptz "
        "WHERE commitment_id = $1 AND action = $2",
        raw_id(commitment["id"]),
        action,
        at,
    )
    assert updated == "UPDATE 1"


async def _confirmed_on(
    owner_side: httpx.AsyncClient,
    counterparty: httpx.AsyncClient,
    owner: asyncpg.Connection,
    world: World,
    title: str,
    *,
    due: str,
    delivered_at: str,
) -> dict[str, Any]:
    commitment = await step(
        counterparty, CONFIRM, await delivered(owner_side, counterparty, world, title, due)
    )
    await _set_delivered_at(owner, commitment, delivered_at)
    return commitment


async def _figures(client: httpx.AsyncClient, world: World) -> dict[str, dict[str, Any]]:
    body = await gql(client, RELIABILITY, {"id": world.nc_id, **YEAR_2001})
    return {
        f.pop("party")["label"]: f for f in body["data"]["partnership"]["commitmentReliability"]
    }


async def test_reliability_per_party_counts_only_what_falls_in_the_period(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        with stopped_at(NEW_YEAR_2001):
            # given: Northwind (Supplier) owns N1..N9, Contoso (Customer) owns C1..C4
            # N1 on time, N2 late, N3 delivered on the due date itself: confirmed
            await _confirmed_on(
                northwind,
                contoso,
                owner,
                world,
                "N1",
                due="2001-03-31",
                delivered_at="2001-03-30T10:00Z",
            )
            await _confirmed_on(
                northwind,
                contoso,
                owner,
                world,
                "N2",
                due="2001-04-30",
                delivered_at="2001-05-02T09:00Z",
            )
            await _confirmed_on(
                northwind,
                contoso,
                owner,
                world,
                "N3",
                due="2001-05-31",
                delivered_at="2001-05-31T23:30Z",
            )
            # N4 agreed and never delivered: missed
            await agreed(northwind, contoso, world, "N4", "2001-06-30")
            # N5 delivered and disputed inside the period
            n5 = await step(
                contoso,
                DISPUTE,
                await delivered(northwind, contoso, world, "N5", "2001-07-31"),
                reason="Half the parts were missing",
            )
            await _set_step_at(owner, n5, "DISPUTE", "2001-07-15T12:00Z")
            # N6 due after the period: renegotiated inside it, disputed after it, then confirmed
            n6 = await step(
                northwind,
                RENEGOTIATE,
                await agreed(northwind, contoso, world, "N6", "2002-01-15"),
                newDueDate="2002-02-01",
                reason="Supplier plant audit",
            )
            n6 = await step(contoso, ACCEPT_RENEGOTIATION, n6)
            n6 = await step(northwind, DELIVER, n6, evidence=EVIDENCE)
            n6 = await step(contoso, DISPUTE, n6, reason="Wrong labels")
            n6 = await step(contoso, CONFIRM, await step(northwind, DELIVER, n6))
            await _set_delivered_at(owner, n6, "2002-01-30T08:00Z")
            await _set_step_at(owner, n6, "ACCEPT_RENEGOTIATION", "2001-06-01T09:00Z")
            await _set_step_at(owner, n6, "DISPUTE", "2002-01-20T09:00Z")
            # N7 only proposed, N8 declined: never agreed, so never due
            await propose(northwind, world, "N7", "2001-08-15")
            await step(contoso, DECLINE, await propose(northwind, world, "N8", "2001-08-20"))
            # N9 is Northwind's INTERNAL plan, missed: not a commitment to the partner
            await propose(northwind, world, "N9", "2001-09-01", visibility="INTERNAL")
            # C1 on time; C2 started and missed; C3 renegotiated before the period, late
            await _confirmed_on(
                contoso,
                northwind,
                owner,
                world,
                "C1",
                due="2001-02-28",
                delivered_at="2001-02-01T08:00Z",
            )
            await step(contoso, START, await agreed(contoso, northwind, world, "C2", "2001-09-30"))
            c3 = await step(
                contoso,
                RENEGOTIATE,
                await agreed(contoso, northwind, world, "C3", "2001-10-31"),
                newDueDate="2001-11-30",
                reason="Peak season",
            )
            c3 = await step(northwind, ACCEPT_RENEGOTIATION, c3)
            await step(northwind, CONFIRM, await step(contoso, DELIVER, c3, evidence=EVIDENCE))
            await _set_delivered_at(owner, c3, "2001-12-05T08:00Z")
            await _set_step_at(owner, c3, "ACCEPT_RENEGOTIATION", "2000-12-15T08:00Z")
            # C4 delivered, not yet confirmed
            await delivered(contoso, northwind, world, "C4", "2001-10-31")

        # when
        seen_by_northwind = await _figures(northwind, world)
        seen_by_contoso = await _figures(contoso, world)

    # then
    assert seen_by_northwind == {
        "Supplier": {
            "due": 5,
            "onTime": 2,
            "onTimeRate": 0.4,
            "missed": 1,
            "renegotiations": 1,
            "disputes": 1,
        },
        "Customer": {
            "due": 4,
            "onTime": 1,
            "onTimeRate": 0.25,
            "missed": 1,
            "renegotiations": 0,
            "disputes": 0,
        },
    }
    assert seen_by_contoso == seen_by_northwind


async def test_a_period_ending_before_it_starts_is_a_coded_error(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "viewer@contoso.example") as contoso:
        # when
        body = await gql(
            contoso,
            RELIABILITY,
            {"id": world.nc_id, "from": "2001-12-31", "to": "2001-01-01"},
            expect_errors=True,
        )

    # then
    assert body["data"] == {"partnership": None}
    assert error_codes(body) == ["INVALID"]
    assert body["errors"][0]["extensions"]["field"] == "to"
