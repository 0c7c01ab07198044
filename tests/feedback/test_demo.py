"""Feedback's part of the recovery story (`mutual serve`'s first seed): the agreed policy, items
in every state, the timeline on the story's days, and Contoso never reading Northwind's note."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
from sqlalchemy.engine import URL
from starlette.applications import Starlette

from mutual.cli import seed_if_empty
from mutual.config import Settings
from tests.conftest import TABLES
from tests.helpers import gql, login

STORY = """
query { viewer { partnerships(first: 2) { nodes { name
  feedbackPolicies { number status }
  feedback(first: 10) { nodes { title status rating createdAt
    history { action at } comments { internal }
    resolutionClock { paused } firstResponseClock { breached } } } } } } }
"""


async def _story(app: Starlette, email: str) -> dict[str, object]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        await login(client, email)
        nodes = (await gql(client, STORY))["data"]["viewer"]["partnerships"]["nodes"]
    found: dict[str, object] = next(n for n in nodes if n["name"].startswith("Northwind"))
    return found


async def test_the_story_has_feedback_in_every_state(
    owner_url: URL, settings: Settings, app: Starlette, owner: asyncpg.Connection
) -> None:
    await owner.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    assert await asyncio.to_thread(seed_if_empty, owner_url, settings)

    contoso = await _story(app, "lead@contoso.example")
    northwind = await _story(app, "lead@northwind.example")

    assert contoso["feedbackPolicies"] == [{"number": 1, "status": "ACTIVE"}]
    items = {i["title"]: i for i in contoso["feedback"]["nodes"]}  # type: ignore[index]
    assert {i["status"] for i in items.values()} >= {
        "CLOSED",
        "WAITING_ON_SUBMITTER",
        "SUBMITTED",
    }
    labels = items["Pallets arrived without ASN labels"]
    assert labels["rating"] == 4
    # the timeline is on the story's days, two months ago, not on the day of the seed
    steps = [datetime.fromisoformat(h["at"]) for h in labels["history"]]
    assert steps == sorted(steps)
    assert all(at < datetime.now(UTC) - timedelta(days=50) for at in steps)
    assert datetime.fromisoformat(labels["createdAt"]) < datetime.now(UTC) - timedelta(days=50)
    assert items["Weekly status calls keep being cancelled"]["resolutionClock"]["paused"] is True
    # Northwind's internal note is Northwind's alone
    ours = {i["title"]: i for i in northwind["feedback"]["nodes"]}  # type: ignore[index]
    assert [c["internal"] for c in ours["Pallets arrived without ASN labels"]["comments"]] == [True]
    assert labels["comments"] == []
