"""The first seed of `mutual serve` tells the Northwind ↔ Contoso recovery story.

The other tests start from the minimal demo (`seed_demo`); this one runs the whole first seed
(`seed_if_empty`: the demo and the story) once and reads it back as a Contoso lead would.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
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

STORY = """
query($id: ID!) {
  partnership(id: $id) {
    roadmap { phases { phase milestones { title status visibility } } }
    commitments(first: 100) {
      totalCount
      nodes { title status dueDates deliveredAt history { action at } }
    }
    kpis(includeBuiltin: false) {
      name cadence status visibility
      measurements(last: 104) { period value revisions { value } }
    }
    builtins: kpis {
      name builtin status baselineValue baselineDate targetValue
      evidence { latestValue progressPercent }
    }
    verifyAuditChain { intact checkedEvents }
    reports(first: 5) {
      nodes {
        title viewerCanAcknowledge acknowledgements { party { label } } sections { key rows }
      }
    }
  }
}
"""


async def _story_as(app: Starlette, email: str) -> dict[str, Any]:
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as client:
        await login(client, email)
        nodes = (await gql(client, PARTNERSHIPS))["data"]["viewer"]["partnerships"]["nodes"]
        partnership_id = next(n["id"] for n in nodes if n["name"].startswith("Northwind"))
        story: dict[str, Any] = (await gql(client, STORY, {"id": partnership_id}))["data"][
            "partnership"
        ]
        return story


async def test_the_first_seed_tells_the_recovery_story(
    owner_url: URL, settings: Settings, app: Starlette, owner: asyncpg.Connection
) -> None:
    await owner.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")

    seeded = await asyncio.to_thread(seed_if_empty, owner_url, settings)
    contoso = await _story_as(app, "lead@contoso.example")
    northwind = await _story_as(app, "lead@northwind.example")

    assert seeded is True
    kpis = {k["name"]: k for k in contoso["kpis"]}
    on_time = kpis["Order lines delivered on time"]
    assert on_time["cadence"] == "MONTHLY"
    assert [m["value"] for m in on_time["measurements"]] == [55, 61.5, 68, 74.5, 80.1, 85.2]
    assert on_time["status"] == "ON_TRACK"
    # Each side's on-time rate, computed from the story's commitments, has a figure for the
    # last whole month, whatever the day the story is seeded on.
    # (feedback's built-in KPIs are its own: tests/feedback/test_figures.py)
    builtin = {
        k["name"]: k
        for k in contoso["builtins"]
        if k["builtin"] and k["name"].endswith("(from commitments)")
    }
    assert len(builtin) == 2 and "STALE" not in {k["status"] for k in builtin.values()}, builtin
    # ... named for whose rate it is, measured against a baseline from the side's first five
    # commitments due (Northwind: four of them kept on time) and the 95 % target, with a
    # progress figure between 0 and 100
    assert set(builtin) == {
        "On-time delivery — Northwind Components (from commitments)",
        "On-time delivery — Contoso Retail (from commitments)",
    }
    northwind_rate = builtin["On-time delivery — Northwind Components (from commitments)"]
    assert northwind_rate["baselineValue"] == 80
    assert (
        northwind_rate["baselineDate"]
        == (datetime.now(UTC).date() - timedelta(days=150)).replace(day=1).isoformat()
    )
    for rate in builtin.values():
        assert rate["targetValue"] == 95
        assert 0 <= rate["evidence"]["progressPercent"] <= 100, rate
    assert len({k["name"] for k in northwind["builtins"]}) == len(northwind["builtins"])
    assert len(kpis["Mean response time"]["measurements"]) == 26
    assert [
        r["value"]
        for m in kpis["Customer satisfaction (CSAT)"]["measurements"]
        for r in m["revisions"]
    ] == [8.0]
    # each side sees its own INTERNAL KPI, never the other's
    assert "Store stock-outs from late supply" in kpis
    assert "Expedited freight cost" not in kpis
    assert "Expedited freight cost" in {k["name"] for k in northwind["kpis"]}

    # two reports of Northwind's: one acknowledged by Contoso, the board pack waiting for it
    reports = {r["title"]: r for r in contoso["reports"]["nodes"]}
    assert reports["Board pack"]["viewerCanAcknowledge"] is True
    acknowledged = reports["Risk and compliance report"]["acknowledgements"]
    assert [a["party"]["label"] for a in acknowledged] == ["Customer"]
    kpi_rows = {s["key"]: s["rows"] for s in reports["Board pack"]["sections"]}["kpi_evidence"]
    assert kpi_rows and not any("Expedited freight cost" in row for row in kpi_rows)

    commitments = contoso["commitments"]["nodes"]
    statuses = Counter(c["status"] for c in commitments)
    assert statuses["MISSED"] == 2
    assert statuses["DISPUTED"] == 1
    assert statuses["CONFIRMED"] == 9
    assert statuses["DECLINED"] == 1
    assert statuses["PROPOSED"] == 2
    assert statuses["DELIVERED"] == 1
    assert sum(len(c["dueDates"]) == 2 for c in commitments) == 2  # renegotiated
    redelivered = [
        c for c in commitments if [h["action"] for h in c["history"]].count("DELIVER") == 2
    ]
    assert [c["status"] for c in redelivered] == ["CONFIRMED"]
    # the story happened in the past, in order
    now = datetime.now(UTC)
    for commitment in commitments:
        moments = [datetime.fromisoformat(h["at"]) for h in commitment["history"]]
        assert moments == sorted(moments) and moments[-1] < now, commitment

    phases = {p["phase"]: p["milestones"] for p in contoso["roadmap"]["phases"]}
    assert [len(phases[p]) for p in ("STABILIZE", "REBUILD", "DEEPEN")] == [4, 5, 4]
    assert len({m["status"] for ms in phases.values() for m in ms}) == 4
    for side in (contoso, northwind):
        assert side["verifyAuditChain"]["intact"] is True
        assert side["verifyAuditChain"]["checkedEvents"] > 100
    # health: six months of daily index history, and the commitments-delayed detector fired
    snapshots = await owner.fetch("SELECT day, value FROM health_snapshot ORDER BY day")
    assert len(snapshots) >= 180 and snapshots[-1]["value"] is not None
    assert len({round(s["value"] or 0) for s in snapshots}) > 3  # the index moved over time
    fired = await owner.fetch("SELECT detector, status FROM detector_state WHERE status = 'FIRING'")
    assert "commitments_delayed" in {f["detector"] for f in fired}, fired
