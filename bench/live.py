"""Live updates: commit → delivery latency of `partnershipEvents` with 200 subscribers spread
over two server processes, the changes made through one of them.

Usage: .venv/bin/python -m bench.live [--subscribers N] [--mutations N] [--clients N]

A fresh `mutual_bench_live` database with the demo seed; two `mutual serve` processes
(MUTUAL_ENV=production) fanning events out through PostgreSQL LISTEN/NOTIFY. The subscribers
(graphql-transport-ws, as the eight members of Northwind ↔ Contoso in turn) run in separate
client processes, half of them on each server. One editor then creates SHARED milestones
through server A, one at a time, and every subscriber records when each event arrives.

The commit happens between the moment the mutation is sent and the moment its response
arrives. Two observations follow it: the response, and PostgreSQL's NOTIFY (delivered when
the transaction commits), which the bench hears on a LISTEN connection of its own. The
commit time is the earlier of the two, the first moment the commit is known to have
happened: the latency is if anything read low, by the time that observation took. Prints
p50/p95 from it (per server too), and for comparison from the response alone and from the
moment the request was sent (an upper bound), and each server's CPU per delivered event.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import websockets
from sqlalchemy.engine import URL

from bench.common import (
    JSON_HEADERS,
    cpu_seconds,
    fresh_database,
    percentile,
    server_pid,
    server_process,
)
from mutual.config import Settings
from mutual.db import connect_owner
from mutual.graphql.ids import to_global_id
from mutual.kit.hub import CHANNEL
from mutual.seed import DEMO_PASSWORD, seed_demo

DATABASE = "mutual_bench_live"
TARGET_P95_MS = 100
MEMBERS = [
    f"{role}@{org}.example"
    for org in ("northwind", "contoso")
    for role in ("lead", "editor", "governance", "viewer")
]
SUBSCRIBE = """
subscription($id: ID!) { partnershipEvents(partnershipId: $id) { seq action objectId } }
"""
PARTNERSHIPS = "{ viewer { partnerships(first: 10) { nodes { id name } } } }"
CREATE = """
mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { code message } }
}
"""


@dataclass(frozen=True)
class Plan:
    """What one client process does: its subscribers on one server."""

    server: str  # "A" or "B"
    url: str
    cookies: list[str]
    partnership_id: str
    events: int


def login_cookie(url: str, email: str) -> str:
    with httpx.Client(base_url=url) as client:
        login = {"email": email, "password": DEMO_PASSWORD}
        client.post("/auth/login", json=login, headers=JSON_HEADERS).raise_for_status()
        return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


async def _subscribe(plan: Plan, cookie: str) -> websockets.ClientConnection:
    ws = await websockets.connect(
        plan.url.replace("http://", "ws://") + "/graphql",
        subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
        additional_headers={"Cookie": cookie, "Origin": plan.url},
        max_queue=None,
    )
    await ws.send(json.dumps({"type": "connection_init"}))
    if json.loads(await ws.recv())["type"] != "connection_ack":
        raise RuntimeError("no connection_ack")
    subscribe = {"query": SUBSCRIBE, "variables": {"id": plan.partnership_id}}
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": subscribe}))
    # The subscription is registered once the server has answered a ping sent after it.
    await ws.send(json.dumps({"type": "ping"}))
    reply = json.loads(await asyncio.wait_for(ws.recv(), 30))
    if reply["type"] != "pong":
        raise RuntimeError(f"subscription refused: {reply}")
    return ws


async def _receive(ws: websockets.ClientConnection, events: int) -> list[tuple[str, float]]:
    """(object id, arrival time) of each event, until `events` arrived or none for 30 s."""
    arrivals: list[tuple[str, float]] = []
    try:
        while len(arrivals) < events:
            message = json.loads(await asyncio.wait_for(ws.recv(), 30))
            arrived = time.time()
            if message["type"] == "next":
                event = message["payload"]["data"]["partnershipEvents"]
                arrivals.append((event["objectId"], arrived))
    except TimeoutError:
        pass
    finally:
        await ws.close()
    return arrivals


async def _client(plan: Plan, ready: Any) -> list[list[tuple[str, float]]]:
    connections = [await _subscribe(plan, cookie) for cookie in plan.cookies]
    ready.put(len(connections))
    return await asyncio.gather(*(_receive(ws, plan.events) for ws in connections))


def run_client(plan: Plan, ready: Any, results: Any) -> None:
    """A client process: subscribe, report ready, collect every arrival, send them back."""
    results.put((plan.server, asyncio.run(_client(plan, ready))))


def partnership_id(url: str, cookie: str) -> str:
    with httpx.Client(base_url=url, headers={"Cookie": cookie}) as client:
        body = client.post("/graphql", json={"query": PARTNERSHIPS}, headers=JSON_HEADERS).json()
    nodes = body["data"]["viewer"]["partnerships"]["nodes"]
    return str(next(n["id"] for n in nodes if n["name"].startswith("Northwind")))


def mutate(url: str, pid: str, count: int, interval: float) -> dict[str, tuple[float, float]]:
    """Create `count` SHARED milestones one by one: {milestone id: (sent, answered)}."""
    times = {}
    with httpx.Client(base_url=url, timeout=30) as client:
        login = {"email": "editor@northwind.example", "password": DEMO_PASSWORD}
        client.post("/auth/login", json=login, headers=JSON_HEADERS).raise_for_status()
        for index in range(count):
            variables = {
                "input": {"partnershipId": pid, "title": f"Live {index}", "phase": "REBUILD"}
            }
            sent = time.time()
            response = client.post(
                "/graphql", json={"query": CREATE, "variables": variables}, headers=JSON_HEADERS
            )
            answered = time.time()
            payload = response.json()["data"]["createMilestone"]
            if payload["userErrors"]:
                raise RuntimeError(payload["userErrors"])
            times[payload["milestone"]["id"]] = (sent, answered)
            time.sleep(interval)
    return times


class CommitClock:
    """When PostgreSQL announced each change: LISTEN on the channel the servers use (a NOTIFY
    is delivered at commit), in a thread with its own connection."""

    def __init__(self, owner: URL) -> None:
        self.owner = owner
        self.announced: dict[str, float] = {}
        self._listening = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._listen()), daemon=True)

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        at = time.time()
        data = json.loads(payload)
        object_id = to_global_id(data["object_type"], uuid.UUID(data["object_id"]))
        self.announced.setdefault(object_id, at)

    async def _listen(self) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        conn = await connect_owner(self.owner)
        try:
            await conn.add_listener(CHANNEL, self._on_notify)
            self._listening.set()
            await self._stop.wait()
        finally:
            await conn.close()

    def __enter__(self) -> CommitClock:
        self._thread.start()
        if not self._listening.wait(30):
            raise RuntimeError("could not LISTEN")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)


def report(name: str, samples: list[float]) -> str:
    if not samples:
        return f"{name:<52} no samples"
    return (
        f"{name:<52} p50 {percentile(samples, 0.5):7.2f} ms   p95 {percentile(samples, 0.95):7.2f}"
        f" ms   max {max(samples):7.2f} ms   n={len(samples)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subscribers", type=int, default=200)
    parser.add_argument("--mutations", type=int, default=40)
    parser.add_argument("--clients", type=int, default=4, help="client processes (even)")
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between changes")
    args = parser.parse_args()
    settings = Settings(env="production", allow_insecure=True)
    owner = asyncio.run(fresh_database(DATABASE, settings))
    asyncio.run(seed_demo(owner, settings))

    with server_process(owner) as url_a, server_process(owner) as url_b:
        urls = {"A": url_a, "B": url_b}
        cookies = {
            name: [login_cookie(url, email) for email in MEMBERS] for name, url in urls.items()
        }
        pid = partnership_id(url_a, cookies["A"][0])
        per_client = args.subscribers // args.clients
        plans = [
            Plan(
                server="AB"[index % 2],
                url=urls["AB"[index % 2]],
                cookies=[
                    cookies["AB"[index % 2]][(index * per_client + n) % len(MEMBERS)]
                    for n in range(per_client)
                ],
                partnership_id=pid,
                events=args.mutations,
            )
            for index in range(args.clients)
        ]
        context = multiprocessing.get_context("spawn")
        ready, results = context.Queue(), context.Queue()
        processes = [
            context.Process(target=run_client, args=(plan, ready, results)) for plan in plans
        ]
        for process in processes:
            process.start()
        subscribed = sum(ready.get(timeout=300) for _ in processes)
        print(f"{subscribed} subscribers ({per_client * args.clients // 2} on each of two "
              f"servers, in {args.clients} client processes); {args.mutations} changes "
              f"through server A, one every {args.interval * 1000:.0f} ms")  # fmt: skip
        processes_of = {name: server_pid(url) for name, url in urls.items()}
        cpu_before = {name: cpu_seconds(p) for name, p in processes_of.items() if p}
        with CommitClock(owner) as clock:
            times = mutate(url_a, pid, args.mutations, args.interval)
            collected = [results.get(timeout=120) for _ in processes]
        cpu_used = {
            name: cpu_seconds(p) - cpu_before[name] for name, p in processes_of.items() if p
        }
        for process in processes:
            process.join(timeout=30)

    from_commit: dict[str, list[float]] = {"A": [], "B": []}
    from_answer: list[float] = []
    from_request: list[float] = []
    delivered = 0
    for server, subscribers in collected:
        for arrivals in subscribers:
            for object_id, arrived in arrivals:
                if object_id not in times or object_id not in clock.announced:
                    continue
                sent, answered = times[object_id]
                committed = min(answered, clock.announced[object_id])
                delivered += 1
                from_commit[server].append((arrived - committed) * 1000)
                from_answer.append((arrived - answered) * 1000)
                from_request.append((arrived - sent) * 1000)
    expected = subscribed * args.mutations
    both = from_commit["A"] + from_commit["B"]
    print(f"deliveries: {delivered} of {expected}")
    print(report("commit → delivery", both))
    print(report("  subscribers on server A (the mutation's)", from_commit["A"]))
    print(report("  subscribers on server B", from_commit["B"]))
    print(report("mutation response → delivery", from_answer))
    print(report("request sent → delivery (upper bound)", from_request))
    for name, seconds in sorted(cpu_used.items()):
        deliveries = len(from_commit[name]) or 1
        print(f"server {name} CPU while the changes were made: {seconds * 1000:.0f} ms, "
              f"{seconds * 1e6 / deliveries:.0f} µs per delivered event")  # fmt: skip
    p95 = percentile(both, 0.95) if both else float("inf")
    verdict = "met" if p95 < TARGET_P95_MS and delivered == expected else "NOT met"
    print(f"target p95 < {TARGET_P95_MS} ms with every event delivered: {verdict}")


if __name__ == "__main__":
    main()
