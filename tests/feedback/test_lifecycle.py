"""Feedback through its life by the API: each side's steps, the clocks, the notices sent."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.commitments.factories import (
    CONFIRM,
    ClientFactory,
    both_sides,
    delivered,
    mutate,
    only_record,
    propose,
    step,
)
from tests.feedback.factories import (
    ACCEPT,
    ACKNOWLEDGE,
    ASK,
    COMMENT,
    REOPEN,
    RESOLVE,
    RESUME,
    START,
    act,
    recorded_notices,
    submit,
)
from tests.helpers import World, gql


async def test_contoso_submits_northwind_resolves_with_a_fix_and_contoso_rates_it(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        fix = await propose(northwind, world, "Relabel every pallet", "2099-01-31")
        with recorded_notices() as sent:
            # given Contoso's HIGH feedback, with a Markdown body
            item = await submit(
                contoso,
                world,
                "Pallets without labels",
                body="**Three** pallets <script>x</script>",
            )
            assert item["status"] == "SUBMITTED"
            assert item["submittedByUs"] is True
            assert item["receivingParty"]["label"] != item["submittedByParty"]["label"]
            assert "<strong>Three</strong>" in item["bodyHtml"]
            assert "<script>" not in item["bodyHtml"]
            clock = item["firstResponseClock"]
            assert clock["targetSeconds"] == 4 * 3600
            assert clock["paused"] is False and clock["stoppedAt"] is None
            assert item["viewerActions"] == []

            # when Northwind acknowledges: the first-response clock stops
            item = only_record(await act(northwind, ACKNOWLEDGE, item), "feedback")
            assert item["status"] == "ACKNOWLEDGED"
            assert item["firstResponseClock"]["stoppedAt"] is not None
            assert item["firstResponseClock"]["breached"] is False
            assert set(item["viewerActions"]) == {"START", "ASK_SUBMITTER", "RESOLVE"}

            # and asks Contoso: the resolution clock pauses
            item = only_record(await act(northwind, ASK, item, note="Which dock?"), "feedback")
            assert item["status"] == "WAITING_ON_SUBMITTER"
            assert item["resolutionClock"]["paused"] is True
            assert item["resolutionClock"]["dueAt"] is None

            # Contoso answers in a comment, Northwind resumes and resolves with the fix
            await act_comment(contoso, item, "Dock 3")
            item = only_record(await act(northwind, RESUME, item), "feedback")
            assert item["resolutionClock"]["paused"] is False
            item = only_record(
                await act(
                    northwind,
                    RESOLVE,
                    item,
                    note="Printer replaced.",
                    fixCommitmentId=fix["id"],
                ),
                "feedback",
            )
            assert item["status"] == "RESOLVED"
            assert item["resolutionNote"] == "Printer replaced."
            assert item["fixCommitment"]["title"] == "Relabel every pallet"
            assert item["fixConfirmed"] is False
            assert item["closesAt"] is not None
            assert item["resolutionClock"]["stoppedAt"] is not None

            # then Contoso accepts and rates it 4
            item = only_record(
                await act(contoso, ACCEPT, item, rating=4, comment="Thanks"), "feedback"
            )
        assert item["status"] == "CLOSED"
        assert item["rating"] == 4 and item["ratingComment"] == "Thanks"
        assert [h["action"] for h in item["history"]] == [
            "SUBMIT",
            "ACKNOWLEDGE",
            "ASK_SUBMITTER",
            "RESUME",
            "RESOLVE",
            "ACCEPT",
        ]
        kinds = [(n.kind, n.party_id) for n in sent]
        nw = world.parties[("nc", "northwind")].id
        co = world.parties[("nc", "contoso")].id
        assert kinds == [
            ("feedback.submitted", nw),
            ("feedback.waiting", co),
            ("feedback.commented", nw),
            ("feedback.resolved", co),
            ("feedback.closed", nw),
        ]
        assert all(n.dedupe_key for n in sent)


async def act_comment(client: httpx.AsyncClient, item: dict[str, Any], body: str) -> None:
    payload = await mutate(client, COMMENT, feedbackId=item["id"], body=body)
    assert payload["userErrors"] == []


async def test_a_reopened_item_runs_its_resolution_clock_again(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        item = await submit(contoso, world)
        item = only_record(await act(northwind, START, item), "feedback")
        item = only_record(await act(northwind, RESOLVE, item, note="Done."), "feedback")
        used = item["resolutionClock"]["elapsedSeconds"]

        item = only_record(await act(contoso, REOPEN, item, reason="Still broken."), "feedback")

        assert item["status"] == "IN_PROGRESS"
        assert item["reopenCount"] == 1
        assert item["closesAt"] is None
        assert item["resolutionClock"]["stoppedAt"] is None
        assert item["resolutionClock"]["elapsedSeconds"] >= used
        assert item["history"][-1] == {
            "action": "REOPEN",
            "fromStatus": "RESOLVED",
            "toStatus": "IN_PROGRESS",
            "note": "Still broken.",
        }


async def test_the_receiving_sides_first_shared_comment_is_its_first_response(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        item = await submit(contoso, world)
        # an internal note is no response
        await act_comment_internal(northwind, item)
        again = await submit(contoso, world, "Other")

        payload = await mutate(northwind, COMMENT, feedbackId=again["id"], body="Looking")
        noted = only_record(
            await mutate(northwind, COMMENT, feedbackId=item["id"], body="Seen", internal=True),
            "feedback",
        )

    assert payload["feedback"]["firstResponseClock"]["stoppedAt"] is not None
    assert payload["feedback"]["status"] == "SUBMITTED"
    assert noted["firstResponseClock"]["stoppedAt"] is None


async def act_comment_internal(client: httpx.AsyncClient, item: dict[str, Any]) -> None:
    payload = await mutate(client, COMMENT, feedbackId=item["id"], body="Ours", internal=True)
    assert payload["userErrors"] == []


WAITING = """
query($id: ID!) { partnership(id: $id) { waitingOnYourSide { objectType title asked } } }
"""


async def test_feedback_waits_on_the_side_whose_turn_it_is(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        item = await submit(contoso, world, "Labels")

        async def waiting(client: httpx.AsyncClient) -> list[tuple[str, str]]:
            body = await gql(client, WAITING, {"id": world.nc_id})
            return [
                (w["title"], w["asked"])
                for w in body["data"]["partnership"]["waitingOnYourSide"]
                if w["objectType"] == "Feedback"
            ]

        assert await waiting(northwind) == [("Labels", "Acknowledge and answer the feedback")]
        assert await waiting(contoso) == []
        item = only_record(await act(northwind, START, item), "feedback")
        only_record(await act(northwind, RESOLVE, item, note="Done."), "feedback")
        assert await waiting(northwind) == []
        assert await waiting(contoso) == [("Labels", "Accept and rate, or reopen, the resolution")]


FIX = """
query($id: ID!) { node(id: $id) { ... on Feedback { fixConfirmed fixCommitment { status } } } }
"""


async def test_the_item_shows_when_the_fix_it_links_is_confirmed(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        fix = await delivered(northwind, contoso, world, "Relabel every pallet", "2099-01-31")
        item = await submit(contoso, world)
        item = only_record(await act(northwind, START, item), "feedback")
        item = only_record(
            await act(northwind, RESOLVE, item, note="See the fix.", fixCommitmentId=fix["id"]),
            "feedback",
        )
        before = (await gql(contoso, FIX, {"id": item["id"]}))["data"]["node"]
        await step(contoso, CONFIRM, fix)
        after = (await gql(contoso, FIX, {"id": item["id"]}))["data"]["node"]

    assert before == {"fixConfirmed": False, "fixCommitment": {"status": "DELIVERED"}}
    assert after == {"fixConfirmed": True, "fixCommitment": {"status": "CONFIRMED"}}
