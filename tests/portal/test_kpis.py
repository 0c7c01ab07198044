"""KPI pages: the chart (one point per measurement, target and threshold lines), recording a
measurement, defining a KPI, and the list updating live for the other side."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.async_api import Page, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import (
    live_updates_on,
    month_start,
    mutation,
    open_signed_in,
    sign_in_by_request,
    workspace_url,
)

pytestmark = pytest.mark.browser

CREATE_KPI = """mutation($input: CreateKpiInput!) {
  createKpi(input: $input) { kpi { id } userErrors { code message } } }"""
RECORD = """mutation($input: RecordKpiMeasurementsInput!) {
  recordKpiMeasurements(input: $input) { created userErrors { code message } } }"""


async def _define_kpi(page: Page, world: World, **definition: object) -> str:
    """A monthly KPI of the signed-in side, in percent, with a target six months ahead."""
    fields = {"unit": "%", "targetDate": month_start(-6), "cadence": "MONTHLY", **definition}
    kpi = await mutation(page, CREATE_KPI, "createKpi", {"partnershipId": world.nc_id, **fields})
    kpi_id: str = kpi["kpi"]["id"]
    return kpi_id


async def _on_time_kpi(page: Page, world: World, values: list[float]) -> str:
    """Northwind's monthly on-time delivery KPI with one measurement per past month."""
    kpi_id = await _define_kpi(
        page,
        world,
        name="On-time delivery",
        direction="HIGHER_IS_BETTER",
        baselineValue=55,
        baselineDate=month_start(len(values) + 1),
        targetValue=92,
        warningThreshold=85,
        criticalThreshold=75,
    )
    rows = [
        {"kpiId": kpi_id, "period": month_start(len(values) - index), "value": value}
        for index, value in enumerate(values)
    ]
    await mutation(
        page, RECORD, "recordKpiMeasurements", {"partnershipId": world.nc_id, "measurements": rows}
    )
    return kpi_id


def kpi_url(world: World, kpi_id: str) -> str:
    return workspace_url(world.nc_id, "kpis") + "/" + quote(kpi_id, safe="")


async def test_the_chart_draws_each_measurement_with_the_target_and_thresholds(
    page: Page, world: World
) -> None:
    await sign_in_by_request(page, "editor@northwind.example")
    kpi_id = await _on_time_kpi(page, world, [61.0, 70.5, 80.0])

    await page.goto(kpi_url(world, kpi_id))

    chart = page.get_by_role("img", name=re.compile("On-time delivery: measurements against"))
    await expect(chart.locator("circle.chart-point")).to_have_count(3)
    await expect(chart.locator("circle.chart-point").last).to_have_attribute("data-value", "80")
    await expect(chart.locator(".chart-series")).to_have_count(1)
    for line, value in (
        ("target", "92"),
        ("warning", "85"),
        ("critical", "75"),
        ("baseline", "55"),
    ):
        await expect(chart.locator(f'line[data-line="{line}"]')).to_have_attribute(
            "data-value", value
        )
    # Evidence: baseline → latest vs target, progress and trend.
    evidence = page.get_by_role("region", name="Evidence")
    chain = evidence.get_by_role("listitem")
    await expect(chain).to_have_count(3)
    for index, (step, value) in enumerate(
        (("Baseline", "55%"), ("Latest", "80%"), ("Target", "92%"))
    ):
        await expect(chain.nth(index)).to_contain_text(step)
        await expect(chain.nth(index)).to_contain_text(value)
    await expect(evidence).to_contain_text("67.6% of the way from baseline to target")
    await expect(evidence).to_contain_text("Up 19% over the last 3 measurements — improving.")
    await expect(page.locator(".detail-head").get_by_text("At risk")).to_be_visible()
    table = page.get_by_role("table", name="Measurements (3)")
    await expect(table.get_by_role("row")).to_have_count(1 + 3)


async def test_recording_a_measurement_updates_the_chart_and_the_status(
    page: Page, world: World
) -> None:
    await sign_in_by_request(page, "editor@northwind.example")
    kpi_id = await _on_time_kpi(page, world, [61.0, 70.5, 80.0])
    await page.goto(kpi_url(world, kpi_id))
    chart = page.get_by_role("img", name=re.compile("measurements against"))
    await expect(chart.locator("circle.chart-point")).to_have_count(3)
    status = page.locator(".detail-head")
    await expect(status.get_by_text("At risk")).to_be_visible()

    form = page.get_by_role("form", name="Record a measurement")
    await expect(form.get_by_label("Period")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    await form.get_by_label("Value").fill("88.5")
    await form.get_by_label("Note (optional)").fill("First month past the warning line.")
    await form.get_by_role("button", name="Record measurement").click()

    await expect(form.get_by_role("status")).to_contain_text("Recorded 88.5% for")
    await expect(chart.locator("circle.chart-point")).to_have_count(4)
    await expect(chart.locator("circle.chart-point").last).to_have_attribute("data-value", "88.5")
    await expect(status.get_by_text("On track")).to_be_visible()
    await expect(page.get_by_role("table", name="Measurements (4)")).to_contain_text(
        "First month past the warning line."
    )

    # A second value for the same period corrects it and keeps the old one.
    await form.get_by_label("Value").fill("70")
    await form.get_by_role("button", name="Record measurement").click()
    await expect(form.get_by_role("status")).to_contain_text(
        "the earlier value stays in the history"
    )
    await expect(chart.locator("circle.chart-point")).to_have_count(4)
    await expect(status.get_by_text("Off track")).to_be_visible()
    await expect(page.get_by_role("table", name="Measurements (4)")).to_contain_text(
        "Corrected from 88.5%"
    )


async def test_a_kpi_defined_by_contoso_appears_live_on_northwinds_list(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    contoso = await new_page()
    await open_signed_in(northwind, "viewer@northwind.example", workspace_url(world.nc_id, "kpis"))
    await open_signed_in(contoso, "editor@contoso.example", workspace_url(world.nc_id, "kpis"))
    await live_updates_on(northwind)
    await expect(northwind.get_by_role("button", name="Define a KPI")).to_have_count(0)

    await contoso.get_by_role("button", name="Define a KPI").click()
    form = contoso.get_by_role("form", name="Define a KPI")
    await form.get_by_label("Name").fill("Customer satisfaction (CSAT)")
    await form.get_by_label("Unit").fill("/10")
    await form.get_by_label("Baseline value").fill("7.5")
    await form.get_by_label("Target value").fill("8.8")
    await form.get_by_label("Warning threshold").fill("8.0")
    await form.get_by_label("Critical threshold").fill("8.5")
    await form.get_by_role("button", name="Define KPI").click()
    critical = form.get_by_label("Critical threshold")
    await expect(critical).to_have_attribute("aria-invalid", "true")
    await expect(critical).to_have_accessible_description(
        re.compile("the critical threshold is at or below the warning threshold")
    )
    await critical.fill("7.5")
    await form.get_by_role("button", name="Define KPI").click()
    await expect(contoso.get_by_text("KPI “Customer satisfaction (CSAT)” defined.")).to_be_visible()

    card = northwind.get_by_role("listitem").filter(
        has=northwind.get_by_role("heading", name="Customer satisfaction (CSAT)")
    )
    # New: not stale before a whole month has passed; its baseline 7.5 reads at risk.
    await expect(card).to_contain_text("At risk")
    await expect(card).to_contain_text("Contoso Retail")
    await expect(card).to_contain_text("Baseline 7.5 /10 → target 8.8 /10")
    await card.get_by_role("link", name="Customer satisfaction (CSAT)").click()
    chart = northwind.get_by_role("img", name=re.compile("measurements against"))
    await expect(chart.locator("circle.chart-point")).to_have_count(0)
    await expect(chart.locator('line[data-line="target"]')).to_have_count(1)
    await expect(northwind.get_by_text("Contoso Retail reports the measurements")).to_be_visible()
    await expect(northwind.get_by_role("form")).to_have_count(0)


async def test_contosos_open_kpi_page_follows_northwinds_measurement_of_that_kpi_only(
    new_page: NewPage, world: World
) -> None:
    northwind = await new_page()
    contoso = await new_page()
    await sign_in_by_request(northwind, "editor@northwind.example")
    kpi_id = await _on_time_kpi(northwind, world, [61.0, 70.5])
    other_id = await _other_kpi(northwind, world)
    await open_signed_in(contoso, "viewer@contoso.example", kpi_url(world, kpi_id))
    await live_updates_on(contoso)
    chart = contoso.get_by_role("img", name=re.compile("measurements against"))
    await expect(chart.locator("circle.chart-point")).to_have_count(2)
    loads: list[str] = []
    contoso.on("request", lambda r: loads.append(r.url) if r.url.endswith("/graphql") else None)

    # A measurement of another KPI leaves this page alone...
    await _record(northwind, world, other_id, 3.0)
    await contoso.wait_for_timeout(600)
    assert loads == []

    # ...and one of this KPI reaches it without a reload, its event naming this KPI.
    await _record(northwind, world, kpi_id, 88.5)
    await expect(chart.locator("circle.chart-point")).to_have_count(3)
    await expect(chart.locator("circle.chart-point").last).to_have_attribute("data-value", "88.5")
    await expect(contoso.get_by_text("this KPI is up to date")).to_be_visible()


async def _other_kpi(page: Page, world: World) -> str:
    return await _define_kpi(
        page,
        world,
        name="Defect rate",
        direction="LOWER_IS_BETTER",
        baselineValue=6,
        baselineDate=month_start(3),
        targetValue=1,
        warningThreshold=2,
        criticalThreshold=4,
    )


async def _record(page: Page, world: World, kpi_id: str, value: float) -> None:
    row = {"kpiId": kpi_id, "period": month_start(0), "value": value}
    await mutation(
        page, RECORD, "recordKpiMeasurements", {"partnershipId": world.nc_id, "measurements": [row]}
    )
