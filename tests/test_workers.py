"""`mutual serve --workers 2`: two processes answer on one port, and what must hold across them
does: the per-principal cost budget, the sign-in throttle and live events. Which process holds
a connection is read from Linux's /proc (devserver.connection_holders): each client below is
one TCP connection, so the process answering each request is known."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL

from mutual.config import REPO_ROOT
from mutual.devserver import client_port, connection_holders, serve_in_subprocess, serve_pids
from tests.conftest import LiveServer
from tests.helpers import JSON_HEADERS, World, error_codes
from tests.notify.test_live_events import CREATE, Subscriber

# members(first: 5) costs 1 + 1 + 5 * 1 = 7: a minute's budget of 70 is ten such queries.
MEMBERS = "query($id: ID!) { partnership(id: $id) { members(first: 5) { totalCount } } }"
BUDGET = 70
ENV = {
    "MUTUAL_ENV": "test",
    "MUTUAL_PRINCIPAL_COST_PER_MINUTE": str(BUDGET),
    "MUTUAL_LOGIN_MAX_FAILURES_PER_IP": "1000",
}


@dataclass(frozen=True)
class Workers:
    url: str
    pids: frozenset[int]
    owner_url: URL

    def holder(self, port: int) -> int:
        """The process holding the server's end of the connection from this client port."""
        return connection_holders(self.url, self.pids)[port]


@pytest.fixture(scope="module")
def workers(owner_url: URL) -> Iterator[Workers]:
    """Tests that use it also request `world`, so the data is fresh."""
    log_path = REPO_ROOT / ".mutual" / f"workers-{os.getpid()}.log"
    args = ("--no-worker", "--workers", "2")
    with serve_in_subprocess(owner_url, env=ENV, log_path=log_path, args=args) as url:
        pids = serve_pids(url)
        assert len(pids) == 2, pids
        yield Workers(url=url, pids=pids, owner_url=owner_url)


@pytest.fixture
async def on_each(workers: Workers) -> AsyncIterator[dict[int, httpx.AsyncClient]]:
    """One client (one kept-alive connection) held by each process: new connections are opened
    until both processes have accepted one (the second may still be starting)."""
    held: dict[int, httpx.AsyncClient] = {}
    async with AsyncExitStack() as stack:
        deadline = asyncio.get_running_loop().time() + 120
        while len(held) < len(workers.pids):
            assert asyncio.get_running_loop().time() < deadline, f"only {set(held)} answered"
            client = await stack.enter_async_context(
                httpx.AsyncClient(base_url=workers.url, limits=httpx.Limits(max_connections=1))
            )
            response = await client.get("/healthz")
            held.setdefault(workers.holder(client_port(response)), client)
        yield held


async def _sign_in(client: httpx.AsyncClient, email: str, password: str = "mutual-demo") -> Any:
    return await client.post(
        "/auth/login", json={"email": email, "password": password}, headers=JSON_HEADERS
    )


async def test_the_cost_budget_is_spent_once_across_both_processes(
    workers: Workers, on_each: dict[int, httpx.AsyncClient], world: World
) -> None:
    # given the same member signed in on a connection to each process
    first, second = on_each.values()
    assert (await _sign_in(first, "viewer@northwind.example")).status_code == 200
    second.cookies = first.cookies
    body = {"query": MEMBERS, "variables": {"id": world.nc_id}}

    # when they alternate between the processes, one query more than the minute allows
    answers = []
    for index in range(BUDGET // 7 + 1):
        client = (first, second)[index % 2]
        response = await client.post("/graphql", json=body, headers=JSON_HEADERS)
        answers.append(response.json())

    # then five answers from each process spent the one budget, and the eleventh is refused
    assert [error_codes(answer) for answer in answers[:-1]] == [[]] * 10
    assert answers[0]["data"]["partnership"]["members"]["totalCount"] > 0
    assert error_codes(answers[-1]) == ["RATE_LIMITED"]
    assert answers[-1]["data"] is None


async def test_failed_sign_ins_on_both_processes_add_up(
    on_each: dict[int, httpx.AsyncClient], world: World
) -> None:
    # given five wrong passwords for one account, alternating between the processes
    first, second = on_each.values()
    for index in range(5):
        refused = await _sign_in((first, second)[index % 2], "lead@contoso.example", "wrong")
        assert refused.status_code == 401, refused.text

    # when the right password comes next, on either process
    answers = [await _sign_in(client, "lead@contoso.example") for client in (first, second)]

    # then both refuse it: the account is throttled for this source
    assert [answer.status_code for answer in answers] == [429, 429]
    assert {answer.json()["error"]["code"] for answer in answers} == {"RATE_LIMITED"}


async def test_a_change_through_one_process_reaches_a_subscriber_of_the_other(
    workers: Workers, on_each: dict[int, httpx.AsyncClient], world: World
) -> None:
    # given a subscriber connected to one process
    subscriber = on_each[min(on_each)]
    assert (await _sign_in(subscriber, "viewer@contoso.example")).status_code == 200
    cookie = "; ".join(f"{k}={v}" for k, v in subscriber.cookies.items())
    server = LiveServer(url=workers.url, owner_url=workers.owner_url)
    async with Subscriber(server, cookie, world.nc_id) as contoso:
        listening = workers.holder(contoso.ws.local_address[1])
        (writer,) = [client for pid, client in on_each.items() if pid != listening]

        # when the other side creates a milestone through the other process
        assert (await _sign_in(writer, "editor@northwind.example")).status_code == 200
        variables = {
            "input": {"partnershipId": world.nc_id, "title": "Joint RCA", "phase": "STABILIZE"}
        }
        created = await writer.post(
            "/graphql", json={"query": CREATE, "variables": variables}, headers=JSON_HEADERS
        )
        event = await contoso.next_event()

    # then the subscriber hears of it
    milestone = created.json()["data"]["createMilestone"]["milestone"]
    assert event["action"] == "milestone.created"
    assert event["objectId"] == milestone["id"]
