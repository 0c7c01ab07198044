"""The dashboard query on the large partnership: p50/p95 over HTTP, the ratio to `{ __typename }`
on the same server, and its SQL statement count.

Usage: .venv/bin/python -m bench.dashboard [--requests N] [--reuse] [--profile N]

Generates the bench data (bench.generate: 1,000 partnerships and the large one) in a fresh
`mutual_bench` database unless --reuse finds it there, counts the query's statements in-process
with mutual.db.counting(), then times both requests, interleaved, as a member (LEAD) of the large
partnership against a real `mutual serve` process (MUTUAL_ENV=production). It also prints the
server process's CPU per request of each, which unlike wall time does not grow when other
processes compete for the machine. --profile N runs the query N times in-process under cProfile
and prints the hottest functions.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import uuid
from typing import Any

import asyncpg
import httpx
from sqlalchemy.engine import URL

from bench.common import (
    JSON_HEADERS,
    describe,
    fresh_database,
    percentile,
    server_cpu_per_request,
    server_pid,
    server_process,
    server_url,
    timed_interleaved,
)
from bench.generate import DATABASE, LARGE_LOGIN, LARGE_NAME, generate
from mutual.app import create_app
from mutual.config import Settings
from mutual.db import app_url, connect_owner, counting
from mutual.graphql.ids import to_global_id
from mutual.seed import DEMO_PASSWORD

DASHBOARD = """
query Dashboard($id: ID!) {
  partnership(id: $id) {
    roadmap { phases { phase milestones { id title status ownerParty { label } } } }
    commitments(first: 100) {
      totalCount
      nodes { id title status dueDate ownerParty { label } milestone { title } }
    }
    kpis {
      name status
      measurements(last: 12) { period value }
      evidence { progressPercent }
    }
  }
}
"""
BASELINE = "{ __typename }"
TARGET_RATIO = 4


async def large_partnership(owner: URL) -> uuid.UUID | None:
    conn = await connect_owner(owner)
    try:
        found = await conn.fetchval("SELECT id FROM partnership WHERE name = $1", LARGE_NAME)
    finally:
        await conn.close()
    return uuid.UUID(str(found)) if found else None


async def bench_data(settings: Settings, *, reuse: bool) -> tuple[URL, uuid.UUID]:
    if reuse:
        owner = server_url().set(database=DATABASE)
        try:
            found = await large_partnership(owner)
        except (OSError, asyncpg.PostgresError):  # no such database yet
            found = None
        if found is not None:
            print(f"Reusing the bench data in database {DATABASE}.")
            return owner, found
    owner = await fresh_database(DATABASE, settings)
    generated = await generate(owner)
    phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in generated.phases.items())
    rows = sum(generated.rows.values())
    print(f"Generated {rows:,} rows in {generated.seconds:.1f} s ({phases}).")
    return owner, generated.large_partnership_id


def variables(partnership_id: uuid.UUID) -> dict[str, Any]:
    return {"id": to_global_id("Partnership", partnership_id)}


async def in_process(
    settings: Settings, owner: URL, partnership_id: uuid.UUID, *, profile: int
) -> list[str]:
    """The query's SQL statements (and, with `profile`, a cProfile of that many runs)."""
    app = create_app(settings, app_database_url=app_url(owner, settings))
    transport = httpx.ASGITransport(app=app)
    body = {"query": DASHBOARD, "variables": variables(partnership_id)}
    try:
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as client:
            login = {"email": LARGE_LOGIN, "password": DEMO_PASSWORD}
            (await client.post("/auth/login", json=login, headers=JSON_HEADERS)).raise_for_status()
            for _ in range(3):  # warm caches and pools
                await client.post("/graphql", json=body, headers=JSON_HEADERS)
            async with counting() as counter:
                response = await client.post("/graphql", json=body, headers=JSON_HEADERS)
            data = response.json()
            if "errors" in data:
                raise RuntimeError(data["errors"])
            if profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(profile):
                    await client.post("/graphql", json=body, headers=JSON_HEADERS)
                profiler.disable()
                stats = pstats.Stats(profiler).sort_stats("cumulative")
                print(f"\ncProfile of {profile} dashboard requests in-process (cumulative):")
                stats.print_stats(30)
                stats.sort_stats("tottime").print_stats(20)
    finally:
        await app.state.database.dispose()
    return counter.statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--reuse", action="store_true", help="reuse generated bench data")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    settings = Settings(env="production", public_url="http://127.0.0.1:8000", allow_insecure=True)
    owner, partnership_id = asyncio.run(bench_data(settings, reuse=args.reuse))

    statements = asyncio.run(in_process(settings, owner, partnership_id, profile=args.profile))
    print(f"SQL statements for the dashboard query: {len(statements)}")
    for sql in statements:
        print("   ", " ".join(sql.split())[:120])

    with server_process(owner) as url, httpx.Client(base_url=url, timeout=30) as client:
        login = {"email": LARGE_LOGIN, "password": DEMO_PASSWORD}
        client.post("/auth/login", json=login, headers=JSON_HEADERS).raise_for_status()
        trivial = {"query": BASELINE}
        dashboard = {"query": DASHBOARD, "variables": variables(partnership_id)}
        baseline, measured = timed_interleaved(client, trivial, dashboard, args.requests)
        pid = server_pid(url)
        cpu = (
            (
                server_cpu_per_request(client, pid, trivial, args.requests),
                server_cpu_per_request(client, pid, dashboard, args.requests),
            )
            if pid is not None
            else None
        )
    print(describe(BASELINE, baseline))
    print(describe("dashboard (large partnership)", measured))
    p50 = percentile(measured, 0.5) / percentile(baseline, 0.5)
    p95 = percentile(measured, 0.95) / percentile(baseline, 0.95)
    verdict = "within" if p50 <= TARGET_RATIO else "ABOVE"
    print(f"ratio dashboard / __typename: p50 {p50:.2f}, p95 {p95:.2f} "
          f"({verdict} the target of {TARGET_RATIO} at p50)")  # fmt: skip
    if cpu is not None:
        print(f"server CPU per request: __typename {cpu[0]:.2f} ms, dashboard {cpu[1]:.2f} ms, "
              f"ratio {cpu[1] / cpu[0]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
