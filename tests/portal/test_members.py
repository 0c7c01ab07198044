"""Members page: a LEAD manages the own side through the forms; others only read."""

from __future__ import annotations

import asyncpg
import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.portal import open_signed_in, workspace_url

pytestmark = pytest.mark.browser

OWN_SIDE = "Customer · Contoso Retail"


async def _new_contoso_user(owner: asyncpg.Connection, world: World, email: str) -> None:
    """A user of Contoso who is not yet in any workspace (created directly, as an admin would)."""
    await owner.execute(
        "INSERT INTO app_user (organization_id, email, display_name, org_role)"
        " VALUES ($1, $2, $3, 'MEMBER')",
        world.orgs["contoso"].id,
        email,
        "Analyst (Contoso)",
    )


async def test_lead_adds_a_member_of_their_own_side(
    page: Page, world: World, owner: asyncpg.Connection
) -> None:
    await _new_contoso_user(owner, world, "analyst@contoso.example")
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "members"))
    own = page.get_by_role("table", name=OWN_SIDE)
    await expect(own.get_by_role("row")).to_have_count(1 + 4)

    form = page.get_by_role("form", name="Add a member of Contoso Retail")
    await form.get_by_label("Email").fill("analyst@contoso.example")
    await form.get_by_label("Role", exact=True).select_option("EDITOR")
    await form.get_by_role("button", name="Add member").click()

    await expect(form.get_by_role("status")).to_have_text(
        "analyst@contoso.example was added as Editor."
    )
    row = own.get_by_role("row").filter(has_text="analyst@contoso.example")
    await expect(row.get_by_role("cell", name="Analyst (Contoso)")).to_be_visible()
    await expect(row.get_by_role("combobox", name="Role of analyst@contoso.example")).to_have_value(
        "EDITOR"
    )
    await expect(own.get_by_role("row")).to_have_count(1 + 5)
    await expect(form.get_by_label("Email")).to_have_value("")


async def test_add_member_shows_the_user_error_next_to_the_form(page: Page, world: World) -> None:
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "members"))
    form = page.get_by_role("form", name="Add a member of Contoso Retail")

    # A user of the partner's organization cannot be added by this side.
    await form.get_by_label("Email").fill("editor@northwind.example")
    await form.get_by_role("button", name="Add member").click()

    message = "No active user of your organization has this email."
    await expect(form.get_by_role("alert")).to_have_text(message)
    email = form.get_by_label("Email")
    await expect(email).to_have_attribute("aria-invalid", "true")
    await expect(email).to_have_accessible_description(
        f"A user of your own organization. {message}"
    )
    await expect(page.get_by_role("table", name=OWN_SIDE).get_by_role("row")).to_have_count(1 + 4)


async def test_lead_changes_a_role_and_removes_a_member(page: Page, world: World) -> None:
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "members"))
    own = page.get_by_role("table", name=OWN_SIDE)

    await own.get_by_role("combobox", name="Role of viewer@contoso.example").select_option(
        "GOVERNANCE"
    )
    await own.get_by_role("button", name="Save role for viewer@contoso.example").click()
    await expect(page.get_by_role("status")).to_have_text(
        "viewer@contoso.example is now Governance."
    )
    await expect(own.get_by_role("combobox", name="Role of viewer@contoso.example")).to_have_value(
        "GOVERNANCE"
    )

    await own.get_by_role("button", name="Remove editor@contoso.example").click()
    # The confirmation is a dialog over the page (the table keeps its width).
    dialog = page.get_by_role("dialog", name="Remove Editor (Contoso)?")
    confirm = dialog.get_by_role("button", name="Yes, remove editor@contoso.example")
    await expect(confirm).to_be_focused()
    await confirm.click()
    await expect(dialog).to_have_count(0)

    await expect(page.get_by_role("status")).to_have_text(
        "editor@contoso.example was removed from this workspace."
    )
    await expect(own.get_by_role("cell", name="editor@contoso.example")).to_have_count(0)
    await expect(own.get_by_role("row")).to_have_count(1 + 3)


async def test_the_last_lead_cannot_be_demoted(page: Page, world: World) -> None:
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "members"))
    own = page.get_by_role("table", name=OWN_SIDE)

    await own.get_by_role("combobox", name="Role of lead@contoso.example").select_option("VIEWER")
    await own.get_by_role("button", name="Save role for lead@contoso.example").click()

    await expect(page.get_by_role("alert")).to_have_text("Each side keeps at least one LEAD.")
    await expect(own.get_by_role("combobox", name="Role of lead@contoso.example")).to_have_value(
        "LEAD"
    )


async def test_a_viewer_sees_both_sides_but_no_controls(page: Page, world: World) -> None:
    await open_signed_in(page, "viewer@contoso.example", workspace_url(world.nc_id, "members"))

    await expect(
        page.get_by_role("table", name=OWN_SIDE).get_by_role("cell", name="lead@contoso.example")
    ).to_be_visible()
    await expect(page.get_by_text("Only a Lead of your side")).to_be_visible()
    await expect(page.get_by_role("form")).to_have_count(0)
    # (the section's own buttons: the workspace header has its search button for everyone)
    section = page.get_by_role("region", name="Members", exact=True)
    await expect(section.get_by_role("button")).to_have_count(0)
    await expect(page.get_by_role("combobox")).to_have_count(0)


async def test_the_removal_is_confirmed_in_a_dialog_and_the_table_keeps_its_width(
    page: Page, world: World
) -> None:
    await page.set_viewport_size({"width": 1440, "height": 900})
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "members"))
    own = page.get_by_role("table", name=OWN_SIDE)
    await expect(own.get_by_role("row")).to_have_count(1 + 4)
    width = await own.evaluate("t => t.getBoundingClientRect().width")
    remove = own.get_by_role("button", name="Remove viewer@contoso.example")

    await remove.click()

    dialog = page.get_by_role("dialog", name="Remove Viewer (Contoso)?")
    await expect(dialog).to_be_visible()
    await expect(dialog).to_contain_text("viewer@contoso.example will no longer see or change")
    assert await own.evaluate("t => t.getBoundingClientRect().width") == width
    overflow = await page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth)"
    )
    assert max(overflow) <= 0, overflow
    # modal: Tab stays in the dialog; Escape cancels, and focus goes back to the button
    await page.keyboard.press("Tab")
    assert await dialog.evaluate("d => d.contains(document.activeElement)")
    await page.keyboard.press("Escape")
    await expect(dialog).to_have_count(0)
    await expect(remove).to_be_focused()
    await expect(own.get_by_role("row")).to_have_count(1 + 4)
