"""Shared pieces of the benchmarks: a fresh database, a server process, percentiles."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
def server_process(
    owner: URL, *, args: Sequence[str] = (), env: dict[str, str] | None = None
) -> Iterator[str]:
    """`mutual serve` (production mode: limits on, no GraphiQL) in its own process, over plain
    http on this machine: MUTUAL_ALLOW_INSECURE=1 lets production mode start without https.
    One process unless `args` say `--workers N`."""
    env = {
        "MUTUAL_ENV": "production",
        "MUTUAL_ALLOW_INSECURE": "1",
        "MUTUAL_PRINCIPAL_COST_PER_MINUTE": "100000000",
        **(env or {}),
    }
    with serve_in_subprocess(owner, env=env, args=args) as url:
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


def timed_interleaved(
    client: httpx.Client,
    baseline: dict[str, Any],
    measured: dict[str, Any],
    count: int,
    *,
    warmup: int = 30,
) -> tuple[list[float], list[float]]:
    """Milliseconds per POST /graphql of two bodies, alternating, so both see the same load."""
    first, second = timed_alternating(
        [(client, baseline), (client, measured)], count, warmup=warmup
    )
    return first, second


def timed_alternating(
    requests: Sequence[tuple[httpx.Client, dict[str, Any]]], count: int, *, warmup: int = 30
) -> list[list[float]]:
    """Milliseconds per POST /graphql of each (client, body), one after another in every round,
    so that all of them (on one server or several) see the same load."""
    samples: list[list[float]] = [[] for _ in requests]
    for index in range(warmup + count):
        for (client, body), into in zip(requests, samples, strict=True):
            started = time.perf_counter()
            response = client.post("/graphql", json=body, headers=JSON_HEADERS)
            elapsed = (time.perf_counter() - started) * 1000
            if "errors" in response.json():
                raise RuntimeError(response.json()["errors"])
            if index >= warmup:
                into.append(elapsed)
    return samples


def server_pid(url: str) -> int | None:
    """The process of the `mutual serve` listening at `url` (Linux /proc), if it can be found."""
    port = url.rsplit(":", 1)[-1]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"mutual.cli" in argv and b"serve" in argv and port.encode() in argv:
            return int(entry.name)
    return None


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu_per_request(
    client: httpx.Client, pid: int, body: dict[str, Any], count: int
) -> float:
    """Milliseconds of the server process's CPU per request: unlike wall time, this does not
    grow when other processes compete for the machine."""
    before = cpu_seconds(pid)
    for _ in range(count):
        client.post("/graphql", json=body, headers=JSON_HEADERS).raise_for_status()
    return (cpu_seconds(pid) - before) * 1000 / count


def describe(name: str, samples: list[float]) -> str:
    return (
        f"{name:<44} p50 {percentile(samples, 0.5):7.2f} ms   p95 {percentile(samples, 0.95):7.2f}"
        f" ms   mean {statistics.fmean(samples):7.2f} ms   n={len(samples)}"
    )
