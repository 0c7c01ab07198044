"""The contingency plan form in the browser, Northwind's Lead on a desktop and Contoso's on a
phone (390 px): Northwind drafts a plan with a second trigger (SLA breaches) and a third step
(refused while empty, the error beside its field, then moved up by keyboard) and an oversight
member of the other side; both Leads approve it; Contoso revises it from the same form,
prefilled (a KPI trigger without its KPI refused beside its field, then removed), which makes
version 2 (a draft) while version 1 stays in force. axe finds nothing on the form with its
errors, on a desktop and at 390 px."""

from __future__ import annotations

import json

import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import open_signed_in, workspace_url
from tests.portal.test_accessibility import settled, violations

pytestmark = pytest.mark.browser

TITLE = "Support backlog"


async def open_plan(page: Page, world: World) -> None:
    await page.goto(workspace_url(world.nc_id, "contingency"))
    await page.get_by_role("link", name=TITLE).click()
    await expect(page.get_by_role("heading", name=TITLE, level=3)).to_be_visible()


async def test_a_plan_drafted_with_more_triggers_and_steps_and_revised_to_version_2(
    new_page: NewPage, world: World
) -> None:
    found: dict[str, object] = {}
    northwind, contoso = await new_page(), await new_page()
    await contoso.set_viewport_size({"width": 390, "height": 900})
    await open_signed_in(
        northwind, "lead@northwind.example", workspace_url(world.nc_id, "contingency")
    )
    await open_signed_in(contoso, "lead@contoso.example", "/")

    # Northwind drafts: a detector trigger and one of SLA breaches, three steps
    form = northwind.get_by_role("form", name="Draft a plan")
    await form.get_by_label("Title").fill(TITLE)
    await form.get_by_role("button", name="Add a trigger").click()
    await form.get_by_label("Trigger 2: what fires it").select_option("SLA_BREACHES")
    await form.get_by_label("Trigger 2: SLA breaches").fill("4")
    await form.get_by_label("Trigger 2: within days").fill("14")
    await form.get_by_label("First step (your side): what to do").fill("Call the partner")
    await form.get_by_label("Second step of Contoso").fill("Confirm the impact")
    await form.get_by_role("button", name="Add a step").click()
    # the new step's first field has the keyboard
    third = form.get_by_label("Third step (your side): what to do")
    await expect(third).to_be_focused()
    await form.get_by_label("High: minutes between updates").fill("120")
    await form.get_by_role("checkbox", name="Editor (Contoso)").check()
    await form.get_by_role("button", name="Draft the plan").click()
    # the API's error shows beside the third step's field, which gets the keyboard
    await expect(third).to_have_attribute("aria-invalid", "true")
    await expect(third).to_be_focused()
    await expect(
        form.get_by_role("alert").filter(has_text="Each step needs a title")
    ).to_be_visible()
    found["the draft form, with an error"] = await violations(northwind)

    # the third step is filled, then moved up by keyboard: it becomes the second
    await third.fill("Brief the board")
    await form.get_by_role("button", name="Move up: third step").focus()
    await northwind.keyboard.press("Enter")
    await expect(form.get_by_label("Second step (your side): what to do")).to_have_value(
        "Brief the board"
    )
    await expect(form.get_by_role("button", name="Move up: second step")).to_be_focused()
    await form.get_by_role("button", name="Draft the plan").click()
    await expect(northwind.get_by_text(f"Plan “{TITLE}” drafted")).to_be_visible()

    # the plan page shows every part of version 1; both Leads approve it
    await open_plan(northwind, world)
    version_1 = northwind.get_by_role("region", name="Version 1")
    await expect(version_1).to_contain_text("4 SLA breaches within 14 days")
    await expect(version_1.get_by_role("listitem")).to_have_text(
        [
            "Call the partner — Northwind Components (LEAD), within 1 h",
            "Brief the board — Northwind Components (LEAD), within 1 h",
            "Confirm the impact — Contoso Retail (LEAD), within 4 h",
        ]
    )
    await expect(version_1).to_contain_text("Oversight group: Editor (Contoso)")
    await expect(version_1).to_contain_text("High every 2 h")
    await northwind.get_by_role("button", name="Submit version 1 for approval").click()
    await northwind.get_by_role("button", name="Approve version 1 for your side").click()
    await expect(northwind.get_by_text("Your side approved; waiting for")).to_be_visible()
    await open_plan(contoso, world)
    await contoso.get_by_role("button", name="Approve version 1 for your side").click()
    await expect(contoso.get_by_text("Version 1 is in force.")).to_be_visible()

    # Contoso revises it, on the phone: the same form, prefilled
    await contoso.get_by_role("button", name="Revise the plan").click()
    revise = contoso.get_by_role("form", name="Revise the plan: version 2")
    await expect(revise.get_by_label("Title")).to_be_focused()
    await expect(revise.get_by_label("Title")).to_have_value(TITLE)
    await expect(revise.get_by_label("Trigger 2: within days")).to_have_value("14")
    await expect(revise.get_by_role("checkbox", name="Editor (Contoso)")).to_be_checked()
    await expect(revise).to_contain_text("Version 1 stays in force until both sides")
    # a KPI trigger without a KPI (there is none yet) is refused beside its field, then removed
    await revise.get_by_role("button", name="Add a trigger").click()
    await revise.get_by_label("Trigger 3: what fires it").select_option("KPI_OFF_TRACK")
    await expect(revise).to_contain_text("No KPI is defined in this partnership yet.")
    await revise.get_by_role("button", name="Save version 2").click()
    kpi = revise.get_by_label("Trigger 3: KPI")
    await expect(kpi).to_have_attribute("aria-invalid", "true")
    await expect(revise.get_by_role("alert").filter(has_text="Name the KPI.")).to_be_visible()
    await settled(contoso)
    found["the revision with an error, at 390 px"] = await violations(contoso)
    await revise.get_by_role("button", name="Remove trigger 3").click()
    await revise.get_by_label("Trigger 2: SLA breaches").fill("3")
    await revise.get_by_role("button", name="Save version 2").click()

    # version 2 is a draft to approve again; version 1 stays in force
    await expect(contoso.get_by_text("Version 2 drafted: submit it for approval.")).to_be_visible()
    await expect(contoso.get_by_text("Version 1 is in force.")).to_be_visible()
    await expect(
        contoso.get_by_text("Version 2 is a draft; version 1 stays in force until both")
    ).to_be_visible()
    version_2 = contoso.get_by_role("region", name="Version 2")
    await expect(version_2).to_contain_text("Version 2: Draft")
    await expect(version_2).to_contain_text("3 SLA breaches within 14 days")
    await expect(contoso.get_by_role("region", name="Version 1")).to_contain_text(
        "Approved, in force"
    )

    failing = {name: v for name, v in found.items() if v}
    assert not failing, json.dumps(failing, indent=1, ensure_ascii=False)
