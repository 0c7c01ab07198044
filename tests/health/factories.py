"""Factories for the health tests: the health page's document, recording trigger sinks, and
running the daily task as the job worker does (no identity)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import httpx
from sqlalchemy.engine import URL

from mutual.config import Settings
from mutual.db import Database
from mutual.health.tasks import DAILY_SNAPSHOTS, snapshot_partnership
from mutual.kit import health as health_inputs
from mutual.kit import notices, triggers
from mutual.kit.health import HealthInput
from mutual.kit.identity import set_user_identity
from mutual.kit.jobs import JobContext
from mutual.kit.notices import Notice
from mutual.kit.triggers import Firing
from tests.commitments.factories import agreed
from tests.helpers import World, gql

HEALTH = """
query($id: ID!, $start: Date!, $end: Date!) {
  partnership(id: $id) {
    healthSummary { day value trend }
    health {
      asOf index
      components { key label explanation weight value inputs { name value }
                   records { typeName id } perSide { party { label } value } }
      detectors { name label status score watchAt fireAt customThresholds since
                  inputs { name value } evidence { typeName id } }
      detectorHistory { detector status previous score at evidence { typeName id } }
      thresholdProposals { id detector watch fire status proposedBy { label isOwn } }
      history(days: 200) { day value }
      whatChanged(start: $start, end: $end) {
        start end before after
        components { key label before after delta entered { typeName id } left { typeName id } }
      }
    }
  }
}
"""

PROPOSAL = "proposal { id detector watch fire status proposedBy { label } } "
ERRORS = "userErrors { field code message }"
PROPOSE = f"""
mutation($input: ProposeDetectorThresholdsInput!) {{
  proposeDetectorThresholds(input: $input) {{ {PROPOSAL} {ERRORS} }}
}}
"""
ACCEPT = f"""
mutation($input: DecideDetectorThresholdsInput!) {{
  acceptDetectorThresholds(input: $input) {{ {PROPOSAL} {ERRORS} }}
}}
"""
DECLINE = f"""
mutation($input: DecideDetectorThresholdsInput!) {{
  declineDetectorThresholds(input: $input) {{ {PROPOSAL} {ERRORS} }}
}}
"""


async def health_of(
    client: httpx.AsyncClient, world: World, start: str = "2020-01-01", end: str = "2100-01-01"
) -> dict[str, Any]:
    body = await gql(client, HEALTH, {"id": world.nc_id, "start": start, "end": end})
    assert "errors" not in body, body
    partnership: dict[str, Any] = body["data"]["partnership"]
    return partnership


def detector(health: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(d for d in health["health"]["detectors"] if d["name"] == name)
    return found


def component(health: dict[str, Any], key: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in health["health"]["components"] if c["key"] == key)
    return found


@contextmanager
def recording_triggers() -> Iterator[list[Firing]]:
    fired: list[Firing] = []
    saved = list(triggers.SINKS)

    async def sink(session: Any, firings: Sequence[Firing]) -> None:
        fired.extend(firings)

    triggers.use([sink])
    try:
        yield fired
    finally:
        triggers.use(saved)


@contextmanager
def recording_notices() -> Iterator[list[Notice]]:
    sent: list[Notice] = []
    saved = list(notices.SINKS)

    async def sink(session: Any, batch: Sequence[Notice]) -> None:
        sent.extend(batch)

    notices.use([sink])
    try:
        yield sent
    finally:
        notices.use(saved)


@contextmanager
def health_input(key: str, read: HealthInput) -> Iterator[None]:
    saved = list(health_inputs.INPUTS)
    health_inputs.use([*saved, (key, read)])
    try:
        yield
    finally:
        health_inputs.use(saved)


async def run_daily(app_database_url: URL) -> None:
    database = Database(app_database_url, pool_size=1)
    try:
        job = JobContext(
            job_id=0,
            task=DAILY_SNAPSHOTS.name,
            payload={"period": datetime.now(UTC).isoformat()},
            attempt=1,
            database=database,
            settings=Settings(env="test"),
        )
        await DAILY_SNAPSHOTS.run(job)
    finally:
        await database.dispose()


async def evaluate_only(app_database_url: URL, world: World) -> None:
    """Northwind ↔ Contoso's part of the daily job alone (as a run that died before firing)."""
    database = Database(app_database_url, pool_size=1)
    lead = world.user_id("lead@northwind.example")
    try:
        async with database.session() as session, session.begin():
            await set_user_identity(session, lead)
            await snapshot_partnership(session, world.northwind_contoso.id, lead, date.today())
    finally:
        await database.dispose()


async def agreed_commitments(
    northwind: httpx.AsyncClient, contoso: httpx.AsyncClient, world: World, n: int, start: int = 0
) -> list[dict[str, Any]]:
    return [
        await agreed(northwind, contoso, world, f"Delivery {i}", "2099-01-01")
        for i in range(start, start + n)
    ]
