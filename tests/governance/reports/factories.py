"""Factories for the report tests: a workspace with evidence, a generated report through the
API, downloads, and a recording notice sink."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import asyncpg
import httpx

from mutual.kit import notices
from mutual.kit.notices import Notice
from tests.commitments.factories import mutate, only_record, signed_in
from tests.helpers import World, gql
from tests.kpis.factories import create_kpi, periods_ago, record

REPORT = """
report {
  id title asOf sha256 auditHeadHash generatedAt scheduled pdfUrl csvUrl jsonUrl
  ownerParty { label isOwn }
  viewerCanAcknowledge
  acknowledgements { acknowledgedByName acknowledgedAt sha256 party { label isOwn } }
}
userErrors { field code message }
"""
GENERATE = f"""
mutation($input: GenerateReportInput!) {{ generateReport(input: $input) {{ {REPORT} }} }}
"""
ACKNOWLEDGE = f"""
mutation($input: AcknowledgeReportInput!) {{ acknowledgeReport(input: $input) {{ {REPORT} }} }}
"""
VERIFY = """
mutation($input: VerifyReportInput!) {
  verifyReport(input: $input) {
    verification { kind sha256 report { id title sha256 } }
    userErrors { field code message }
  }
}
"""
DETAIL = """
query($id: ID!) {
  node(id: $id) {
    ... on Report {
      id sha256 snapshot pdfSha256
      sections { key title notes columns rows }
    }
  }
}
"""
LIST = """
query($id: ID!) {
  partnership(id: $id) {
    viewerCanPublishReports
    reports(first: 50) {
      totalCount
      nodes {
        id title sha256 viewerCanAcknowledge ownerParty { label }
        acknowledgements { acknowledgedByName party { label } }
        sections { key rows }
      }
    }
  }
}
"""


async def evidence(make_client: Any, owner: asyncpg.Connection, world: World) -> dict[str, Any]:
    """A SHARED KPI with two measurements, and an INTERNAL one of Northwind's (its editor's)."""
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        return await _evidence(northwind, world)


async def _evidence(northwind: httpx.AsyncClient, world: World) -> dict[str, Any]:
    shared = await create_kpi(northwind, world, "On-time delivery")
    internal = await create_kpi(
        northwind, world, "Northwind margin (internal)", visibility="INTERNAL"
    )
    await record(
        northwind,
        world,
        [
            {"kpiId": shared["id"], "period": str(periods_ago("MONTHLY", 2)), "value": 61.5},
            {"kpiId": shared["id"], "period": str(periods_ago("MONTHLY", 1)), "value": 78.25},
            {"kpiId": internal["id"], "period": str(periods_ago("MONTHLY", 1)), "value": 13},
        ],
    )
    return {"shared": shared, "internal": internal}


async def generate(client: httpx.AsyncClient, world: World, **fields: Any) -> dict[str, Any]:
    payload = await mutate(client, GENERATE, partnershipId=world.nc_id, **fields)
    return only_record(payload, "report")


async def detail(client: httpx.AsyncClient, report_id: str) -> dict[str, Any]:
    body = await gql(client, DETAIL, {"id": report_id})
    node: dict[str, Any] = body["data"]["node"]
    return node


async def verify(client: httpx.AsyncClient, data: bytes) -> dict[str, Any]:
    return await mutate(client, VERIFY, file=base64.b64encode(data).decode())


async def download(client: httpx.AsyncClient, url: str, **kwargs: Any) -> httpx.Response:
    return await client.get(url, **kwargs)


@contextmanager
def recorded_notices() -> Iterator[list[Notice]]:
    """Every notice sent meanwhile (notify's delivery is not on this branch)."""
    sent: list[Notice] = []
    before = list(notices.SINKS)

    async def sink(_session: Any, batch: Any) -> None:
        sent.extend(batch)

    notices.use([*before, sink])
    try:
        yield sent
    finally:
        notices.use(before)
