"""The cadence is agreed by both LEADs: one proposes, the other's LEAD accepts or declines; the
proposing side cannot decide its own, an editor cannot propose, a period out of range is refused,
and nothing changes on a refusal."""

from __future__ import annotations

import asyncpg

from tests.commitments.factories import (
    ClientFactory,
    both_sides,
    codes,
    mutate,
    only_error,
    only_record,
    signed_in,
)
from tests.feedback.factories import recorded_notices
from tests.helpers import World
from tests.pulse.factories import DECIDE, PROPOSE, surveys


async def _counts(owner: asyncpg.Connection) -> tuple[int, int]:
    cadences = await owner.fetchval("SELECT count(*) FROM pulse_cadence")
    events = await owner.fetchval("SELECT count(*) FROM audit_event WHERE action LIKE 'pulse%'")
    return cadences, events


async def test_one_lead_proposes_and_the_other_accepts(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, northwind="lead", contoso="lead") as (
        northwind,
        contoso,
    ):
        # given Northwind's LEAD proposing a round every 30 days
        with recorded_notices() as sent:
            proposed = only_record(
                await mutate(northwind, PROPOSE, partnershipId=world.nc_id, everyDays=30),
                "cadence",
            )
        assert proposed["status"] == "PROPOSED"
        assert proposed["awaitingYourDecision"] is False
        # then Contoso's LEADs are told, and nothing is in force yet
        assert [(n.kind, n.roles) for n in sent] == [("pulse.cadence_proposed", ("LEAD",))]
        assert sent[0].party_id == world.parties[("nc", "contoso")].id
        assert (await surveys(contoso, world))["activeCadence"] is None

        # when Northwind tries to accept its own proposal
        own = await mutate(
            northwind, DECIDE, cadenceId=proposed["id"], expectedVersion=1, accept=True
        )
        assert codes(own) == ["OWN_PROPOSAL"]

        # when Contoso's LEAD accepts it
        accepted = only_record(
            await mutate(contoso, DECIDE, cadenceId=proposed["id"], expectedVersion=1, accept=True),
            "cadence",
        )
        assert accepted["status"] == "ACTIVE" and accepted["nextRoundAt"] is not None
        # then it is in force for both sides
        assert (await surveys(northwind, world))["activeCadence"]["everyDays"] == 30

        # and deciding it again is refused
        again = await mutate(
            contoso, DECIDE, cadenceId=proposed["id"], expectedVersion=2, accept=True
        )
        assert codes(again) == ["NOT_PROPOSED"]

        # and a new proposal, once accepted, supersedes it
        second = only_record(
            await mutate(contoso, PROPOSE, partnershipId=world.nc_id, everyDays=90), "cadence"
        )
        only_record(
            await mutate(northwind, DECIDE, cadenceId=second["id"], expectedVersion=1, accept=True),
            "cadence",
        )
        listed = (await surveys(northwind, world))["cadences"]
        assert [c["status"] for c in listed] == ["ACTIVE", "SUPERSEDED"]


async def test_bad_proposals_and_decisions_change_nothing(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "editor@northwind.example") as editor:
        refused = await mutate(editor, PROPOSE, partnershipId=world.nc_id, everyDays=30)
        assert only_error(refused, "cadence")["code"] == "FORBIDDEN"
    async with both_sides(make_client, owner, world, northwind="lead", contoso="lead") as (
        northwind,
        contoso,
    ):
        for days in (6, 366):
            payload = await mutate(northwind, PROPOSE, partnershipId=world.nc_id, everyDays=days)
            assert only_error(payload, "cadence")["code"] == "OUT_OF_RANGE"
        assert await _counts(owner) == (0, 0)
        proposed = only_record(
            await mutate(northwind, PROPOSE, partnershipId=world.nc_id, everyDays=14), "cadence"
        )
        before = await _counts(owner)
        stale = await mutate(
            contoso, DECIDE, cadenceId=proposed["id"], expectedVersion=7, accept=True
        )
        error = only_error(stale, "cadence")
        assert error["code"] == "CONFLICT" and error["current"]["status"] == "PROPOSED"
        # an outsider (Fabrikam's admin) does not see it
        async with signed_in(make_client, owner, world, "admin@fabrikam.example") as outsider:
            hidden = await mutate(
                outsider, DECIDE, cadenceId=proposed["id"], expectedVersion=1, accept=True
            )
            assert only_error(hidden, "cadence")["code"] == "NOT_FOUND"
        assert await _counts(owner) == before
        declined = only_record(
            await mutate(
                contoso, DECIDE, cadenceId=proposed["id"], expectedVersion=1, accept=False
            ),
            "cadence",
        )
        assert declined["status"] == "DECLINED" and declined["nextRoundAt"] is None
