"""Generating a risk and compliance report for the large bench partnership: seconds per report
(snapshot of every section, canonical JSON, sha256, PDF), its SQL statements, and the sizes of
the PDF and the JSON.

Usage: .venv/bin/python -m bench.reports [--reports N] [--reuse]

Generates the bench data (bench.generate: 1,000 partnerships and the large one) in a fresh
`mutual_bench` database unless --reuse finds it there, then generates N reports (default 5) in
process as a LEAD of the large partnership, each in its own transaction as the application role,
and prints each run's seconds, the median, and the sizes. Each run is committed (reports are
immutable), so the database keeps them.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid

from sqlalchemy import select
from sqlmodel import col

from bench.dashboard import bench_data
from bench.generate import LARGE_LOGIN
from mutual.config import Settings
from mutual.db import Database, app_url, connect_owner, counting
from mutual.governance.reports import service
from mutual.kit.identity import set_user_identity
from mutual.kit.principal import user_principal
from mutual.tenancy.models import User


async def run(count: int, *, reuse: bool) -> None:
    settings = Settings(env="development")
    owner, partnership_id = await bench_data(settings, reuse=reuse)
    database = Database(app_url(owner, settings), pool_size=2)
    seconds: list[float] = []
    statements: list[int] = []
    report_ids: list[uuid.UUID] = []
    try:
        async with database.session() as session:
            user = (
                await session.execute(select(User).where(col(User.email) == LARGE_LOGIN))
            ).scalar_one()
        actor = user_principal(user)
        for _ in range(count):
            started = time.perf_counter()
            async with counting() as counter, database.session() as session, session.begin():
                await set_user_identity(session, actor.user_id)
                _ws, report = await service.generate_report(
                    session, actor=actor, partnership_id=partnership_id
                )
            seconds.append(time.perf_counter() - started)
            statements.append(len(counter.statements))
            report_ids.append(report.id)
    finally:
        await database.dispose()
    conn = await connect_owner(owner)
    try:
        row = await conn.fetchrow(
            "SELECT length(d.pdf) AS pdf, octet_length(d.content) AS json, "
            "(SELECT count(*) FROM kpi WHERE partnership_id = $2 AND visibility = 'SHARED') "
            "AS kpis, "
            "(SELECT count(*) FROM commitment WHERE partnership_id = $2) AS commitments "
            "FROM report_document d WHERE d.report_id = $1",
            report_ids[-1],
            partnership_id,
        )
    finally:
        await conn.close()
    print(
        f"Large partnership: {row['kpis']} shared KPIs, {row['commitments']} commitments "
        f"({len(seconds)} reports generated)."
    )
    print("Seconds per report: " + ", ".join(f"{s:.3f}" for s in seconds))
    print(f"Median {statistics.median(seconds):.3f} s; SQL statements per report: {statements}")
    pdf, content = row["pdf"], row["json"]
    print(f"PDF size {pdf:,} bytes ({pdf / 1024:.1f} KiB); snapshot JSON {content:,} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="reuse generated bench data")
    args = parser.parse_args()
    asyncio.run(run(args.reports, reuse=args.reuse))


if __name__ == "__main__":
    main()
