"""Shared pieces of the benchmarks: a fresh database, a server process, percentiles."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager

import asyncpg
import httpx
from sqlalchemy.engine import URL, make_url

from mutual.config import REPO_ROOT, Settings
from mutual.db import _asyncpg_kwargs, ensure_database, run_migrations, start_embedded_postgres
from mutual.devserver import serve_in_subprocess

JSON_HEADERS = {"content-type": "application/json", "x-mutual-csrf": "1"}


def server_url() -> URL:
    configured = os.environ.get("DATABASE_URL")
    uri = configured or start_embedded_postgres(REPO_ROOT / ".mutual" / "bench")
    return make_url(uri).set(drivername="postgresql+asyncpg")


async def fresh_database(name: str, settings: Settings) -> URL:
    owner = server_url().set(database=name)
    admin = await asyncpg.connect(**_asyncpg_kwargs(owner.set(database="postgres")))
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
    await ensure_database(owner, settings)
    await asyncio.to_thread(run_migrations, owner)
    return owner


@contextmanager
def server_process(owner: URL) -> Iterator[str]:
    """`mutual serve` (production mode: limits on, no GraphiQL) in its own process."""
    env = {"MUTUAL_ENV": "production", "MUTUAL_PRINCIPAL_COST_PER_MINUTE": "100000000"}
    with serve_in_subprocess(owner, env=env) as url:
        yield url


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed_posts(client: httpx.Client, query: str, count: int, *, warmup: int = 30) -> list[float]:
    """Milliseconds per sequential POST /graphql (each must answer without errors)."""
    samples: list[float] = []
    for index in range(warmup + count):
        started = time.perf_counter()
        response = client.post("/graphql", json={"query": query}, headers=JSON_HEADERS)
        elapsed = (time.perf_counter() - started) * 1000
        body = response.json()
        if "errors" in body:
            raise RuntimeError(body["errors"])
        if index >= warmup:
            samples.append(elapsed)
    return samples


def describe(name: str, samples: list[float]) -> str:
    return (
        f"{name:<44} p50 {percentile(samples, 0.5):7.2f} ms   p95 {percentile(samples, 0.95):7.2f}"
        f" ms   mean {statistics.fmean(samples):7.2f} ms   n={len(samples)}"
    )
