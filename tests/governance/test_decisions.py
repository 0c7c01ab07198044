"""The decision log: both sides' verdicts (LEADs, or the GOVERNANCE members a side names), each
with a comment; one REJECT rejects; an approved later decision supersedes; a decision past its
decide-by date and still PROPOSED is flagged."""

from __future__ import annotations

from datetime import timedelta

import asyncpg

from mutual.graphql.ids import to_global_id
from mutual.kit.clock import today
from tests.governance.conftest import People
from tests.governance.factories import APPROVE, DECISIONS, NAME, PROPOSE, REJECT, call, ok, refused
from tests.governance.test_governance_bad_input import raw
from tests.helpers import World, gql


async def test_both_sides_approve_and_a_later_decision_supersedes(
    people: People, world: World
) -> None:
    # given a decision Northwind proposes, naming its governance member as its approver
    nw_gov = to_global_id("User", world.user_id("governance@northwind.example"))
    decision = ok(
        await call(
            people.nw_lead,
            PROPOSE,
            partnershipId=world.nc_id,
            title="Safety stock for the top 40 SKUs",
            context="Stock-outs",
            options=["Stock at Northwind", "Consignment"],
            rationale="Cheapest",
            approvalCriteria="Both sides",
            decideBy=(today() + timedelta(days=7)).isoformat(),
            approverIds=[nw_gov],
        ),
        "decision",
    )
    assert decision["status"] == "PROPOSED"
    ours = next(s for s in decision["sides"] if s["party"]["isOwn"])
    assert [u["email"] for u in ours["namedApprovers"]] == ["governance@northwind.example"]
    assert ours["canDecide"] is False  # the lead is not the named approver

    # when Northwind's named approver and Contoso's lead approve
    refused_lead = refused(
        await call(people.nw_lead, APPROVE, decisionId=decision["id"], comment="x"), "decision"
    )
    half = ok(
        await call(people.nw_gov, APPROVE, decisionId=decision["id"], comment="We pay"),
        "decision",
    )
    full = ok(
        await call(people.co_lead, APPROVE, decisionId=decision["id"], comment="Agreed"),
        "decision",
    )

    # then it is APPROVED with each side's verdict
    assert refused_lead["code"] == "NOT_APPROVER"
    assert half["status"] == "PROPOSED"
    assert full["status"] == "APPROVED"
    verdicts = {s["party"]["isOwn"]: s["verdict"] for s in full["sides"]}
    assert verdicts[True]["comment"] == "Agreed"
    assert verdicts[True]["by"]["email"] == "lead@contoso.example"
    assert verdicts[False]["comment"] == "We pay"

    # when a later decision supersedes it and is approved
    later = ok(
        await call(
            people.co_lead,
            PROPOSE,
            partnershipId=world.nc_id,
            title="Top 60 SKUs",
            supersedesId=decision["id"],
        ),
        "decision",
    )
    ok(await call(people.co_lead, APPROVE, decisionId=later["id"], comment="Yes"), "decision")
    done = ok(
        await call(people.nw_lead, APPROVE, decisionId=later["id"], comment="Yes"), "decision"
    )

    # then the first is SUPERSEDED by it
    assert done["status"] == "APPROVED"
    assert done["supersedes"] == {"id": decision["id"]}
    log = (await gql(people.co_gov, DECISIONS, {"id": world.nc_id}))["data"]["partnership"]
    first = next(d for d in log["decisions"]["nodes"] if d["id"] == decision["id"])
    assert first["status"] == "SUPERSEDED"
    assert first["supersededBy"] == {"id": later["id"]}


async def test_one_rejection_rejects(people: People, world: World) -> None:
    decision = ok(
        await call(people.nw_lead, PROPOSE, partnershipId=world.nc_id, title="Move the call"),
        "decision",
    )

    rejected = ok(
        await call(people.co_lead, REJECT, decisionId=decision["id"], comment="Mondays work"),
        "decision",
    )
    late = refused(
        await call(people.nw_lead, APPROVE, decisionId=decision["id"], comment="Yes"), "decision"
    )

    assert rejected["status"] == "REJECTED"
    assert late["code"] == "WRONG_STATE"


async def test_a_side_names_its_own_approvers(people: People, world: World) -> None:
    decision = ok(
        await call(people.nw_lead, PROPOSE, partnershipId=world.nc_id, title="Audit scope"),
        "decision",
    )
    co_gov = to_global_id("User", world.user_id("governance@contoso.example"))

    named = ok(
        await call(people.co_lead, NAME, decisionId=decision["id"], userIds=[co_gov]), "decision"
    )
    theirs = next(s for s in named["sides"] if s["party"]["isOwn"])
    lead_refused = refused(
        await call(people.co_lead, APPROVE, decisionId=decision["id"], comment="x"), "decision"
    )
    approved = ok(
        await call(people.co_gov, APPROVE, decisionId=decision["id"], comment="Fine"), "decision"
    )

    assert [u["email"] for u in theirs["namedApprovers"]] == ["governance@contoso.example"]
    assert lead_refused["code"] == "NOT_APPROVER"
    assert approved["status"] == "PROPOSED"  # Northwind has not decided yet


async def test_a_decision_past_its_decide_by_date_is_flagged(
    people: People, world: World, owner: asyncpg.Connection
) -> None:
    # given a decision whose decide-by date has passed while it waited
    decision = ok(
        await call(
            people.nw_lead,
            PROPOSE,
            partnershipId=world.nc_id,
            title="Late one",
            decideBy=today().isoformat(),
        ),
        "decision",
    )
    ok(await call(people.nw_lead, PROPOSE, partnershipId=world.nc_id, title="On time"), "decision")
    await owner.execute(
        "UPDATE decision SET decide_by = decide_by - 3 WHERE id = $1", raw(decision["id"])
    )

    # then the log flags it, and filters by it
    log = await gql(people.co_gov, DECISIONS, {"id": world.nc_id, "overdue": True})
    (late,) = log["data"]["partnership"]["decisions"]["nodes"]
    assert late["id"] == decision["id"]
    assert late["overdue"] is True
