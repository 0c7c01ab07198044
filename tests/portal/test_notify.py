"""Notifications in the portal, in Chromium: the header's inbox counts a new proposal of the
other side live (no reload), opens it at its item and marks it read; the notifications page
changes a preference; the webhook settings refuse a private address, add an endpoint (its
secret shown once), send a test event into the delivery log, and show other members nothing."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import (
    days_from_today,
    mutation,
    open_signed_in,
    sign_in_by_request,
    workspace_url,
)
from tests.portal.records import PROPOSE

pytestmark = pytest.mark.browser


async def test_the_inbox_counts_live_opens_the_item_and_marks_it_read(
    new_page: NewPage, world: World
) -> None:
    contoso = await new_page()
    await open_signed_in(contoso, "lead@contoso.example", workspace_url(world.nc_id))
    inbox = contoso.locator(".inbox-button")
    await expect(inbox).to_have_accessible_name("Notifications")

    # when Northwind proposes a commitment (in another browser)
    northwind = await new_page()
    await sign_in_by_request(northwind, "editor@northwind.example")
    proposal = {"partnershipId": world.nc_id, "title": "Weekly spare parts"}
    await mutation(
        northwind, PROPOSE, "proposeCommitment", {**proposal, "dueDate": days_from_today(9)}
    )

    # then Contoso's header counts it, live
    await expect(inbox).to_have_accessible_name(re.compile(r"^Notifications\s*,\s*1 unread$"))
    await expect(inbox).to_contain_text("1")
    await inbox.click()
    panel = contoso.get_by_role("region", name="Your notifications")
    await expect(panel).to_be_visible()
    link = panel.get_by_role("link", name="Weekly spare parts")
    await expect(link).to_contain_text("Supplier proposes")

    # opening it shows the commitment and marks it read
    await link.click()
    await expect(contoso.get_by_role("heading", name="Weekly spare parts", level=3)).to_be_visible()
    await expect(contoso.get_by_role("button", name="Accept")).to_be_visible()
    await expect(inbox).to_have_accessible_name("Notifications")


async def test_a_preference_is_changed_on_the_notifications_page(page: Page, world: World) -> None:
    await open_signed_in(page, "editor@contoso.example", "/#/notifications")
    await expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    form = page.get_by_role("form", name="A commitment proposed to your side, to accept or decline")
    select = form.get_by_label("How you are told")
    await expect(select).to_have_value("EMAIL")

    await select.select_option("DAILY_DIGEST")
    await form.get_by_role("button", name="Save").click()

    await expect(form.get_by_role("status")).to_contain_text("Saved: in a daily email digest.")
    await page.reload()
    form = page.get_by_role("form", name="A commitment proposed to your side, to accept or decline")
    await expect(form.get_by_label("How you are told")).to_have_value("DAILY_DIGEST")


async def test_webhook_settings_refuse_private_addresses_and_log_a_test_event(
    new_page: NewPage, world: World
) -> None:
    lead = await new_page()
    await open_signed_in(lead, "lead@contoso.example", workspace_url(world.nc_id, "webhooks"))
    form = lead.get_by_role("form", name="Add an endpoint")
    await expect(lead.get_by_text("No endpoints yet")).to_be_visible()

    # a private address is refused, next to its field
    await form.get_by_label("URL").fill("http://10.0.0.5/hooks")
    await form.get_by_role("button", name="Add endpoint").click()
    await expect(form.get_by_label("URL")).to_have_attribute("aria-invalid", "true")
    await expect(form).to_contain_text("private")

    # a public one is added, and its secret shown once
    await form.get_by_label("URL").fill("https://93.184.215.14/mutual")
    await form.get_by_label("Events").fill("commitment.* notice.*")
    await form.get_by_role("button", name="Add endpoint").click()
    await expect(lead.get_by_text("Signing secret")).to_be_visible()
    await expect(lead.locator("code.secret")).to_contain_text("whsec_")
    endpoint = lead.get_by_role("article", name="https://93.184.215.14/mutual")
    await expect(endpoint).to_contain_text("commitment.*, notice.*")

    # a test event joins its delivery log (no worker runs in the test server: pending)
    await endpoint.get_by_role("button", name="Send test event").click()
    log = endpoint.get_by_role("table")
    await expect(log).to_contain_text("webhook.test")
    await expect(log).to_contain_text("Pending")

    # disabling it greys out the test button
    await endpoint.get_by_role("button", name="Disable").click()
    await expect(endpoint).to_contain_text("Disabled by hand.")
    await expect(endpoint.get_by_role("button", name="Send test event")).to_be_disabled()

    # an editor of the same side sees who manages them, and nothing of the endpoint
    editor = await new_page()
    await open_signed_in(editor, "editor@contoso.example", workspace_url(world.nc_id, "webhooks"))
    await expect(editor.get_by_text("Webhooks are managed by your side's leads")).to_be_visible()
    await expect(editor.get_by_text("93.184.215.14")).to_have_count(0)
