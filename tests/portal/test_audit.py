"""Audit trail page: events newest first, named by their objects' titles, with their changes as
people say them; filters; the chain verification; no sideways scroll, and cards on a phone."""

from __future__ import annotations

import re
from urllib.parse import quote

import asyncpg
import pytest
from playwright.async_api import Page, expect

from tests.helpers import JSON_HEADERS, World
from tests.portal.conftest import NewPage
from tests.portal.portal import (
    days_from_today,
    mutation,
    open_signed_in,
    sign_in_by_request,
    workspace_url,
)

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
    await expect(newest).to_contain_text("Added the member Viewer (Contoso)")
    await expect(newest).to_contain_text("Role: Viewer")
    await expect(newest).to_contain_text("Person: viewer@contoso.example")
    oldest = rows.nth(8)
    await expect(oldest).to_contain_text("#1")
    await expect(oldest).to_contain_text("Sent the invitation Invitation of Contoso Retail")
    await expect(page.get_by_text("Showing 8 of 8.")).to_be_visible()

    await page.get_by_role("button", name="Verify chain").click()

    verification = page.get_by_role("status", name="Chain verification")
    await expect(verification).to_have_text("Chain intact: all 8 events verified.")


async def test_a_tampered_event_is_reported_by_verify_chain(
    page: Page, world: World, owner: asyncpg.Connection
) -> None:
    # The table owner rewrites history behind the application's back.
    await owner.execute(
        'UPDATE audit_event SET changes = \'{"role": {"from": null, "to": "LEAD"}}\''
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
    await expect(trail.get_by_role("row").nth(1)).to_contain_text("Role: Editor → Viewer")
    await expect(page.get_by_text("Showing 25 of 38.")).to_be_visible()

    await page.get_by_role("button", name="Load older events").click()

    await expect(trail.get_by_role("row")).to_have_count(1 + 38)
    await expect(page.get_by_role("button", name="Load older events")).to_have_count(0)
    await expect(trail.get_by_role("row").last).to_contain_text("Sent the invitation")


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


PROPOSE = """mutation($input: ProposeCommitmentInput!) {
  proposeCommitment(input: $input) { commitment { id version } userErrors { message } } }"""
START = """mutation($input: CommitmentActionInput!) {
  startCommitment(input: $input) { commitment { id version } userErrors { message } } }"""
ACCEPT = """mutation($input: CommitmentActionInput!) {
  acceptCommitment(input: $input) { commitment { id version } userErrors { message } } }"""
CREATE_MILESTONE = """mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { message } } }"""
# What the trail must no longer show: the API's enum values, its field names, ISO moments.
RAW = re.compile(
    r"\b(IN_PROGRESS|PROPOSED|AGREED|STABILIZE|due_date|owner_party_id)\b|\d{4}-\d\d-\d\dT"
)


async def _commitment_in_progress(new_page: NewPage, world: World, title: str) -> str:
    """Northwind proposes a commitment, Contoso accepts it, Northwind starts it: its id."""
    northwind = await new_page()
    contoso = await new_page()
    await sign_in_by_request(northwind, "editor@northwind.example")
    await sign_in_by_request(contoso, "editor@contoso.example")
    proposed = await mutation(
        northwind, PROPOSE, "proposeCommitment",
        {"partnershipId": world.nc_id, "title": title, "dueDate": days_from_today(20)},
    )  # fmt: skip
    c = proposed["commitment"]
    step = {"commitmentId": c["id"], "expectedVersion": c["version"]}
    c = (await mutation(contoso, ACCEPT, "acceptCommitment", step))["commitment"]
    step = {"commitmentId": c["id"], "expectedVersion": c["version"]}
    await mutation(northwind, START, "startCommitment", step)
    await mutation(
        northwind, CREATE_MILESTONE, "createMilestone",
        {"partnershipId": world.nc_id, "title": "Quality gate", "phase": "STABILIZE"},
    )  # fmt: skip
    await northwind.context.close()
    await contoso.context.close()
    return str(c["id"])


async def test_the_trail_names_objects_by_title_and_says_values_as_people_do(
    new_page: NewPage, world: World
) -> None:
    commitment_id = await _commitment_in_progress(new_page, world, "Weekly order-status report")
    page = await new_page()
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "audit"))
    trail = page.get_by_role("table", name="Audit trail")

    started = trail.get_by_role("row").filter(has_text="Started work on the commitment")
    await expect(started).to_contain_text("Editor (Northwind)")
    await expect(started).to_contain_text("Status: Agreed → In progress")
    proposed = trail.get_by_role("row").filter(has_text="Proposed the commitment")
    await expect(proposed).to_contain_text("Due date:")
    await expect(proposed).to_contain_text("Status: Proposed")
    milestone = trail.get_by_role("row").filter(has_text="Added the milestone Quality gate")
    await expect(milestone).to_contain_text("Phase: Stabilize")
    # no enum values, field names or ISO moments, and every moment names its time zone
    text = await trail.inner_text()
    assert not RAW.search(text), RAW.search(text)
    when = await trail.locator("tbody td:first-child time").all_inner_texts()
    assert when and all(re.search(r"(UTC|GMT)", w) for w in when), when

    # the title opens the commitment
    await started.get_by_role("link", name="Weekly order-status report").click()
    await expect(page).to_have_url(re.compile(re.escape(quote(commitment_id, safe=""))))
    await expect(
        page.get_by_role("heading", name="Weekly order-status report", level=3)
    ).to_be_visible()


async def test_the_trail_filters_by_kind_side_person_and_period(
    new_page: NewPage, world: World
) -> None:
    await _commitment_in_progress(new_page, world, "Safety stock")
    page = await new_page()
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "audit"))
    trail = page.get_by_role("table", name="Audit trail")
    await expect(trail.get_by_role("row")).to_have_count(1 + 12)
    filters = page.get_by_role("search", name="Filter the audit trail")

    await filters.get_by_label("Changed").select_option(label="Commitments")
    await expect(page.get_by_text("3 events match the filters")).to_be_visible()
    await filters.get_by_label("Side").select_option(label="Northwind Components")
    await expect(page.get_by_text("2 events match the filters")).to_be_visible()
    await filters.get_by_label("Changed").select_option(label="Anything")
    person = "Editor (Northwind) — Northwind Components"
    await filters.get_by_label("Person").select_option(label=person)
    await expect(page.get_by_text("3 events match the filters")).to_be_visible()
    await expect(trail.get_by_role("row")).to_have_count(1 + 3)
    # the filters stay in the address: a reload shows the same events
    await page.reload()
    await expect(page.get_by_text("3 events match the filters")).to_be_visible()
    await expect(filters.get_by_label("Side")).to_have_value(re.compile(".+"))

    # a period: everything happened today, nothing before it
    await filters.get_by_role("button", name="Clear filters").click()
    await expect(page.get_by_text("12 events, newest first")).to_be_visible()
    yesterday = days_from_today(-1)
    await filters.get_by_label("Until").fill(yesterday)
    await filters.get_by_label("Until").dispatch_event("change")
    await expect(page.get_by_text("No events match these filters")).to_be_visible()
    await filters.get_by_label("From").fill(days_from_today(0))
    await filters.get_by_label("From").dispatch_event("change")
    await expect(filters.get_by_label("Until")).to_have_attribute("aria-invalid", "true")
    await expect(filters.get_by_text("Choose a day on or after the “From” day.")).to_be_visible()
    await filters.get_by_label("Until").fill(days_from_today(1))
    await filters.get_by_label("Until").dispatch_event("change")
    await expect(page.get_by_text("12 events match the filters")).to_be_visible()


async def test_the_trail_never_scrolls_sideways_and_is_cards_on_a_phone(
    new_page: NewPage, world: World
) -> None:
    long_title = "Replace the " + "very-long-unbroken-" * 8 + "supplier name"
    northwind = await new_page()
    await sign_in_by_request(northwind, "editor@northwind.example")
    await mutation(
        northwind, PROPOSE, "proposeCommitment",
        {"partnershipId": world.nc_id, "title": long_title, "dueDate": days_from_today(20)},
    )  # fmt: skip
    page = await new_page()
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "audit"))
    trail = page.get_by_role("table", name="Audit trail")

    for width in (1440, 1280, 390):
        await page.set_viewport_size({"width": width, "height": 900})
        await expect(trail.get_by_role("row").nth(1)).to_contain_text("very-long-unbroken")
        overflow = await page.evaluate(
            """() => [document.documentElement.scrollWidth - document.documentElement.clientWidth,
                ...[...document.querySelectorAll('.table-wrap')]
                  .map(w => w.scrollWidth - w.clientWidth)]"""
        )
        assert max(overflow) <= 0, (width, overflow)
    # on a phone each event is a card: its cells stack, each named by its column
    row = trail.locator("tbody tr").first
    assert await row.evaluate("r => getComputedStyle(r).display") == "block"
    assert await row.evaluate("r => getComputedStyle(r).borderTopStyle") == "solid"
    when = row.locator("td").first
    assert await when.evaluate("c => getComputedStyle(c, '::before').content") == '"When"'
