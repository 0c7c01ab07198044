"""The partnership list and a workspace: both sides' members, and isolation between partnerships."""

from __future__ import annotations

import asyncpg
import pytest
from playwright.async_api import Locator, Page, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import (
    days_from_today,
    live_updates_on,
    month_start,
    mutation,
    open_signed_in,
    sign_in,
    sign_in_by_request,
    workspace_url,
)

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
    await (
        page.get_by_role("navigation", name="Workspace sections")
        .get_by_role("link", name="Members", exact=True)
        .click()
    )

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


async def test_workspace_header_and_its_sections(page: Page, world: World) -> None:
    await open_signed_in(page, "editor@northwind.example", workspace_url(world.nc_id))

    await expect(page.get_by_role("heading", name=NORTHWIND_CONTOSO, level=1)).to_be_visible()
    await expect(page.get_by_text("Your side · Supplier", exact=True)).to_be_visible()
    await expect(page.get_by_text("Partner · Customer", exact=True)).to_be_visible()
    await expect(page.get_by_text("4 on your side, 4 on Contoso Retail's side.")).to_be_visible()

    sections = page.get_by_role("navigation", name="Workspace sections")
    await expect(sections.get_by_role("link")).to_have_text(
        [
            "Overview", "Waiting on us", "Roadmap", "Commitments", "KPIs", "Risks", "Governance",
            "Reports", "Feedback", "Pulse surveys", "Contingency", "Health", "Members",
            "Audit trail", "API tokens", "Webhooks",
        ]
    )  # fmt: skip
    await sections.get_by_role("link", name="Health").click()

    await expect(page.get_by_role("heading", name="Health", level=2)).to_be_focused()
    await expect(sections.get_by_role("link", name="Health")).to_have_attribute(
        "aria-current", "page"
    )


async def test_an_unknown_partnership_id_shows_not_found(page: Page, world: World) -> None:
    await open_signed_in(page, "lead@contoso.example", workspace_url("not-a-real-id"))

    await expect(page.get_by_role("heading", name="Partnership not found")).to_be_visible()
    await page.get_by_role("link", name="Back to your partnerships").click()
    await expect(page.get_by_role("heading", name="Partnerships", level=1)).to_be_visible()


async def test_the_overview_sums_up_roadmap_commitments_and_kpis(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    await sign_in_by_request(northwind, "lead@northwind.example")
    create = """mutation($input: CreateMilestoneInput!) {
      createMilestone(input: $input) { milestone { id } userErrors { message } } }"""
    for title, status in (("Root-cause analysis", "DONE"), ("Quality gate", "AT_RISK")):
        await mutation(
            northwind,
            create,
            "createMilestone",
            {"partnershipId": world.nc_id, "title": title, "phase": "STABILIZE", "status": status},
        )
    propose = """mutation($input: ProposeCommitmentInput!) {
      proposeCommitment(input: $input) { commitment { id } userErrors { message } } }"""
    for title in ("Weekly report", "Safety stock"):
        await mutation(
            northwind,
            propose,
            "proposeCommitment",
            {"partnershipId": world.nc_id, "title": title, "dueDate": days_from_today(30)},
        )
    kpi = await mutation(
        northwind,
        """mutation($input: CreateKpiInput!) {
          createKpi(input: $input) { kpi { id } userErrors { message } } }""",
        "createKpi",
        {
            "partnershipId": world.nc_id,
            "name": "Mean response time",
            "unit": "h",
            "direction": "LOWER_IS_BETTER",
            "baselineValue": 48,
            "baselineDate": month_start(3),
            "targetValue": 6,
            "targetDate": month_start(-6),
            "warningThreshold": 12,
            "criticalThreshold": 24,
            "cadence": "MONTHLY",
        },
    )
    await mutation(
        northwind,
        """mutation($input: RecordKpiMeasurementsInput!) {
          recordKpiMeasurements(input: $input) { created userErrors { message } } }""",
        "recordKpiMeasurements",
        {
            "partnershipId": world.nc_id,
            "measurements": [{"kpiId": kpi["kpi"]["id"], "period": month_start(1), "value": 9}],
        },
    )
    contoso = await new_page()
    await open_signed_in(contoso, "lead@contoso.example", workspace_url(world.nc_id))

    roadmap = contoso.get_by_role("region", name="Roadmap progress")
    await expect(roadmap).to_contain_text("50%")
    await expect(roadmap).to_contain_text("1 of 2 milestones done, 1 at risk.")
    commitments = contoso.get_by_role("region", name="Open commitments")
    await expect(commitments.get_by_text("2", exact=True)).to_be_visible()
    await expect(
        commitments.get_by_role("list", name="Open commitments by status")
    ).to_contain_text("Proposed 2")
    await expect(commitments).to_contain_text("2 wait for your side to act.")
    kpis = contoso.get_by_role("region", name="KPI status")
    await expect(kpis.get_by_role("list", name="KPIs by status")).to_contain_text("On track 1")
    await expect(kpis.get_by_role("link", name="Mean response time")).to_be_visible()
    await expect(kpis).to_contain_text("9 h")

    # Live: Northwind adds a commitment and the overview counts it.
    await live_updates_on(contoso)
    await mutation(
        northwind,
        propose,
        "proposeCommitment",
        {"partnershipId": world.nc_id, "title": "Daily feed", "dueDate": days_from_today(9)},
    )
    await expect(commitments.get_by_text("3", exact=True)).to_be_visible()


async def test_the_overviews_kpi_counts_are_of_the_kpis_it_lists(
    new_page: NewPage, world: World, owner: asyncpg.Connection
) -> None:
    northwind = await new_page()
    contoso = await new_page()
    await sign_in_by_request(northwind, "lead@northwind.example")
    await sign_in_by_request(contoso, "lead@contoso.example")
    # One typed-in KPI, and a commitment of each side due last month, so each side has its
    # built-in on-time KPI (the due dates moved by the table owner: a past one is refused).
    await mutation(
        northwind,
        """mutation($input: CreateKpiInput!) {
          createKpi(input: $input) { kpi { id } userErrors { message } } }""",
        "createKpi",
        {
            "partnershipId": world.nc_id,
            "name": "Mean response time",
            "unit": "h",
            "direction": "LOWER_IS_BETTER",
            "baselineValue": 48,
            "baselineDate": month_start(3),
            "targetValue": 6,
            "targetDate": month_start(-6),
            "warningThreshold": 12,
            "criticalThreshold": 24,
            "cadence": "MONTHLY",
        },
    )
    propose = """mutation($input: ProposeCommitmentInput!) {
      proposeCommitment(input: $input) { commitment { id version } userErrors { message } } }"""
    accept = """mutation($input: CommitmentActionInput!) {
      acceptCommitment(input: $input) { commitment { id } userErrors { message } } }"""
    for proposer, other in ((northwind, contoso), (contoso, northwind)):
        proposed = await mutation(
            proposer,
            propose,
            "proposeCommitment",
            {
                "partnershipId": world.nc_id,
                "title": "Due last month",
                "dueDate": days_from_today(9),
            },
        )
        commitment = proposed["commitment"]
        await mutation(
            other,
            accept,
            "acceptCommitment",
            {"commitmentId": commitment["id"], "expectedVersion": commitment["version"]},
        )
    await owner.execute("UPDATE commitment SET due_date = $1::text::date + 9", month_start(1))

    await contoso.goto(workspace_url(world.nc_id))
    kpis = contoso.get_by_role("region", name="KPI status")
    by_status = kpis.get_by_role("list", name="KPIs by status").get_by_role("listitem")
    await expect(by_status.first).to_be_visible()
    counted = sum(int(text.split()[-1]) for text in await by_status.all_inner_texts())
    listed = await kpis.get_by_role("link").count() - 1  # all but "Open the KPIs"

    assert counted == 3  # the typed-in KPI and both sides' built-in ones
    assert listed == counted


async def test_a_name_ending_in_s_takes_only_an_apostrophe(page: Page, world: World) -> None:
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id))

    members = page.get_by_role("region", name="Members")
    await expect(members).to_contain_text("4 on your side, 4 on Northwind Components' side.")
    await expect(page.get_by_text("Components's")).to_have_count(0)


async def test_on_a_phone_the_content_comes_first_and_every_section_tab_can_be_reached(
    page: Page, world: World
) -> None:
    await page.set_viewport_size({"width": 390, "height": 844})
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "audit"))
    heading = page.get_by_role("heading", name="Audit trail", level=2)
    await expect(heading).to_be_visible()

    # a compact header: the section starts within the first half of the screen
    box = await heading.bounding_box()
    assert box is not None and box["y"] < 400, box
    # the tabs scroll sideways, the current one brought into view
    tabs = page.get_by_role("navigation", name="Workspace sections").get_by_role("link")
    current = page.get_by_role("navigation", name="Workspace sections").locator(
        '[aria-current="page"]'
    )
    assert await _within_screen(current)
    # and Tab reaches every one, each scrolled into view as it gets focus
    await tabs.first.focus()
    count = await tabs.count()
    assert count >= 12
    for index in range(count):
        link = tabs.nth(index)
        await expect(link).to_be_focused()
        assert await _within_screen(link), await link.inner_text()
        await page.keyboard.press("Tab")


async def _within_screen(link: Locator) -> bool:
    box = await link.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
