"""API tokens page: a LEAD creates a token (the secret shown once), sees it listed, revokes it."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.portal import open_signed_in, workspace_url

pytestmark = pytest.mark.browser

SECRET = re.compile(r"^\S{20,}$")


async def test_lead_creates_copies_and_revokes_a_token(page: Page, world: World) -> None:
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    await open_signed_in(page, "lead@northwind.example", workspace_url(world.nc_id, "tokens"))
    await expect(page.get_by_text("No API tokens yet")).to_be_visible()

    form = page.get_by_role("form", name="Create a token")
    await form.get_by_label("Token name").fill("ERP KPI export")
    await form.get_by_role("checkbox", name="KPI write").check()
    await form.get_by_label("Expires in (days)").fill("30")
    await form.get_by_role("button", name="Create token").click()

    secret = page.get_by_role("textbox", name="Token secret")
    await expect(secret).to_be_focused()
    await expect(secret).to_have_value(SECRET)
    value = await secret.input_value()
    await page.get_by_role("button", name="Copy", exact=True).click()
    await expect(page.get_by_text("Copied to the clipboard.")).to_be_visible()
    assert await page.evaluate("navigator.clipboard.readText()") == value

    tokens = page.get_by_role("table", name="Your side's tokens")
    row = tokens.get_by_role("row").filter(has_text="ERP KPI export")
    await expect(row).to_contain_text("Read, KPI write")
    await expect(row).to_contain_text("Active")

    # Shown once: after leaving the page the secret is nowhere to be seen.
    await page.get_by_role("link", name="Members", exact=True).click()
    await page.get_by_role("link", name="API tokens").click()
    await expect(row).to_contain_text("Active")
    await expect(page.get_by_role("textbox", name="Token secret")).to_have_count(0)
    await expect(page.get_by_text(value)).to_have_count(0)

    await row.get_by_role("button", name="Revoke ERP KPI export").click()
    await row.get_by_role("button", name="Yes, revoke ERP KPI export").click()

    await expect(page.get_by_role("status")).to_have_text(
        "ERP KPI export was revoked; it no longer works."
    )
    await expect(row).to_contain_text("Revoked")
    await expect(row.get_by_role("button")).to_have_count(0)


async def test_a_token_needs_a_name_and_a_scope(page: Page, world: World) -> None:
    await open_signed_in(page, "lead@northwind.example", workspace_url(world.nc_id, "tokens"))
    form = page.get_by_role("form", name="Create a token")
    await form.get_by_role("checkbox", name=re.compile(r"^Read\b")).uncheck()

    await form.get_by_role("button", name="Create token").click()

    name = form.get_by_label("Token name")
    await expect(name).to_be_focused()
    await expect(name).to_have_attribute("aria-invalid", "true")
    await expect(name).to_have_accessible_description(re.compile("Give the token a name."))
    scopes = form.get_by_role("group", name="Scopes")
    await expect(scopes.get_by_role("alert")).to_have_text("Choose at least one scope.")
    await expect(page.get_by_text("No API tokens yet")).to_be_visible()


async def test_non_leads_are_told_who_manages_tokens(page: Page, world: World) -> None:
    await open_signed_in(page, "editor@northwind.example", workspace_url(world.nc_id, "tokens"))

    await expect(page.get_by_text("Only Leads manage API tokens")).to_be_visible()
    await expect(page.get_by_role("form")).to_have_count(0)
