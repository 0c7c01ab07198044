"""The partnership list: paging, the empty state and the error state."""

from __future__ import annotations

import asyncpg
import pytest
from playwright.async_api import Page, Request, Route, expect

from tests.helpers import World
from tests.portal.portal import open_signed_in

pytestmark = pytest.mark.browser


async def _more_partnerships(owner: asyncpg.Connection, world: World, count: int) -> None:
    """`count` extra ACTIVE partnerships of Northwind's lead, written directly as the owner."""
    northwind = world.orgs["northwind"].id
    lead = world.user_id("lead@northwind.example")
    for index in range(count):
        partner = await owner.fetchval(
            "INSERT INTO organization (name, slug) VALUES ($1, $2) RETURNING id",
            f"Partner {index:02d}",
            f"partner-{index:02d}",
        )
        partnership = await owner.fetchval(
            "INSERT INTO partnership (name, status, created_by, activated_at)"
            " VALUES ($1, 'ACTIVE', $2, now()) RETURNING id",
            f"Pager {index:02d}",
            lead,
        )
        own_party = await owner.fetchval(
            "INSERT INTO party (partnership_id, organization_id, label)"
            " VALUES ($1, $2, 'Supplier') RETURNING id",
            partnership,
            northwind,
        )
        await owner.execute(
            "INSERT INTO party (partnership_id, organization_id, label)"
            " VALUES ($1, $2, 'Customer')",
            partnership,
            partner,
        )
        await owner.execute(
            "INSERT INTO workspace_member (partnership_id, party_id, user_id, role)"
            " VALUES ($1, $2, $3, 'LEAD')",
            partnership,
            own_party,
            lead,
        )


async def test_the_list_pages_forward_and_back(
    page: Page, world: World, owner: asyncpg.Connection
) -> None:
    await _more_partnerships(owner, world, 21)
    await open_signed_in(page, "lead@northwind.example")
    items = page.get_by_role("list", name="Your partnerships").get_by_role("listitem")
    await expect(page.get_by_text("Northwind Components · 22 partnerships")).to_be_visible()
    await expect(items).to_have_count(20)
    await expect(items.first).to_contain_text("Northwind ↔ Contoso supply recovery")
    await expect(page.get_by_role("link", name="Previous page")).to_have_count(0)

    await page.get_by_role("link", name="Next page").click()

    await expect(items).to_have_count(2)
    await expect(items.nth(0)).to_contain_text("Pager 19")
    await expect(items.nth(1)).to_contain_text("Pager 20")
    await expect(page.get_by_role("link", name="Next page")).to_have_count(0)

    await page.get_by_role("link", name="Previous page").click()

    await expect(items).to_have_count(20)
    await expect(items.last).to_contain_text("Pager 18")


async def test_an_organization_without_partnerships_sees_the_empty_state(
    page: Page, world: World, owner: asyncpg.Connection
) -> None:
    tailspin = await owner.fetchval(
        "INSERT INTO organization (name, slug) VALUES ('Tailspin Toys', 'tailspin') RETURNING id"
    )
    await owner.execute(
        "INSERT INTO app_user (organization_id, email, display_name, password_hash, org_role)"
        " SELECT $1, 'admin@tailspin.example', 'Admin (Tailspin)', password_hash, 'ADMIN'"
        " FROM app_user WHERE email = 'admin@fabrikam.example'",
        tailspin,
    )

    await open_signed_in(page, "admin@tailspin.example")

    await expect(page.get_by_text("No partnerships yet")).to_be_visible()
    await page.get_by_role("link", name="Invite an organization").click()
    await expect(page.get_by_role("form", name="Invite an organization")).to_be_visible()


async def test_a_failed_load_shows_an_error_and_can_be_retried(page: Page, world: World) -> None:
    await open_signed_in(page, "lead@contoso.example")
    await expect(page.get_by_role("list", name="Your partnerships")).to_be_visible()

    async def fail_the_list(route: Route, request: Request) -> None:
        if "PortalPartnerships" in (request.post_data or ""):
            await route.abort("connectionreset")
        else:
            await route.continue_()

    await page.route("**/graphql", fail_the_list)
    await page.reload()

    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("The server could not be reached.")
    await page.unroute("**/graphql")
    await alert.get_by_role("button", name="Try again").click()

    await expect(page.get_by_role("list", name="Your partnerships")).to_be_visible()
    await expect(page.get_by_role("alert")).to_have_count(0)
