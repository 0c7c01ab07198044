"""Commitments page: the two-sided lifecycle live between both sides, filters, the detail."""

from __future__ import annotations

import re
from urllib.parse import quote

import asyncpg
import pytest
from playwright.async_api import Locator, Page, expect

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

pytestmark = pytest.mark.browser

TITLE = "Weekly order-status report for Contoso's buyers"
EVIDENCE_URL = "https://docs.northwind.example/recovery/order-status-week-1.pdf"
EVIDENCE_TITLE = "Order-status report, week 1"

PROPOSE = """mutation($input: ProposeCommitmentInput!) {
  proposeCommitment(input: $input) { commitment { id version } userErrors { code message } } }"""
ACCEPT = """mutation($input: CommitmentActionInput!) {
  acceptCommitment(input: $input) { commitment { id version } userErrors { code message } } }"""


def item(page: Page, title: str) -> Locator:
    """One commitment of the list, found by its title."""
    return page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=title))


async def test_northwind_proposes_contoso_accepts_northwind_delivers_contoso_confirms_live(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    contoso = await new_page()
    await open_signed_in(
        northwind, "lead@northwind.example", workspace_url(world.nc_id, "commitments")
    )
    await open_signed_in(contoso, "lead@contoso.example", workspace_url(world.nc_id, "commitments"))
    await live_updates_on(northwind)
    await live_updates_on(contoso)
    await expect(contoso.get_by_text("No commitments yet")).to_be_visible()

    # Northwind proposes; Contoso's open page shows it without a reload.
    await northwind.get_by_role("button", name="Propose a commitment").click()
    form = northwind.get_by_role("form", name="Propose a commitment")
    await form.get_by_label("What will be delivered").fill(TITLE)
    await form.get_by_label("Due date").fill(days_from_today(21))
    await form.get_by_role("button", name="Propose commitment").click()
    await expect(northwind.get_by_text(f"You proposed “{TITLE}”.")).to_be_visible()
    await expect(item(northwind, TITLE).get_by_text("Proposed", exact=True)).to_be_visible()

    at_contoso = item(contoso, TITLE)
    await expect(at_contoso.get_by_text("Proposed", exact=True)).to_be_visible()
    await expect(
        contoso.get_by_text("Northwind Components just changed a commitment")
    ).to_be_visible()
    # Only the side that did not propose it may accept it.
    await expect(item(northwind, TITLE).get_by_role("button", name="Accept")).to_have_count(0)

    # Contoso accepts; Northwind sees it agreed and may deliver.
    await at_contoso.get_by_role("button", name="Accept").click()
    await expect(contoso.get_by_text(f"You accepted “{TITLE}”.")).to_be_visible()
    at_northwind = item(northwind, TITLE)
    await expect(at_northwind.get_by_text("Agreed", exact=True)).to_be_visible()
    await expect(northwind.get_by_text("Contoso Retail just changed a commitment")).to_be_visible()

    # Northwind delivers with evidence; Contoso sees the delivery and its evidence.
    await at_northwind.get_by_role("button", name="Deliver").click()
    deliver = at_northwind.get_by_role("form", name=f"Deliver “{TITLE}”")
    await expect(deliver.get_by_label("Link (URL)")).to_be_focused()
    await deliver.get_by_label("Link (URL)").fill(EVIDENCE_URL)
    await deliver.get_by_label("Title").fill(EVIDENCE_TITLE)
    await deliver.get_by_role("button", name="Mark as delivered").click()
    await expect(at_northwind.get_by_text("Delivered", exact=True)).to_be_visible()

    await expect(at_contoso.get_by_text("Delivered", exact=True)).to_be_visible()
    evidence = at_contoso.get_by_role("link", name=EVIDENCE_TITLE)
    await expect(evidence).to_have_attribute("href", EVIDENCE_URL)
    # Confirming is the other side's: Northwind has no button for it.
    await expect(at_northwind.get_by_role("button", name="Confirm delivery")).to_have_count(0)

    # Contoso confirms; Northwind sees it confirmed, with nothing left to do.
    await at_contoso.get_by_role("button", name="Confirm delivery").click()
    await expect(at_contoso.get_by_text("Confirmed", exact=True)).to_be_visible()
    await expect(at_northwind.get_by_text("Confirmed", exact=True)).to_be_visible()
    await expect(at_northwind.get_by_role("button")).to_have_count(0)
    await expect(at_contoso.get_by_role("button")).to_have_count(0)


async def test_the_status_filter_narrows_the_list_to_missed_commitments(
    new_page: NewPage, world: World, owner: asyncpg.Connection
) -> None:
    northwind = await new_page()
    contoso = await new_page()
    await sign_in_by_request(northwind, "lead@northwind.example")
    await sign_in_by_request(contoso, "lead@contoso.example")
    for title, due in (
        ("Publish the root-cause analysis", 10),  # its date then passes (below)
        ("Second shift at the plant", 20),
        ("Clear the backlog", 40),
    ):
        proposed = await mutation(
            northwind,
            PROPOSE,
            "proposeCommitment",
            {"partnershipId": world.nc_id, "title": title, "dueDate": days_from_today(due)},
        )
        if title != "Clear the backlog":
            commitment = proposed["commitment"]
            await mutation(
                contoso,
                ACCEPT,
                "acceptCommitment",
                {"commitmentId": commitment["id"], "expectedVersion": commitment["version"]},
            )
    # A due date in the past is refused: the agreed one's date passes, as the table owner says.
    await owner.execute(
        "UPDATE commitment SET due_date = current_date - 3 "
        "WHERE title = 'Publish the root-cause analysis'"
    )
    await northwind.goto(workspace_url(world.nc_id, "commitments"))
    await expect(northwind.get_by_text("3 commitments.")).to_be_visible()
    late = item(northwind, "Publish the root-cause analysis")
    await expect(late.get_by_text("Missed", exact=True)).to_be_visible()

    filters = northwind.get_by_role("search", name="Filter commitments")
    await filters.get_by_label("Status").select_option("MISSED")

    await expect(northwind.get_by_text("1 commitment matches the filters.")).to_be_visible()
    await expect(late).to_be_visible()
    await expect(item(northwind, "Second shift at the plant")).to_have_count(0)
    await expect(item(northwind, "Clear the backlog")).to_have_count(0)
    # The filter is part of the address: a reload keeps it.
    await expect(northwind).to_have_url(re.compile(r"commitments\?status=MISSED$"))
    await northwind.reload()
    await expect(northwind.get_by_text("1 commitment matches the filters.")).to_be_visible()
    await expect(filters.get_by_label("Status")).to_have_value("MISSED")

    await filters.get_by_label("Status").select_option("PROPOSED")
    await expect(northwind.get_by_text("1 commitment matches the filters.")).to_be_visible()
    await expect(item(northwind, "Clear the backlog")).to_be_visible()

    await filters.get_by_role("button", name="Clear filters").click()
    await expect(northwind.get_by_text("3 commitments.")).to_be_visible()
    await filters.get_by_label("Due until").fill(days_from_today(30))
    await expect(northwind.get_by_text("2 commitments match the filters.")).to_be_visible()
    await expect(item(northwind, "Clear the backlog")).to_have_count(0)


async def test_a_dispute_needs_a_reason_and_the_detail_shows_evidence_and_history(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    contoso = await new_page()
    await sign_in_by_request(northwind, "lead@northwind.example")
    await sign_in_by_request(contoso, "lead@contoso.example")
    proposed = await mutation(
        northwind,
        PROPOSE,
        "proposeCommitment",
        {"partnershipId": world.nc_id, "title": TITLE, "dueDate": days_from_today(10)},
    )
    commitment = proposed["commitment"]
    await mutation(
        contoso,
        ACCEPT,
        "acceptCommitment",
        {"commitmentId": commitment["id"], "expectedVersion": commitment["version"]},
    )
    deliver = """mutation($input: DeliverCommitmentInput!) {
      deliverCommitment(input: $input) { commitment { id } userErrors { code message } } }"""
    await mutation(
        northwind,
        deliver,
        "deliverCommitment",
        {
            "commitmentId": commitment["id"],
            "expectedVersion": commitment["version"] + 1,
            "evidence": [{"url": EVIDENCE_URL, "title": EVIDENCE_TITLE, "note": "First issue."}],
        },
    )
    await contoso.goto(workspace_url(world.nc_id, "commitments"))
    at_contoso = item(contoso, TITLE)

    await at_contoso.get_by_role("button", name="Dispute").click()
    dispute = at_contoso.get_by_role("form", name=f"Dispute the delivery of “{TITLE}”")
    await dispute.get_by_role("button", name="Dispute delivery").click()
    reason = dispute.get_by_label("Why is the delivery not what was agreed?")
    await expect(reason).to_have_attribute("aria-invalid", "true")
    await expect(reason).to_be_focused()
    await reason.fill("The report leaves out the orders shipped from Brno.")
    await dispute.get_by_role("button", name="Dispute delivery").click()

    await expect(at_contoso.get_by_text("Disputed", exact=True)).to_be_visible()
    await expect(at_contoso.get_by_text("leaves out the orders shipped from Brno")).to_be_visible()

    await at_contoso.get_by_role("link", name=TITLE).click()
    await expect(contoso.get_by_role("heading", name=TITLE, level=3)).to_be_visible()
    evidence = contoso.get_by_role("list", name="Evidence")
    await expect(evidence.get_by_role("link", name=EVIDENCE_TITLE)).to_be_visible()
    await expect(evidence).to_contain_text("First issue.")
    history = contoso.get_by_role("list", name="History")
    await expect(history.get_by_role("listitem")).to_have_count(4)
    await expect(history.get_by_role("listitem").first).to_contain_text(
        "disputed the delivery (Delivered → Disputed)"
    )
    await expect(history.get_by_role("listitem").last).to_contain_text("proposed it")
    await expect(
        contoso.get_by_role("list", name="Every due date").get_by_role("listitem")
    ).to_have_count(1)


async def test_a_renegotiated_due_date_is_agreed_by_the_other_side_and_every_date_is_kept(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    contoso = await new_page()
    await sign_in_by_request(northwind, "lead@northwind.example")
    proposed = await mutation(
        northwind,
        PROPOSE,
        "proposeCommitment",
        {"partnershipId": world.nc_id, "title": TITLE, "dueDate": days_from_today(7)},
    )
    commitment = proposed["commitment"]
    await open_signed_in(contoso, "lead@contoso.example", workspace_url(world.nc_id, "commitments"))
    await item(contoso, TITLE).get_by_role("button", name="Accept").click()
    await expect(item(contoso, TITLE).get_by_text("Agreed", exact=True)).to_be_visible()
    await live_updates_on(contoso)

    await northwind.goto(
        workspace_url(world.nc_id, "commitments") + "/" + quote(commitment["id"], safe="")
    )
    await northwind.get_by_role("button", name="Ask for a new due date").click()
    form = northwind.get_by_role("form", name=f"Ask for a new due date for “{TITLE}”")
    await form.get_by_label("New due date").fill(days_from_today(28))
    await form.get_by_label("Reason").fill("The Brno line is down for maintenance in week 2.")
    await form.get_by_role("button", name="Send the request").click()
    await expect(
        northwind.get_by_text(f"You asked for a new due date for “{TITLE}”.")
    ).to_be_visible()

    at_contoso = item(contoso, TITLE)
    await expect(at_contoso).to_contain_text("asks to move the due date to")
    await expect(at_contoso).to_contain_text("The Brno line is down for maintenance")
    await at_contoso.get_by_role("button", name="Accept new due date").click()
    await expect(
        contoso.get_by_text(f"You accepted the new due date of “{TITLE}”.")
    ).to_be_visible()

    dates = northwind.get_by_role("list", name="Every due date").get_by_role("listitem")
    await expect(dates).to_have_count(2)
    await expect(dates.last).to_contain_text("(current)")
    await expect(dates.last).to_contain_text("The Brno line is down for maintenance")
    history = northwind.get_by_role("list", name="History").get_by_role("listitem")
    await expect(history.first).to_contain_text("accepted the new due date")


async def test_the_list_pages_forward_and_back(page: Page, world: World) -> None:
    await sign_in_by_request(page, "editor@northwind.example")
    for index in range(23):
        await mutation(
            page,
            PROPOSE,
            "proposeCommitment",
            {
                "partnershipId": world.nc_id,
                "title": f"Delivery {index:02d}",
                "dueDate": days_from_today(10 + index),
            },
        )
    await page.goto(workspace_url(world.nc_id, "commitments"))
    items = page.get_by_role("list", name="Commitments").get_by_role("listitem")
    await expect(items).to_have_count(20)
    await expect(items.first).to_contain_text("Delivery 00")
    pages = page.get_by_role("navigation", name="Pages of commitments")
    await expect(pages.get_by_role("button", name="Previous page")).to_have_count(0)

    await pages.get_by_role("button", name="Next page").click()
    await expect(items).to_have_count(3)
    await expect(items.first).to_contain_text("Delivery 20")
    await expect(pages.get_by_role("button", name="Next page")).to_have_count(0)

    await pages.get_by_role("button", name="Previous page").click()
    await expect(items).to_have_count(20)
    await expect(items.last).to_contain_text("Delivery 19")

    await (
        page.get_by_role("search", name="Filter commitments")
        .get_by_label("Sort by")
        .select_option("due-desc")
    )
    await expect(items.first).to_contain_text("Delivery 22")
