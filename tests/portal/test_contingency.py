"""Contingency in the browser, each Lead in their own browser context: Northwind's Lead drafts a
plan triggered by detector 2 ("commitments delayed or changed") and both Leads approve it; then
the Leads renegotiate two commitments twice each through the API (their own sessions), the
health domain's daily job runs (its task entry point, as the job queue runs it), detector 2
fires from those records and activates the plan; both sides see the activation arrive live,
each completes its own step, and Contoso's Lead closes it with a post-mortem that both read."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect
from sqlalchemy.engine import URL

from tests.commitments.factories import (
    ACCEPT,
    ACCEPT_RENEGOTIATION,
    PROPOSE,
    RENEGOTIATE,
)
from tests.health.factories import run_daily
from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import (
    days_from_today,
    live_updates_on,
    mutation,
    open_signed_in,
    workspace_url,
)

pytestmark = pytest.mark.browser

TITLE = "Commitments delayed or renegotiated"


async def open_plan(page: Page, world: World) -> None:
    await page.goto(workspace_url(world.nc_id, "contingency"))
    await page.get_by_role("link", name=TITLE).first.click()
    await expect(page.get_by_role("heading", name=TITLE, level=3)).to_be_visible()


async def renegotiated_twice(northwind: Page, contoso: Page, world: World, title: str) -> None:
    """Northwind proposes a commitment, Contoso accepts it; Northwind asks twice for a later
    date, Contoso accepting the first: what detector 2 counts (renegotiated, and again)."""
    proposed = await mutation(
        northwind,
        PROPOSE,
        "proposeCommitment",
        {"partnershipId": world.nc_id, "title": title, "dueDate": days_from_today(20)},
    )
    commitment = proposed["commitment"]
    for page, document, name, fields in (
        (contoso, ACCEPT, "acceptCommitment", {}),
        (
            northwind,
            RENEGOTIATE,
            "requestCommitmentRenegotiation",
            {"newDueDate": days_from_today(40), "reason": "Capacity"},
        ),
        (contoso, ACCEPT_RENEGOTIATION, "acceptCommitmentRenegotiation", {}),
        (
            northwind,
            RENEGOTIATE,
            "requestCommitmentRenegotiation",
            {"newDueDate": days_from_today(60), "reason": "Capacity again"},
        ),
    ):
        input_ = {
            "commitmentId": commitment["id"],
            "expectedVersion": commitment["version"],
            **fields,
        }
        commitment = (await mutation(page, document, name, input_))["commitment"]


async def test_both_leads_approve_a_plan_the_records_fire_it_and_both_close_it(
    new_page: NewPage, world: World, app_database_url: URL
) -> None:
    northwind, contoso = await new_page(), await new_page()
    await open_signed_in(
        northwind, "lead@northwind.example", workspace_url(world.nc_id, "contingency")
    )
    await open_signed_in(contoso, "lead@contoso.example", "/")

    # Northwind's Lead drafts the plan, submits it and approves it for Northwind
    form = northwind.get_by_role("form", name="Draft a plan")
    await form.get_by_label("Title").fill(TITLE)
    await form.get_by_label("Triggered by the detector").select_option("commitments_delayed")
    await form.get_by_label("First step (your side)").fill("Call the partner")
    await form.get_by_label("Step of Contoso", exact=False).fill("Confirm the impact")
    await form.get_by_role("button", name="Draft the plan").click()
    await expect(northwind.get_by_text(f"Plan “{TITLE}” drafted")).to_be_visible()
    await open_plan(northwind, world)
    await northwind.get_by_role("button", name="Submit version 1 for approval").click()
    await expect(northwind.get_by_text("Version 1 submitted")).to_be_visible()
    await northwind.get_by_role("button", name="Approve version 1 for your side").click()
    await expect(northwind.get_by_text("Your side approved; waiting for")).to_be_visible()

    # Contoso's Lead approves it: version 1 is in force
    await open_plan(contoso, world)
    await contoso.get_by_role("button", name="Approve version 1 for your side").click()
    await expect(contoso.get_by_text("Version 1 is in force.")).to_be_visible()
    await expect(
        contoso.get_by_role("button", name="Approve version 1 for your side")
    ).to_have_count(0)

    # both watch the list; two commitments are renegotiated twice each; the daily job runs
    for page in (northwind, contoso):
        await page.goto(workspace_url(world.nc_id, "contingency"))
        await expect(page.get_by_text("No activations yet")).to_be_visible()
        await live_updates_on(page)
    for title in ("Migrate the warehouse feed", "Weekly capacity report"):
        await renegotiated_twice(northwind, contoso, world, title)
    await run_daily(app_database_url)

    # detector 2 fired from those records: the activation arrives on both screens
    activations = [
        page.get_by_role("table", name="Activations and drills") for page in (northwind, contoso)
    ]
    for table in activations:
        await expect(table.get_by_role("link", name=TITLE)).to_be_visible()
        await expect(table).to_contain_text("Trigger: detector.commitments_delayed")

    # each side opens the room and completes its own step (and only its own)
    for page in (northwind, contoso):
        await (
            page.get_by_role("table", name="Activations and drills")
            .get_by_role("link", name=TITLE)
            .click()
        )
        await expect(page.get_by_role("heading", name=f"Activation: {TITLE}")).to_be_visible()
    await expect(contoso.get_by_role("button", name="Mark “Call the partner” done")).to_have_count(
        0
    )
    await contoso.get_by_role("button", name="Mark “Confirm the impact” done").click()
    await expect(contoso.get_by_text("Step “Confirm the impact” done.")).to_be_visible()
    await northwind.get_by_role("button", name="Mark “Call the partner” done").click()
    await expect(northwind.get_by_text("Step “Call the partner” done.")).to_be_visible()
    # ... and Northwind's room shows Contoso's step done, live
    await expect(
        northwind.get_by_role("list", name="Timeline").get_by_text("Confirm the impact")
    ).to_be_visible()

    # Contoso's Lead closes it with a post-mortem; both read it
    close = contoso.get_by_role("form", name="Close with a post-mortem")
    await close.get_by_label("Post-mortem summary").fill("Met together, within the hour.")
    await close.get_by_label("Root cause").fill("Capacity plan not shared")
    await close.get_by_label("Follow-up action", exact=False).fill("Share the capacity plan weekly")
    await close.get_by_role("button", name="Close the activation").click()
    for page in (contoso, northwind):
        post_mortem = page.get_by_role("region", name="Post-mortem")
        await expect(post_mortem).to_contain_text("Met together, within the hour.")
        await expect(post_mortem).to_contain_text("Share the capacity plan weekly")
        await expect(page.get_by_text("Closed", exact=True).first).to_be_visible()
