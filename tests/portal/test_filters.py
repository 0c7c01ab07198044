"""A filter changed twice quickly shows the second filter's results, whatever order the answers
come back in: the answer to the first, held back until after the second, is dropped (ui/hooks.js
useSectionLoad). For every list with filters: the commitments and the audit trail (the search
has its own test in test_search.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from playwright.async_api import Browser, Page, Route, expect

from tests.conftest import LiveServer
from tests.helpers import World
from tests.portal.portal import open_signed_in, workspace_url
from tests.portal.records import one_of_each

pytestmark = pytest.mark.browser


async def hold_back(page: Page, is_first: Callable[[dict[str, Any]], bool]) -> asyncio.Event:
    """Hold every GraphQL request whose variables `is_first` picks until the event is set."""
    release = asyncio.Event()

    async def route(route: Route) -> None:
        variables = json.loads(route.request.post_data or "{}").get("variables") or {}
        if is_first(variables):
            await release.wait()
        await route.continue_()

    await page.route("**/graphql", route)
    return release


async def let_go(page: Page, release: asyncio.Event, marker: str) -> None:
    """Release the held answer and wait until the page has it."""
    async with page.expect_response(lambda r: marker in (r.request.post_data or "")) as held:
        release.set()
    await held.value
    await page.wait_for_timeout(150)


async def test_the_commitments_show_the_last_filter_chosen(
    browser: Browser, live_server: LiveServer, page: Page, world: World
) -> None:
    # given a delivered commitment and a proposed one
    await one_of_each(browser, live_server, world)
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "commitments"))
    rows = page.get_by_role("list", name="Commitments").get_by_role("listitem")
    await expect(rows).to_have_count(2)
    release = await hold_back(page, lambda v: (v.get("filter") or {}).get("status") == ["PROPOSED"])
    status = page.get_by_role("search", name="Filter commitments").get_by_label("Status")

    # when the status filter goes to Proposed (its answer held back), then to Delivered
    await status.select_option(label="Proposed")
    await status.select_option(label="Delivered")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Weekly order-status report")
    await let_go(page, release, '"PROPOSED"')

    # then the list is still Delivered's, and says so
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Weekly order-status report")
    await expect(page.get_by_text("1 commitment matches the filters.")).to_be_visible()
    await expect(status).to_have_value("DELIVERED")


async def test_the_audit_trail_shows_the_last_filter_chosen(
    browser: Browser, live_server: LiveServer, page: Page, world: World
) -> None:
    await one_of_each(browser, live_server, world)
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "audit"))
    trail = page.get_by_role("table", name="Audit trail")
    await expect(trail.get_by_role("row").nth(1)).to_be_visible()
    release = await hold_back(
        page, lambda v: (v.get("filter") or {}).get("objectTypes") == ["Commitment"]
    )
    kind = page.get_by_role("search", name="Filter the audit trail").get_by_label("Changed")

    await kind.select_option(label="Commitments")
    await kind.select_option(label="Milestones")
    await expect(page.get_by_text("2 events match the filters")).to_be_visible()
    await let_go(page, release, '"Commitment"')

    await expect(page.get_by_text("2 events match the filters")).to_be_visible()
    events = trail.locator("tbody tr")
    await expect(events).to_have_count(2)
    for text in await events.all_inner_texts():
        assert "the milestone" in text, text
