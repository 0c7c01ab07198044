"""Treatment, actions, reviews and links: an acceptance replaces the one in force, a change of
treatment ends it, actions (one of them a commitment) have owners and due dates, a review moves
the next review one cadence on, and a link to an INTERNAL record stays with its side."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg

from mutual.graphql.ids import to_global_id
from mutual.kit.clock import today
from tests.commitments.factories import (
    ClientFactory,
    audit_count,
    both_sides,
    mutate,
    only_error,
    only_record,
    propose,
    raw_id,
)
from tests.helpers import World, gql
from tests.risks.factories import (
    ADD_ACTION,
    LINKS,
    REVIEW,
    TREAT,
    UPDATE,
    UPDATE_ACTION,
    create_risk,
)

MILESTONE = """
mutation($input: CreateMilestoneInput!) { createMilestone(input: $input) {
  milestone { id title } userErrors { code } } }
"""
TRAIL = """
query($id: ID!) { partnership(id: $id) { auditTrail(first: 100) {
  nodes { action objectType changes } } } }
"""


async def test_accepting_replaces_the_acceptance_in_force_and_mitigating_ends_it(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(
        make_client, owner, world, northwind="governance", contoso="governance"
    ) as (northwind, contoso):
        risk = await create_risk(northwind, world, "Freight costs", category="FINANCIAL")
        n_lead = to_global_id("User", world.user_id("lead@northwind.example"))
        c_gov = to_global_id("User", world.user_id("governance@contoso.example"))
        soon = (today() + timedelta(days=60)).isoformat()

        # when Northwind accepts, then Contoso accepts for its side, then Northwind mitigates
        first = only_record(
            await mutate(northwind, TREAT, riskId=risk["id"], expectedVersion=1,
                         treatment="ACCEPT", approverId=n_lead, reason="Budget", expiresOn=soon),
            "risk",
        )  # fmt: skip
        second = only_record(
            await mutate(contoso, TREAT, riskId=risk["id"], expectedVersion=first["version"],
                         treatment="ACCEPT", approverId=c_gov, reason="Ours too",
                         expiresOn=soon),
            "risk",
        )  # fmt: skip
        mitigated = only_record(
            await mutate(northwind, TREAT, riskId=risk["id"], expectedVersion=second["version"],
                         treatment="MITIGATE", plan="Consolidate loads"),
            "risk",
        )  # fmt: skip

        # then each acceptance is kept with its side and how it ended
        assert [(a["party"]["label"], a["active"]) for a in second["acceptances"]] == [
            ("Customer", True),
            ("Supplier", False),
        ]
        assert second["acceptances"][1]["endReason"] == "REPLACED"
        assert (mitigated["status"], mitigated["treatment"]) == ("OPEN", "MITIGATE")
        assert mitigated["treatmentPlan"] == "Consolidate loads"
        assert [a["endReason"] for a in mitigated["acceptances"]] == [
            "TREATMENT_CHANGED",
            "REPLACED",
        ]
        trail = (await gql(contoso, TRAIL, {"id": world.nc_id}))["data"]["partnership"]
        actions = [e["action"] for e in trail["auditTrail"]["nodes"] if e["objectType"] == "Risk"]
        assert actions[:3] == ["risk.treatment_set", "risk.accepted", "risk.accepted"]


async def test_actions_have_owners_and_due_dates_and_one_may_be_a_commitment(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        risk = await create_risk(northwind, world, "Peak capacity")
        commitment = await propose(contoso, world, "Weekly forecast", "2099-01-31")
        contoso_party = (
            await gql(contoso, "query($id: ID!) { partnership(id: $id) { ownParty { id } } }",
                      {"id": world.nc_id})
        )["data"]["partnership"]["ownParty"]["id"]  # fmt: skip

        added = await mutate(
            northwind,
            ADD_ACTION,
            riskId=risk["id"],
            title="Send the forecast every Monday",
            ownerPartyId=contoso_party,
            dueDate=(today() - timedelta(days=1)).isoformat(),
            commitmentId=commitment["id"],
        )
        action = only_record(added, "action")
        (listed,) = only_record(added, "risk")["actions"]
        assert listed["ownerParty"]["label"] == "Customer"
        assert listed["commitment"]["title"] == "Weekly forecast"
        assert listed["overdue"] is True

        done = await mutate(contoso, UPDATE_ACTION, actionId=action["id"], status="DONE")
        (listed,) = only_record(done, "risk")["actions"]
        assert (listed["status"], listed["overdue"]) == ("DONE", False)


async def test_a_review_moves_the_next_one_a_cadence_on_and_closing_stops_work(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, _contoso):
        past = (today() - timedelta(days=3)).isoformat()
        risk = await create_risk(northwind, world, "Buyers lose confidence",
                                 reviewEveryDays=30, nextReviewOn=past)  # fmt: skip
        assert risk["reviewOverdue"] is True

        reviewed = only_record(
            await mutate(northwind, REVIEW, riskId=risk["id"], expectedVersion=1, note="Fine"),
            "risk",
        )
        assert reviewed["nextReviewOn"] == (today() + timedelta(days=30)).isoformat()
        assert reviewed["reviewOverdue"] is False

        closed = only_record(
            await mutate(northwind, UPDATE, riskId=risk["id"], expectedVersion=2,
                         status="CLOSED"),
            "risk",
        )  # fmt: skip
        assert closed["status"] == "CLOSED"
        events = await audit_count(owner, world.northwind_contoso.id)
        refused = await mutate(northwind, REVIEW, riskId=risk["id"], expectedVersion=3)
        assert only_error(refused, "risk")["code"] == "RISK_CLOSED"
        assert await audit_count(owner, world.northwind_contoso.id) == events


async def test_links_to_internal_records_stay_with_their_side(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        risk = await create_risk(northwind, world, "Peak capacity")
        shared = only_record(
            await mutate(northwind, MILESTONE, partnershipId=world.nc_id, title="Safety stock",
                         phase="STABILIZE"),
            "milestone",
        )  # fmt: skip
        internal = only_record(
            await mutate(northwind, MILESTONE, partnershipId=world.nc_id, title="Our shift plan",
                         phase="STABILIZE", visibility="INTERNAL"),
            "milestone",
        )  # fmt: skip
        commitment = await propose(contoso, world, "Weekly forecast", "2099-01-31")

        # when Northwind links both milestones, and Contoso then sets its links
        linked = only_record(
            await mutate(northwind, LINKS, riskId=risk["id"],
                         milestoneIds=[shared["id"], internal["id"]]),
            "risk",
        )  # fmt: skip
        assert {m["title"] for m in linked["links"]["milestones"]} == {
            "Safety stock",
            "Our shift plan",
        }
        theirs = only_record(
            await mutate(contoso, LINKS, riskId=risk["id"], milestoneIds=[shared["id"]],
                         commitmentIds=[commitment["id"]]),
            "risk",
        )  # fmt: skip

        # then Contoso never sees Northwind's INTERNAL link, and did not remove it
        assert [m["title"] for m in theirs["links"]["milestones"]] == ["Safety stock"]
        assert [c["title"] for c in theirs["links"]["commitments"]] == ["Weekly forecast"]
        rows = await owner.fetch(
            "SELECT visibility FROM risk_link WHERE risk_id = $1 AND milestone_id = $2",
            raw_id(risk["id"]),
            raw_id(internal["id"]),
        )
        assert [r["visibility"] for r in rows] == ["INTERNAL"]
        trail = (await gql(contoso, TRAIL, {"id": world.nc_id}))["data"]["partnership"]
        assert str(raw_id(internal["id"])) not in repr(trail)
        # and Contoso cannot link what it cannot see
        events = await audit_count(owner, world.northwind_contoso.id)
        refused = await mutate(contoso, LINKS, riskId=risk["id"], milestoneIds=[internal["id"]])
        error = only_error(refused, "risk")
        assert (error["code"], error["field"]) == ("NOT_FOUND", "milestoneIds")
        assert await audit_count(owner, world.northwind_contoso.id) == events


WAITING = """
query($id: ID!) { partnership(id: $id) { waitingOnYourSide { objectType title asked } } }
"""


async def test_an_overdue_review_waits_on_the_owner_side_only(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        past = (today() - timedelta(days=3)).isoformat()
        await create_risk(northwind, world, "Overdue one", nextReviewOn=past)
        await create_risk(northwind, world, "Internal overdue", nextReviewOn=past,
                          visibility="INTERNAL")  # fmt: skip
        await create_risk(northwind, world, "Not due yet")

        def risks(body: dict[str, Any]) -> list[tuple[str, str]]:
            items = body["data"]["partnership"]["waitingOnYourSide"]
            return [(i["title"], i["asked"]) for i in items if i["objectType"] == "Risk"]

        mine = risks(await gql(northwind, WAITING, {"id": world.nc_id}))
        theirs = risks(await gql(contoso, WAITING, {"id": world.nc_id}))

    asked = "Review the risk (its review is overdue)"
    assert sorted(mine) == [("Internal overdue", asked), ("Overdue one", asked)]
    assert theirs == []
