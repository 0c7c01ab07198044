"""What waits on your side, gathered across the workspace (from the overview's link), and the text
search over milestones and commitments (from the workspace header): results link to the items,
typing is debounced, and an overtaken answer never replaces a newer one."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable

import pytest
from playwright.async_api import Browser, Page, Route, expect

from tests.conftest import LiveServer
from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import (
    days_from_today,
    live_updates_on,
    mutation,
    open_signed_in,
    sign_in_by_request,
    workspace_url,
)
from tests.portal.records import PROPOSE, one_of_each

pytestmark = pytest.mark.browser


async def _eventually(check: Callable[[], bool], seconds: float = 5) -> None:
    for _ in range(int(seconds * 20)):
        if check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the condition did not come true")


async def test_the_overview_links_to_everything_that_waits_on_your_side(
    browser: Browser, live_server: LiveServer, new_page: NewPage, world: World
) -> None:
    await one_of_each(browser, live_server, world)
    contoso = await new_page()
    await open_signed_in(contoso, "lead@contoso.example", workspace_url(world.nc_id))

    await contoso.get_by_role("link", name="2 wait for your side to act.").click()

    await expect(contoso.get_by_role("heading", name="Waiting on us", level=2)).to_be_focused()
    items = contoso.get_by_role("list", name="Items waiting on your side").get_by_role("listitem")
    await expect(items).to_have_count(2)
    delivered = items.filter(has_text="Weekly order-status report")
    await expect(delivered).to_contain_text("Confirm or dispute the delivery")
    await expect(items.filter(has_text="Safety stock")).to_contain_text(
        "Accept or decline the proposal"
    )

    # live: a new proposal of the other side joins the list
    await live_updates_on(contoso)
    northwind = await new_page()
    await sign_in_by_request(northwind, "editor@northwind.example")
    await mutation(
        northwind, PROPOSE, "proposeCommitment",
        {"partnershipId": world.nc_id, "title": "Daily feed", "dueDate": days_from_today(9)},
    )  # fmt: skip
    await expect(items).to_have_count(3)

    # each item opens its record
    await delivered.get_by_role("link", name="Weekly order-status report").click()
    await expect(
        contoso.get_by_role("heading", name="Weekly order-status report", level=3)
    ).to_be_visible()
    await expect(contoso.get_by_role("button", name="Confirm delivery")).to_be_visible()


async def test_a_search_from_the_header_finds_milestones_and_commitments(
    browser: Browser, live_server: LiveServer, page: Page, world: World
) -> None:
    await one_of_each(browser, live_server, world)
    await open_signed_in(page, "viewer@contoso.example", workspace_url(world.nc_id, "kpis"))

    header = page.get_by_role("search", name="Search this workspace")
    await header.get_by_role("searchbox").fill("root cause")
    await header.get_by_role("searchbox").press("Enter")

    box = page.get_by_role("search", name="Search milestones and commitments").get_by_role(
        "searchbox", name="Search for"
    )
    await expect(box).to_be_focused()
    await expect(box).to_have_value("root cause")
    results = page.get_by_role("list", name="Search results").get_by_role("listitem")
    await expect(results).to_have_count(1)
    await expect(results.first).to_contain_text("Root-cause analysis")
    await expect(results.first).to_contain_text("Milestone")

    # typing searches again after a pause; a word's beginning finds the word
    await box.fill("deliv")
    await expect(page.get_by_text("1 result for “deliv”.")).to_be_visible()
    await expect(results.first).to_contain_text("Root-cause analysis")
    await expect(results.first).to_contain_text("Why deliveries ran late.")
    await box.fill("nothing like this")
    await expect(page.get_by_text("Nothing found for “nothing like this”")).to_be_visible()

    # a result opens its record
    await box.fill("report")
    await results.get_by_role("link", name="Weekly order-status report").click()
    await expect(page).to_have_url(re.compile(r"/commitments/"))
    await expect(
        page.get_by_role("heading", name="Weekly order-status report", level=3)
    ).to_be_visible()


async def test_typing_is_debounced_and_an_overtaken_answer_is_dropped(
    browser: Browser, live_server: LiveServer, page: Page, world: World
) -> None:
    await one_of_each(browser, live_server, world)
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "search"))
    sent: list[str] = []
    release = asyncio.Event()

    async def hold_back_the_first(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        text = body.get("variables", {}).get("text")
        if text is None:
            await route.continue_()
            return
        sent.append(text)
        if text == "root":  # the first search answers last
            await release.wait()
        await route.continue_()

    await page.route("**/graphql", hold_back_the_first)
    box = page.get_by_role("searchbox", name="Search for")
    # one keystroke at a time: only the text at a pause is searched
    await box.press_sequentially("root", delay=20)
    await _eventually(lambda: sent == ["root"])
    await box.fill("safety")
    results = page.get_by_role("list", name="Search results").get_by_role("listitem")
    await expect(results.first).to_contain_text("Safety stock")

    async with page.expect_response(lambda r: '"root"' in (r.request.post_data or "")) as held:
        release.set()
    await held.value
    await page.wait_for_timeout(100)  # the page has had the answer in hand
    await expect(page.get_by_text("1 result for “safety”.")).to_be_visible()
    await expect(results).to_have_count(1)
    await expect(results.first).to_contain_text("Safety stock")
    assert sent == ["root", "safety"]
