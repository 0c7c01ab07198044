"""The partnership list and a workspace: both sides' members, and isolation between partnerships."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.portal import open_signed_in, sign_in, workspace_url

pytestmark = pytest.mark.browser

NORTHWIND_CONTOSO = "Northwind ↔ Contoso supply recovery"
FABRIKAM_CONTOSO = "Fabrikam ↔ Contoso logistics"


async def test_contoso_lead_opens_the_northwind_partnership_and_sees_both_sides(
    page: Page, world: World
) -> None:
    await sign_in(page, "lead@contoso.example")
    partnerships = page.get_by_role("list", name="Your partnerships")
    await expect(partnerships.get_by_role("listitem")).to_have_count(2)

    await page.get_by_role("link", name=NORTHWIND_CONTOSO).click()
    await expect(page.get_by_role("heading", name=NORTHWIND_CONTOSO, level=1)).to_be_visible()
    await page.get_by_role("navigation", name="Workspace sections").get_by_role(
        "link", name="Members", exact=True
    ).click()

    own = page.get_by_role("table", name="Customer · Contoso Retail")
    partner = page.get_by_role("table", name="Supplier · Northwind Components")
    for email in ("lead@contoso.example", "editor@contoso.example", "viewer@contoso.example"):
        await expect(own.get_by_role("cell", name=email, exact=True)).to_be_visible()
    for email in ("lead@northwind.example", "governance@northwind.example"):
        await expect(partner.get_by_role("cell", name=email, exact=True)).to_be_visible()
    await expect(own.get_by_role("row")).to_have_count(1 + 4)
    await expect(partner.get_by_role("row")).to_have_count(1 + 4)
    # A side manages only its own people: nothing to press on the partner's rows.
    await expect(own.get_by_role("button", name="Remove viewer@contoso.example")).to_be_visible()
    await expect(partner.get_by_role("button")).to_have_count(0)


async def test_northwind_cannot_find_or_open_fabrikams_partnership(
    page: Page, world: World
) -> None:
    await sign_in(page, "lead@northwind.example")

    partnerships = page.get_by_role("list", name="Your partnerships")
    await expect(partnerships.get_by_role("link", name=NORTHWIND_CONTOSO)).to_be_visible()
    await expect(partnerships.get_by_role("listitem")).to_have_count(1)
    await expect(page.get_by_text("Fabrikam")).to_have_count(0)

    await page.goto(workspace_url(world.fc_id))
    await expect(page.get_by_role("heading", name="Partnership not found")).to_be_visible()
    await expect(page.get_by_text(FABRIKAM_CONTOSO)).to_have_count(0)

    await page.goto(workspace_url(world.fc_id, "members"))
    await page.reload()
    await expect(page.get_by_role("heading", name="Partnership not found")).to_be_visible()
    await expect(page.get_by_text("contoso.example")).to_have_count(0)
    await expect(page.get_by_text("Logistics provider")).to_have_count(0)


async def test_workspace_header_and_sections_that_are_not_built_yet(
    page: Page, world: World
) -> None:
    await open_signed_in(page, "editor@northwind.example", workspace_url(world.nc_id))

    await expect(page.get_by_role("heading", name=NORTHWIND_CONTOSO, level=1)).to_be_visible()
    await expect(page.get_by_text("Your side · Supplier", exact=True)).to_be_visible()
    await expect(page.get_by_text("Partner · Customer", exact=True)).to_be_visible()
    await expect(page.get_by_text("4 on your side, 4 on Contoso Retail's side.")).to_be_visible()

    sections = page.get_by_role("navigation", name="Workspace sections")
    await sections.get_by_role("link", name="KPIs").click()

    await expect(page.get_by_role("heading", name="KPIs", level=2)).to_be_focused()
    await expect(page.get_by_text("KPIs is not available yet")).to_be_visible()
    await expect(sections.get_by_role("link", name="KPIs (not available yet)")).to_have_attribute(
        "aria-current", "page"
    )


async def test_an_unknown_partnership_id_shows_not_found(page: Page, world: World) -> None:
    await open_signed_in(page, "lead@contoso.example", workspace_url("not-a-real-id"))

    await expect(page.get_by_role("heading", name="Partnership not found")).to_be_visible()
    await page.get_by_role("link", name="Back to your partnerships").click()
    await expect(page.get_by_role("heading", name="Partnerships", level=1)).to_be_visible()
