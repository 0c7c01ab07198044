"""The risk register in a real browser, each side in its own context: Northwind's governance
member adds a shared risk and scores it 4x4, Contoso's scores it 2x3; both see the divergence
in the register and on the heat map; the risk's links, treatment and history are edited on its
page."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import live_updates_on, mutation, open_signed_in, workspace_url

pytestmark = pytest.mark.browser

TITLE = "Peak-season capacity at the Brno plant"
CREATE_RISK = """mutation($input: CreateRiskInput!) {
  createRisk(input: $input) { risk { id } userErrors { message } } }"""
CREATE_MILESTONE = """mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { message } } }"""


async def score(page: Page, likelihood: str, impact: str, why: str) -> None:
    form = page.get_by_role("form", name="Score it for your side")
    await form.get_by_label("Inherent likelihood").select_option(label=likelihood)
    await form.get_by_label("Inherent impact").select_option(label=impact)
    await form.get_by_label("Residual likelihood").select_option(label=likelihood)
    await form.get_by_label("Residual impact").select_option(label=impact)
    await form.get_by_label("Why").fill(why)
    await form.get_by_role("button", name="Save score").click()
    await expect(form.get_by_text("Your side's score is saved.")).to_be_visible()


def cell(page: Page, map_id: str, likelihood: int, impact: int) -> object:
    return page.locator(f'figure[aria-labelledby="{map_id}"] td[data-cell="{likelihood}x{impact}"]')


async def test_both_sides_score_a_shared_risk_and_see_the_divergence_on_the_heat_map(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    contoso = await new_page()
    register = workspace_url(world.nc_id, "risks")
    await open_signed_in(northwind, "governance@northwind.example", register)
    await open_signed_in(contoso, "governance@contoso.example", register)
    await expect(contoso.get_by_text("No risks here")).to_be_visible()
    await live_updates_on(contoso)

    # Northwind's governance member adds the shared risk and scores it 4x4
    await northwind.get_by_role("button", name="New risk").click()
    form = northwind.get_by_role("form", name="New risk")
    await form.get_by_label("Title").fill(TITLE)
    await form.get_by_label("Category").select_option(label="Delivery")
    await form.get_by_role("button", name="Add risk").click()
    await expect(northwind.get_by_text(f"Risk “{TITLE}” added.")).to_be_visible()
    await northwind.get_by_role("link", name=TITLE).click()
    await expect(northwind.get_by_role("heading", name=TITLE)).to_be_visible()
    await score(northwind, "4 · Likely", "4 · Major", "Peak demand is still a guess.")
    await expect(northwind.get_by_test_id("divergence")).to_have_text(
        "The divergence shows once both sides have scored."
    )

    # Contoso's register shows it and Northwind's score without a reload; Contoso scores it 2x3
    row = contoso.get_by_role("row").filter(has=contoso.get_by_role("link", name=TITLE))
    await expect(row.get_by_text("4 \u00d7 4")).to_be_visible()
    await contoso.get_by_role("link", name=TITLE).click()
    await expect(contoso.get_by_role("heading", name=TITLE)).to_be_visible()
    await score(contoso, "2 · Unlikely", "3 · Moderate", "The weekly forecast helps.")
    await expect(contoso.get_by_test_id("divergence")).to_have_text(
        "The sides' residual scores are 3 cells apart."
    )
    history = contoso.get_by_role("table", name="Assessment history")
    await expect(history.get_by_role("row")).to_have_count(3)  # header and two assessments

    # then both see the divergence in the register and on the heat map
    for page in (northwind, contoso):
        await page.goto(register)
        row = page.get_by_role("row").filter(has=page.get_by_role("link", name=TITLE))
        await expect(row.get_by_text("3 cells apart")).to_be_visible()
        await expect(page.get_by_test_id("disagreements")).to_have_text(
            "The sides place 1 risk in different cells (marked ≠)."
        )
        for likelihood, impact in ((4, 4), (2, 3)):
            combined = cell(page, "heat-combined", likelihood, impact)
            await expect(combined).to_have_attribute("data-count", "1")
            await expect(combined).to_have_attribute("data-disputed", "1")
            await expect(combined).to_contain_text("≠ 1")
        await expect(cell(page, "heat-combined", 3, 3)).to_have_attribute("data-count", "0")
    # each side's own map holds its own score
    await expect(cell(northwind, "heat-own", 4, 4)).to_have_attribute("data-count", "1")
    await expect(cell(northwind, "heat-partner", 2, 3)).to_have_attribute("data-count", "1")
    await expect(cell(contoso, "heat-own", 2, 3)).to_have_attribute("data-count", "1")
    await expect(cell(contoso, "heat-own", 4, 4)).to_have_attribute("data-count", "0")

    # and the register sorts: most divergent first (an unscored risk after), or by title
    other = "Alternate supplier audit"
    made = {"partnershipId": world.nc_id, "title": other, "category": "DELIVERY"}
    await mutation(contoso, CREATE_RISK, "createRisk", made)
    filters = contoso.get_by_role("group", name="Filter and sort the risks")
    await filters.get_by_label("Sort by").select_option(label="Title, A to Z")
    rows = contoso.locator("table[aria-labelledby=risk-register-heading] tbody tr")
    await expect(rows).to_have_count(2)
    await expect(rows.first).to_contain_text(other)
    await filters.get_by_label("Sort by").select_option(index=0)
    await expect(rows.first).to_contain_text(TITLE)

    # and filters apply to the register: a category the risk is not in, or more divergence
    await filters.get_by_label("Divergence").select_option(label="At least 3 cells apart")
    await expect(contoso.get_by_role("link", name=TITLE)).to_be_visible()
    await expect(contoso.get_by_role("link", name=other)).to_have_count(0)
    await filters.get_by_label("Category").select_option(label="Quality")
    await expect(contoso.get_by_text("No risks here")).to_be_visible()


async def test_the_risk_page_edits_links_and_records_an_acceptance(
    new_page: NewPage, world: World
) -> None:
    editor = await new_page()
    await open_signed_in(editor, "editor@northwind.example", "/")
    await mutation(
        editor, CREATE_MILESTONE, "createMilestone",
        {"partnershipId": world.nc_id, "title": "Safety stock for the top 40 SKUs",
         "phase": "STABILIZE"},
    )  # fmt: skip
    page = await new_page()
    await open_signed_in(page, "governance@northwind.example", workspace_url(world.nc_id, "risks"))
    await page.get_by_role("button", name="New risk").click()
    form = page.get_by_role("form", name="New risk")
    await form.get_by_label("Title").fill(TITLE)
    await form.get_by_role("button", name="Add risk").click()
    await page.get_by_role("link", name=TITLE).click()
    await expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    # links: the milestone, chosen in the link editor
    await page.get_by_role("button", name="Edit links").click()
    links = page.get_by_role("form", name="Edit links")
    await links.get_by_label("Safety stock for the top 40 SKUs").check()
    await links.get_by_role("button", name="Save links").click()
    await expect(
        page.get_by_role("link", name="Milestone: Safety stock for the top 40 SKUs")
    ).to_be_visible()

    # treatment: accepting without an approver is refused with the reason, then accepted
    treatment = page.get_by_role("form", name="Treatment")
    await treatment.get_by_label("Treatment").select_option(label="Accept")
    await treatment.get_by_label("Reason").fill("Peak lasts three weeks; the cost is known.")
    await treatment.get_by_role("button", name="Accept the risk").click()
    await expect(
        treatment.get_by_text("Accepting a risk needs an approver of your side.")
    ).to_be_visible()
    await treatment.get_by_label("Approver").select_option(index=1)
    await treatment.get_by_role("button", name="Accept the risk").click()
    await expect(page.get_by_text("In force")).to_be_visible()
    await expect(page.get_by_role("heading", name="Treatment: Accept")).to_be_visible()

    # and the risk itself is edited and closed: no more scoring or treating
    await page.get_by_role("button", name="Edit or close the risk").click()
    edit = page.get_by_role("form", name="Edit the risk")
    await edit.get_by_label("Review every (days)").fill("30")
    await edit.get_by_label("Open or closed").select_option(label="Closed")
    await edit.get_by_role("button", name="Save changes").click()
    await expect(edit.get_by_text("Saved.")).to_be_visible()
    await expect(page.get_by_text("Every 30 days")).to_be_visible()
    await expect(page.get_by_role("form", name="Score it for your side")).to_have_count(0)
