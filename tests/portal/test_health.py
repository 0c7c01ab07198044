"""The Health page: two missed commitments and thresholds Northwind's LEAD proposes and
Contoso's LEAD accepts (in the page) make the commitments-delayed detector fire, with the
commitments as its evidence; the index, its components and the history are drawn."""

from __future__ import annotations

import re

import asyncpg
import pytest
from playwright.async_api import expect

from tests.commitments.factories import raw_id
from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import mutation, open_signed_in, workspace_url

pytestmark = pytest.mark.browser

PROPOSE = (
    "mutation($input: ProposeCommitmentInput!) { proposeCommitment(input: $input) "
    "{ commitment { id version } userErrors { code message } } }"
)
ACCEPT = (
    "mutation($input: CommitmentActionInput!) { acceptCommitment(input: $input) "
    "{ commitment { id version } userErrors { code message } } }"
)


async def test_both_leads_agree_thresholds_and_the_detector_fires_with_its_evidence(
    new_page: NewPage, world: World, owner: asyncpg.Connection
) -> None:
    # given two agreed commitments of Northwind's, both past due (as the table owner says)
    northwind = await new_page()
    await open_signed_in(northwind, "lead@northwind.example", workspace_url(world.nc_id, "health"))
    contoso = await new_page()
    await open_signed_in(contoso, "lead@contoso.example", "/")
    ids = []
    for title in ("Pallet labels", "Carrier switch"):
        made = await mutation(
            northwind,
            PROPOSE,
            "proposeCommitment",
            {"partnershipId": world.nc_id, "title": title, "dueDate": "2099-01-01"},
        )
        c = made["commitment"]
        await mutation(
            contoso,
            ACCEPT,
            "acceptCommitment",
            {"commitmentId": c["id"], "expectedVersion": c["version"]},
        )
        ids.append(c["id"])
    await owner.execute(
        "UPDATE commitment SET due_date = current_date - 2 WHERE id = ANY($1::uuid[])",
        [raw_id(i) for i in ids],
    )

    # when Northwind's LEAD proposes tighter thresholds for delayed commitments
    await northwind.reload()
    delayed = northwind.locator('[data-detector="COMMITMENTS_DELAYED"]')
    await expect(delayed.get_by_text("Watch", exact=True)).to_be_visible()
    form = northwind.locator("#propose-thresholds")
    await form.get_by_label("Detector").select_option(label="Commitments delayed or changed")
    await form.get_by_label("Watch at").fill("1")
    await form.get_by_label("Fire at").fill("2")
    await form.get_by_role("button", name="Propose").click()
    await expect(
        northwind.get_by_text(re.compile("Proposed: .* LEAD can now accept"))
    ).to_be_visible()
    await expect(northwind.get_by_text(re.compile("waiting for"))).to_be_visible()

    # and Contoso's LEAD accepts them on the Health page
    await contoso.goto(workspace_url(world.nc_id, "health"))
    await contoso.get_by_role(
        "button", name="Accept the thresholds of Commitments delayed or changed"
    ).click()
    await expect(contoso.get_by_text(re.compile("Accepted: Commitments delayed"))).to_be_visible()

    # then the detector fires for both sides, with the two commitments as its evidence
    for page in (contoso, northwind):
        await page.reload()
        card = page.locator('[data-detector="COMMITMENTS_DELAYED"]')
        await expect(card.get_by_text("Firing", exact=True)).to_be_visible()
        await expect(card.get_by_text("(agreed by both sides)")).to_be_visible()
        await expect(card.get_by_role("link", name="Commitment")).to_have_count(2)
        await expect(page.get_by_role("img", name=re.compile(r"Health index \d+"))).to_be_visible()
        reliability = page.get_by_role("row", name=re.compile("Reliability"))
        await expect(reliability).to_be_visible()
    await expect(contoso.get_by_role("heading", name="What changed")).to_be_visible()
