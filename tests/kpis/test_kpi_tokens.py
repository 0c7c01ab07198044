"""KPI ingestion from API tokens: `kpi:write` is required, a batch is idempotent and atomic,
and a token writes nothing but measurements."""

from __future__ import annotations

from typing import Any

import asyncpg
import httpx

from tests.commitments.factories import (
    PROPOSE,
    ClientFactory,
    audit_count,
    only_payload,
    signed_in,
)
from tests.helpers import World, gql
from tests.kpis.factories import (
    CREATE_KPI,
    DEFINITION,
    UPDATE_KPI,
    create_kpi,
    measurement_rows,
    periods_ago,
    record,
)

CREATE_TOKEN = """
mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { secret userErrors { field code message } }
}
"""

CREATE_MILESTONE = """
mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { field code message } }
}
"""

MEASUREMENTS = """
query($id: ID!) {
  node(id: $id) {
    ... on Kpi {
      measurements(last: 12) {
        period value source reportedBy { email } revisions { value source }
      }
    }
  }
}
"""


async def _bearer(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, scopes: list[str]
) -> dict[str, str]:
    """A Northwind ↔ Contoso token of Northwind's lead, created through the API."""
    async with signed_in(make_client, owner, world, "lead@northwind.example") as lead:
        body = await gql(
            lead,
            CREATE_TOKEN,
            {"input": {"partnershipId": world.nc_id, "name": "ERP sync", "scopes": scopes}},
        )
    payload = body["data"]["createApiToken"]
    assert payload["userErrors"] == []
    return {"authorization": f"Bearer {payload['secret']}"}


def _rows(kpi_id: str) -> list[dict[str, Any]]:
    return [
        {"kpiId": kpi_id, "period": str(periods_ago("MONTHLY", n)), "value": value}
        for n, value in ((2, 61), (1, 74.5), (0, 79))
    ]


async def test_a_token_without_kpi_write_records_nothing(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    # given
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        kpi = await create_kpi(northwind, world, "On-time delivery")
    headers = await _bearer(make_client, owner, world, ["READ"])
    events = await audit_count(owner, world.northwind_contoso.id)

    # when
    async with make_client() as erp:
        body = await record(erp, world, _rows(kpi["id"]), headers=headers)

    # then
    assert [(e["code"], e["field"]) for e in body["userErrors"]] == [("FORBIDDEN", None)]
    assert "kpi:write" in body["userErrors"][0]["message"]
    assert (body["created"], body["corrected"], body["unchanged"]) == (0, 0, 0)
    assert await measurement_rows(owner) == []
    assert await audit_count(owner, world.northwind_contoso.id) == events


async def test_a_kpi_write_token_ingests_a_batch_once(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    # given
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        kpi = await create_kpi(northwind, world, "On-time delivery")
    headers = await _bearer(make_client, owner, world, ["READ", "KPI_WRITE"])

    async with make_client() as erp:
        # when
        first = await record(erp, world, _rows(kpi["id"]), headers=headers)
        stored = await measurement_rows(owner)
        events = await audit_count(owner, world.northwind_contoso.id)
        again = await record(erp, world, _rows(kpi["id"]), headers=headers)
        read = await gql(erp, MEASUREMENTS, {"id": kpi["id"]}, headers=headers)

    # then
    assert first["userErrors"] == []
    assert (first["created"], first["corrected"], first["unchanged"]) == (3, 0, 0)
    assert {m["source"] for m in first["measurements"]} == {"API"}
    assert again["userErrors"] == []
    assert (again["created"], again["corrected"], again["unchanged"]) == (0, 0, 3)
    assert again["measurements"] == []
    assert await measurement_rows(owner) == stored
    assert await audit_count(owner, world.northwind_contoso.id) == events
    assert [
        (m["value"], m["source"], m["reportedBy"]["email"])
        for m in read["data"]["node"]["measurements"]
    ] == [
        (61, "API", "lead@northwind.example"),
        (74.5, "API", "lead@northwind.example"),
        (79, "API", "lead@northwind.example"),
    ]


async def test_a_token_batch_with_a_bad_row_records_nothing(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    # given
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        kpi = await create_kpi(northwind, world, "On-time delivery")
    headers = await _bearer(make_client, owner, world, ["KPI_WRITE"])
    events = await audit_count(owner, world.northwind_contoso.id)
    rows = [*_rows(kpi["id"]), {"kpiId": kpi["id"], "period": "2999-01-01", "value": 80}]

    # when
    async with make_client() as erp:
        body = await record(erp, world, rows, headers=headers)

    # then
    assert [(e["code"], e["field"]) for e in body["userErrors"]] == [
        ("BAD_ROW", "measurements[3].period")
    ]
    assert body["created"] == 0
    assert await measurement_rows(owner) == []
    assert await audit_count(owner, world.northwind_contoso.id) == events


async def test_a_correction_from_a_token_keeps_the_manual_value(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    # given: a value typed in by hand
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        kpi = await create_kpi(northwind, world, "On-time delivery")
        period = str(periods_ago("MONTHLY", 0))
        await record(northwind, world, [{"kpiId": kpi["id"], "period": period, "value": 70}])
    headers = await _bearer(make_client, owner, world, ["READ", "KPI_WRITE"])

    async with make_client() as erp:
        # when: the ERP sends the corrected value
        fixed = await record(
            erp, world, [{"kpiId": kpi["id"], "period": period, "value": 72.5}], headers=headers
        )
        read = await gql(erp, MEASUREMENTS, {"id": kpi["id"]}, headers=headers)

    # then
    assert (fixed["created"], fixed["corrected"], fixed["unchanged"]) == (0, 1, 0)
    (measurement,) = read["data"]["node"]["measurements"]
    assert (measurement["value"], measurement["source"]) == (72.5, "API")
    assert measurement["revisions"] == [{"value": 70, "source": "MANUAL"}]


async def test_a_token_writes_nothing_but_measurements(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    # given: tokens of a lead, who could do all of this when signed in
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        kpi = await create_kpi(northwind, world, "On-time delivery")
    tokens = [
        await _bearer(make_client, owner, world, ["READ"]),
        await _bearer(make_client, owner, world, ["READ", "KPI_WRITE", "REPORTS_READ"]),
    ]
    events = await audit_count(owner, world.northwind_contoso.id)
    stored = await owner.fetch("SELECT id, version FROM kpi ORDER BY id")

    for headers in tokens:
        async with make_client() as erp:
            # when
            attempts = [
                await _call(
                    erp,
                    CREATE_MILESTONE,
                    {"partnershipId": world.nc_id, "title": "From a script", "phase": "DEEPEN"},
                    headers,
                ),
                await _call(
                    erp,
                    PROPOSE,
                    {
                        "partnershipId": world.nc_id,
                        "title": "From a script",
                        "dueDate": "2099-01-01",
                    },
                    headers,
                ),
                await _call(
                    erp,
                    CREATE_KPI,
                    {"partnershipId": world.nc_id, "name": "From a script", **DEFINITION},
                    headers,
                ),
                await _call(
                    erp,
                    UPDATE_KPI,
                    {"kpiId": kpi["id"], "expectedVersion": 1, "unit": "pct"},
                    headers,
                ),
            ]

            # then
            assert [[e["code"] for e in a["userErrors"]] for a in attempts] == [["FORBIDDEN"]] * 4
    assert await audit_count(owner, world.northwind_contoso.id) == events
    assert await owner.fetchval("SELECT count(*) FROM milestone") == 0
    assert await owner.fetchval("SELECT count(*) FROM commitment") == 0
    assert await owner.fetch("SELECT id, version FROM kpi ORDER BY id") == stored


async def _call(
    client: httpx.AsyncClient, document: str, fields: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    return only_payload(await gql(client, document, {"input": fields}, headers=headers))
