"""Invitations: an org admin invites another organization by handle; its admin accepts."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import open_signed_in, sign_in

pytestmark = pytest.mark.browser

NAME = "Fabrikam ↔ Northwind freight"
MESSAGE = "Let's track the freight recovery together."


async def test_fabrikam_invites_northwind_and_northwinds_admin_accepts(
    new_page: NewPage, world: World
) -> None:
    fabrikam = await new_page()
    await sign_in(fabrikam, "admin@fabrikam.example")
    await (
        fabrikam.get_by_role("navigation", name="Main")
        .get_by_role("link", name="Invitations")
        .click()
    )
    form = fabrikam.get_by_role("form", name="Invite an organization")
    await form.get_by_label("Organization handle").fill("northwind")
    await form.get_by_label("Partnership name").fill(NAME)
    await form.get_by_label("Your side's label").fill("Logistics provider")
    await form.get_by_label("Their side's label").fill("Shipper")
    await form.get_by_label("Message (optional)").fill(MESSAGE)
    await form.get_by_role("button", name="Send invitation").click()

    await expect(form.get_by_role("status")).to_have_text(
        f"Invitation to Northwind Components sent for “{NAME}”."
    )
    sent = fabrikam.get_by_role("list", name="Sent, awaiting an answer")
    await expect(sent.get_by_role("heading", name=NAME)).to_be_visible()
    await expect(sent.get_by_text("To Northwind Components")).to_be_visible()

    northwind = await new_page()
    await open_signed_in(northwind, "lead@northwind.example")
    await northwind.get_by_role("link", name="Invitations").click()
    received = northwind.get_by_role("list", name="Received")
    invitation = received.get_by_role("listitem").filter(has_text=NAME)
    await expect(invitation.get_by_text("From Fabrikam")).to_be_visible()
    await expect(invitation.get_by_text(MESSAGE)).to_be_visible()

    await invitation.get_by_role("button", name=f"Accept invitation to {NAME}").click()

    await expect(northwind.get_by_role("status")).to_contain_text(f"You accepted “{NAME}”.")
    await expect(received.get_by_role("listitem")).to_have_count(0)
    await expect(northwind.get_by_text("No invitations waiting for you")).to_be_visible()
    await northwind.get_by_role("link", name=f"Open {NAME}").click()
    await expect(northwind.get_by_role("heading", name=NAME, level=1)).to_be_visible()
    await expect(northwind.get_by_text("Your side · Shipper", exact=True)).to_be_visible()


async def test_an_unknown_handle_is_reported_next_to_the_form(page: Page, world: World) -> None:
    await open_signed_in(page, "admin@fabrikam.example", "/#/invitations")
    form = page.get_by_role("form", name="Invite an organization")
    await form.get_by_label("Organization handle").fill("no-such-company")
    await form.get_by_label("Partnership name").fill(NAME)
    await form.get_by_label("Your side's label").fill("Logistics provider")
    await form.get_by_label("Their side's label").fill("Shipper")

    await form.get_by_role("button", name="Send invitation").click()

    await expect(form.get_by_role("alert")).to_have_text("No organization has this handle.")
    await expect(form.get_by_label("Organization handle")).to_have_attribute("aria-invalid", "true")
    await expect(page.get_by_text("No sent invitations pending")).to_be_visible()


async def test_a_member_who_is_not_an_admin_cannot_manage_invitations(
    page: Page, world: World
) -> None:
    await sign_in(page, "editor@contoso.example")
    await expect(page.get_by_role("link", name="Invitations")).to_have_count(0)

    await page.goto("/#/invitations")

    await expect(
        page.get_by_text("Only your organization's admins manage invitations")
    ).to_be_visible()
    await expect(page.get_by_role("form")).to_have_count(0)
