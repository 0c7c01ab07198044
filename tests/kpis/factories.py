"""Factories for the KPI tests: definitions through the API, batches of measurements, and the
cadence periods around today (UTC, the application's clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from tests.commitments.factories import mutate, only_payload, only_record
from tests.helpers import World, gql

CREATE_KPI = """
mutation($input: CreateKpiInput!) {
  createKpi(input: $input) {
    kpi { id name status version cadence direction }
    userErrors { field code message }
  }
}
"""

UPDATE_KPI = """
mutation($input: UpdateKpiInput!) {
  updateKpi(input: $input) {
    kpi { id name version targetValue warningThreshold criticalThreshold }
    userErrors { field code message current { name version targetValue } }
  }
}
"""

RECORD = """
mutation($input: RecordKpiMeasurementsInput!) {
  recordKpiMeasurements(input: $input) {
    created corrected unchanged
    measurements { period value source note }
    userErrors { field code message }
  }
}
"""

DEFINITION: dict[str, Any] = {
    "unit": "%",
    "direction": "HIGHER_IS_BETTER",
    "baselineValue": 55,
    "baselineDate": "2025-01-01",
    "targetValue": 92,
    "targetDate": "2027-06-30",
    "warningThreshold": 85,
    "criticalThreshold": 70,
    "cadence": "MONTHLY",
}


def today() -> date:
    return datetime.now(UTC).date()


def period_start(cadence: str, day: date) -> date:
    if cadence == "WEEKLY":
        return day - timedelta(days=day.weekday())
    if cadence == "MONTHLY":
        return day.replace(day=1)
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def periods_ago(cadence: str, count: int) -> date:
    """The first day of the cadence period `count` periods before the current one."""
    start = period_start(cadence, today())
    for _ in range(count):
        start = period_start(cadence, start - timedelta(days=1))
    return start


async def create_kpi(
    client: httpx.AsyncClient,
    world: World,
    name: str,
    partnership_id: str | None = None,
    **fields: Any,
) -> dict[str, Any]:
    result = await mutate(
        client,
        CREATE_KPI,
        partnershipId=partnership_id or world.nc_id,
        name=name,
        **{**DEFINITION, **fields},
    )
    return only_record(result, "kpi")


async def record(
    client: httpx.AsyncClient,
    world: World,
    rows: list[dict[str, Any]],
    *,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    body = await gql(
        client,
        RECORD,
        {"input": {"partnershipId": world.nc_id, "measurements": rows}},
        headers=headers,
    )
    return only_payload(body)


async def measurement_rows(owner: asyncpg.Connection) -> list[tuple[Any, ...]]:
    """Every stored measurement and revision, as the table owner sees them."""
    measurements = await owner.fetch(
        "SELECT kpi_id, period_start, value, source, note, version FROM kpi_measurement "
        "ORDER BY kpi_id, period_start"
    )
    revisions = await owner.fetch(
        "SELECT measurement_id, value FROM kpi_measurement_revision ORDER BY replaced_at"
    )
    return [tuple(r) for r in measurements] + [tuple(r) for r in revisions]
