"""bench.statement_proxy, which counts the statements of bench/vs_postgraphile.py on the wire:
one per simple Query (BEGIN, COMMIT) and one per Execute, and each connection once."""

from __future__ import annotations

from sqlalchemy.engine import URL

from bench.statement_proxy import counting_proxy
from mutual.db import connect_owner


async def test_the_proxy_counts_a_transactions_statements_and_passes_the_answers(
    server_url: URL,
) -> None:
    with counting_proxy(server_url.set(database="postgres")) as (proxied, counts):
        conn = await connect_owner(proxied)
        try:
            assert counts.connections == 1
            counts.reset()
            async with conn.transaction():
                one = await conn.fetchval("SELECT 1")
                two = await conn.fetchval("SELECT $1::int + 1", 1)
        finally:
            await conn.close()
    assert (one, two) == (1, 2)
    assert counts.statements == 4
    assert counts.samples[0].upper().startswith("BEGIN")
    assert counts.samples[-1].upper().startswith("COMMIT")
