"""Governance in the browser, each person in their own browser context: Northwind's governance
member writes a disclosure (attaching a file and removing it again) and its Lead publishes it,
twice (two versions); Contoso's governance member sees it waiting, reads the diff of version 2
and acknowledges it; Northwind sees the receipt. Then the decision log: Northwind proposes,
both Leads approve."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import live_updates_on, open_signed_in, workspace_url

pytestmark = pytest.mark.browser

TITLE = "Escalation and decision process"
V1 = "Late order lines are flagged within 4 hours.\nBoth leads decide date changes."
V2 = "Late order lines are flagged within 2 hours.\nBoth leads decide date changes."


async def open_disclosure(page: Page, world: World) -> None:
    await page.goto(workspace_url(world.nc_id, "governance"))
    await page.get_by_role("link", name=TITLE).first.click()
    await expect(page.get_by_role("heading", name=TITLE, level=3)).to_be_visible()


async def publish_latest(lead: Page, world: World, number: int) -> None:
    await open_disclosure(lead, world)
    await lead.get_by_role("button", name="Approve and publish").click()
    await expect(
        lead.get_by_text(f"Version {number} is published; the partner is asked to acknowledge it.")
    ).to_be_visible()


async def test_northwind_publishes_two_versions_and_contoso_acknowledges_the_second(
    new_page: NewPage, world: World
) -> None:
    author, approver, partner = await new_page(), await new_page(), await new_page()
    await open_signed_in(
        author, "governance@northwind.example", workspace_url(world.nc_id, "governance")
    )
    await open_signed_in(approver, "lead@northwind.example", "/")
    await open_signed_in(
        partner, "governance@contoso.example", workspace_url(world.nc_id, "governance")
    )
    await expect(partner.get_by_test_id("pending-count")).to_contain_text(
        "No disclosure waits for your side"
    )

    # Northwind's governance member writes version 1 and submits it
    form = author.get_by_role("form", name="New disclosure")
    await form.get_by_label("Title").fill(TITLE)
    await form.get_by_label("Text").fill(V1)
    await form.get_by_role("button", name="Create draft").click()
    await expect(author.get_by_role("heading", name=TITLE, level=3)).to_be_visible()
    # ... attaches a file, then removes it from the draft with the keyboard, confirming
    attach = author.get_by_role("form", name="Attach a file")
    await attach.get_by_label("File").set_input_files(
        files=[{"name": "old-notes.txt", "mimeType": "text/plain", "buffer": b"notes"}]
    )
    await attach.get_by_role("button", name="Attach").click()
    await expect(author.get_by_text("“old-notes.txt” attached.")).to_be_visible()
    await author.get_by_role("button", name="Remove old-notes.txt").focus()
    await author.keyboard.press("Enter")
    dialog = author.get_by_role("dialog", name="Remove “old-notes.txt”?")
    await expect(dialog.get_by_role("button", name="Yes, remove the file")).to_be_focused()
    await author.keyboard.press("Enter")
    await expect(author.get_by_text("“old-notes.txt” removed from version 1.")).to_be_visible()
    await expect(author.get_by_role("region", name="Attachments")).to_have_count(0)
    await author.get_by_role("button", name="Submit for review").click()
    await expect(author.get_by_text("Version 1 is in review")).to_be_visible()
    # ... Contoso sees nothing of the draft
    await partner.reload()
    await expect(partner.get_by_text("No disclosures yet")).to_be_visible()

    # its Lead publishes it
    await publish_latest(approver, world, 1)

    # version 2: a new draft, one line changed, submitted and published
    await author.reload()
    await author.get_by_role("button", name="Start a new version").click()
    await expect(author.get_by_role("heading", name="Edit version 2")).to_be_visible()
    editor = author.get_by_role("form", name="Edit version 2")
    await editor.get_by_label("Text").fill(V2)
    await editor.get_by_role("button", name="Save draft").click()
    await expect(author.get_by_text("Version 2 saved.")).to_be_visible()
    await author.get_by_role("button", name="Submit for review").click()
    await expect(author.get_by_text("Version 2 is in review")).to_be_visible()
    await publish_latest(approver, world, 2)

    # Contoso sees one disclosure waiting, opens it, reads the diff, acknowledges version 2
    await partner.goto(workspace_url(world.nc_id, "governance"))
    await expect(partner.get_by_test_id("pending-count")).to_contain_text(
        "1 disclosure waits for your side"
    )
    await partner.get_by_role("link", name=TITLE).first.click()
    diff = partner.get_by_role("region", name="Changes from version 1")
    await expect(diff.locator("del")).to_have_text(
        "Removed: - Late order lines are flagged within 4 hours."
    )
    await expect(diff.locator("ins")).to_have_text(
        "Added: + Late order lines are flagged within 2 hours."
    )
    await partner.get_by_role("button", name="Acknowledge version 2").click()
    await expect(partner.get_by_text("Your side acknowledged version 2.")).to_be_visible()
    await expect(partner.get_by_test_id("receipt")).to_contain_text("Acknowledged by Governance")
    await partner.get_by_role("button", name="Version 1 · superseded").click()
    await expect(partner.get_by_test_id("receipt")).to_have_text(
        "Superseded before it was acknowledged"
    )
    await partner.goto(workspace_url(world.nc_id, "governance"))
    await expect(partner.get_by_test_id("pending-count")).to_contain_text(
        "No disclosure waits for your side"
    )

    # Northwind sees Contoso's receipt with the hash it acknowledged
    await open_disclosure(author, world)
    await expect(author.get_by_test_id("receipt")).to_contain_text(
        "Acknowledged by Governance (Contoso)"
    )
    hash_shown = await author.get_by_test_id("content-hash").get_attribute("title")
    assert hash_shown and len(hash_shown) == 64


async def test_both_sides_approve_a_decision_in_the_log(new_page: NewPage, world: World) -> None:
    lead, approver, contoso = await new_page(), await new_page(), await new_page()
    url = workspace_url(world.nc_id, "governance")
    await open_signed_in(lead, "lead@northwind.example", url)
    await open_signed_in(approver, "governance@northwind.example", url)
    await open_signed_in(contoso, "lead@contoso.example", url)
    await live_updates_on(approver)
    await live_updates_on(contoso)
    title = "Move the weekly call to Tuesdays"

    # Northwind's lead proposes it, naming Northwind's governance member as its approver
    form = lead.get_by_role("form", name="Propose a decision")
    await form.get_by_label("Decision").fill(title)
    await form.get_by_label("Options considered").fill("Tuesday 9:00\nKeep Monday")
    await form.get_by_label("Governance (Northwind) (Governance)").check()
    await form.get_by_role("button", name="Propose decision").click()
    await expect(lead.get_by_text(f"You proposed “{title}”")).to_be_visible()
    ours = lead.get_by_role("listitem").filter(has=lead.get_by_role("heading", name=title))
    await expect(ours.get_by_text("Approvers: Governance (Northwind)")).to_be_visible()
    await expect(ours.get_by_label("Comment")).to_have_count(0)  # the lead is not the approver

    # the named approver approves; Contoso sees the verdict live, and approves too
    mine = approver.get_by_role("listitem").filter(has=approver.get_by_role("heading", name=title))
    await mine.get_by_label("Comment").fill("Mondays clash with planning.")
    await mine.get_by_role("button", name="Approve", exact=True).click()
    await expect(approver.get_by_text("the decision is proposed")).to_be_visible()

    theirs = contoso.get_by_role("listitem").filter(has=contoso.get_by_role("heading", name=title))
    await expect(theirs.get_by_text("“Mondays clash with planning.”")).to_be_visible()
    # Contoso names its lead as its approver (a side names its own), then approves
    await theirs.get_by_role("button", name="Name approvers for your side").click()
    await theirs.get_by_label("Lead (Contoso) (Lead)").check()
    await theirs.get_by_role("button", name="Save approvers").click()
    await expect(contoso.get_by_text("Approvers named for your side.")).to_be_visible()
    await expect(theirs.get_by_text("Approvers: Lead (Contoso)")).to_be_visible()
    await theirs.get_by_label("Comment").fill("Fine by us.")
    await theirs.get_by_role("button", name="Approve", exact=True).click()
    await expect(contoso.get_by_text("the decision is approved")).to_be_visible()
    await expect(theirs.locator(".badge", has_text="Approved")).to_be_visible()
