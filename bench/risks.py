"""The risk register of 500 risks x 20 assessments, with the heat map: p50/p95 in-process over
ASGI, the ratio to `{ __typename }` measured in the same run, and the SQL statement count at two
sizes (the test tests/perf/test_risk_statements.py asserts they are equal).

Usage: .venv/bin/python -m bench.risks [--risks 500] [--assessments 20] [--requests 200]

Builds a fresh `mutual_bench_risks` database with the demo world, fills Northwind <-> Contoso's
register with COPY as the owner (benchmark data, no audit events), then times the register page
(first 100, sorted by divergence, both sides' latest scores) together with the heat map, as
Contoso's LEAD.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx

from bench.common import JSON_HEADERS, fresh_database, percentile
from mutual.app import create_app
from mutual.config import Settings
from mutual.db import app_url, connect_owner, counting
from mutual.graphql.ids import to_global_id
from mutual.kit.clock import today
from mutual.seed import DEMO_PASSWORD, seed_demo

DATABASE = "mutual_bench_risks"
LOGIN = "lead@contoso.example"
CATEGORIES = ("DELIVERY", "QUALITY", "FINANCIAL", "COMPLIANCE", "SECURITY", "RELATIONSHIP", "OTHER")

REGISTER = """
query Register($id: ID!) {
  partnership(id: $id) {
    risks(first: 100, orderBy: {field: DIVERGENCE, descending: true}) {
      totalCount
      nodes {
        id title category status treatment nextReviewOn reviewOverdue divergence
        ownerParty { label }
        scores { party { label } latest { inherent { likelihood impact score band }
                                          residual { likelihood impact score band } } }
      }
    }
    riskHeatMap {
      disagreements
      sides { party { label } cells { likelihood impact count disputed } }
      combined { likelihood impact count disputed }
    }
  }
}
"""
BASELINE = "{ __typename }"

RISK_COLUMNS = (
    "partnership_id", "id", "title", "description", "category", "status", "review_every_days",
    "next_review_on", "owner_assessment_id", "partner_assessment_id", "owner_party_id",
    "visibility", "created_by", "created_at", "updated_at",
)  # fmt: skip
ASSESSMENT_COLUMNS = (
    "partnership_id", "id", "risk_id", "owner_party_id", "visibility", "inherent_likelihood",
    "inherent_impact", "residual_likelihood", "residual_impact", "rationale", "assessed_by",
    "assessed_at",
)  # fmt: skip


async def fill_risks(
    conn: asyncpg.Connection,
    partnership_id: uuid.UUID,
    *,
    risks: int,
    assessments: int,
    seed: int = 11,
) -> None:
    """`risks` risks owned by either side (a tenth INTERNAL), each with `assessments` by its
    sides in turn, the latest of each side kept on the risk as the service keeps it."""
    rng = random.Random(seed)
    sides = await conn.fetch(
        "SELECT m.party_id, array_agg(m.user_id) AS users FROM workspace_member m "
        "WHERE m.partnership_id = $1 GROUP BY m.party_id ORDER BY m.party_id",
        partnership_id,
    )
    parties = [(s["party_id"], list(s["users"])) for s in sides]
    start = datetime.now(UTC) - timedelta(days=400)
    risk_rows: list[tuple[Any, ...]] = []
    assessment_rows: list[tuple[Any, ...]] = []
    for n in range(risks):
        risk_id = uuid.uuid4()
        owner_index = n % 2
        owner_party, owner_users = parties[owner_index]
        internal = rng.random() < 0.1
        scorers = [parties[owner_index]] if internal else [parties[0], parties[1]]
        latest: dict[uuid.UUID, uuid.UUID] = {}
        for k in range(assessments):
            party, users = scorers[k % len(scorers)]
            likelihood, impact = rng.randint(1, 5), rng.randint(1, 5)
            assessment_id = uuid.uuid4()
            latest[party] = assessment_id
            assessment_rows.append(
                (
                    partnership_id, assessment_id, risk_id, party,
                    "INTERNAL" if internal else "SHARED", likelihood, impact,
                    max(1, likelihood - rng.randint(0, 2)), impact, "bench", rng.choice(users),
                    start + timedelta(days=n % 300, hours=k),
                )
            )  # fmt: skip
        partner = next((p for p, _ in parties if p != owner_party), None)
        created = start + timedelta(days=n % 300)
        risk_rows.append(
            (
                partnership_id, risk_id, f"Bench risk {n}", "", CATEGORIES[n % len(CATEGORIES)],
                "OPEN", 90, today() + timedelta(days=rng.randint(-20, 90)),
                latest.get(owner_party), latest.get(partner) if partner else None, owner_party,
                "INTERNAL" if internal else "SHARED", rng.choice(owner_users), created, created,
            )
        )  # fmt: skip
    async with conn.transaction():
        await conn.copy_records_to_table("risk", records=risk_rows, columns=RISK_COLUMNS)
        await conn.copy_records_to_table(
            "risk_assessment", records=assessment_rows, columns=ASSESSMENT_COLUMNS
        )


async def _partnership(conn: asyncpg.Connection) -> uuid.UUID:
    found = await conn.fetchval("SELECT id FROM partnership WHERE name LIKE 'Northwind%'")
    return uuid.UUID(str(found))


async def _timed(
    client: httpx.AsyncClient, bodies: Sequence[dict[str, Any]], count: int
) -> list[list[float]]:
    """Milliseconds per request of each body, interleaved so that both see the same load."""
    samples: list[list[float]] = [[] for _ in bodies]
    for index in range(count + 20):
        for body, into in zip(bodies, samples, strict=True):
            started = time.perf_counter()
            response = await client.post("/graphql", json=body, headers=JSON_HEADERS)
            elapsed = (time.perf_counter() - started) * 1000
            if "errors" in response.json():
                raise RuntimeError(response.json()["errors"])
            if index >= 20:
                into.append(elapsed)
    return samples


async def _main(args: argparse.Namespace) -> None:
    settings = Settings(
        env="production",
        public_url="http://127.0.0.1:8000",
        allow_insecure=True,
        principal_cost_per_minute=100_000_000,
    )
    owner = await fresh_database(DATABASE, settings)
    await seed_demo(owner, settings)
    conn = await connect_owner(owner)
    try:
        partnership_id = await _partnership(conn)
        fabrikam = await conn.fetchval("SELECT id FROM partnership WHERE name LIKE 'Fabrikam%'")
        started = time.perf_counter()
        await fill_risks(conn, partnership_id, risks=args.risks, assessments=args.assessments)
        await fill_risks(conn, fabrikam, risks=args.risks // 10, assessments=args.assessments)
        print(
            f"Filled {args.risks} risks x {args.assessments} assessments "
            f"in {time.perf_counter() - started:.1f} s."
        )
        await conn.execute("ANALYZE risk; ANALYZE risk_assessment")
    finally:
        await conn.close()

    app = create_app(settings, app_database_url=app_url(owner, settings))
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as client:
            login = {"email": LOGIN, "password": DEMO_PASSWORD}
            (await client.post("/auth/login", json=login, headers=JSON_HEADERS)).raise_for_status()
            counts = {}
            for name, pid in (("large", partnership_id), ("small", uuid.UUID(str(fabrikam)))):
                body = {"query": REGISTER, "variables": {"id": to_global_id("Partnership", pid)}}
                await client.post("/graphql", json=body, headers=JSON_HEADERS)
                async with counting() as counter:
                    answer = (await client.post("/graphql", json=body, headers=JSON_HEADERS)).json()
                total = answer["data"]["partnership"]["risks"]["totalCount"]
                counts[name] = (len(counter.statements), total)
            for name, (statements, total) in counts.items():
                print(f"SQL statements, register + heat map, {name} ({total} risks): {statements}")
            register = {
                "query": REGISTER,
                "variables": {"id": to_global_id("Partnership", partnership_id)},
            }
            baseline, measured = await _timed(
                client, [{"query": BASELINE}, register], args.requests
            )
    finally:
        await app.state.database.dispose()
    for name, samples in (
        ("{ __typename }", baseline),
        ("register (100 rows) + heat map", measured),
    ):
        print(
            f"{name:<34} p50 {percentile(samples, 0.5):7.2f} ms   "
            f"p95 {percentile(samples, 0.95):7.2f} ms   mean {statistics.fmean(samples):7.2f} ms"
        )
    ratio = percentile(measured, 0.5) / percentile(baseline, 0.5)
    print(f"p50 ratio to the baseline: {ratio:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--risks", type=int, default=500)
    parser.add_argument("--assessments", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
