"""What the row-level security functions cost per statement: the SQL functions of migration
0001 against the PL/pgSQL ones of migration 0008, on the bench data.

Usage: .venv/bin/python -m bench.rls_functions [--rounds N]

Needs the bench database (`python -m bench.dashboard` makes it). In one connection, each round
installs one variant inside a transaction it rolls back, then runs two small statements of the
dashboard as the application role, as a member of the large partnership, and prints the mean
time per statement; the variants alternate round by round so that load on the machine falls on
both alike.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import statistics
import time

import asyncpg

from bench.common import server_url
from bench.generate import DATABASE
from mutual.db import _asyncpg_kwargs

MIGRATION = importlib.import_module("migrations.versions.0008_rls_functions_plpgsql")

STATEMENTS = (
    "SELECT c.owner_party_id, count(*) FROM commitment c "
    "WHERE c.partnership_id = $1 AND c.visibility = 'SHARED' GROUP BY 1",
    "SELECT id, title FROM milestone WHERE partnership_id = $1",
)
RUNS = 200


async def _round(conn: asyncpg.Connection, language: str, partnership: object, user: str) -> float:
    transaction = conn.transaction()
    await transaction.start()
    try:
        await conn.execute(MIGRATION._functions(language))
        await conn.execute("SET LOCAL ROLE mutual_app")
        await conn.execute("SELECT set_config('mutual.user_id', $1, true)", user)
        for statement in STATEMENTS:  # warm the connection's plans
            await conn.fetch(statement, partnership)
        started = time.perf_counter()
        for _ in range(RUNS):
            for statement in STATEMENTS:
                await conn.fetch(statement, partnership)
        return (time.perf_counter() - started) / (RUNS * len(STATEMENTS)) * 1000
    finally:
        await transaction.rollback()


async def main(rounds: int) -> None:
    conn = await asyncpg.connect(**_asyncpg_kwargs(server_url().set(database=DATABASE)))
    try:
        partnership = await conn.fetchval(
            "SELECT partnership_id FROM commitment GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
        )
        user = await conn.fetchval(
            "SELECT m.user_id::text FROM workspace_member m WHERE m.partnership_id = $1 LIMIT 1",
            partnership,
        )
        times: dict[str, list[float]] = {"sql": [], "plpgsql": []}
        for _ in range(rounds):
            for language, samples in times.items():
                samples.append(await _round(conn, language, partnership, user))
    finally:
        await conn.close()
    for language, samples in times.items():
        print(
            f"RLS functions in {language:8} {statistics.median(samples):.3f} ms per statement "
            f"(median of {rounds} rounds of {RUNS * len(STATEMENTS)})"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    asyncio.run(main(parser.parse_args().rounds))
