"""The live inbox: `viewerNotices` answers the unread count at once, then again whenever a
notice reaches the user or they mark some read (through another server process too); it asks
for a sign-in, and one user's notices never wake another's."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import websockets

from mutual.kit.clock import today
from tests.conftest import LiveServer
from tests.helpers import World
from tests.notify.test_live_events import _mutate, _session_cookie

SUBSCRIBE = "subscription { viewerNotices { unreadCount } }"
PROPOSE = """
mutation($input: ProposeCommitmentInput!) {
  proposeCommitment(input: $input) { commitment { id } userErrors { code } }
}"""
MARK_ALL = "mutation { markNotificationsRead(input: {}) { unreadCount userErrors { code } } }"


class Inbox:
    def __init__(self, server: LiveServer, cookie: str | None) -> None:
        self.server, self.cookie = server, cookie

    async def __aenter__(self) -> Inbox:
        headers = {"Origin": self.server.url}
        if self.cookie:
            headers["Cookie"] = self.cookie
        self.ws = await websockets.connect(
            self.server.url.replace("http://", "ws://") + "/graphql",
            subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
            additional_headers=headers,
        )
        await self.ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(await self.ws.recv())["type"] == "connection_ack"
        await self.ws.send(
            json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        )
        return self

    async def next(self, within: float = 10) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), within))
        return message

    async def __aexit__(self, *_: object) -> None:
        await self.ws.close()


def _count(message: dict[str, Any]) -> int:
    assert message["type"] == "next", message
    return int(message["payload"]["data"]["viewerNotices"]["unreadCount"])


async def test_viewer_notices_need_a_sign_in_and_show_ones_own(
    live_server: LiveServer, second_live_server: LiveServer, world: World
) -> None:
    # without a sign-in: refused
    async with Inbox(live_server, None) as anonymous:
        refused = await anonymous.next()
    assert refused["type"] in {"next", "error"}, refused
    errors = refused["payload"]["errors"] if refused["type"] == "next" else refused["payload"]
    assert [e["extensions"]["code"] for e in errors] == ["UNAUTHENTICATED"]

    contoso = await _session_cookie(live_server, "lead@contoso.example")
    northwind = await _session_cookie(live_server, "lead@northwind.example")
    async with Inbox(live_server, contoso) as lead, Inbox(live_server, northwind) as other:
        assert _count(await lead.next()) == 0
        assert _count(await other.next()) == 0

        # when Northwind proposes a commitment through the other server process
        proposed = await _mutate(
            second_live_server,
            "editor@northwind.example",
            PROPOSE,
            {"input": {"partnershipId": world.nc_id, "title": "Live one",
                       "dueDate": (today() + timedelta(days=9)).isoformat()}},
        )  # fmt: skip
        assert proposed["data"]["proposeCommitment"]["userErrors"] == []

        # then Contoso's lead hears of it at once, and Northwind's lead of nothing
        assert _count(await lead.next()) == 1
        try:
            quiet = await other.next(within=1.0)
        except TimeoutError:
            quiet = None
        assert quiet is None, quiet

        # and marking read (elsewhere) brings the count back to 0, live
        marked = await _mutate(second_live_server, "lead@contoso.example", MARK_ALL, {})
        assert marked["data"]["markNotificationsRead"]["unreadCount"] == 0
        assert _count(await lead.next()) == 0
