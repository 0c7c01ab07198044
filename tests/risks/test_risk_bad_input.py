"""Bad input on risks: each attempt gets one clear userError with a code, changes nothing that
is stored (risk, assessments, acceptances, audit trail), and never answers 500; an INTERNAL risk
of one side is NOT_FOUND to the other everywhere (node, register, heat map, trail, mutations)."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

import asyncpg
import pytest

from mutual.graphql.ids import to_global_id
from mutual.kit.clock import today
from tests.commitments.factories import (
    PROPOSE,
    ClientFactory,
    audit_count,
    both_sides,
    mutate,
    only_error,
    only_record,
    raw_id,
    row_counts,
    signed_in,
)
from tests.helpers import World, error_codes, gql
from tests.risks.factories import (
    ADD_ACTION,
    ASSESS,
    CREATE,
    HEAT_MAP,
    LINKS,
    NODE,
    REGISTER,
    TREAT,
    UPDATE,
    UPDATE_ACTION,
    assess,
    create_risk,
    occupied,
)

_only_error = partial(only_error, record="risk")
TABLES = ("risk_assessment", "risk_acceptance", "risk_action", "risk_link")
TRAIL = """
query($id: ID!) { partnership(id: $id) { auditTrail(first: 100) {
  nodes { action objectType objectId } } } }
"""


async def _stored(owner: asyncpg.Connection, world: World, risk: dict[str, Any]) -> Any:
    row = await owner.fetchrow(
        "SELECT title, status, treatment, version, owner_assessment_id, partner_assessment_id "
        "FROM risk WHERE id = $1",
        raw_id(risk["id"]),
    )
    return (
        dict(row or {}),
        await row_counts(owner, *TABLES),
        await audit_count(owner, world.northwind_contoso.id),
    )


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"inherentLikelihood": 0, "inherentImpact": 3}, "inherentLikelihood"),
        ({"inherentLikelihood": 3, "inherentImpact": 6}, "inherentImpact"),
        (
            {"inherentLikelihood": 3, "inherentImpact": 3, "residualLikelihood": -1},
            "residualLikelihood",
        ),
        (
            {"inherentLikelihood": 3, "inherentImpact": 3, "residualImpact": 26},
            "residualImpact",
        ),
    ],
)
async def test_a_score_outside_one_to_five_is_refused_and_changes_nothing(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    fields: dict[str, int],
    field: str,
) -> None:
    async with signed_in(make_client, owner, world, "governance@northwind.example") as client:
        risk = await create_risk(client, world, "Peak capacity")
        await assess(client, risk, 2, 2)
        before = await _stored(owner, world, risk)

        result = await mutate(client, ASSESS, riskId=risk["id"], **fields)

        error = _only_error(result)
        assert (error["code"], error["field"]) == ("SCORE_OUT_OF_RANGE", field)
        assert "1 to 5" in error["message"]
        assert await _stored(owner, world, risk) == before


def _terms(approver: str | None, expires: str | None, reason: str | None) -> dict[str, Any]:
    fields: dict[str, Any] = {"treatment": "ACCEPT"}
    for key, value in (("approverId", approver), ("expiresOn", expires), ("reason", reason)):
        if value is not None:
            fields[key] = value
    return fields


async def test_an_acceptance_without_expiry_approver_or_reason_or_too_long_changes_nothing(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with signed_in(make_client, owner, world, "governance@northwind.example") as client:
        risk = await create_risk(client, world, "Freight costs", category="FINANCIAL")
        before = await _stored(owner, world, risk)
        lead = to_global_id("User", world.user_id("lead@northwind.example"))
        other_lead = to_global_id("User", world.user_id("lead@contoso.example"))
        viewer = to_global_id("User", world.user_id("viewer@northwind.example"))
        soon = (today() + timedelta(days=30)).isoformat()
        cases = [
            (_terms(lead, None, "Within budget"), "ACCEPTANCE_EXPIRY_REQUIRED", "expiresOn"),
            (_terms(None, soon, "Within budget"), "ACCEPTANCE_APPROVER_REQUIRED", "approverId"),
            (_terms(None, None, None), "ACCEPTANCE_APPROVER_REQUIRED", "approverId"),
            (_terms(lead, soon, "  "), "ACCEPTANCE_REASON_REQUIRED", "reason"),
            (
                _terms(lead, (today() + timedelta(days=367)).isoformat(), "Budget"),
                "ACCEPTANCE_TOO_LONG",
                "expiresOn",
            ),
            (_terms(lead, today().isoformat(), "Budget"), "ACCEPTANCE_EXPIRY_IN_PAST", "expiresOn"),
            (_terms(other_lead, soon, "Budget"), "APPROVER_NOT_ELIGIBLE", "approverId"),
            (_terms(viewer, soon, "Budget"), "APPROVER_NOT_ELIGIBLE", "approverId"),
        ]
        for fields, code, field in cases:
            result = await mutate(
                client, TREAT, riskId=risk["id"], expectedVersion=risk["version"], **fields
            )
            error = _only_error(result)
            assert (error["code"], error["field"]) == (code, field), fields
            assert await _stored(owner, world, risk) == before

        # and a valid one, a year ahead at most, is accepted
        year = today().replace(year=today().year + 1).isoformat()
        accepted = only_record(
            await mutate(
                client,
                TREAT,
                riskId=risk["id"],
                expectedVersion=risk["version"],
                **_terms(lead, year, "Within the recovery budget"),
            ),
            "risk",
        )
        assert (accepted["status"], accepted["treatment"]) == ("ACCEPTED", "ACCEPT")
        (acceptance,) = accepted["acceptances"]
        assert acceptance["active"] is True
        assert acceptance["approver"]["email"] == "lead@northwind.example"
        assert acceptance["expiresOn"] == year


async def test_a_stale_version_is_a_conflict_and_a_viewer_is_forbidden(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, contoso="viewer") as (northwind, viewer):
        risk = await create_risk(northwind, world, "Peak capacity")
        await mutate(
            northwind, UPDATE, riskId=risk["id"], expectedVersion=1, title="Peak capacity (Q4)"
        )
        before = await _stored(owner, world, risk)

        stale = await mutate(northwind, UPDATE, riskId=risk["id"], expectedVersion=1, title="X")
        error = _only_error(stale)
        assert (error["code"], error["current"]) == ("CONFLICT", {"version": 2})

        refused = await mutate(viewer, ASSESS, riskId=risk["id"], inherentLikelihood=1,
                               inherentImpact=1)  # fmt: skip
        assert _only_error(refused)["code"] == "FORBIDDEN"
        assert await _stored(owner, world, risk) == before


async def test_an_internal_risk_is_not_found_by_the_other_side_anywhere(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given a risk INTERNAL to Northwind, scored and treated by Northwind
        internal = await create_risk(
            northwind, world, "Second-shift turnover", visibility="INTERNAL", category="OTHER"
        )
        await assess(northwind, internal, 4, 3)
        shared = await create_risk(northwind, world, "Shared one")
        before = await _stored(owner, world, internal)

        # when Contoso addresses it
        attempts = [
            await mutate(contoso, ASSESS, riskId=internal["id"], inherentLikelihood=1,
                         inherentImpact=1),
            await mutate(contoso, UPDATE, riskId=internal["id"], expectedVersion=1, title="x"),
            await mutate(contoso, TREAT, riskId=internal["id"], expectedVersion=1,
                         treatment="AVOID"),
            await mutate(contoso, LINKS, riskId=internal["id"]),
        ]  # fmt: skip

        # then NOT_FOUND every time, and nothing changed
        for result in attempts:
            error = _only_error(result)
            assert (error["code"], error["field"]) == ("NOT_FOUND", "riskId")
        assert await _stored(owner, world, internal) == before
        # nor can it be read: node, register, heat map, audit trail
        node = await gql(contoso, NODE, {"id": internal["id"]}, expect_errors=True)
        assert node["data"]["node"] is None
        assert error_codes(node) == ["NOT_FOUND"]
        register = await gql(contoso, REGISTER, {"id": world.nc_id})
        risks = register["data"]["partnership"]["risks"]
        assert (risks["totalCount"], [n["title"] for n in risks["nodes"]]) == (1, ["Shared one"])
        heat = (await gql(contoso, HEAT_MAP, {"id": world.nc_id}))["data"]["partnership"]
        assert occupied(heat["riskHeatMap"]["combined"]) == {}
        assert all(occupied(side["cells"]) == {} for side in heat["riskHeatMap"]["sides"])
        trail = (await gql(contoso, TRAIL, {"id": world.nc_id}))["data"]["partnership"]
        risk_events = {
            e["objectId"] for e in trail["auditTrail"]["nodes"] if e["objectType"] == "Risk"
        }
        assert risk_events == {str(raw_id(shared["id"]))}
        # while Northwind sees both
        own = await gql(northwind, REGISTER, {"id": world.nc_id})
        assert own["data"]["partnership"]["risks"]["totalCount"] == 2


async def test_other_bad_input_is_refused_with_a_code_and_changes_nothing(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        risk = await create_risk(northwind, world, "Peak capacity")
        internal_commitment = only_record(
            await mutate(contoso, PROPOSE, partnershipId=world.nc_id, title="Our own plan",
                         dueDate="2099-01-31", visibility="INTERNAL"),
            "commitment",
        )  # fmt: skip
        before = await _stored(owner, world, risk)
        cases = [
            (northwind, CREATE, {"partnershipId": world.nc_id, "title": " ",
                                 "category": "OTHER"}, "INVALID", "title"),
            (northwind, CREATE, {"partnershipId": world.nc_id, "title": "x", "category": "OTHER",
                                 "reviewEveryDays": 3}, "INVALID", "reviewEveryDays"),
            (northwind, UPDATE, {"riskId": risk["id"], "expectedVersion": 1,
                                 "status": "ACCEPTED"}, "INVALID", "status"),
            (contoso, ADD_ACTION, {"riskId": risk["id"], "title": "Plan",
                                   "commitmentId": internal_commitment["id"]},
             "INVALID", "commitmentId"),
            (northwind, ADD_ACTION, {"riskId": risk["id"], "title": "Plan",
                                     "commitmentId": internal_commitment["id"]},
             "NOT_FOUND", "commitmentId"),
            (northwind, UPDATE_ACTION, {"actionId": risk["id"], "status": "DONE"},
             "NOT_FOUND", "actionId"),
            (northwind, LINKS, {"riskId": risk["id"], "kpiIds": [risk["id"]]},
             "NOT_FOUND", "kpiIds"),
            (northwind, TREAT, {"riskId": risk["id"], "expectedVersion": 1,
                                "treatment": "AVOID", "reason": "x"}, "INVALID", "acceptance"),
        ]  # fmt: skip
        for client, document, fields, code, field in cases:
            result = await mutate(client, document, **fields)
            error = _only_error(result)
            assert (error["code"], error["field"]) == (code, field), fields
            assert await _stored(owner, world, risk) == before
