"""The workspace's live socket: it comes back after a dropped connection (retrying with backoff)
and catches up with what changed while it was down, without a reload."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import WebSocketRoute, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import (
    live_updates_on,
    mutation,
    open_signed_in,
    sign_in_by_request,
    workspace_url,
)

pytestmark = pytest.mark.browser

CREATE = """mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { code message } } }"""


async def test_a_dropped_socket_reconnects_and_the_board_catches_up(
    new_page: NewPage, world: World
) -> None:
    contoso = await new_page()
    # Every socket of the page goes through here, so that the test can cut it and keep it down.
    connections: list[tuple[WebSocketRoute, WebSocketRoute]] = []
    network_up = asyncio.Event()
    network_up.set()

    async def through(page_side: WebSocketRoute) -> None:
        if not network_up.is_set():
            await page_side.close(code=4000, reason="still offline")
            return
        connections.append((page_side, page_side.connect_to_server()))

    await contoso.route_web_socket("**/graphql", through)
    await open_signed_in(contoso, "lead@contoso.example", workspace_url(world.nc_id, "roadmap"))
    await live_updates_on(contoso)
    await expect(contoso.get_by_text("The roadmap is empty")).to_be_visible()

    network_up.clear()
    page_side, server_side = connections[0]
    await server_side.close()
    await page_side.close(code=4000, reason="network dropped")
    await expect(contoso.get_by_text("Reconnecting live updates…")).to_be_visible()

    # Northwind adds a milestone while Contoso's socket is down.
    northwind = await new_page()
    await sign_in_by_request(northwind, "editor@northwind.example")
    await mutation(
        northwind,
        CREATE,
        "createMilestone",
        {"partnershipId": world.nc_id, "title": "Joint root-cause analysis", "phase": "STABILIZE"},
    )
    await expect(contoso.get_by_text("Reconnecting live updates…")).to_be_visible()
    network_up.set()

    await live_updates_on(contoso)
    assert len(connections) == 2
    stabilize = contoso.get_by_role("list", name="Stabilize phase").get_by_role("listitem")
    await expect(stabilize).to_have_count(1)
    await expect(stabilize).to_contain_text("Joint root-cause analysis")
