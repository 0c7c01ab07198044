"""Feedback in the portal, each side in its own browser: Contoso submits HIGH feedback, Northwind
acknowledges it, asks Contoso (the clock badge shows paused), resolves it, Contoso reopens it
(the resolution clock runs again), Northwind resolves it with a linked commitment, and Contoso
rates it 4; each step shows live on the other side. The SLA policy: proposed by one LEAD with
its calendars, accepted by the other."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import (
    days_from_today,
    live_updates_on,
    mutation,
    open_signed_in,
    workspace_url,
)
from tests.portal.test_accessibility import violations

pytestmark = pytest.mark.browser

PROPOSE = """mutation($input: ProposeCommitmentInput!) {
  proposeCommitment(input: $input) { commitment { id } userErrors { message } } }"""


def status_of(page: Page) -> object:
    return page.get_by_test_id("fb-status")


async def test_contoso_submits_northwind_resolves_and_contoso_rates_each_seeing_it_live(
    new_page: NewPage, world: World
) -> None:
    contoso = await new_page()
    northwind = await new_page()
    await open_signed_in(
        northwind, "editor@northwind.example", workspace_url(world.nc_id, "feedback")
    )
    await mutation(
        northwind,
        PROPOSE,
        "proposeCommitment",
        {
            "partnershipId": world.nc_id,
            "title": "Relabel every pallet",
            "dueDate": days_from_today(30),
        },
    )
    await live_updates_on(northwind)
    await expect(northwind.get_by_text("No feedback yet")).to_be_visible()

    # Contoso submits HIGH feedback through the form
    await open_signed_in(contoso, "editor@contoso.example", workspace_url(world.nc_id, "feedback"))
    await live_updates_on(contoso)
    await contoso.get_by_role("button", name="Submit feedback").click()
    form = contoso.get_by_role("form", name="Submit feedback")
    await form.get_by_label("Title").fill("Pallets without ASN labels")
    await form.get_by_label("What happened").fill("Three **pallets** came unlabelled.")
    await form.get_by_label("Severity").select_option("HIGH")
    await form.get_by_role("button", name="Submit").click()
    await expect(contoso.get_by_text("You submitted “Pallets without ASN labels”.")).to_be_visible()
    row = contoso.get_by_role("row", name="Pallets without ASN labels")
    await expect(row).to_contain_text("High")
    await expect(row.locator('[data-clock="FIRST_RESPONSE"]')).to_have_attribute(
        "data-state", "running"
    )
    # the list's filters: received by Contoso, none; submitted by it and HIGH, this one
    filters = contoso.get_by_role("form", name="Filter feedback")
    await filters.get_by_label("Side").select_option("RECEIVED_BY_US")
    await expect(contoso.get_by_text("No feedback matches these filters")).to_be_visible()
    await filters.get_by_label("Side").select_option("SUBMITTED_BY_US")
    await filters.get_by_label("Severity").select_option("HIGH")
    await expect(row).to_be_visible()

    # Northwind's list shows it live, and Northwind opens it
    link = northwind.get_by_role("link", name="Pallets without ASN labels")
    await expect(link).to_be_visible()
    await link.click()
    await expect(
        northwind.get_by_role("heading", name="Pallets without ASN labels")
    ).to_be_visible()
    await expect(northwind.locator(".fb-body strong")).to_have_text("pallets")

    # Contoso follows the item's page
    await contoso.get_by_role("link", name="Pallets without ASN labels").click()
    await expect(status_of(contoso)).to_have_text("Submitted")

    # Northwind acknowledges: Contoso sees it live, the first-response clock met
    await northwind.get_by_role("button", name="Acknowledge").click()
    await expect(status_of(northwind)).to_have_text("Acknowledged")
    await expect(status_of(contoso)).to_have_text("Acknowledged")
    await expect(contoso.locator('[data-clock="FIRST_RESPONSE"]').first).to_have_attribute(
        "data-state", "met"
    )

    # Northwind asks Contoso: the resolution clock shows paused on both sides
    await northwind.get_by_role("button", name="Ask the submitter").click()
    await northwind.get_by_label("Your question").fill("Which dock received them?")
    await northwind.get_by_role("form").get_by_role("button", name="Ask the submitter").click()
    await expect(status_of(contoso)).to_have_text("Waiting on submitter")
    paused = contoso.locator('[data-clock="RESOLUTION"]').first
    await expect(paused).to_have_attribute("data-state", "paused")
    await expect(paused).to_contain_text("Paused")

    # Contoso answers; Northwind adds an internal note Contoso never sees
    await contoso.get_by_role("textbox", name="Comment").fill("Dock 3.")
    await contoso.get_by_role("button", name="Add comment").click()
    await expect(northwind.locator(".fb-comment-body", has_text="Dock 3.")).to_be_visible()
    await northwind.get_by_role("textbox", name="Comment").fill("Printer at dock 3 was broken.")
    await northwind.get_by_label("Internal note (only your side sees it)").check()
    await northwind.get_by_role("button", name="Add internal note").click()
    await expect(northwind.locator(".timeline-internal")).to_contain_text("Internal note")

    # Northwind resumes and resolves with the commitment that fixes it
    await northwind.get_by_role("button", name="Resume work").click()
    await expect(status_of(northwind)).to_have_text("In progress")
    # (a first resolution, which Contoso reopens: Northwind sees it back in progress, live,
    # with the resolution clock running again)
    resolution = northwind.locator('[data-clock="RESOLUTION"]').first
    await northwind.get_by_role("button", name="Resolve").click()
    await northwind.get_by_label("Resolution note").fill("Printer checked.")
    await northwind.get_by_role("form").get_by_role("button", name="Resolve").click()
    await expect(resolution).to_have_attribute("data-state", "met")
    await expect(status_of(contoso)).to_have_text("Resolved")
    await contoso.get_by_role("button", name="Reopen").click()
    await contoso.get_by_label("Why it is not resolved").fill("Two more came unlabelled.")
    await contoso.get_by_role("form").get_by_role("button", name="Reopen").click()
    await expect(status_of(northwind)).to_have_text("In progress")
    await expect(resolution).to_have_attribute("data-state", "running")
    await expect(northwind.get_by_text("Two more came unlabelled.")).to_be_visible()
    await northwind.get_by_role("button", name="Resolve").click()
    await northwind.get_by_label("Resolution note").fill("Printer replaced; labels checked.")
    await northwind.get_by_label("Fixed by the commitment").select_option(
        label="Relabel every pallet"
    )
    await northwind.get_by_role("form").get_by_role("button", name="Resolve").click()
    await expect(status_of(northwind)).to_have_text("Resolved")

    # Contoso sees the resolution live, with its fix, and rates it 4
    await expect(status_of(contoso)).to_have_text("Resolved")
    await expect(contoso.locator(".fb-resolution")).to_contain_text("Relabel every pallet")
    await expect(contoso.locator(".timeline-internal")).to_have_count(0)
    await expect(contoso.get_by_text("Printer at dock 3 was broken.")).to_have_count(0)
    await contoso.get_by_role("button", name="Accept and rate").click()
    await contoso.get_by_label("4").check()
    await contoso.get_by_label("Comment (optional)").fill("Labels fine since.")
    await contoso.get_by_role("form").get_by_role("button", name="Accept and rate").click()
    await expect(status_of(contoso)).to_have_text("Closed")
    await expect(contoso.get_by_text("4 of 5")).to_be_visible()
    await expect(status_of(northwind)).to_have_text("Closed")
    await expect(northwind.get_by_text("4 of 5")).to_be_visible()


async def test_the_sla_policy_is_proposed_by_one_lead_and_accepted_by_the_other(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    contoso = await new_page()
    await open_signed_in(
        northwind, "lead@northwind.example", workspace_url(world.nc_id, "feedback/policy")
    )
    await open_signed_in(
        contoso, "lead@contoso.example", workspace_url(world.nc_id, "feedback/policy")
    )
    await live_updates_on(contoso)
    await expect(northwind.get_by_text("No policy agreed yet")).to_be_visible()

    form = northwind.get_by_role("form", name="Propose a new version")
    await form.get_by_label("Critical: first response (minutes)").fill("30")
    # Contoso works Monday and Saturday; Northwind on Berlin's time from 08:00, one holiday
    contoso_hours = form.get_by_role("group", name="Business hours of Contoso Retail")
    days = contoso_hours.get_by_role("group", name="Working days")
    for day in ("Tuesday", "Wednesday", "Thursday", "Friday"):
        await days.get_by_label(day).uncheck()
    await days.get_by_label("Saturday").check()
    own_hours = form.get_by_role("group", name="Business hours of Northwind Components")
    await own_hours.get_by_label("Time zone").select_option("Europe/Berlin")
    await own_hours.get_by_label("Opens").fill("08:00")
    for _ in range(2):
        await own_hours.get_by_role("button", name="Add a holiday").click()
    await expect(own_hours.get_by_label("Holiday 2", exact=True)).to_be_focused()
    await own_hours.get_by_label("Holiday 1", exact=True).fill("2026-12-25")
    await own_hours.get_by_role("button", name="Remove holiday 2 of Northwind Components").click()
    await expect(own_hours.get_by_label("Holiday 2", exact=True)).to_have_count(0)
    # around the clock hides the calendars, business hours brings them back as they were
    await form.get_by_label("Around the clock").check()
    await expect(own_hours).to_have_count(0)
    await form.get_by_role("radio", name="business hours").check()
    await expect(own_hours.get_by_label("Holiday 1", exact=True)).to_have_value("2026-12-25")
    await form.get_by_role("button", name="Propose").click()

    # the proposal shows as proposed, with what it counts, waiting for Contoso
    await expect(northwind.get_by_text("Waiting for the other side")).to_be_visible()
    proposal = northwind.get_by_role("region", name="Version 1, proposed by Northwind Components")
    await expect(proposal.get_by_test_id("fb-agreement")).to_contain_text(
        re.compile("waiting for Contoso Retail.s LEAD")
    )
    await expect(proposal).to_contain_text("Monday, Saturday, 09:00 to 17:00 (UTC)")
    await expect(proposal).to_contain_text("08:00 to 17:00 (Europe/Berlin)")
    await expect(proposal.locator(".fb-holiday-days time")).to_have_count(1)

    # a calendar without a working day: the API's error shows at Contoso's working days
    await days.get_by_label("Monday").uncheck()
    await days.get_by_label("Saturday").uncheck()
    await form.get_by_role("button", name="Propose").click()
    await expect(days.get_by_role("alert")).to_have_text(
        "Working days are 1 (Monday) to 7 (Sunday), at least one."
    )
    await expect(days.get_by_label("Monday")).to_be_focused()
    assert await violations(northwind) == []  # the error, the proposal, the form

    accept = contoso.get_by_role("button", name="Accept version 1")
    await expect(accept).to_be_visible()
    await accept.click()
    await expect(contoso.get_by_text("You accepted version 1.")).to_be_visible()
    in_force = northwind.get_by_role("region", name="In force")
    await expect(in_force).to_contain_text("Version 1")
    await expect(in_force).to_contain_text("30 min")
    await expect(in_force.get_by_test_id("fb-agreement")).to_contain_text(
        re.compile("agreed by Contoso Retail.s LEAD")
    )
