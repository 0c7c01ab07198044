"""Keyboard use: signing in, the skip link, and moving through the workspace without a mouse."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.portal import workspace_url

pytestmark = pytest.mark.browser


async def test_sign_in_and_skip_to_the_content_with_the_keyboard(page: Page, world: World) -> None:
    await page.goto("/")
    await expect(page.get_by_label("Email")).to_be_focused()
    await page.keyboard.type("lead@contoso.example")
    await page.keyboard.press("Tab")
    await expect(page.get_by_label("Password")).to_be_focused()
    await page.keyboard.type("mutual-demo")
    await page.keyboard.press("Enter")
    first = page.get_by_role("link", name="Fabrikam ↔ Contoso logistics")
    await expect(first).to_be_visible()

    # A fresh load starts keyboard navigation at the top of the page.
    await page.reload()
    await expect(first).to_be_visible()
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    await expect(skip).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("main")).to_be_focused()
    await page.keyboard.press("Tab")
    await expect(first).to_be_focused()


async def test_workspace_navigation_moves_focus_to_the_section(page: Page, world: World) -> None:
    await page.goto("/")
    await page.get_by_label("Email").fill("lead@contoso.example")
    await page.get_by_label("Password").fill("mutual-demo")
    await page.get_by_label("Password").press("Enter")
    await expect(page.get_by_role("heading", name="Partnerships", level=1)).to_be_visible()
    await page.goto(workspace_url(world.nc_id))

    sections = page.get_by_role("navigation", name="Workspace sections")
    audit = sections.get_by_role("link", name="Audit trail")
    await audit.focus()
    await page.keyboard.press("Enter")

    await expect(page.get_by_role("heading", name="Audit trail", level=2)).to_be_focused()
    await expect(audit).to_have_attribute("aria-current", "page")
    await expect(page.get_by_role("table", name="Audit trail").get_by_role("row")).to_have_count(9)
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("button", name="Verify chain")).to_be_focused()
    await page.keyboard.press("Enter")
    verification = page.get_by_role("status", name="Chain verification")
    await expect(verification).to_have_text("Chain intact: all 8 events verified.")
