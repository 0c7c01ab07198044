"""Bad input to feedback: each a userError with a code, nothing changed, no 500."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx
import pytest

from mutual.feedback.models import BODY_LIMIT
from mutual.graphql.ids import to_global_id
from tests.commitments.factories import ClientFactory, both_sides, mutate, only_error, only_record
from tests.feedback.factories import (
    ACCEPT,
    ACCEPT_POLICY,
    ACKNOWLEDGE,
    COMMENT,
    PROPOSE_POLICY,
    REOPEN,
    RESOLVE,
    START,
    SUBMIT,
    TARGETS,
    act,
    submit,
)
from tests.helpers import World, gql
from tests.security.factories import sign_in

STATE = """
query($id: ID!) { node(id: $id) { ... on Feedback { status version rating resolutionNote
  comments { body } history { action } } } }
"""


async def _state(client: httpx.AsyncClient, item: dict[str, Any]) -> dict[str, Any]:
    body = await gql(client, STATE, {"id": item["id"]})
    state: dict[str, Any] = body["data"]["node"]
    return state


async def _counts(owner: asyncpg.Connection) -> tuple[int, int, int, int]:
    row = await owner.fetchrow(
        "SELECT (SELECT count(*) FROM feedback), (SELECT count(*) FROM feedback_comment), "
        "(SELECT count(*) FROM feedback_transition), (SELECT count(*) FROM audit_event)"
    )
    assert row is not None
    return (row[0], row[1], row[2], row[3])


async def _resolved(
    northwind: httpx.AsyncClient, contoso: httpx.AsyncClient, world: World
) -> dict[str, Any]:
    item = await submit(contoso, world)
    item = only_record(await act(northwind, START, item), "feedback")
    return only_record(await act(northwind, RESOLVE, item, note="Fixed."), "feedback")


@pytest.mark.parametrize("rating", [0, 6, -1, 100])
async def test_a_rating_outside_1_to_5_is_refused(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, rating: int
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        item = await _resolved(northwind, contoso, world)
        before, counts = await _state(contoso, item), await _counts(owner)

        error = only_error(await act(contoso, ACCEPT, item, rating=rating), "feedback")

        assert error["code"] == "RATING_OUT_OF_RANGE" and error["field"] == "rating"
        assert await _state(contoso, item) == before
        assert await _counts(owner) == counts


@pytest.mark.parametrize("note", ["", "   "])
async def test_resolving_without_a_note_is_refused(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, note: str
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        item = await submit(contoso, world)
        item = only_record(await act(northwind, START, item), "feedback")
        before, counts = await _state(contoso, item), await _counts(owner)

        error = only_error(await act(northwind, RESOLVE, item, note=note), "feedback")

        assert error["code"] == "NOTE_REQUIRED" and error["field"] == "note"
        assert await _state(contoso, item) == before
        assert await _counts(owner) == counts


async def test_reopening_needs_a_reason(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        item = await _resolved(northwind, contoso, world)
        error = only_error(await act(contoso, REOPEN, item, reason=" "), "feedback")
        assert error["code"] == "REASON_REQUIRED"
        assert (await _state(contoso, item))["status"] == "RESOLVED"


# Each action by the side it is not for, from a status it would otherwise be allowed in.
WRONG_SIDE = [
    ("submitter acknowledges", "contoso", ACKNOWLEDGE, "SUBMITTED", {}),
    ("submitter starts", "contoso", START, "SUBMITTED", {}),
    ("submitter resolves", "contoso", RESOLVE, "IN_PROGRESS", {"note": "Mine"}),
    ("receiver accepts", "northwind", ACCEPT, "RESOLVED", {"rating": 5}),
    ("receiver reopens", "northwind", REOPEN, "RESOLVED", {"reason": "Again"}),
]


@pytest.mark.parametrize(
    ("who", "document", "status", "fields"),
    [case[1:] for case in WRONG_SIDE],
    ids=[case[0] for case in WRONG_SIDE],
)
async def test_each_wrong_side_action_is_refused(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    who: str,
    document: str,
    status: str,
    fields: dict[str, Any],
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        item = await submit(contoso, world)
        if status != "SUBMITTED":
            item = only_record(await act(northwind, START, item), "feedback")
        if status == "RESOLVED":
            item = only_record(await act(northwind, RESOLVE, item, note="Fixed."), "feedback")
        before, counts = await _state(contoso, item), await _counts(owner)
        actor = contoso if who == "contoso" else northwind

        error = only_error(await act(actor, document, item, **fields), "feedback")

        assert error["code"] == "WRONG_SIDE"
        assert await _state(contoso, item) == before
        assert await _counts(owner) == counts


async def test_an_illegal_transition_and_a_stale_version_change_nothing(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        item = await submit(contoso, world)
        done = only_record(await act(northwind, ACKNOWLEDGE, item), "feedback")
        counts = await _counts(owner)

        again = only_error(await act(northwind, ACKNOWLEDGE, done), "feedback")
        stale = only_error(await act(northwind, START, item), "feedback")  # version 1

        assert again["code"] == "ILLEGAL_TRANSITION"
        assert stale["code"] == "CONFLICT"
        assert await _counts(owner) == counts


async def test_the_submitting_side_writes_no_internal_note(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (_northwind, contoso):
        item = await submit(contoso, world)
        counts = await _counts(owner)
        payload = await mutate(contoso, COMMENT, feedbackId=item["id"], body="x", internal=True)
        assert [e["code"] for e in payload["userErrors"]] == ["WRONG_SIDE"]
        assert await _counts(owner) == counts


async def test_an_oversized_body_is_refused_with_the_limit_stated(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        counts = await _counts(owner)
        too_long = "x" * (BODY_LIMIT + 1)
        payload = await mutate(
            contoso, SUBMIT, partnershipId=world.nc_id, title="Big", body=too_long
        )
        error = only_error(payload, "feedback")
        assert error["code"] == "TOO_LONG" and error["field"] == "body"
        assert "20000" in error["message"]
        assert await _counts(owner) == counts

        # exactly at the limit is fine, and so is a comment at the limit; one over is not
        item = await submit(contoso, world, "Big", body="x" * BODY_LIMIT)
        comment = await mutate(northwind, COMMENT, feedbackId=item["id"], body=too_long)
        assert [e["code"] for e in comment["userErrors"]] == ["TOO_LONG"]
        assert comment["feedback"] is None


async def test_a_blank_or_long_title_is_invalid(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (_northwind, contoso):
        for title, code in (("  ", "INVALID"), ("t" * 201, "TOO_LONG")):
            payload = await mutate(contoso, SUBMIT, partnershipId=world.nc_id, title=title)
            assert only_error(payload, "feedback")["code"] == code


async def test_an_sla_policy_is_not_put_in_force_by_one_side_alone(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, northwind="lead", contoso="lead") as (
        northwind,
        contoso,
    ):
        proposed = only_record(
            await mutate(northwind, PROPOSE_POLICY, partnershipId=world.nc_id, targets=TARGETS),
            "policy",
        )
        assert proposed["status"] == "PROPOSED" and proposed["viewerCanDecide"] is False

        # the proposing side's LEAD cannot accept its own version
        own = await mutate(
            northwind,
            ACCEPT_POLICY,
            policyId=proposed["id"],
            expectedVersion=proposed["version"],
        )
        assert only_error(own, "policy")["code"] == "OWN_PROPOSAL"
        # nor can a non-LEAD of the other side
        async with make_client() as editor:
            await sign_in(editor, owner, world.user_id("editor@contoso.example"))
            not_lead = await mutate(
                editor, ACCEPT_POLICY, policyId=proposed["id"], expectedVersion=1
            )
        assert only_error(not_lead, "policy")["code"] == "FORBIDDEN"
        # nor can a non-LEAD propose one
        async with make_client() as editor:
            await sign_in(editor, owner, world.user_id("editor@northwind.example"))
            propose = await mutate(
                editor, PROPOSE_POLICY, partnershipId=world.nc_id, targets=TARGETS
            )
        assert only_error(propose, "policy")["code"] == "FORBIDDEN"
        assert (
            await owner.fetchval("SELECT count(*) FROM feedback_policy WHERE status = 'ACTIVE'")
            == 0
        )

        # the other side's LEAD puts it in force
        accepted = only_record(
            await mutate(
                contoso, ACCEPT_POLICY, policyId=proposed["id"], expectedVersion=proposed["version"]
            ),
            "policy",
        )
        assert accepted["status"] == "ACTIVE"
        # and new feedback runs against its targets
        item = await submit(northwind, world, severity="CRITICAL")
        assert item["firstResponseClock"]["targetSeconds"] == 30 * 60


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"targets": TARGETS[:3]}, "targets"),
        (
            {"targets": [{**TARGETS[0], "firstResponseMinutes": 500}, *TARGETS[1:]]},
            "targets",
        ),
        ({"autoCloseDays": 0}, "autoCloseDays"),
        (
            {"calendars": [{"partyId": "PARTY", "timeZone": "Mars/Olympus"}]},
            "calendars[0].timeZone",
        ),
        ({"calendars": [{"partyId": "PARTY", "workingDays": [0, 8]}]}, "calendars[0].workingDays"),
        (
            {"calendars": [{"partyId": "PARTY", "start": "18:00", "end": "09:00"}]},
            "calendars[0].end",
        ),
    ],
)
async def test_a_bad_sla_policy_is_invalid(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    change: dict[str, Any],
    field: str,
) -> None:
    party = to_global_id("Party", world.parties[("nc", "northwind")].id)
    for calendar in change.get("calendars", []):
        calendar["partyId"] = party
    async with both_sides(make_client, owner, world, northwind="lead") as (northwind, _contoso):
        payload = await mutate(
            northwind,
            PROPOSE_POLICY,
            **{"partnershipId": world.nc_id, "targets": TARGETS, **change},
        )
    error = only_error(payload, "policy")
    assert (error["code"], error["field"]) == ("INVALID", field)
    assert await owner.fetchval("SELECT count(*) FROM feedback_policy") == 0
