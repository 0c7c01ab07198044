"""Feedback benchmarks (run by hand: `python -m bench.feedback [--reuse]`), on the bench data of
bench/generate.py (1,000 realistic partnerships and a large one):

- SLA scan: 100,000 open feedback items across the 1,000 partnerships, their clocks' at-risk
  moments spread over the next ~16 hours, about 1 % of them already due. The periodic scan
  (feedback_sla_scan, one statement over the partial index feedback_alarm_idx) is timed with
  those due, then again with nothing due (its steady state), against `SELECT 1` in the same run;
  the plan of its find step is printed to show the index range scan.
- The feedback list with clocks for the large partnership with 2,000 items: the first page (100,
  with both clocks, comments, notes and history) in-process, its SQL statement count (constant
  with size: tests/feedback/test_statements.py) and p50/p95 over 30 requests.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import UTC, datetime

import httpx
from sqlalchemy.engine import URL

from bench.common import JSON_HEADERS, percentile
from bench.dashboard import bench_data
from bench.generate import LARGE_LOGIN
from mutual.app import create_app
from mutual.config import Settings
from mutual.db import app_url, connect_owner, counting
from mutual.graphql.ids import to_global_id
from mutual.seed import DEMO_PASSWORD

ITEMS_PER_PARTNERSHIP = 100
LARGE_ITEMS = 2000
RUNS = 30

# Open items in every partnership but the large one: SHARED, submitted by one side to the other,
# around the clock (an empty calendar), first-response clocks running with their at-risk moment
# minutes from now ((hash % 1024) % 1000 - 5: about 1 % already passed), due 12 minutes later.
FILL = """
WITH sides AS (
    SELECT p.partnership_id, min(p.id::text)::uuid AS a, max(p.id::text)::uuid AS b
    FROM party p WHERE p.partnership_id <> $1 GROUP BY p.partnership_id
)
INSERT INTO feedback (partnership_id, title, body, category, severity, status,
    owner_party_id, receiving_party_id, visibility, fr_target_s, res_target_s,
    fr_running_since, fr_risk_at, fr_due_at, res_running_since, res_risk_at, res_due_at,
    due_at, alarm_at)
SELECT s.partnership_id, 'Item ' || n, 'Body', 'QUALITY', 'HIGH', 'SUBMITTED',
       s.a, s.b, 'SHARED', 3600, 28800,
       now(), now() + m * interval '1 minute',
       now() + m * interval '1 minute' + interval '12 minutes',
       now(), now() + interval '1 day', now() + interval '2 days',
       now() + m * interval '1 minute' + interval '12 minutes', now() + m * interval '1 minute'
FROM sides s, generate_series(1, $2) AS n,
     LATERAL (SELECT ((hashtext(s.partnership_id::text || n) & 1023) % 1000) - 5 AS m) AS x
"""

LARGE_FILL = """
WITH sides AS (
    SELECT min(p.id::text)::uuid AS a, max(p.id::text)::uuid AS b FROM party p
    WHERE p.partnership_id = $1
), made AS (
    INSERT INTO feedback (partnership_id, title, body, category, severity, status,
        owner_party_id, receiving_party_id, visibility, fr_target_s, res_target_s,
        fr_running_since, fr_risk_at, fr_due_at, res_running_since, res_risk_at, res_due_at,
        due_at, alarm_at)
    SELECT $1, 'Large item ' || n, 'Body **markdown**', 'DELIVERY',
           (ARRAY['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'])[1 + n % 4], 'SUBMITTED',
           CASE WHEN n % 2 = 0 THEN s.a ELSE s.b END, CASE WHEN n % 2 = 0 THEN s.b ELSE s.a END,
           'SHARED', 3600, 28800, now() - n * interval '1 minute',
           now() + interval '1 hour', now() + n * interval '1 minute',
           now() - n * interval '1 minute', now() + interval '1 day', now() + interval '2 days',
           now() + n * interval '1 minute', now() + interval '1 hour'
    FROM sides s, generate_series(1, $2) AS n
    RETURNING partnership_id, id, owner_party_id, receiving_party_id
), comments AS (
    INSERT INTO feedback_comment (partnership_id, feedback_id, body, owner_party_id, visibility)
    SELECT partnership_id, id, 'A comment', owner_party_id, 'SHARED' FROM made
    UNION ALL
    SELECT partnership_id, id, 'A note', receiving_party_id, 'INTERNAL' FROM made
    RETURNING 1
)
INSERT INTO feedback_transition (partnership_id, feedback_id, action, to_status, owner_party_id,
                                 visibility)
SELECT partnership_id, id, 'SUBMIT', 'SUBMITTED', owner_party_id, 'SHARED' FROM made
"""

LIST = """
query($id: ID!) { partnership(id: $id) { feedback(first: 100) { totalCount nodes {
  id title status severity dueAt submittedByUs viewerActions
  submittedByParty { label } receivingParty { label }
  firstResponseClock { elapsedSeconds remainingSeconds dueAt paused atRisk breached }
  resolutionClock { elapsedSeconds remainingSeconds dueAt paused atRisk breached }
  comments { body internal } history { action at } } } } }
"""


async def fill(owner: URL, large_id: uuid.UUID) -> None:
    conn = await connect_owner(owner)
    try:
        await conn.execute("DELETE FROM feedback_transition")
        await conn.execute("DELETE FROM feedback_comment")
        await conn.execute("DELETE FROM feedback")
        started = time.perf_counter()
        await conn.execute(FILL, large_id, ITEMS_PER_PARTNERSHIP)
        await conn.execute(LARGE_FILL, large_id, LARGE_ITEMS)
        await conn.execute("VACUUM ANALYZE feedback, feedback_comment, feedback_transition")
        total = await conn.fetchval("SELECT count(*) FROM feedback")
        due = await conn.fetchval("SELECT count(*) FROM feedback WHERE alarm_at <= now()")
        print(
            f"Feedback: {total:,} open items in {time.perf_counter() - started:.1f} s, "
            f"{due:,} with an alarm already due."
        )
    finally:
        await conn.close()


async def bench_scan(owner: URL) -> None:
    conn = await connect_owner(owner)
    try:
        for _ in range(3):
            await conn.fetchval("SELECT 1")
        baseline = []
        for _ in range(RUNS):
            started = time.perf_counter()
            await conn.fetchval("SELECT 1")
            baseline.append(time.perf_counter() - started)
        now = datetime.now(UTC)
        started = time.perf_counter()
        fired = await conn.fetch("SELECT * FROM feedback_sla_scan($1, 5000)", now)
        first = time.perf_counter() - started
        steady = []
        for _ in range(RUNS):
            started = time.perf_counter()
            again = await conn.fetch("SELECT * FROM feedback_sla_scan($1, 5000)", now)
            steady.append(time.perf_counter() - started)
            assert again == [], "a scan fired twice"
        plan = await conn.fetch(
            "EXPLAIN SELECT x.partnership_id, x.id FROM feedback x WHERE x.alarm_at <= $1 "
            "ORDER BY x.alarm_at LIMIT 5000 FOR UPDATE SKIP LOCKED",
            now,
        )
    finally:
        await conn.close()
    base = percentile(baseline, 0.5)
    print(f"SLA scan over {ITEMS_PER_PARTNERSHIP * 1000 + LARGE_ITEMS:,} open items:")
    print(f"  with {len(fired):,} clock events due: {first * 1000:.1f} ms (one statement)")
    p50 = percentile(steady, 0.5)
    print(
        f"  nothing due (steady state): p50 {p50 * 1000:.2f} ms, "
        f"p95 {percentile(steady, 0.95) * 1000:.2f} ms; SELECT 1 p50 {base * 1000:.2f} ms "
        f"(ratio {p50 / base:.1f})"
    )
    print("  plan of its find step:")
    for row in plan:
        print(f"    {row[0]}")


async def bench_list(settings: Settings, owner: URL, large_id: uuid.UUID) -> None:
    app = create_app(settings, app_database_url=app_url(owner, settings))
    transport = httpx.ASGITransport(app=app)
    body = {"query": LIST, "variables": {"id": to_global_id("Partnership", large_id)}}
    timings = []
    try:
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as client:
            login = {"email": LARGE_LOGIN, "password": DEMO_PASSWORD}
            (await client.post("/auth/login", json=login, headers=JSON_HEADERS)).raise_for_status()
            for _ in range(3):
                await client.post("/graphql", json=body, headers=JSON_HEADERS)
            async with counting() as counter:
                response = await client.post("/graphql", json=body, headers=JSON_HEADERS)
            data = response.json()
            if "errors" in data:
                raise RuntimeError(data["errors"])
            total = data["data"]["partnership"]["feedback"]["totalCount"]
            for _ in range(RUNS):
                started = time.perf_counter()
                await client.post("/graphql", json=body, headers=JSON_HEADERS)
                timings.append(time.perf_counter() - started)
    finally:
        await app.state.database.dispose()
    print(
        f"Feedback list with clocks ({total:,} items, first page of 100 with comments and "
        f"history): {len(counter.statements)} SQL statements, p50 "
        f"{percentile(timings, 0.5) * 1000:.1f} ms, p95 {percentile(timings, 0.95) * 1000:.1f} ms "
        "(in-process)"
    )


async def _main(args: argparse.Namespace) -> None:
    settings = Settings(env="production", allow_insecure=True)
    owner, large_id = await bench_data(settings, reuse=args.reuse)
    await fill(owner, large_id)
    await bench_scan(owner)
    await bench_list(settings, owner, large_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reuse", action="store_true", help="reuse the generated bench data")
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
