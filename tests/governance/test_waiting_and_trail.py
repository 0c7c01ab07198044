"""Governance in the partnership's "waiting on your side" list and in the audit trail: what
waits for Contoso (a version to acknowledge, a decision to approve) leaves once it acted; the
trail names a version's events by its disclosure, and the other side sees nothing of drafts."""

from __future__ import annotations

from tests.governance.conftest import People
from tests.governance.factories import (
    ACKNOWLEDGE,
    APPROVE,
    PROPOSE,
    call,
    draft,
    ok,
    published_disclosure,
)
from tests.helpers import World, gql

WAITING = """query($id: ID!) { partnership(id: $id) {
  waitingOnYourSide { objectType objectId title asked } } }"""
TRAIL = """query($id: ID!) { partnership(id: $id) {
  auditTrail(first: 50) { nodes { action objectType objectTitle subjectId } } } }"""


async def _waiting(client: object, world: World) -> list[dict[str, str]]:
    body = await gql(client, WAITING, {"id": world.nc_id})  # type: ignore[arg-type]
    return [
        w
        for w in body["data"]["partnership"]["waitingOnYourSide"]
        if w["objectType"] in {"Disclosure", "Decision"}
    ]


async def test_what_waits_for_the_partner_side_leaves_once_it_acted(
    people: People, world: World
) -> None:
    version = await published_disclosure(people.nw_gov, people.nw_lead, world, title="Policy")
    decision = ok(
        await call(people.nw_lead, PROPOSE, partnershipId=world.nc_id, title="Tuesdays"),
        "decision",
    )

    waiting = await _waiting(people.co_lead, world)
    assert {(w["objectType"], w["objectId"], w["asked"]) for w in waiting} == {
        ("Disclosure", version["disclosure"]["id"], "Acknowledge the published version"),
        ("Decision", decision["id"], "Approve or reject the decision"),
    }
    # Northwind waits on itself for its own verdict, not for a receipt of its own disclosure
    assert [w["objectType"] for w in await _waiting(people.nw_lead, world)] == ["Decision"]

    ok(await call(people.co_gov, ACKNOWLEDGE, versionId=version["id"]))
    ok(await call(people.co_lead, APPROVE, decisionId=decision["id"], comment="Ok"), "decision")

    assert await _waiting(people.co_lead, world) == []


async def test_the_trail_names_versions_by_their_disclosure_and_hides_drafts(
    people: People, world: World
) -> None:
    version = await published_disclosure(people.nw_gov, people.nw_lead, world, title="Policy")
    await draft(people.nw_gov, world, title="Secret draft")

    ours = (await gql(people.nw_gov, TRAIL, {"id": world.nc_id}))["data"]["partnership"]
    theirs = (await gql(people.co_gov, TRAIL, {"id": world.nc_id}))["data"]["partnership"]

    published = next(
        e for e in ours["auditTrail"]["nodes"] if e["action"] == "disclosure.published"
    )
    assert published["objectTitle"] == "Policy (version 1)"
    assert published["subjectId"] == version["disclosure"]["id"]
    assert "Secret draft" in repr(ours)
    seen = {e["action"] for e in theirs["auditTrail"]["nodes"]}
    assert "disclosure.published" in seen
    assert "disclosure.created" not in seen  # made while INTERNAL
    assert "Secret draft" not in repr(theirs)
