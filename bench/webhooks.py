"""Webhooks: deliveries per second to a local receiver with 2 workers, and commit → delivery
latency (p50/p95).

Usage: .venv/bin/python -m bench.webhooks [--events N] [--burst N]

A fresh `mutual_bench_webhooks` database with the demo world; Contoso's lead has one endpoint
(every event) at a local HTTP receiver (an asyncio server in this process, answering 200 at
once); two `mutual worker` processes deliver (MUTUAL_WEBHOOK_ALLOW_PRIVATE_ADDRESSES=1: the
receiver is local). Northwind's editor then creates SHARED milestones through the service:

- latency: `--events` commits one at a time, 20 ms apart; each delivery's arrival at the
  receiver minus the moment its transaction committed (read just after COMMIT returns, so the
  latency is if anything read high by that step);
- throughput: `--burst` milestones in one transaction (as many deliveries queued at once); the
  rate from that commit to the last arrival.

The baseline, measured in the same run: signed POSTs of the same payloads straight from one
client in this process to the receiver, one at a time (what delivery costs without the queue,
the database and the worker processes); the bench prints the workers' rate against it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
from sqlalchemy import select
from sqlalchemy.engine import URL

from bench.common import fresh_database, percentile
from mutual.config import REPO_ROOT, Settings
from mutual.db import Database, app_url
from mutual.devserver import free_port
from mutual.kit.demo import acting
from mutual.kit.pagination import PageRequest
from mutual.kit.principal import user_principal
from mutual.notify import webhooks
from mutual.notify.delivery import message_id, new_secret, sign
from mutual.roadmap import service as roadmap
from mutual.roadmap.models import Phase
from mutual.seed import seed_demo
from mutual.tenancy.models import User
from mutual.tenancy.workspace import list_workspaces

DATABASE = "mutual_bench_webhooks"
WORKERS = 2


class Receiver:
    def __init__(self) -> None:
        self.arrivals: dict[str, float] = {}  # objectId (or webhook-id) -> arrival
        self.count = 0
        self.last = 0.0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                length = 0
                for line in head.decode("latin-1").split("\r\n"):
                    if line.lower().startswith("content-length:"):
                        length = int(line.split(":", 1)[1])
                body = await reader.readexactly(length)
                now = time.time()
                self.count += 1
                self.last = now
                data = json.loads(body).get("data", {})
                key = data.get("objectId") or data.get("message")
                if key:
                    self.arrivals.setdefault(key, now)
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
        finally:
            writer.close()


@contextmanager
def worker_processes(owner: URL, count: int) -> Iterator[list[subprocess.Popen[bytes]]]:
    env = {
        **os.environ,
        "DATABASE_URL": owner.render_as_string(hide_password=False),
        "MUTUAL_ENV": "test",
        "MUTUAL_WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "1",
        "MUTUAL_JOB_POLL_SECONDS": "1",
    }
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "mutual.cli", "worker"],
            env=env,
            cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


async def _until(check: Callable[[], bool], within: float) -> None:
    deadline = time.monotonic() + within
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit("deliveries did not arrive in time")
        await asyncio.sleep(0.01)


async def baseline(url: str, count: int) -> float:
    """Signed POSTs straight to the receiver, one at a time: deliveries per second."""
    secret = new_secret()
    async with httpx.AsyncClient() as client:
        started = time.perf_counter()
        for n in range(count):
            body = json.dumps({"type": "bench", "data": {"message": f"base-{n}"}})
            msg = message_id(uuid.uuid4())
            at = datetime.now(UTC)
            await client.post(
                url,
                content=body,
                headers={
                    "content-type": "application/json",
                    "webhook-id": msg,
                    "webhook-timestamp": str(int(at.timestamp())),
                    "webhook-signature": sign([secret], msg, at, body),
                },
            )
        return count / (time.perf_counter() - started)


async def main(events: int, burst: int) -> None:
    settings = Settings(env="test", webhook_allow_private_addresses=True)
    owner = await fresh_database(DATABASE, settings)
    await seed_demo(owner, settings)
    receiver = Receiver()
    port = free_port()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", port)
    url = f"http://127.0.0.1:{port}/hooks"
    database = Database(app_url(owner, settings), pool_size=2)
    owner_db = Database(owner, pool_size=1)
    try:
        async with owner_db.session() as session:
            users = {u.email: u for u in (await session.execute(select(User))).scalars()}
        lead = user_principal(users["lead@contoso.example"])
        editor = user_principal(users["editor@northwind.example"])
        async with acting(database, lead) as session:
            page = PageRequest(first=10, after=None, last=None, before=None)
            workspaces = await list_workspaces(session, actor=lead, page=page)
            partnership = next(
                w for w in workspaces.items if w.partnership.name.startswith("Northwind")
            )
            await webhooks.create_endpoint(
                session, actor=lead, settings=settings, partnership_id=partnership.id, url=url
            )

        base_rate = await baseline(url, 300)

        with worker_processes(owner, WORKERS):
            # Warm up: the workers have started and delivered once.
            async with acting(database, editor) as session:
                _, first = await roadmap.create_milestone(
                    session, actor=editor, partnership_id=partnership.id,
                    title="Warm-up", phase=Phase.REBUILD,
                )  # fmt: skip
            warm = webhooks.to_global_id("Milestone", first.id)
            await _until(lambda: warm in receiver.arrivals, 60)
            # latency: one commit at a time
            committed: dict[str, float] = {}
            for n in range(events):
                async with acting(database, editor) as session:
                    _, milestone = await roadmap.create_milestone(
                        session, actor=editor, partnership_id=partnership.id,
                        title=f"Bench {n}", phase=Phase.REBUILD,
                    )  # fmt: skip
                committed[webhooks.to_global_id("Milestone", milestone.id)] = time.time()
                await asyncio.sleep(0.02)
            await _until(lambda: all(k in receiver.arrivals for k in committed), 60)
            latencies = [(receiver.arrivals[k] - t) * 1000 for k, t in committed.items()]

            # throughput: a burst in one transaction
            before = receiver.count
            async with acting(database, editor) as session:
                for n in range(burst):
                    await roadmap.create_milestone(
                        session, actor=editor, partnership_id=partnership.id,
                        title=f"Burst {n}", phase=Phase.DEEPEN,
                    )  # fmt: skip
            burst_committed = time.time()
            await _until(lambda: receiver.count - before >= burst, 300)
            rate = burst / (receiver.last - burst_committed)

        print(f"webhooks bench: {WORKERS} worker processes, one endpoint at a local receiver")
        print(
            f"  commit -> delivery, {events} events one at a time: "
            f"p50 {percentile(latencies, 0.5):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms, "
            f"max {max(latencies):.1f} ms"
        )
        print(f"  throughput, a burst of {burst} in one commit: {rate:.1f} deliveries/s")
        print(f"  baseline, signed POSTs from one client without the queue: {base_rate:.1f}/s")
        print(f"  ratio workers / baseline: {rate / base_rate:.2f}")
    finally:
        server.close()
        await database.dispose()
        await owner_db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--burst", type=int, default=1000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.burst))
