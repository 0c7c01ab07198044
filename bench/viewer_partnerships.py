"""p50 of `{ viewer { partnerships(first: 20) { totalCount } } }` over HTTP, and its SQL count.

Usage: .venv/bin/python -m bench.viewer_partnerships [--requests N]
Uses the embedded PostgreSQL under .mutual/bench (or DATABASE_URL), a fresh `mutual_bench`
database with the demo seed, and a real `mutual serve` process on a free port.
"""

from __future__ import annotations

import argparse
import asyncio

import httpx

from bench.common import (
    JSON_HEADERS,
    describe,
    fresh_database,
    percentile,
    server_process,
    timed_posts,
)
from mutual.app import create_app
from mutual.config import Settings
from mutual.db import app_url, counting
from mutual.seed import DEMO_PASSWORD, seed_demo

QUERY = "{ viewer { partnerships(first: 20) { totalCount } } }"
BASELINE = "{ __typename }"


async def statement_count(settings: Settings, owner: object) -> list[str]:
    app = create_app(settings, app_database_url=app_url(owner, settings))  # type: ignore[arg-type]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as client:
        login = {"email": "lead@contoso.example", "password": DEMO_PASSWORD}
        await client.post("/auth/login", json=login, headers=JSON_HEADERS)
        async with counting() as counter:
            await client.post("/graphql", json={"query": QUERY}, headers=JSON_HEADERS)
    await app.state.database.dispose()
    return counter.statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    settings = Settings(env="production", public_url="http://127.0.0.1:8000", allow_insecure=True)
    owner = asyncio.run(fresh_database("mutual_bench", settings))
    asyncio.run(seed_demo(owner, settings))

    statements = asyncio.run(statement_count(settings, owner))
    print(f"SQL statements for {QUERY}: {len(statements)}")
    for sql in statements:
        print("   ", " ".join(sql.split())[:110])

    with server_process(owner) as url, httpx.Client(base_url=url) as client:
        login = {"email": "lead@contoso.example", "password": DEMO_PASSWORD}
        client.post("/auth/login", json=login, headers=JSON_HEADERS).raise_for_status()
        baseline = timed_posts(client, BASELINE, args.requests)
        measured = timed_posts(client, QUERY, args.requests)
    print(describe(BASELINE, baseline))
    print(describe(QUERY, measured))
    ratio = percentile(measured, 0.5) / percentile(baseline, 0.5)
    print(f"ratio of p50s (query / __typename): {ratio:.2f}")


if __name__ == "__main__":
    main()
