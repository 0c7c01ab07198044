"""Bad input on commitments: each attempt gets one clear userError (or a coded GraphQL error),
changes nothing that is stored, and never answers 500."""

from __future__ import annotations

from functools import partial

import asyncpg

from tests.commitments.factories import (
    ACCEPT,
    ACCEPT_RENEGOTIATION,
    CONFIRM,
    DECLINE,
    DECLINE_RENEGOTIATION,
    DELIVER,
    DISPUTE,
    EVIDENCE,
    PROPOSE,
    RENEGOTIATE,
    START,
    ClientFactory,
    agreed,
    audit_count,
    both_sides,
    commitment_row,
    delivered,
    mutate,
    only_error,
    propose,
    signed_in,
    step,
)
from tests.helpers import World, error_codes, gql

NODE = """
query($id: ID!) { node(id: $id) { id ... on Commitment { title status } } }
"""

TITLES = """
query($id: ID!) { partnership(id: $id) { commitments(first: 50) { totalCount nodes { title } } } }
"""

UNKNOWN_COMMITMENT = "Q29tbWl0bWVudDowMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDA"


_only_error = partial(only_error, record="commitment")


async def test_a_stale_version_is_a_conflict_carrying_the_commitment_as_it_is_now(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: version 3 after accept and a renegotiation request; the client still has 2
        commitment = await agreed(northwind, contoso, world, "Weekly spare parts", "2099-01-31")
        await step(
            northwind, RENEGOTIATE, commitment, newDueDate="2099-02-28", reason="Plant audit"
        )
        before = await commitment_row(owner, commitment["id"])
        events = await audit_count(owner, world.northwind_contoso.id)

        # when
        stale = await mutate(
            northwind, START, commitmentId=commitment["id"], expectedVersion=commitment["version"]
        )

        # then
        error = _only_error(stale)
        assert error["code"] == "CONFLICT"
        assert error["field"] == "expectedVersion"
        assert error["current"] == {"version": 3, "status": "AGREED", "dueDate": "2099-01-31"}
        assert await commitment_row(owner, commitment["id"]) == before
        assert await audit_count(owner, world.northwind_contoso.id) == events


async def test_wrong_side_actions_before_delivery_change_nothing(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: a proposal of Northwind's, and an agreed commitment Northwind owns
        proposal = await propose(northwind, world, "Root-cause report", "2099-01-15")
        commitment = await agreed(northwind, contoso, world, "Recall plan", "2099-02-15")
        before = [
            await commitment_row(owner, proposal["id"]),
            await commitment_row(owner, commitment["id"]),
        ]

        # when
        attempts = [
            await mutate(northwind, ACCEPT, commitmentId=proposal["id"], expectedVersion=1),
            await mutate(northwind, DECLINE, commitmentId=proposal["id"], expectedVersion=1),
            await mutate(contoso, START, commitmentId=commitment["id"], expectedVersion=2),
            await mutate(
                contoso,
                DELIVER,
                commitmentId=commitment["id"],
                expectedVersion=2,
                evidence=EVIDENCE,
            ),
            await mutate(
                contoso,
                RENEGOTIATE,
                commitmentId=commitment["id"],
                expectedVersion=2,
                newDueDate="2099-03-01",
                reason="We would like it later",
            ),
        ]

        # then
        assert [_only_error(a)["code"] for a in attempts] == ["WRONG_SIDE"] * 5
        assert [
            await commitment_row(owner, proposal["id"]),
            await commitment_row(owner, commitment["id"]),
        ] == before
        assert await owner.fetchval("SELECT count(*) FROM commitment_evidence") == 0


async def test_the_owner_cannot_confirm_or_dispute_its_own_delivery(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, northwind="lead") as (northwind, contoso):
        # given
        commitment = await delivered(northwind, contoso, world, "QA gate", "2099-01-31")
        before = await commitment_row(owner, commitment["id"])

        # when
        confirm = await mutate(northwind, CONFIRM, commitmentId=commitment["id"], expectedVersion=3)
        dispute = await mutate(
            northwind,
            DISPUTE,
            commitmentId=commitment["id"],
            expectedVersion=3,
            reason="Disputing ourselves",
        )

        # then
        assert _only_error(confirm)["code"] == "WRONG_SIDE"
        assert _only_error(dispute)["code"] == "WRONG_SIDE"
        assert "other side" in _only_error(confirm)["message"]
        assert await commitment_row(owner, commitment["id"]) == before


async def test_the_owner_cannot_accept_its_own_renegotiation(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: Northwind asked to move its due date
        commitment = await step(
            northwind,
            RENEGOTIATE,
            await agreed(northwind, contoso, world, "Buffer stock", "2099-01-31"),
            newDueDate="2099-04-30",
            reason="Supplier plant audit",
        )
        before = await commitment_row(owner, commitment["id"])

        # when
        accept = await mutate(
            northwind, ACCEPT_RENEGOTIATION, commitmentId=commitment["id"], expectedVersion=3
        )
        decline = await mutate(
            northwind, DECLINE_RENEGOTIATION, commitmentId=commitment["id"], expectedVersion=3
        )

        # then
        assert _only_error(accept)["code"] == "WRONG_SIDE"
        assert _only_error(decline)["code"] == "WRONG_SIDE"
        assert await commitment_row(owner, commitment["id"]) == before


async def test_illegal_transitions_change_nothing(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: one commitment in each of PROPOSED, DECLINED, AGREED and CONFIRMED
        proposal = await propose(northwind, world, "Proposal", "2099-01-10")
        declined = await step(
            contoso, DECLINE, await propose(northwind, world, "Declined", "2099-01-11")
        )
        accepted = await agreed(northwind, contoso, world, "Accepted", "2099-01-12")
        confirmed = await step(
            contoso, CONFIRM, await delivered(northwind, contoso, world, "Kept", "2099-01-13")
        )
        ids = [c["id"] for c in (proposal, declined, accepted, confirmed)]
        before = [await commitment_row(owner, i) for i in ids]
        events = await audit_count(owner, world.northwind_contoso.id)

        # when
        attempts = {
            "confirm a PROPOSED": await mutate(
                contoso, CONFIRM, commitmentId=proposal["id"], expectedVersion=1
            ),
            "start a DECLINED": await mutate(
                northwind, START, commitmentId=declined["id"], expectedVersion=2
            ),
            "accept twice": await mutate(
                contoso, ACCEPT, commitmentId=accepted["id"], expectedVersion=2
            ),
            "dispute an AGREED": await mutate(
                contoso, DISPUTE, commitmentId=accepted["id"], expectedVersion=2, reason="No"
            ),
            "deliver a CONFIRMED": await mutate(
                northwind,
                DELIVER,
                commitmentId=confirmed["id"],
                expectedVersion=4,
                evidence=EVIDENCE,
            ),
            "renegotiate a CONFIRMED": await mutate(
                northwind,
                RENEGOTIATE,
                commitmentId=confirmed["id"],
                expectedVersion=4,
                newDueDate="2099-06-01",
                reason="Too late",
            ),
        }

        # then
        assert {what: _only_error(a)["code"] for what, a in attempts.items()} == dict.fromkeys(
            attempts, "ILLEGAL_TRANSITION"
        )
        assert "PROPOSED" in _only_error(attempts["confirm a PROPOSED"])["message"]
        assert [await commitment_row(owner, i) for i in ids] == before
        assert await audit_count(owner, world.northwind_contoso.id) == events


async def test_renegotiation_steps_out_of_turn_are_refused(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: one commitment with no pending renegotiation, one with a pending one
        plain = await agreed(northwind, contoso, world, "Plain", "2099-01-31")
        pending = await step(
            northwind,
            RENEGOTIATE,
            await agreed(northwind, contoso, world, "Pending", "2099-01-31"),
            newDueDate="2099-02-28",
            reason="Audit",
        )
        before = [await commitment_row(owner, c["id"]) for c in (plain, pending)]

        # when
        nothing_to_accept = await mutate(
            contoso, ACCEPT_RENEGOTIATION, commitmentId=plain["id"], expectedVersion=2
        )
        asked_twice = await mutate(
            northwind,
            RENEGOTIATE,
            commitmentId=pending["id"],
            expectedVersion=3,
            newDueDate="2099-03-31",
            reason="Again",
        )

        # then
        assert _only_error(nothing_to_accept)["code"] == "NO_RENEGOTIATION"
        assert _only_error(asked_twice)["code"] == "RENEGOTIATION_PENDING"
        assert [await commitment_row(owner, c["id"]) for c in (plain, pending)] == before


async def test_invalid_values_are_refused_with_the_field_at_fault(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given
        open_one = await agreed(northwind, contoso, world, "Open", "2099-01-31")
        to_check = await delivered(northwind, contoso, world, "Delivered", "2099-01-31")
        before = [await commitment_row(owner, c["id"]) for c in (open_one, to_check)]
        evidence = await owner.fetchval("SELECT count(*) FROM commitment_evidence")

        # when
        attempts = [
            await mutate(
                northwind, PROPOSE, partnershipId=world.nc_id, title="   ", dueDate="2099-01-01"
            ),
            await mutate(
                northwind,
                DELIVER,
                commitmentId=open_one["id"],
                expectedVersion=2,
                evidence=[{"url": "ftp://files.example/proof.pdf", "title": "Proof"}],
            ),
            await mutate(
                northwind,
                DELIVER,
                commitmentId=open_one["id"],
                expectedVersion=2,
                evidence=[*EVIDENCE, {"url": "javascript:alert(1)", "title": "Proof"}],
            ),
            await mutate(
                northwind,
                RENEGOTIATE,
                commitmentId=open_one["id"],
                expectedVersion=2,
                newDueDate="2099-01-31",
                reason="Same date",
            ),
            await mutate(
                northwind,
                RENEGOTIATE,
                commitmentId=open_one["id"],
                expectedVersion=2,
                newDueDate="2099-05-31",
                reason="  ",
            ),
            await mutate(
                contoso, DISPUTE, commitmentId=to_check["id"], expectedVersion=3, reason=" "
            ),
        ]

        # then
        assert [(_only_error(a)["code"], _only_error(a)["field"]) for a in attempts] == [
            ("INVALID", "title"),
            ("INVALID", "evidence[0].url"),
            ("INVALID", "evidence[1].url"),
            ("INVALID", "newDueDate"),
            ("REASON_REQUIRED", "reason"),
            ("REASON_REQUIRED", "reason"),
        ]
        assert [await commitment_row(owner, c["id"]) for c in (open_one, to_check)] == before
        assert await owner.fetchval("SELECT count(*) FROM commitment_evidence") == evidence
        assert await owner.fetchval("SELECT count(*) FROM commitment") == 2


async def test_an_internal_commitment_is_not_found_by_the_other_side(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, contoso="lead") as (northwind, contoso):
        # given: Northwind's own plan (INTERNAL commitments start AGREED)
        internal = await propose(
            northwind, world, "Margin recovery", "2099-01-31", visibility="INTERNAL"
        )
        before = await commitment_row(owner, internal["id"])

        # when
        node = await gql(contoso, NODE, {"id": internal["id"]}, expect_errors=True)
        unknown = await gql(contoso, NODE, {"id": UNKNOWN_COMMITMENT}, expect_errors=True)
        listed = await gql(contoso, TITLES, {"id": world.nc_id})
        attempts = [
            await mutate(contoso, document, commitmentId=internal["id"], expectedVersion=1)
            for document in (ACCEPT, DECLINE, START, CONFIRM, ACCEPT_RENEGOTIATION)
        ] + [
            await mutate(
                contoso, DELIVER, commitmentId=internal["id"], expectedVersion=1, evidence=EVIDENCE
            ),
            await mutate(
                contoso, DISPUTE, commitmentId=internal["id"], expectedVersion=1, reason="x"
            ),
        ]
        unknown_attempt = await mutate(
            contoso, CONFIRM, commitmentId=UNKNOWN_COMMITMENT, expectedVersion=1
        )

        # then: exactly the answers an unknown id gets
        assert internal["status"] == "AGREED"
        assert error_codes(node) == ["NOT_FOUND"]
        assert node["data"]["node"] is None
        assert [e["message"] for e in node["errors"]] == [e["message"] for e in unknown["errors"]]
        assert listed["data"]["partnership"]["commitments"] == {"totalCount": 0, "nodes": []}
        assert [_only_error(a) for a in attempts] == [_only_error(unknown_attempt)] * 7
        assert _only_error(unknown_attempt)["code"] == "NOT_FOUND"
        assert await commitment_row(owner, internal["id"]) == before


async def test_a_viewer_can_take_no_commitment_action(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with (
        signed_in(make_client, owner, world, "editor@northwind.example") as northwind,
        signed_in(make_client, owner, world, "editor@contoso.example") as contoso,
        signed_in(make_client, owner, world, "viewer@northwind.example") as nw_viewer,
        signed_in(make_client, owner, world, "viewer@contoso.example") as co_viewer,
    ):
        # given: a proposal, an agreed commitment with a pending renegotiation, a delivery
        proposal = await propose(northwind, world, "Proposal", "2099-01-10")
        open_one = await step(
            northwind,
            RENEGOTIATE,
            await agreed(northwind, contoso, world, "Open", "2099-01-11"),
            newDueDate="2099-02-11",
            reason="Audit",
        )
        done = await delivered(northwind, contoso, world, "Done", "2099-01-12")
        ids = [c["id"] for c in (proposal, open_one, done)]
        before = [await commitment_row(owner, i) for i in ids]
        events = await audit_count(owner, world.northwind_contoso.id)

        # when: each mutation by the viewer of the side that could otherwise act
        attempts = [
            await mutate(
                nw_viewer, PROPOSE, partnershipId=world.nc_id, title="x", dueDate="2099-01-01"
            ),
            await mutate(co_viewer, ACCEPT, commitmentId=ids[0], expectedVersion=1),
            await mutate(co_viewer, DECLINE, commitmentId=ids[0], expectedVersion=1),
            await mutate(nw_viewer, START, commitmentId=ids[1], expectedVersion=3),
            await mutate(
                nw_viewer, DELIVER, commitmentId=ids[1], expectedVersion=3, evidence=EVIDENCE
            ),
            await mutate(
                nw_viewer,
                RENEGOTIATE,
                commitmentId=ids[2],
                expectedVersion=3,
                newDueDate="2099-03-01",
                reason="x",
            ),
            await mutate(co_viewer, ACCEPT_RENEGOTIATION, commitmentId=ids[1], expectedVersion=3),
            await mutate(co_viewer, DECLINE_RENEGOTIATION, commitmentId=ids[1], expectedVersion=3),
            await mutate(co_viewer, CONFIRM, commitmentId=ids[2], expectedVersion=3),
            await mutate(co_viewer, DISPUTE, commitmentId=ids[2], expectedVersion=3, reason="x"),
        ]

        # then
        assert [_only_error(a)["code"] for a in attempts] == ["FORBIDDEN"] * 10
        assert [await commitment_row(owner, i) for i in ids] == before
        assert await audit_count(owner, world.northwind_contoso.id) == events
