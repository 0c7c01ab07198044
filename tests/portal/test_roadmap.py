"""Roadmap board: live between the sides, keyboard and drag reordering, read-only viewers, and
a conflicting edit that shows the other side's values before re-applying."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.async_api import Locator, Page, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import (
    live_updates_on,
    mutation,
    open_signed_in,
    sign_in_by_request,
    workspace_url,
)

pytestmark = pytest.mark.browser

CREATE = """mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { code message } } }"""


async def _milestones(page: Page, partnership_id: str, phase: str, *titles: str) -> list[str]:
    ids = []
    for title in titles:
        payload = await mutation(
            page,
            CREATE,
            "createMilestone",
            {"partnershipId": partnership_id, "title": title, "phase": phase},
        )
        ids.append(payload["milestone"]["id"])
    return ids


def phase(page: Page, name: str) -> Locator:
    return page.get_by_role("list", name=f"{name} phase")


async def test_a_milestone_created_by_one_side_appears_live_on_the_other_sides_board(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    contoso = await new_page()
    await open_signed_in(
        northwind, "editor@northwind.example", workspace_url(world.nc_id, "roadmap")
    )
    await open_signed_in(contoso, "lead@contoso.example", workspace_url(world.nc_id, "roadmap"))
    await live_updates_on(northwind)
    await live_updates_on(contoso)
    await expect(contoso.get_by_text("The roadmap is empty")).to_be_visible()

    await northwind.get_by_role("button", name="New milestone").click()
    form = northwind.get_by_role("form", name="New milestone")
    await form.get_by_label("Title").fill("Fix the order-to-dispatch process")
    await form.get_by_label("Phase").select_option("REBUILD")
    await form.get_by_label("Status").select_option("IN_PROGRESS")
    await form.get_by_label("Target date").fill("2027-03-31")
    await form.get_by_role("button", name="Add milestone").click()
    await expect(form.get_by_role("status")).to_have_text(
        "Milestone “Fix the order-to-dispatch process” added to Rebuild."
    )

    card = phase(contoso, "Rebuild").get_by_role("listitem")
    await expect(card).to_have_count(1)
    await expect(card).to_contain_text("Fix the order-to-dispatch process")
    await expect(card).to_contain_text("In progress")
    await expect(card).to_contain_text("Northwind Components")
    await expect(card).to_contain_text("Mar 31, 2027")
    await expect(
        contoso.get_by_text("Northwind Components just changed the roadmap")
    ).to_be_visible()
    await expect(phase(contoso, "Stabilize").get_by_role("listitem")).to_have_count(0)


async def test_keyboard_moves_a_card_and_the_order_persists_after_a_reload(
    page: Page, world: World
) -> None:
    await sign_in_by_request(page, "editor@northwind.example")
    await _milestones(
        page,
        world.nc_id,
        "STABILIZE",
        "Candid weekly call",
        "Root-cause analysis",
        "First remedies",
    )
    await page.goto(workspace_url(world.nc_id, "roadmap"))
    stabilize = phase(page, "Stabilize").get_by_role("listitem")
    await expect(stabilize).to_have_count(3)
    remedies = page.get_by_role("link", name="First remedies")

    await remedies.focus()
    await page.keyboard.press("Alt+ArrowUp")

    announcer = page.locator("#board-announcer")
    await expect(announcer).to_have_text("“First remedies” moved to Stabilize, position 2 of 3.")
    await expect(stabilize.nth(1)).to_contain_text("First remedies")
    await expect(stabilize.nth(2)).to_contain_text("Root-cause analysis")
    await expect(remedies).to_be_focused()

    await page.keyboard.press("Alt+ArrowUp")
    await expect(stabilize.nth(0)).to_contain_text("First remedies")
    await page.keyboard.press("Alt+ArrowUp")
    await expect(announcer).to_have_text("“First remedies” is already first in Stabilize.")

    # Another phase with the keyboard too, then everything survives a reload.
    await page.get_by_role("link", name="Candid weekly call").focus()
    await page.keyboard.press("Alt+ArrowRight")
    await expect(announcer).to_have_text("“Candid weekly call” moved to Rebuild, position 1 of 1.")
    await page.reload()
    await expect(stabilize).to_have_count(2)
    await expect(stabilize.nth(0)).to_contain_text("First remedies")
    await expect(stabilize.nth(1)).to_contain_text("Root-cause analysis")
    await expect(phase(page, "Rebuild").get_by_role("listitem")).to_contain_text(
        ["Candid weekly call"]
    )


async def test_move_buttons_and_drag_and_drop_move_cards(page: Page, world: World) -> None:
    await sign_in_by_request(page, "lead@contoso.example")
    await _milestones(page, world.nc_id, "DEEPEN", "Co-planning", "Early warning")
    await page.goto(workspace_url(world.nc_id, "roadmap"))
    deepen = phase(page, "Deepen").get_by_role("listitem")
    await expect(deepen).to_have_count(2)

    await page.get_by_role("button", name="Move Early warning").click()
    move_up = page.get_by_role("button", name="Move up: Early warning")
    await expect(move_up).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(deepen.nth(0)).to_contain_text("Early warning")
    await expect(move_up).to_be_focused()

    # A fresh board, so no refresh from the move above re-renders it in the middle of the drag.
    await page.reload()
    await live_updates_on(page)
    await expect(deepen.nth(0)).to_contain_text("Early warning")
    await deepen.filter(has_text="Co-planning").drag_to(
        page.get_by_role("region", name="Stabilize")
    )
    await expect(phase(page, "Stabilize").get_by_role("listitem")).to_have_count(1)
    await expect(phase(page, "Stabilize").get_by_role("listitem")).to_contain_text("Co-planning")
    await expect(deepen).to_have_count(1)


async def test_a_viewer_sees_the_board_without_edit_controls(
    new_page: NewPage, world: World
) -> None:
    lead = await new_page()
    await sign_in_by_request(lead, "lead@northwind.example")
    await _milestones(lead, world.nc_id, "REBUILD", "Outbound quality gate")
    page = await new_page()
    await open_signed_in(page, "viewer@contoso.example", workspace_url(world.nc_id, "roadmap"))

    card = phase(page, "Rebuild").get_by_role("listitem")
    await expect(card).to_contain_text("Outbound quality gate")
    await expect(
        page.get_by_text("You can read the roadmap; Leads and Editors change it.")
    ).to_be_visible()
    content = page.get_by_role("region", name="Roadmap")
    await expect(content.get_by_role("button")).to_have_count(0)
    await expect(page.locator("[draggable=true]")).to_have_count(0)

    await page.keyboard.press("Alt+ArrowDown")
    await card.get_by_role("link", name="Outbound quality gate").click()
    await expect(page.get_by_role("heading", name="Outbound quality gate", level=3)).to_be_visible()
    await expect(page.get_by_role("list", name="History").locator(":scope > li")).to_have_count(1)
    await expect(page.get_by_role("form")).to_have_count(0)
    await expect(content.get_by_role("button")).to_have_count(0)


async def test_a_conflicting_edit_shows_the_other_sides_values_and_can_be_reapplied(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    contoso = await new_page()
    await sign_in_by_request(northwind, "editor@northwind.example")
    [milestone_id] = await _milestones(northwind, world.nc_id, "REBUILD", "Outbound quality gate")
    url = workspace_url(world.nc_id, "roadmap") + "/" + quote(milestone_id, safe="")
    await northwind.goto(url)
    await open_signed_in(contoso, "lead@contoso.example", url)
    await live_updates_on(northwind)
    northwind_form = northwind.get_by_role("form", name="Edit milestone")
    contoso_form = contoso.get_by_role("form", name="Edit milestone")

    # Northwind starts typing; Contoso saves first.
    await northwind_form.get_by_label("Title").fill("Outbound quality gate at Brno")
    await contoso_form.get_by_label("Status").select_option("AT_RISK")
    await contoso_form.get_by_role("button", name="Save changes").click()
    await expect(contoso_form.get_by_role("status")).to_have_text("Saved.")

    # Northwind's unsaved title is kept while the page learns of the change.
    await expect(
        northwind.get_by_text("Contoso Retail just changed this milestone")
    ).to_be_visible()
    await expect(northwind_form.get_by_label("Title")).to_have_value(
        "Outbound quality gate at Brno"
    )
    await northwind_form.get_by_role("button", name="Save changes").click()

    conflict = northwind_form.get_by_role("alert")
    await expect(conflict).to_contain_text("Someone else saved this milestone after you opened it.")
    table = conflict.get_by_role("table")
    title_row = table.get_by_role("row", name="Title")
    await expect(title_row).to_contain_text("Outbound quality gate at Brno")
    status_row = table.get_by_role("row", name="Status")
    await expect(status_row).to_contain_text("not changed by you")
    await expect(status_row).to_contain_text("At risk")

    # Re-applying saves Northwind's title on top of Contoso's status.
    await conflict.get_by_role("button", name="Apply my changes again").click()
    await expect(
        northwind.get_by_role("heading", name="Outbound quality gate at Brno")
    ).to_be_visible()
    await expect(
        northwind.get_by_role("form", name="Edit milestone").get_by_role("status")
    ).to_have_text("Saved.")
    await expect(
        contoso.get_by_role("heading", name="Outbound quality gate at Brno")
    ).to_be_visible()
    await expect(
        contoso.get_by_role("form", name="Edit milestone").get_by_label("Status")
    ).to_have_value("AT_RISK")
    history = contoso.get_by_role("list", name="History").locator(":scope > li")
    await expect(history).to_have_count(3)
    await expect(history.first).to_contain_text("Editor (Northwind)")
    await expect(history.first).to_contain_text(
        "Outbound quality gate → Outbound quality gate at Brno"
    )
