"""axe-core (vendored, tests/portal/vendor/) on every page and section of the portal, as a lead and
as a viewer, on a desktop (1280 px) and a phone (390 px): WCAG 2.0 and 2.1, levels A and AA, and
the landmark rules (each landmark once, or told apart by its name). No violation is allowed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from mutual.graphql.ids import to_global_id
from tests.conftest import LiveServer
from tests.helpers import World
from tests.portal.portal import days_from_today, mutation, sign_in_by_request, workspace_url
from tests.portal.records import Records, feedback_item, one_of_each

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Best-practice rules axe keeps out of the WCAG tags, asked for by name: duplicate landmarks.
LANDMARK_RULES = [
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
]
RUN = """async ([tags, rules]) => {
  const result = await axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    rules: Object.fromEntries(rules.map((r) => [r, { enabled: true }])),
    resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), why: n.failureSummary })),
  }));
}"""


async def violations(page: Page) -> list[dict[str, Any]]:
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.add_script_tag(content=AXE)
    found: list[dict[str, Any]] = await page.evaluate(RUN, [TAGS, LANDMARK_RULES])
    return found


async def settled(page: Page) -> None:
    """The page has drawn its data: no loading state, nothing busy."""
    await expect(page.locator("main .state-loading")).to_have_count(0)
    await expect(page.locator('main [aria-busy="true"]')).to_have_count(0)
    await expect(page.locator("main h1, main h2").first).to_be_visible()


def pages_of(
    world: World, records: Records, *, lead: bool, feedback_id: str = ""
) -> dict[str, str]:
    ws = world.nc_id
    found = {
        "partnerships": "/#/",
        "overview": workspace_url(ws),
        "waiting on us": workspace_url(ws, "waiting"),
        "search": workspace_url(ws, "search") + "?q=report",
        "roadmap": workspace_url(ws, "roadmap"),
        "milestone": workspace_url(ws, "roadmap") + "/" + records.milestone_id,
        "commitments": workspace_url(ws, "commitments"),
        "commitment": workspace_url(ws, "commitments") + "/" + records.delivered_id,
        "KPIs": workspace_url(ws, "kpis"),
        "KPI": workspace_url(ws, "kpis") + "/" + records.kpi_id,
        "members": workspace_url(ws, "members"),
        "audit trail": workspace_url(ws, "audit"),
        "API tokens": workspace_url(ws, "tokens"),
        "feedback": workspace_url(ws, "feedback"),
        "a feedback item": workspace_url(ws, "feedback") + "/" + feedback_id,
        "the SLA policy": workspace_url(ws, "feedback/policy"),
        "risk register": workspace_url(ws, "risks"),
        "risk": workspace_url(ws, "risks") + "/" + records.risk_id,
        "reports": workspace_url(ws, "reports"),
        "pulse surveys": workspace_url(ws, "pulse"),
        "webhooks": workspace_url(ws, "webhooks"),
        "notifications": "/#/notifications",
        "health": workspace_url(ws, "health"),
    }
    if lead:  # the lead is its organization's admin
        found["invitations"] = "/#/invitations"
    return found


async def a_report(browser: Browser, live_server: LiveServer, world: World) -> None:
    """A report of Northwind's, for the reports page to list."""
    context = await browser.new_context(base_url=live_server.url)
    try:
        page = await context.new_page()
        await sign_in_by_request(page, "lead@northwind.example")
        await mutation(
            page,
            "mutation($input: GenerateReportInput!) { generateReport(input: $input) "
            "{ report { id } userErrors { code message } } }",
            "generateReport",
            {"partnershipId": world.nc_id},
        )
    finally:
        await context.close()


async def open_states(page: Page, world: World) -> dict[str, list[dict[str, Any]]]:
    """A lead's forms and dialogs, opened: what axe finds in each."""
    found = {}
    await page.goto(workspace_url(world.nc_id, "commitments"))
    await settled(page)
    await page.get_by_role("button", name="Propose a commitment").click()
    await page.get_by_role("button", name="Propose commitment").click()  # its errors shown
    found["the propose form, with errors"] = await violations(page)
    row = page.get_by_role("listitem").filter(has_text="Weekly order-status report")
    await row.get_by_role("button", name="Dispute").click()
    found["a step's form"] = await violations(page)
    await page.goto(workspace_url(world.nc_id, "roadmap"))
    await settled(page)
    await page.get_by_role("button", name="New milestone").click()
    found["the new-milestone form"] = await violations(page)
    await page.goto(workspace_url(world.nc_id, "risks"))
    await settled(page)
    await page.get_by_role("button", name="New risk").click()
    found["the new-risk form"] = await violations(page)
    await page.get_by_role("link", name="Peak-season capacity").click()
    await settled(page)
    treatment = page.get_by_role("form", name="Treatment")
    await treatment.get_by_label("Treatment").select_option(label="Accept")
    await treatment.get_by_role("button", name="Accept the risk").click()
    await expect(treatment.get_by_text("Accepting a risk needs an approver")).to_be_visible()
    await page.get_by_role("button", name="Edit links").click()
    found["a risk's treatment with errors, and its link editor"] = await violations(page)
    await page.goto(workspace_url(world.nc_id, "members"))
    await settled(page)
    await page.get_by_role("button", name="Remove viewer@contoso.example").click()
    await expect(page.get_by_role("dialog")).to_be_visible()
    found["the removal dialog"] = await violations(page)
    await page.goto(workspace_url(world.nc_id, "feedback"))
    await settled(page)
    await page.get_by_role("button", name="Submit feedback").click()
    await (
        page.get_by_role("form", name="Submit feedback")
        .get_by_role("button", name="Submit")
        .click()
    )
    await expect(
        page.get_by_role("form", name="Submit feedback").get_by_role("alert").first
    ).to_be_visible()
    found["the feedback form, with errors"] = await violations(page)
    await page.goto(workspace_url(world.nc_id, "reports"))
    await settled(page)
    await page.get_by_role("button", name="Verify").click()  # no file chosen: its error shown
    await expect(page.locator("#verify-report [aria-invalid='true']")).to_have_count(1)
    found["the verify form, with its error"] = await violations(page)
    return found


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("email", ["lead@contoso.example", "viewer@contoso.example"])
async def test_axe_finds_no_violation_on_any_page(
    browser: Browser, live_server: LiveServer, world: World, email: str, width: int
) -> None:
    records = await one_of_each(browser, live_server, world)
    feedback_id = await feedback_item(browser, live_server, world)
    await a_report(browser, live_server, world)
    context = await browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(10_000)
    try:
        page = await context.new_page()
        found: dict[str, list[dict[str, Any]]] = {}
        await page.goto("/#/login")
        await expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        found["sign-in"] = await violations(page)
        await sign_in_by_request(page, email)
        await page.reload()
        lead = email.startswith("lead")
        for name, url in pages_of(world, records, lead=lead, feedback_id=feedback_id).items():
            await page.goto(url)
            await settled(page)
            found[name] = await violations(page)
        if email.startswith("lead"):
            found.update(await open_states(page, world))
    finally:
        await context.close()

    failing = {name: v for name, v in found.items() if v}
    assert not failing, json.dumps(failing, indent=1, ensure_ascii=False)


GOV_CREATE = """mutation($input: CreateDisclosureInput!) {
  createDisclosure(input: $input) {
    disclosure { id } version { id version } userErrors { message } } }"""
GOV_STEP = """mutation($input: DisclosureVersionStepInput!) {
  %s(input: $input) { version { id version } userErrors { message } } }"""
GOV_NEW = """mutation($input: CreateDisclosureVersionInput!) {
  createDisclosureVersion(input: $input) { version { id version } userErrors { message } } }"""
GOV_UPDATE = """mutation($input: UpdateDisclosureDraftInput!) {
  updateDisclosureDraft(input: $input) { version { id version } userErrors { message } } }"""
GOV_PROPOSE = """mutation($input: ProposeDecisionInput!) {
  proposeDecision(input: $input) { decision { id } userErrors { message } } }"""


async def _governance_records(browser: Browser, live_server: LiveServer, world: World) -> str:
    """A Northwind disclosure published in two versions, and a decision; its id."""
    contexts = [await browser.new_context(base_url=live_server.url) for _ in range(2)]
    try:
        gov, lead = [await c.new_page() for c in contexts]
        await sign_in_by_request(gov, "governance@northwind.example")
        await sign_in_by_request(lead, "lead@northwind.example")

        async def publish(version: dict[str, Any]) -> None:
            step = {"versionId": version["id"], "expectedVersion": version["version"]}
            sub = await mutation(
                gov, GOV_STEP % "submitDisclosureVersion", "submitDisclosureVersion", step
            )
            step["expectedVersion"] = sub["version"]["version"]
            await mutation(
                lead, GOV_STEP % "publishDisclosureVersion", "publishDisclosureVersion", step
            )

        made = await mutation(gov, GOV_CREATE, "createDisclosure", {
            "partnershipId": world.nc_id, "type": "CODE_OF_CONDUCT", "title": "Code of conduct",
            "body": "# Code\n\n- Report early\n- Keep commitments",
        })  # fmt: skip
        await publish(made["version"])
        second = (await mutation(
            gov, GOV_NEW, "createDisclosureVersion", {"disclosureId": made["disclosure"]["id"]}
        ))["version"]  # fmt: skip
        second = (await mutation(gov, GOV_UPDATE, "updateDisclosureDraft", {
            "versionId": second["id"], "expectedVersion": second["version"],
            "body": "# Code\n\n- Report early, within a day\n- Keep commitments",
        }))["version"]  # fmt: skip
        await publish(second)
        await mutation(lead, GOV_PROPOSE, "proposeDecision", {
            "partnershipId": world.nc_id, "title": "Tuesday calls", "options": ["Tue", "Mon"],
            "rationale": "Planning clash", "decideBy": days_from_today(10),
        })  # fmt: skip
        return str(made["disclosure"]["id"])
    finally:
        for context in contexts:
            await context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("email", ["lead@contoso.example", "viewer@contoso.example"])
async def test_axe_finds_no_violation_on_the_governance_pages(
    browser: Browser, live_server: LiveServer, world: World, email: str, width: int
) -> None:
    disclosure_id = await _governance_records(browser, live_server, world)
    context = await browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(10_000)
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        page = await context.new_page()
        await sign_in_by_request(page, email)
        await page.goto(workspace_url(world.nc_id, "governance"))
        await settled(page)
        await expect(page.get_by_role("heading", name="Decision log")).to_be_visible()
        found["governance"] = await violations(page)
        await page.goto(workspace_url(world.nc_id, "governance") + "/" + disclosure_id)
        await settled(page)
        await expect(page.get_by_role("heading", name="Changes from version 1")).to_be_visible()
        found["disclosure"] = await violations(page)
        if email.startswith("lead"):
            await page.goto(workspace_url(world.nc_id, "governance"))
            await settled(page)
            form = page.get_by_role("form", name="Propose a decision")
            await form.get_by_role("button", name="Propose decision").click()
            await expect(form.get_by_text("Say what is to be decided.")).to_be_visible()
            found["the propose form, with errors"] = await violations(page)
            await page.get_by_role("button", name="Name approvers for your side").click()
            await expect(
                page.get_by_role("group", name="Approvers for your side").first
            ).to_be_visible()
            found["naming approvers"] = await violations(page)
    finally:
        await context.close()

    failing = {name: v for name, v in found.items() if v}
    assert not failing, json.dumps(failing, indent=1, ensure_ascii=False)


CT_PLAN = "plan { id latest { id } } userErrors { message }"
CT_CREATE = f"""mutation($input: CreateContingencyPlanInput!) {{
  createContingencyPlan(input: $input) {{ {CT_PLAN} }} }}"""
CT_SUBMIT = (
    f"""mutation($input: ID!) {{ submitPlanVersion(planVersionId: $input) {{ {CT_PLAN} }} }}"""
)
CT_APPROVE = f"""mutation($input: ApprovePlanVersionInput!) {{
  approvePlanVersion(input: $input) {{ {CT_PLAN} }} }}"""
CT_ACTIVATE = """mutation($input: ActivatePlanInput!) {
  activatePlan(input: $input) { activation { id } userErrors { message } } }"""


async def _contingency_records(
    browser: Browser, live_server: LiveServer, world: World
) -> tuple[str, str]:
    """A plan approved by both Leads and activated by hand: (plan id, activation id)."""
    contexts = [await browser.new_context(base_url=live_server.url) for _ in range(2)]
    try:
        northwind, contoso = [await c.new_page() for c in contexts]
        await sign_in_by_request(northwind, "lead@northwind.example")
        await sign_in_by_request(contoso, "lead@contoso.example")
        steps = [
            {"title": f"Step of {org}", "ownerPartyId": to_global_id("Party", party.id)}
            for org in ("northwind", "contoso")
            for party in [world.parties[("nc", org)]]
        ]
        made = await mutation(northwind, CT_CREATE, "createContingencyPlan", {
            "partnershipId": world.nc_id, "title": "Commitments delayed",
            "content": {"severity": "HIGH", "scenario": "Slips", "steps": steps,
                        "triggers": [{"kind": "DETECTOR", "detector": "commitments_delayed"}]},
        })  # fmt: skip
        version = made["plan"]["latest"]["id"]
        await mutation(northwind, CT_SUBMIT, "submitPlanVersion", version)  # type: ignore[arg-type]
        for page in (northwind, contoso):
            await mutation(page, CT_APPROVE, "approvePlanVersion", {"planVersionId": version})
        room = await mutation(
            northwind, CT_ACTIVATE, "activatePlan", {"planId": made["plan"]["id"]}
        )
        return str(made["plan"]["id"]), str(room["activation"]["id"])
    finally:
        for context in contexts:
            await context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("email", ["lead@contoso.example", "viewer@contoso.example"])
async def test_axe_finds_no_violation_on_the_contingency_pages(
    browser: Browser, live_server: LiveServer, world: World, email: str, width: int
) -> None:
    plan_id, activation_id = await _contingency_records(browser, live_server, world)
    context = await browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(10_000)
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        page = await context.new_page()
        await sign_in_by_request(page, email)
        base = workspace_url(world.nc_id, "contingency")
        await page.goto(base)
        await settled(page)
        await expect(page.get_by_role("heading", name="Activations and drills")).to_be_visible()
        found["contingency"] = await violations(page)
        await page.goto(f"{base}/{plan_id}")
        await settled(page)
        await expect(page.get_by_role("heading", name="Versions")).to_be_visible()
        found["plan"] = await violations(page)
        await page.goto(f"{base}/{activation_id}")
        await settled(page)
        await expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
        found["activation room"] = await violations(page)
        if email.startswith("lead"):
            form = page.get_by_role("form", name="Close with a post-mortem")
            await form.get_by_role("button", name="Close the activation").click()
            # the field's error, not its label (which is always there)
            error = form.get_by_role("alert").filter(has_text="post-mortem summary")
            await expect(error).to_be_visible()
            found["the close form, with errors"] = await violations(page)
    finally:
        await context.close()

    failing = {name: v for name, v in found.items() if v}
    assert not failing, json.dumps(failing, indent=1, ensure_ascii=False)
