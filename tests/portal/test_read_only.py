"""Readers who cannot act are told why, where the actions would be (and whom to ask); no page
shows them a stray "null" or "undefined"."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from tests.conftest import LiveServer
from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import open_signed_in, workspace_url
from tests.portal.records import one_of_each

pytestmark = pytest.mark.browser

STRAY = re.compile(r"\b(null|undefined|NaN)\b")


async def test_a_viewer_is_told_why_there_is_nothing_to_press(
    browser: Browser, live_server: LiveServer, new_page: NewPage, world: World
) -> None:
    records = await one_of_each(browser, live_server, world)
    page = await new_page()
    await open_signed_in(page, "viewer@contoso.example", workspace_url(world.nc_id))
    sections = {
        "commitments": ("propose, accept or deliver commitments", "Propose a commitment"),
        f"commitments/{records.delivered_id}": ("confirm or dispute", "Confirm delivery"),
        "kpis": ("define KPIs or record their measurements", "Define a KPI"),
        "roadmap": ("add or move milestones", "New milestone"),
        f"roadmap/{records.milestone_id}": ("edit or drop milestones", "Save changes"),
    }
    for section, (doing, button) in sections.items():
        await page.goto(workspace_url(world.nc_id, section))
        content = page.locator(".ws-content")
        await expect(content.locator(".state-loading")).to_have_count(0)
        note = content.locator(".access-note")
        await expect(note).to_contain_text(
            "You have view access: ask a Lead of your side to change your role"
        )
        await expect(note).to_contain_text(doing)
        await expect(page.get_by_role("button", name=button)).to_have_count(0)
        text = await page.locator("main").inner_text()
        assert not STRAY.search(text), (section, STRAY.search(text))


async def test_governance_is_told_its_role_reads_this_part(page: Page, world: World) -> None:
    await open_signed_in(
        page, "governance@northwind.example", workspace_url(world.nc_id, "commitments")
    )

    note = page.locator(".ws-content .access-note")
    await expect(note).to_contain_text("Your role, Governance, reads this part of the workspace")
    await expect(page.get_by_role("button", name="Propose a commitment")).to_have_count(0)
