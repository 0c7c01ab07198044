"""axe-core (vendored, tests/portal/vendor/) on every page and section of the portal, as a lead and
as a viewer, on a desktop (1280 px) and a phone (390 px): WCAG 2.0 and 2.1, levels A and AA, and
the landmark rules (each landmark once, or told apart by its name). No violation is allowed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.conftest import LiveServer
from tests.helpers import World
from tests.portal.portal import sign_in_by_request, workspace_url
from tests.portal.records import Records, one_of_each

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Best-practice rules axe keeps out of the WCAG tags, asked for by name: duplicate landmarks.
LANDMARK_RULES = [
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
]
RUN = """async ([tags, rules]) => {
  const result = await axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    rules: Object.fromEntries(rules.map((r) => [r, { enabled: true }])),
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), why: n.failureSummary })),
  }));
}"""


async def violations(page: Page) -> list[dict[str, Any]]:
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(content=AXE)
    found: list[dict[str, Any]] = await page.evaluate(RUN, [TAGS, LANDMARK_RULES])
    return found


async def settled(page: Page) -> None:
    """The page has drawn its data: no loading state, nothing busy."""
    await expect(page.locator("main .state-loading")).to_have_count(0)
    await expect(page.locator('main [aria-busy="true"]')).to_have_count(0)
    await expect(page.locator("main h1, main h2").first).to_be_visible()


def pages_of(world: World, records: Records, *, lead: bool) -> dict[str, str]:
    ws = world.nc_id
    found = {
        "partnerships": "/#/",
        "overview": workspace_url(ws),
        "waiting on us": workspace_url(ws, "waiting"),
        "search": workspace_url(ws, "search") + "?q=report",
        "roadmap": workspace_url(ws, "roadmap"),
        "milestone": workspace_url(ws, "roadmap") + "/" + records.milestone_id,
        "commitments": workspace_url(ws, "commitments"),
        "commitment": workspace_url(ws, "commitments") + "/" + records.delivered_id,
        "KPIs": workspace_url(ws, "kpis"),
        "KPI": workspace_url(ws, "kpis") + "/" + records.kpi_id,
        "members": workspace_url(ws, "members"),
        "audit trail": workspace_url(ws, "audit"),
        "API tokens": workspace_url(ws, "tokens"),
        "webhooks": workspace_url(ws, "webhooks"),
        "notifications": "/#/notifications",
        "a section not built yet": workspace_url(ws, "risks"),
    }
    if lead:  # the lead is its organization's admin
        found["invitations"] = "/#/invitations"
    return found


async def open_states(page: Page, world: World) -> dict[str, list[dict[str, Any]]]:
    """A lead's forms and dialogs, opened: what axe finds in each."""
    found = {}
    await page.goto(workspace_url(world.nc_id, "commitments"))
    await settled(page)
    await page.get_by_role("button", name="Propose a commitment").click()
    await page.get_by_role("button", name="Propose commitment").click()  # its errors shown
    found["the propose form, with errors"] = await violations(page)
    row = page.get_by_role("listitem").filter(has_text="Weekly order-status report")
    await row.get_by_role("button", name="Dispute").click()
    found["a step's form"] = await violations(page)
    await page.goto(workspace_url(world.nc_id, "roadmap"))
    await settled(page)
    await page.get_by_role("button", name="New milestone").click()
    found["the new-milestone form"] = await violations(page)
    await page.goto(workspace_url(world.nc_id, "members"))
    await settled(page)
    await page.get_by_role("button", name="Remove viewer@contoso.example").click()
    await expect(page.get_by_role("dialog")).to_be_visible()
    found["the removal dialog"] = await violations(page)
    return found


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("email", ["lead@contoso.example", "viewer@contoso.example"])
async def test_axe_finds_no_violation_on_any_page(
    browser: Browser, live_server: LiveServer, world: World, email: str, width: int
) -> None:
    records = await one_of_each(browser, live_server, world)
    context = await browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(10_000)
    try:
        page = await context.new_page()
        found: dict[str, list[dict[str, Any]]] = {}
        await page.goto("/#/login")
        await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        found["sign-in"] = await violations(page)
        await sign_in_by_request(page, email)
        await page.reload()
        for name, url in pages_of(world, records, lead=email.startswith("lead")).items():
            await page.goto(url)
            await settled(page)
            found[name] = await violations(page)
        if email.startswith("lead"):
            found.update(await open_states(page, world))
    finally:
        await context.close()

    failing = {name: v for name, v in found.items() if v}
    assert not failing, json.dumps(failing, indent=1, ensure_ascii=False)
