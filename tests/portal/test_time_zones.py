"""Every moment the portal shows (created, recorded, delivered, expires) names its time zone, the
reader's, and its title gives the full moment with UTC: the two sides of a partnership may sit in
different time zones. Calendar days (due dates, periods) have none."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser, Page, expect

from tests.conftest import LiveServer
from tests.helpers import World
from tests.portal.portal import sign_in_by_request, workspace_url
from tests.portal.records import one_of_each

pytestmark = pytest.mark.browser

ZONE = "GMT+5:30"  # Asia/Kolkata, as en-US names it
RELATIVE = re.compile(r"\b(ago|now|yesterday|in \d+)\b")
CLOCK = re.compile(r"\d:\d\d")
DAY = re.compile(r"^[A-Z][a-z]{2} \d{1,2}, \d{4}$")


async def _moments(page: Page) -> list[dict[str, str]]:
    """The <time> elements of the page that hold a moment (their datetime has a time)."""
    moments: list[dict[str, str]] = await page.evaluate(
        """() => [...document.querySelectorAll('main time')]
            .filter((t) => (t.getAttribute('datetime') || '').includes('T'))
            .map((t) => ({ text: t.textContent, title: t.title || '' }))"""
    )
    return moments


async def test_every_moment_names_the_readers_time_zone(
    browser: Browser, live_server: LiveServer, world: World
) -> None:
    records = await one_of_each(browser, live_server, world)
    context = await browser.new_context(
        base_url=live_server.url, timezone_id="Asia/Kolkata", locale="en-US"
    )
    try:
        page = await context.new_page()
        await sign_in_by_request(page, "lead@contoso.example")
        pages = {
            "overview": workspace_url(world.nc_id),
            "audit": workspace_url(world.nc_id, "audit"),
            "milestone": workspace_url(world.nc_id, "roadmap") + "/" + records.milestone_id,
            "commitment": workspace_url(world.nc_id, "commitments") + "/" + records.delivered_id,
            "kpi": workspace_url(world.nc_id, "kpis") + "/" + records.kpi_id,
            "tokens": workspace_url(world.nc_id, "tokens"),
        }
        seen = 0
        for name, url in pages.items():
            await page.goto(url)
            await expect(page.locator("main time").first).to_be_visible()
            await expect(page.locator("main .state-loading")).to_have_count(0)
            moments = await _moments(page)
            assert moments, name
            for moment in moments:
                # a time of day is shown in the reader's zone, named (a day or a relative time
                # is shown as such), and the title says the full moment with its zone and UTC
                if CLOCK.search(moment["text"]):
                    assert ZONE in moment["text"], (name, moment)
                else:
                    assert DAY.search(moment["text"]) or RELATIVE.search(moment["text"]), moment
                assert ZONE in moment["title"] and moment["title"].endswith("UTC)"), (name, moment)
            seen += len(moments)
        assert seen >= 10
    finally:
        await context.close()
