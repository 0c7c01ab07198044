"""The health domain's daily job over every bench partnership (the six detectors and the
index, stored as each day's snapshot) and the Health page of the large partnership.

Usage: .venv/bin/python -m bench.health [--requests N] [--reuse]

Generates the bench data (bench.generate: 1,000 partnerships and the large one) in a fresh
`mutual_bench` database unless --reuse finds it there. Then runs the daily job's work in
process, one transaction per partnership as its LEAD (as the job does): total seconds, and the
SQL statements per partnership (min and max: constant whatever a partnership holds, and whether
its detectors changed status or not), then fires the detectors that started FIRING in batches
(their triggers and notices: seconds and statements). Then asks
the Health page's query N times (default 50) in process as a LEAD of the large partnership and
prints p50 and p95, and its statement count.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from datetime import date

import httpx
from sqlalchemy.engine import URL

from bench.common import JSON_HEADERS, percentile
from bench.dashboard import bench_data, variables
from bench.generate import LARGE_LOGIN
from mutual.app import create_app
from mutual.config import Settings
from mutual.db import Database, app_url, connect_owner, counting
from mutual.health import repository, service
from mutual.health.tasks import snapshot_partnership
from mutual.kit.identity import set_user_identity
from mutual.seed import DEMO_PASSWORD

HEALTH = """
query($id: ID!, $start: Date!, $end: Date!) {
  partnership(id: $id) {
    healthSummary { day value trend }
    health {
      asOf index
      components { key weight value inputs { name value } records { typeName id }
                   perSide { party { label } value } }
      detectors { name status score watchAt fireAt since inputs { name value }
                  evidence { typeName id } }
      detectorHistory { detector status at }
      thresholdProposals { id detector watch fire status }
      history(days: 190) { day value }
      whatChanged(start: $start, end: $end) { before after components { key delta } }
    }
  }
}
"""


async def reset(owner: URL) -> None:
    """No detector state, history or snapshot yet (a --reuse run starts as a fresh one)."""
    conn = await connect_owner(owner)
    try:
        await conn.execute("TRUNCATE detector_event, detector_state, health_snapshot")
    finally:
        await conn.close()


async def daily(settings: Settings, owner: URL) -> None:
    database = Database(app_url(owner, settings), pool_size=2)
    day = date.today()
    per_partnership: list[int] = []
    try:
        async with database.session() as session, session.begin():
            todo = await repository.partnerships_to_compute(session)
        started = time.perf_counter()
        for partnership_id, lead_id in todo:
            async with counting() as counter, database.session() as session, session.begin():
                await set_user_identity(session, lead_id)
                await snapshot_partnership(session, partnership_id, lead_id, day)
            per_partnership.append(len(counter.statements))
        seconds = time.perf_counter() - started
        fired, firing_started = 0, time.perf_counter()
        async with counting() as firing:
            while True:
                async with database.session() as session, session.begin():
                    taken = await service.fire_pending(session)
                fired += taken
                if taken < 500:
                    break
        firing_seconds = time.perf_counter() - firing_started
    finally:
        await database.dispose()
    print(
        f"Daily job: {len(todo)} partnerships (six detectors and the index each) in "
        f"{seconds:.2f} s ({1000 * seconds / max(1, len(todo)):.1f} ms per partnership)."
    )
    print(
        f"SQL statements per partnership: min {min(per_partnership)}, "
        f"max {max(per_partnership)}, median {statistics.median(per_partnership)}"
    )
    print(
        f"Detectors that started FIRING: {fired}, their triggers and notices fired in "
        f"{firing_seconds:.2f} s and {len(firing.statements)} SQL statements."
    )


async def page(settings: Settings, owner: URL, partnership_id: uuid.UUID, requests: int) -> None:
    app = create_app(settings, app_database_url=app_url(owner, settings))
    body = {
        "query": HEALTH,
        "variables": {
            **variables(partnership_id),
            "start": "2020-01-01",
            "end": str(date.today()),
        },
    }
    seconds: list[float] = []
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as client:
            login = {"email": LARGE_LOGIN, "password": DEMO_PASSWORD}
            (await client.post("/auth/login", json=login, headers=JSON_HEADERS)).raise_for_status()
            for _ in range(3):
                await client.post("/graphql", json=body, headers=JSON_HEADERS)
            async with counting() as counter:
                data = (await client.post("/graphql", json=body, headers=JSON_HEADERS)).json()
            if "errors" in data:
                raise RuntimeError(data["errors"])
            for _ in range(requests):
                started = time.perf_counter()
                await client.post("/graphql", json=body, headers=JSON_HEADERS)
                seconds.append(time.perf_counter() - started)
    finally:
        await app.state.database.dispose()
    health = data["data"]["partnership"]["health"]
    print(
        f"Health page of the large partnership (index {health['index']}): "
        f"p50 {1000 * percentile(seconds, 0.5):.1f} ms, "
        f"p95 {1000 * percentile(seconds, 0.95):.1f} ms "
        f"over {requests} requests in process; {len(counter.statements)} SQL statements."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--reuse", action="store_true", help="reuse generated bench data")
    args = parser.parse_args()
    settings = Settings(env="production", public_url="http://127.0.0.1:8000", allow_insecure=True)
    owner, partnership_id = asyncio.run(bench_data(settings, reuse=args.reuse))
    asyncio.run(reset(owner))
    print("First run of the day (detectors change status: their history, audit, notices):")
    asyncio.run(daily(settings, owner))
    print("Second run (the same day again, as a daily run with no change of status):")
    asyncio.run(daily(settings, owner))
    asyncio.run(page(settings, owner, partnership_id, args.requests))


if __name__ == "__main__":
    main()
