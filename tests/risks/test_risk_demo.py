"""The recovery story's risk register (risks/demo.py), as `mutual serve` shows it: shared risks
both sides scored (some apart), one accepted until an expiry, one whose review is overdue, and
one INTERNAL to Northwind that Contoso never sees."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import URL
from starlette.applications import Starlette

from mutual.cli import seed_if_empty
from mutual.config import Settings
from tests.conftest import TABLES
from tests.helpers import gql, login

PARTNERSHIPS = "{ viewer { partnerships(first: 10) { nodes { id name } } } }"
REGISTER = """
query($id: ID!) {
  partnership(id: $id) {
    risks(first: 50, orderBy: {field: DIVERGENCE, descending: true}) {
      totalCount
      nodes { title status treatment reviewOverdue divergence visibility
              acceptances { active }
              links { milestones { title } kpis { name } } }
    }
    riskHeatMap { disagreements combined { count } }
  }
}
"""


async def _register_as(app: Starlette, email: str) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        await login(client, email)
        nodes = (await gql(client, PARTNERSHIPS))["data"]["viewer"]["partnerships"]["nodes"]
        partnership_id = next(n["id"] for n in nodes if n["name"].startswith("Northwind"))
        body = await gql(client, REGISTER, {"id": partnership_id})
        register: dict[str, Any] = body["data"]["partnership"]
        return register


async def test_the_story_fills_the_register(
    owner_url: URL, settings: Settings, app: Starlette, owner: asyncpg.Connection
) -> None:
    await owner.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    assert await asyncio.to_thread(seed_if_empty, owner_url, settings) is True

    contoso = await _register_as(app, "lead@contoso.example")
    northwind = await _register_as(app, "lead@northwind.example")

    risks = {r["title"]: r for r in contoso["risks"]["nodes"]}
    assert contoso["risks"]["totalCount"] == 5
    assert northwind["risks"]["totalCount"] == 6  # with its own INTERNAL one
    assert "Second-shift staffing turnover" not in risks
    capacity = risks["Peak-season capacity at the Brno plant"]
    assert capacity["divergence"] == 2
    assert {m["title"] for m in capacity["links"]["milestones"]} >= {
        "First remedies: backlog cleared, safety stock in place"
    }
    assert capacity["links"]["kpis"]
    freight = risks["Expedited freight costs"]
    assert (freight["status"], freight["treatment"]) == ("ACCEPTED", "ACCEPT")
    assert [a["active"] for a in freight["acceptances"]] == [True]
    assert [r["title"] for r in risks.values() if r["reviewOverdue"]] == [
        "Buyers lose confidence in the recovery"
    ]
    assert contoso["riskHeatMap"]["disagreements"] == 3
    assert sum(c["count"] for c in contoso["riskHeatMap"]["combined"]) >= 5
