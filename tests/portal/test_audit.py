"""Audit trail page: events newest first with their changes, and the chain verification."""

from __future__ import annotations

import asyncpg
import pytest
from playwright.async_api import Page, expect

from tests.helpers import JSON_HEADERS, World
from tests.portal.portal import open_signed_in, sign_in_by_request, workspace_url

pytestmark = pytest.mark.browser


async def test_audit_trail_lists_events_newest_first_and_verifies_the_chain(
    page: Page, world: World
) -> None:
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "audit"))

    trail = page.get_by_role("table", name="Audit trail")
    rows = trail.get_by_role("row")
    await expect(rows).to_have_count(1 + 8)
    # Newest first: the seed's last write was Contoso's lead adding its viewer.
    newest = rows.nth(1)
    await expect(newest).to_contain_text("#8")
    await expect(newest).to_contain_text("Lead (Contoso)")
    await expect(newest).to_contain_text("member.added")
    await expect(newest).to_contain_text("role: VIEWER")
    await expect(newest).to_contain_text("user: viewer@contoso.example")
    oldest = rows.nth(8)
    await expect(oldest).to_contain_text("#1")
    await expect(oldest).to_contain_text("invitation.sent")
    await expect(page.get_by_text("Showing 8 of 8.")).to_be_visible()

    await page.get_by_role("button", name="Verify chain").click()

    verification = page.get_by_role("status", name="Chain verification")
    await expect(verification).to_have_text("Chain intact: all 8 events verified.")


async def test_a_tampered_event_is_reported_by_verify_chain(
    page: Page, world: World, owner: asyncpg.Connection
) -> None:
    # The table owner rewrites history behind the application's back.
    await owner.execute(
        "UPDATE audit_event SET changes = '{\"role\": {\"from\": null, \"to\": \"LEAD\"}}'"
        " WHERE partnership_id = $1 AND seq = 3",
        world.northwind_contoso.id,
    )
    await open_signed_in(page, "lead@northwind.example", workspace_url(world.nc_id, "audit"))

    await page.get_by_role("button", name="Verify chain").click()

    verification = page.get_by_role("status", name="Chain verification")
    await expect(verification).to_contain_text("Chain broken at event #3")


async def test_older_events_load_on_demand(page: Page, world: World) -> None:
    await sign_in_by_request(page, "lead@contoso.example")
    await _write_role_changes(page, world, count=30)
    await page.goto(workspace_url(world.nc_id, "audit"))
    trail = page.get_by_role("table", name="Audit trail")
    await expect(trail.get_by_role("row")).to_have_count(1 + 25)
    await expect(trail.get_by_role("row").nth(1)).to_contain_text("role: EDITOR → VIEWER")
    await expect(page.get_by_text("Showing 25 of 38.")).to_be_visible()

    await page.get_by_role("button", name="Load older events").click()

    await expect(trail.get_by_role("row")).to_have_count(1 + 38)
    await expect(page.get_by_role("button", name="Load older events")).to_have_count(0)
    await expect(trail.get_by_role("row").last).to_contain_text("invitation.sent")


MEMBERS = """query($id: ID!) { partnership(id: $id) {
  members(first: 20, ownSideOnly: true) { nodes { id user { email } } } } }"""
CHANGE_ROLE = """mutation($input: ChangeWorkspaceMemberRoleInput!) {
  changeWorkspaceMemberRole(input: $input) { userErrors { message } } }"""


async def _write_role_changes(page: Page, world: World, *, count: int) -> None:
    """Audit events set up through the API with the browser's own session: Contoso's viewer
    flips between EDITOR and VIEWER `count` times, ending as VIEWER."""
    members = await page.request.post(
        "/graphql", data={"query": MEMBERS, "variables": {"id": world.nc_id}}, headers=JSON_HEADERS
    )
    nodes = (await members.json())["data"]["partnership"]["members"]["nodes"]
    member_id = next(n["id"] for n in nodes if n["user"]["email"] == "viewer@contoso.example")
    for index in range(count):
        role = "EDITOR" if index % 2 == 0 else "VIEWER"
        variables = {"input": {"memberId": member_id, "role": role}}
        changed = await page.request.post(
            "/graphql", data={"query": CHANGE_ROLE, "variables": variables}, headers=JSON_HEADERS
        )
        body = await changed.json()
        assert body["data"]["changeWorkspaceMemberRole"]["userErrors"] == [], body
