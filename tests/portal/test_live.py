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


PROPOSE = """mutation($input: ProposeCommitmentInput!) {
  proposeCommitment(input: $input) { commitment { id } userErrors { message } } }"""


async def test_a_success_banner_goes_once_the_partner_changes_what_it_spoke_of(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    await sign_in_by_request(northwind, "editor@northwind.example")
    due = (await northwind.evaluate("new Date(Date.now() + 20 * 864e5).toISOString()"))[:10]
    for title in ("Weekly report", "Safety stock"):
        await mutation(northwind, PROPOSE, "proposeCommitment",
                       {"partnershipId": world.nc_id, "title": title, "dueDate": due})  # fmt: skip
    contoso = await new_page()
    commitments = workspace_url(world.nc_id, "commitments")
    await open_signed_in(contoso, "editor@contoso.example", commitments)
    await live_updates_on(contoso)

    # Contoso accepts one: the banner says so
    row = contoso.get_by_role("listitem").filter(has_text="Weekly report")
    await row.get_by_role("button", name="Accept").click()
    banner = contoso.get_by_role("status").filter(has_text="You accepted “Weekly report”.")
    await expect(banner).to_be_visible()
    await contoso.wait_for_timeout(500)  # its own live event has come and gone: it stays
    await expect(banner).to_be_visible()

    # Northwind's next change re-renders the list: the banner about the old list goes
    daily = {"partnershipId": world.nc_id, "title": "Daily feed", "dueDate": due}
    await mutation(northwind, PROPOSE, "proposeCommitment", daily)
    notice = contoso.get_by_text("just changed a commitment; the list is up to date.")
    await expect(notice).to_be_visible()
    await expect(banner).to_have_count(0)


UPDATE = """mutation($input: UpdateMilestoneInput!) {
  updateMilestone(input: $input) { milestone { id version } userErrors { message } } }"""


async def test_a_forms_saved_message_goes_once_the_partner_changes_the_record(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    await sign_in_by_request(northwind, "editor@northwind.example")
    created = await mutation(
        northwind, CREATE, "createMilestone",
        {"partnershipId": world.nc_id, "title": "Quality gate", "phase": "STABILIZE"},
    )  # fmt: skip
    milestone_id = created["milestone"]["id"]
    contoso = await new_page()
    await open_signed_in(
        contoso, "editor@contoso.example",
        workspace_url(world.nc_id, "roadmap") + "/" + milestone_id,
    )  # fmt: skip
    await live_updates_on(contoso)
    form = contoso.get_by_role("form", name="Edit milestone")
    await form.get_by_label("Description").fill("Checked before every shipment.")
    await form.get_by_role("button", name="Save changes").click()
    saved = form.get_by_role("status").filter(has_text="Saved.")
    await expect(saved).to_be_visible()

    at_risk = {"milestoneId": milestone_id, "expectedVersion": 2, "status": "AT_RISK"}
    await mutation(northwind, UPDATE, "updateMilestone", at_risk)

    notice = contoso.get_by_text("just changed this milestone; it is up to date.")
    await expect(notice).to_be_visible()
    await expect(form.get_by_label("Status")).to_have_value("AT_RISK")
    await expect(saved).to_have_count(0)
