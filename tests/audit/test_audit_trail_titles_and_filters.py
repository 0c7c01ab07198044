"""The audit trail names what each event changed by its current title (what the reader's side
may read of it), and filters by object type, side, person and period, checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from mutual.graphql.ids import to_global_id
from tests.commitments.factories import ClientFactory, both_sides, mutate, only_record, propose
from tests.helpers import World, error_codes, gql
from tests.portal.portal import days_from_today, month_start
from tests.roadmap.test_roadmap_rules import CREATE, UPDATE

TRAIL = """
query($id: ID!, $filter: AuditTrailFilterInput, $first: Int) {
  partnership(id: $id) {
    auditTrail(first: $first, filter: $filter) {
      totalCount
      nodes { seq action objectType objectTitle subjectId createdAt actor { email } }
    }
  }
}
"""
CREATE_KPI = """
mutation($input: CreateKpiInput!) { createKpi(input: $input) { kpi { id } userErrors { message } } }
"""
RECORD = """
mutation($input: RecordKpiMeasurementsInput!) {
  recordKpiMeasurements(input: $input) { created userErrors { message } } }
"""
MEMBERS = """query($id: ID!) { partnership(id: $id) {
  members(first: 20, ownSideOnly: true) { nodes { id user { email } } } } }"""
REMOVE = """mutation($input: RemoveWorkspaceMemberInput!) {
  removeWorkspaceMember(input: $input) { removedMemberId userErrors { message } } }"""
CREATE_TOKEN = """mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { apiToken { id } userErrors { message } } }"""


async def _trail(
    client: httpx.AsyncClient, world: World, filter_: dict[str, Any] | None = None
) -> dict[str, Any]:
    body = await gql(client, TRAIL, {"id": world.nc_id, "filter": filter_, "first": 100})
    trail: dict[str, Any] = body["data"]["partnership"]["auditTrail"]
    return trail


def _kpi_input(world: World, name: str, **more: Any) -> dict[str, Any]:
    return {
        "partnershipId": world.nc_id, "name": name, "unit": "h", "direction": "LOWER_IS_BETTER",
        "baselineValue": 48, "baselineDate": month_start(3), "targetValue": 6,
        "targetDate": month_start(-6), "warningThreshold": 12, "criticalThreshold": 24,
        "cadence": "MONTHLY", **more,
    }  # fmt: skip


async def test_each_event_names_its_object_by_its_current_title(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, northwind="lead", contoso="lead") as (
        northwind,
        contoso,
    ):
        # given: a milestone renamed after it was created, a commitment, a KPI and a
        # measurement of it, and an INTERNAL milestone of Northwind's
        draft = await mutate(
            northwind, CREATE, partnershipId=world.nc_id, title="Draft", phase="STABILIZE"
        )
        created = only_record(draft, "milestone")
        only_record(
            await mutate(
                northwind, UPDATE, milestoneId=created["id"], expectedVersion=created["version"],
                title="Root-cause analysis",
            ),
            "milestone",
        )  # fmt: skip
        commitment = await propose(northwind, world, "Weekly status report", days_from_today(20))
        defined = await mutate(northwind, CREATE_KPI, **_kpi_input(world, "Mean response time"))
        kpi = defined["kpi"]
        await mutate(
            northwind, RECORD, partnershipId=world.nc_id,
            measurements=[{"kpiId": kpi["id"], "period": month_start(1), "value": 9}],
        )  # fmt: skip
        await mutate(
            northwind, CREATE, partnershipId=world.nc_id, title="Price floor", phase="DEEPEN",
            visibility="INTERNAL",
        )  # fmt: skip

        # when each side reads its trail
        theirs = (await _trail(contoso, world))["nodes"]
        ours = (await _trail(northwind, world))["nodes"]

    # then both name the milestone by its title now, from either event on it
    def on(events: list[dict[str, Any]], object_type: str) -> list[dict[str, Any]]:
        return [e for e in events if e["objectType"] == object_type]

    for events in (theirs, ours):
        milestone_events = [e for e in on(events, "Milestone") if e["subjectId"] == created["id"]]
        assert [e["action"] for e in milestone_events] == ["milestone.updated", "milestone.created"]
        assert {e["objectTitle"] for e in milestone_events} == {"Root-cause analysis"}
        (proposed,) = on(events, "Commitment")
        assert (proposed["objectTitle"], proposed["subjectId"]) == (
            "Weekly status report", commitment["id"],
        )  # fmt: skip
        (kpi_event,) = on(events, "Kpi")
        assert (kpi_event["objectTitle"], kpi_event["subjectId"]) == (
            "Mean response time", kpi["id"],
        )  # fmt: skip
        # a measurement is named by its KPI, which opens for it
        (measured,) = on(events, "KpiMeasurement")
        assert (measured["objectTitle"], measured["subjectId"]) == ("Mean response time", kpi["id"])
        members = on(events, "WorkspaceMember")
        assert members and all(e["objectTitle"] for e in members)
        (invited, accepted) = on(events, "Invitation")
        assert invited["objectTitle"] == accepted["objectTitle"] == "Invitation of Contoso Retail"
    # and the other side's INTERNAL milestone is in Northwind's trail only
    assert "Price floor" in {e["objectTitle"] for e in ours}
    assert "Price floor" not in {e["objectTitle"] for e in theirs}
    assert len(ours) == len(theirs) + 1


async def test_a_removed_member_and_a_token_name_only_what_the_reader_may_see(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, northwind="lead", contoso="lead") as (
        northwind,
        contoso,
    ):
        # given: Contoso's lead removes its viewer and makes an API token
        members = await gql(contoso, MEMBERS, {"id": world.nc_id})
        nodes = members["data"]["partnership"]["members"]["nodes"]
        viewer = next(n["id"] for n in nodes if n["user"]["email"] == "viewer@contoso.example")
        await mutate(contoso, REMOVE, memberId=viewer)
        token = await mutate(
            contoso, CREATE_TOKEN, partnershipId=world.nc_id, name="ERP feed", scopes=["KPI_WRITE"]
        )

        # when both read the member and token events
        filter_ = {"objectTypes": ["WorkspaceMember", "ApiToken"]}
        theirs = (await _trail(northwind, world, filter_))["nodes"]
        ours = (await _trail(contoso, world, filter_))["nodes"]

    # then the removed member has no title left (nor a record to open), for either side
    for events in (theirs, ours):
        removed = next(e for e in events if e["action"] == "member.removed")
        assert (removed["objectTitle"], removed["subjectId"]) == (None, None)
        added = {e["objectTitle"] for e in events if e["action"] == "member.added"}
        assert {"Editor (Contoso)", "Governance (Contoso)", "Editor (Northwind)"} <= added
    # and the token is Contoso's own business: named in its trail, absent from Northwind's
    (made,) = [e for e in ours if e["objectType"] == "ApiToken"]
    assert (made["objectTitle"], made["subjectId"]) == ("ERP feed", token["apiToken"]["id"])
    assert all(e["objectType"] == "WorkspaceMember" for e in theirs)


async def test_the_trail_filters_by_object_type_side_person_and_period(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # given: each side's editor proposes a commitment, and Northwind adds a milestone
        await propose(northwind, world, "Safety stock", days_from_today(30))
        await propose(contoso, world, "Forecast every Monday", days_from_today(30))
        await mutate(northwind, CREATE, partnershipId=world.nc_id, title="Gate", phase="REBUILD")
        everything = await _trail(contoso, world)
        northwind_party = to_global_id("Party", world.parties[("nc", "northwind")].id)
        editor = to_global_id("User", world.user_id("editor@contoso.example"))

        # when it is filtered
        by_type = await _trail(contoso, world, {"objectTypes": ["Commitment", "Milestone"]})
        by_side = await _trail(contoso, world, {"partyId": northwind_party})
        by_person = await _trail(contoso, world, {"actorId": editor})
        by_both = await _trail(
            contoso, world, {"partyId": northwind_party, "objectTypes": ["Commitment"]}
        )
        newest = datetime.fromisoformat(everything["nodes"][0]["createdAt"])
        later = (newest + timedelta(seconds=1)).isoformat()
        after_all = await _trail(contoso, world, {"createdFrom": later})
        up_to_now = await _trail(
            contoso, world,
            {"createdFrom": (newest - timedelta(days=1)).isoformat(),
             "createdBefore": (newest + timedelta(seconds=1)).isoformat()},
        )  # fmt: skip
        # a moment without a time zone is UTC
        naive = (newest + timedelta(seconds=1)).astimezone(UTC).replace(tzinfo=None)
        before_naive = await _trail(contoso, world, {"createdBefore": naive.isoformat()})

    # then each list holds what it says, newest first, and counts only that
    assert {e["objectType"] for e in by_type["nodes"]} == {"Commitment", "Milestone"}
    assert [e["objectTitle"] for e in by_type["nodes"]] == [
        "Gate", "Forecast every Monday", "Safety stock",
    ]  # fmt: skip
    assert by_type["totalCount"] == 3
    assert {e["actor"]["email"].split("@")[1] for e in by_side["nodes"]} == {"northwind.example"}
    assert {e["actor"]["email"] for e in by_person["nodes"]} == {"editor@contoso.example"}
    assert [e["objectTitle"] for e in by_both["nodes"]] == ["Safety stock"]
    assert after_all["totalCount"] == 0
    assert up_to_now["totalCount"] == before_naive["totalCount"] == everything["totalCount"]


async def test_a_bad_filter_is_a_coded_error(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    fabrikam_party = to_global_id("Party", world.parties[("fc", "fabrikam")].id)
    a_user = to_global_id("User", world.user_id("lead@contoso.example"))
    now = datetime.now(UTC)
    cases = [
        ({"objectTypes": ["Milestone", "Secret"]}, "INVALID", "filter.objectTypes"),
        ({"partyId": fabrikam_party}, "NOT_FOUND", "filter.partyId"),
        ({"partyId": a_user}, "NOT_FOUND", "filter.partyId"),
        ({"actorId": "not-an-id"}, "NOT_FOUND", "filter.actorId"),
        (
            {"createdFrom": now.isoformat(), "createdBefore": (now - timedelta(1)).isoformat()},
            "INVALID", "filter.createdBefore",
        ),
    ]  # fmt: skip
    async with both_sides(make_client, owner, world) as (_northwind, contoso):
        for filter_, code, field in cases:
            # when the trail is asked with a filter it refuses
            variables = {"id": world.nc_id, "filter": filter_, "first": 5}
            body = await gql(contoso, TRAIL, variables, expect_errors=True)

            # then the answer is one coded error naming the argument
            assert error_codes(body) == [code], (filter_, body)
            assert body["errors"][0]["extensions"].get("field") == field, (filter_, body)
