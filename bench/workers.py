"""Dashboard throughput at 16 connections of `mutual serve --workers 1` and `--workers 2`, the
ratio (target: at least 1.5 on a 2-core machine), and what the budget shared by the processes
costs a request.

Usage: .venv/bin/python -m bench.workers [--seconds S] [--connections N] [--reuse]

Uses bench.dashboard's data (generated in a fresh `mutual_bench` database unless --reuse finds
it) and query, as a LEAD of the large partnership, against real server processes
(MUTUAL_ENV=production). Each connection sends the dashboard again as soon as it is answered;
after a warm-up, the answers of `--seconds` are counted. Also printed: how the connections were
spread over the processes (devserver.connection_holders), the servers' CPU per dashboard (all
their processes), one charge of the per-principal budget in memory and in files (the shared
one), and the server CPU per request of `{ __typename }` (costs nothing, never charged) and of
a query that is charged, in one process with the budget in memory and in files.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from bench.common import (
    JSON_HEADERS,
    cpu_seconds,
    server_cpu_per_request,
    server_process,
)
from bench.dashboard import DASHBOARD, bench_data, variables
from bench.generate import LARGE_LOGIN
from mutual.config import Settings
from mutual.devserver import client_port, connection_holders, serve_pids
from mutual.graphql.limits import Budget, PrincipalBudget, SharedPrincipalBudget
from mutual.seed import DEMO_PASSWORD

TARGET_RATIO = 1.5
WARMUP_SECONDS = 3.0
CHARGED = "{ viewer { user { id } } }"  # costs 3


def sign_in(url: str) -> httpx.Cookies:
    with httpx.Client(base_url=url) as client:
        login = {"email": LARGE_LOGIN, "password": DEMO_PASSWORD}
        client.post("/auth/login", json=login, headers=JSON_HEADERS).raise_for_status()
        return client.cookies


async def throughput(
    url: str, body: dict[str, Any], *, connections: int, seconds: float
) -> tuple[float, float, Counter[int]]:
    """Answers per second, server CPU milliseconds per answer, and connections per process."""
    cookies = sign_in(url)
    pids = serve_pids(url)
    clients = [
        httpx.AsyncClient(
            base_url=url, cookies=cookies, timeout=60, limits=httpx.Limits(max_connections=1)
        )
        for _ in range(connections)
    ]
    answered = 0
    running = True
    ports: list[int] = []
    all_answered = asyncio.Event()

    async def send(client: httpx.AsyncClient) -> None:
        nonlocal answered
        first = True
        while running:
            response = await client.post("/graphql", json=body, headers=JSON_HEADERS)
            if "errors" in response.json():
                raise RuntimeError(response.json()["errors"])
            if first:
                ports.append(client_port(response))
                first = False
                if len(ports) == connections:
                    all_answered.set()
            answered += 1

    tasks = [asyncio.create_task(send(client)) for client in clients]
    await asyncio.sleep(WARMUP_SECONDS)
    await all_answered.wait()  # every connection answered once
    holders = connection_holders(url, pids)
    spread = Counter(holders[port] for port in ports if port in holders)
    before, cpu_before, started = answered, sum(map(cpu_seconds, pids)), time.perf_counter()
    await asyncio.sleep(seconds)
    count, cpu, elapsed = (
        answered - before,
        sum(map(cpu_seconds, pids)) - cpu_before,
        time.perf_counter() - started,
    )
    running = False
    await asyncio.gather(*tasks)
    for client in clients:
        await client.aclose()
    return count / elapsed, cpu * 1000 / max(count, 1), spread


def charge_microseconds(budget: Budget, count: int = 20_000) -> float:
    started = time.perf_counter()
    for index in range(count):
        budget.charge(f"user:{index % 50}", 7, 10**12)
    return (time.perf_counter() - started) * 1e6 / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--requests", type=int, default=1000, help="per CPU measure")
    parser.add_argument("--reuse", action="store_true", help="reuse generated bench data")
    args = parser.parse_args()
    settings = Settings(env="production", public_url="http://127.0.0.1:8000", allow_insecure=True)
    owner, partnership_id = asyncio.run(bench_data(settings, reuse=args.reuse))
    dashboard = {"query": DASHBOARD, "variables": variables(partnership_id)}

    rates = {}
    for workers in (1, 2):
        with server_process(owner, args=["--no-worker", "--workers", str(workers)]) as url:
            rate, cpu, spread = asyncio.run(
                throughput(url, dashboard, connections=args.connections, seconds=args.seconds)
            )
        rates[workers] = rate
        shares = " / ".join(str(n) for n in sorted(spread.values(), reverse=True))
        print(f"--workers {workers}: {rate:6.1f} dashboards/s at {args.connections} connections"
              f" (per process {shares}), server CPU {cpu:.2f} ms per dashboard")  # fmt: skip
    ratio = rates[2] / rates[1]
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    print(f"ratio 2 workers / 1: {ratio:.2f} ({verdict} the target of {TARGET_RATIO})")

    with tempfile.TemporaryDirectory() as directory:
        memory = charge_microseconds(PrincipalBudget())
        files = charge_microseconds(SharedPrincipalBudget(Path(directory)))
    print(f"one budget charge: in memory {memory:.1f} µs, in files (shared) {files:.1f} µs")
    for name, env in (("memory", {}), ("files", {"MUTUAL_BUDGET_DIR": ""})):
        with tempfile.TemporaryDirectory() as directory:
            if env:
                env["MUTUAL_BUDGET_DIR"] = directory
            with server_process(owner, args=["--no-worker"], env=env) as url:
                (pid,) = serve_pids(url)
                with httpx.Client(base_url=url, cookies=sign_in(url), timeout=30) as client:
                    cpu = [
                        server_cpu_per_request(client, pid, {"query": query}, args.requests)
                        for query in ("{ __typename }", CHARGED)
                    ]
        print(f"one process, budget in {name}: server CPU per request "
              f"{{ __typename }} {cpu[0]:.2f} ms, {CHARGED} {cpu[1]:.2f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
