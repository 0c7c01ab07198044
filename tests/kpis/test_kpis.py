"""KPIs: the evidence chain, status from thresholds, idempotent atomic batches, corrections."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import asyncpg
import httpx

from mutual.kit.clock import stopped_at
from tests.commitments.factories import (
    CONFIRM,
    ClientFactory,
    agreed,
    both_sides,
    delivered,
    raw_id,
    signed_in,
    step,
)
from tests.helpers import World, gql, login

CREATE = """
mutation($input: CreateKpiInput!) {
  createKpi(input: $input) { kpi { id name status version } userErrors { field code message } }
}
"""

RECORD = """
mutation($input: RecordKpiMeasurementsInput!) {
  recordKpiMeasurements(input: $input) {
    created corrected unchanged
    measurements { period value source }
    userErrors { field code message }
  }
}
"""

KPIS = """
query($id: ID!) {
  partnership(id: $id) {
    kpis {
      name builtin status
      measurements(last: 3) { period value revisions { value } }
      evidence { baselineValue latestValue targetValue progressPercent trend { value } }
    }
  }
}
"""


def _month(offset: int) -> str:
    first = date.today().replace(day=1)
    for _ in range(offset):
        first = (first - timedelta(days=1)).replace(day=1)
    return first.isoformat()


async def _on_time_kpi(client: httpx.AsyncClient, world: World) -> str:
    body = await gql(
        client,
        CREATE,
        {
            "input": {
                "partnershipId": world.nc_id,
                "name": "On-time delivery",
                "unit": "%",
                "direction": "HIGHER_IS_BETTER",
                "baselineValue": 55,
                "baselineDate": "2026-01-01",
                "targetValue": 92,
                "targetDate": "2027-06-30",
                "warningThreshold": 85,
                "criticalThreshold": 70,
                "cadence": "MONTHLY",
            }
        },
    )
    assert body["data"]["createKpi"]["userErrors"] == []
    kpi_id: str = body["data"]["createKpi"]["kpi"]["id"]
    return kpi_id


async def _kpi(client: httpx.AsyncClient, world: World, name: str) -> dict[str, Any]:
    body = await gql(client, KPIS, {"id": world.nc_id})
    found: dict[str, Any] = next(
        k for k in body["data"]["partnership"]["kpis"] if k["name"] == name
    )
    return found


async def test_measurements_drive_status_and_the_evidence_chain(
    client: httpx.AsyncClient, world: World
) -> None:
    await login(client, "editor@northwind.example")
    kpi_id = await _on_time_kpi(client, world)
    rows = [
        {"kpiId": kpi_id, "period": _month(n), "value": v} for n, v in ((2, 61), (1, 74), (0, 79.5))
    ]

    first = await gql(
        client, RECORD, {"input": {"partnershipId": world.nc_id, "measurements": rows}}
    )
    again = await gql(
        client, RECORD, {"input": {"partnershipId": world.nc_id, "measurements": rows}}
    )

    assert first["data"]["recordKpiMeasurements"]["created"] == 3
    assert again["data"]["recordKpiMeasurements"]["created"] == 0
    assert again["data"]["recordKpiMeasurements"]["unchanged"] == 3
    kpi = await _kpi(client, world, "On-time delivery")
    assert kpi["status"] == "AT_RISK"
    assert [m["value"] for m in kpi["measurements"]] == [61, 74, 79.5]
    evidence = kpi["evidence"]
    assert (evidence["baselineValue"], evidence["latestValue"], evidence["targetValue"]) == (
        55,
        79.5,
        92,
    )
    assert evidence["progressPercent"] == round((79.5 - 55) / (92 - 55) * 100, 1)


async def test_a_correction_keeps_the_previous_value(
    client: httpx.AsyncClient, world: World
) -> None:
    await login(client, "editor@northwind.example")
    kpi_id = await _on_time_kpi(client, world)
    row = {"kpiId": kpi_id, "period": _month(0), "value": 70}
    await gql(client, RECORD, {"input": {"partnershipId": world.nc_id, "measurements": [row]}})

    fixed = await gql(
        client,
        RECORD,
        {"input": {"partnershipId": world.nc_id, "measurements": [{**row, "value": 88}]}},
    )

    assert fixed["data"]["recordKpiMeasurements"]["corrected"] == 1
    kpi = await _kpi(client, world, "On-time delivery")
    assert kpi["measurements"][-1]["value"] == 88
    assert kpi["measurements"][-1]["revisions"] == [{"value": 70}]
    assert kpi["status"] == "ON_TRACK"


async def test_one_bad_row_rejects_the_whole_batch(client: httpx.AsyncClient, world: World) -> None:
    await login(client, "editor@northwind.example")
    kpi_id = await _on_time_kpi(client, world)
    rows = [
        {"kpiId": kpi_id, "period": _month(1), "value": 70},
        {
            "kpiId": "S3BpOjAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMA",
            "period": _month(0),
            "value": 71,
        },
    ]

    body = await gql(
        client, RECORD, {"input": {"partnershipId": world.nc_id, "measurements": rows}}
    )

    payload = body["data"]["recordKpiMeasurements"]
    assert payload["created"] == 0
    assert len(payload["userErrors"]) == 1
    assert payload["userErrors"][0]["code"] == "BAD_ROW"
    assert payload["userErrors"][0]["field"] == "measurements[1].kpiId"
    kpi = await _kpi(client, world, "On-time delivery")
    assert kpi["measurements"] == []
    assert kpi["status"] == "OFF_TRACK"  # new: its baseline, 55 %, not yet STALE


async def test_the_other_side_cannot_report_a_kpi_it_does_not_own(
    make_client: Any, world: World
) -> None:
    async with make_client() as northwind, make_client() as contoso:
        await login(northwind, "editor@northwind.example")
        await login(contoso, "editor@contoso.example")
        kpi_id = await _on_time_kpi(northwind, world)

        body = await gql(
            contoso,
            RECORD,
            {
                "input": {
                    "partnershipId": world.nc_id,
                    "measurements": [{"kpiId": kpi_id, "period": _month(0), "value": 99}],
                }
            },
        )

        errors = body["data"]["recordKpiMeasurements"]["userErrors"]
        assert [e["code"] for e in errors] == ["BAD_ROW"]
        assert "owner side" in errors[0]["message"]


async def test_builtin_on_time_delivery_kpi_per_party(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    # given: nothing due yet; then each side with a commitment due last month
    last_month = (date.today().replace(day=1) - timedelta(days=1)).replace(day=10)
    async with (
        both_sides(make_client, owner, world) as (northwind, contoso),
        signed_in(make_client, owner, world, "viewer@contoso.example") as viewer,
    ):
        before = await gql(viewer, KPIS, {"id": world.nc_id})
        with stopped_at(datetime.combine(last_month.replace(day=1), time(9), UTC)):
            await agreed(northwind, contoso, world, "Northwind's", last_month.isoformat())
            await agreed(contoso, northwind, world, "Contoso's", last_month.isoformat())

        # when
        body = await gql(viewer, KPIS, {"id": world.nc_id})

    # then: a side's built-in KPI appears with its first figure, named for the side
    assert [k for k in before["data"]["partnership"]["kpis"] if k["builtin"]] == []
    builtin = [k for k in body["data"]["partnership"]["kpis"] if k["builtin"]]
    assert sorted(k["name"] for k in builtin) == [
        "On-time delivery — Contoso Retail (from commitments)",
        "On-time delivery — Northwind Components (from commitments)",
    ]


BUILTIN = """
query($id: ID!) {
  partnership(id: $id) {
    kpis { builtin ownerParty { isOwn } measurements(last: 12) { period value } }
  }
}
"""


async def test_the_builtin_kpi_measures_only_months_that_are_over(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    # given: Northwind kept a commitment due last month, and has one due this month open
    this_month = date.today().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=10)
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        # both made at the start of last month, when their dates were ahead
        with stopped_at(datetime.combine(last_month.replace(day=1), time(9), UTC)):
            kept = await delivered(northwind, contoso, world, "Kept", last_month.isoformat())
            await step(contoso, CONFIRM, kept)
            await agreed(northwind, contoso, world, "Open", this_month.isoformat())
        await owner.execute(
            "UPDATE commitment SET delivered_at = $2 WHERE id = $1",
            raw_id(kept["id"]),
            datetime.combine(last_month, time(12), UTC),
        )

        # when
        body = await gql(northwind, BUILTIN, {"id": world.nc_id})

    # then: last month at 100 %; this month, not over yet, is not measured (it read 0 %)
    ours = [
        k for k in body["data"]["partnership"]["kpis"] if k["builtin"] and k["ownerParty"]["isOwn"]
    ]
    assert [(m["period"], m["value"]) for m in ours[0]["measurements"]] == [
        (last_month.replace(day=1).isoformat(), 100.0)
    ]
