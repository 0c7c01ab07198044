"""A workspace with one record of each kind, set up through the API as the two sides would:
for the tests that visit every page (accessibility, time zones, search, what waits)."""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Browser

from tests.conftest import LiveServer
from tests.helpers import World
from tests.portal.portal import days_from_today, month_start, mutation, sign_in_by_request

CREATE_MILESTONE = """mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { message } } }"""
UPDATE_MILESTONE = """mutation($input: UpdateMilestoneInput!) {
  updateMilestone(input: $input) { milestone { id } userErrors { message } } }"""
PROPOSE = """mutation($input: ProposeCommitmentInput!) {
  proposeCommitment(input: $input) { commitment { id version } userErrors { message } } }"""
ACCEPT = """mutation($input: CommitmentActionInput!) {
  acceptCommitment(input: $input) { commitment { id version } userErrors { message } } }"""
START = """mutation($input: CommitmentActionInput!) {
  startCommitment(input: $input) { commitment { id version } userErrors { message } } }"""
DELIVER = """mutation($input: DeliverCommitmentInput!) {
  deliverCommitment(input: $input) { commitment { id version } userErrors { message } } }"""
CREATE_KPI = """mutation($input: CreateKpiInput!) {
  createKpi(input: $input) { kpi { id } userErrors { message } } }"""
RECORD = """mutation($input: RecordKpiMeasurementsInput!) {
  recordKpiMeasurements(input: $input) { created userErrors { message } } }"""
CREATE_RISK = """mutation($input: CreateRiskInput!) {
  createRisk(input: $input) { risk { id } userErrors { message } } }"""
ASSESS_RISK = """mutation($input: AssessRiskInput!) {
  assessRisk(input: $input) { risk { id } userErrors { message } } }"""
CREATE_TOKEN = """mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { apiToken { id } userErrors { message } } }"""


@dataclass(frozen=True)
class Records:
    milestone_id: str
    delivered_id: str  # delivered by Northwind: Contoso confirms or disputes it
    proposed_id: str  # proposed by Northwind: Contoso accepts or declines it
    kpi_id: str
    risk_id: str  # a shared risk Northwind and Contoso score differently


def _step(commitment: dict[str, str]) -> dict[str, str]:
    return {"commitmentId": commitment["id"], "expectedVersion": commitment["version"]}


async def one_of_each(browser: Browser, live_server: LiveServer, world: World) -> Records:
    """As Northwind's and Contoso's leads: a milestone (edited once), a commitment delivered
    with evidence and one only proposed (both waiting on Contoso), a KPI with a measurement,
    and an API token of Contoso's."""
    context = await browser.new_context(base_url=live_server.url)
    other = await browser.new_context(base_url=live_server.url)
    try:
        northwind = await context.new_page()
        contoso = await other.new_page()
        await sign_in_by_request(northwind, "lead@northwind.example")
        await sign_in_by_request(contoso, "lead@contoso.example")
        milestone = (await mutation(
            northwind, CREATE_MILESTONE, "createMilestone",
            {"partnershipId": world.nc_id, "title": "Root-cause analysis", "phase": "STABILIZE",
             "targetDate": days_from_today(40), "description": "Why deliveries ran late."},
        ))["milestone"]  # fmt: skip
        await mutation(
            northwind, UPDATE_MILESTONE, "updateMilestone",
            {"milestoneId": milestone["id"], "expectedVersion": 1, "status": "IN_PROGRESS"},
        )  # fmt: skip
        c = (await mutation(
            northwind, PROPOSE, "proposeCommitment",
            {"partnershipId": world.nc_id, "title": "Weekly order-status report",
             "dueDate": days_from_today(20), "description": "Every Monday before noon.",
             "milestoneId": milestone["id"]},
        ))["commitment"]  # fmt: skip
        c = (await mutation(contoso, ACCEPT, "acceptCommitment", _step(c)))["commitment"]
        c = (await mutation(northwind, START, "startCommitment", _step(c)))["commitment"]
        evidence = [{"url": "https://erp.example/reports/1", "title": "First report"}]
        await mutation(northwind, DELIVER, "deliverCommitment", {**_step(c), "evidence": evidence})
        proposed = (await mutation(
            northwind, PROPOSE, "proposeCommitment",
            {"partnershipId": world.nc_id, "title": "Safety stock for the top 20 parts",
             "dueDate": days_from_today(45), "description": "Two weeks of demand in stock."},
        ))["commitment"]  # fmt: skip
        kpi = (await mutation(
            northwind, CREATE_KPI, "createKpi",
            {"partnershipId": world.nc_id, "name": "Mean response time", "unit": "h",
             "direction": "LOWER_IS_BETTER", "baselineValue": 48, "baselineDate": month_start(3),
             "targetValue": 6, "targetDate": month_start(-6), "warningThreshold": 12,
             "criticalThreshold": 24, "cadence": "MONTHLY"},
        ))["kpi"]  # fmt: skip
        await mutation(
            northwind, RECORD, "recordKpiMeasurements",
            {"partnershipId": world.nc_id,
             "measurements": [{"kpiId": kpi["id"], "period": month_start(1), "value": 20}]},
        )  # fmt: skip
        risk = (await mutation(
            northwind, CREATE_RISK, "createRisk",
            {"partnershipId": world.nc_id, "title": "Peak-season capacity", "category": "DELIVERY",
             "description": "Two shifts may not build enough in November."},
        ))["risk"]  # fmt: skip
        for side, (likelihood, impact) in ((northwind, (4, 4)), (contoso, (2, 3))):
            await mutation(
                side, ASSESS_RISK, "assessRisk",
                {"riskId": risk["id"], "inherentLikelihood": likelihood, "inherentImpact": impact},
            )  # fmt: skip
        await mutation(
            contoso, CREATE_TOKEN, "createApiToken",
            {"partnershipId": world.nc_id, "name": "ERP feed", "scopes": ["KPI_WRITE"]},
        )  # fmt: skip
        return Records(
            milestone_id=milestone["id"], delivered_id=c["id"], proposed_id=proposed["id"],
            kpi_id=kpi["id"], risk_id=risk["id"],
        )  # fmt: skip
    finally:
        await context.close()
        await other.close()


SUBMIT_FEEDBACK = """mutation($input: SubmitFeedbackInput!) {
  submitFeedback(input: $input) { feedback { id version } userErrors { message } } }"""
ACKNOWLEDGE_FEEDBACK = """mutation($input: FeedbackActionInput!) {
  acknowledgeFeedback(input: $input) { feedback { id version } userErrors { message } } }"""
COMMENT_FEEDBACK = """mutation($input: AddFeedbackCommentInput!) {
  addFeedbackComment(input: $input) { comment { body } userErrors { message } } }"""


async def feedback_item(browser: Browser, live_server: LiveServer, world: World) -> str:
    """Contoso's HIGH feedback, acknowledged by Northwind with a comment and an internal note;
    its id. (Apart from one_of_each: the pages that list what waits count on that one.)"""
    context = await browser.new_context(base_url=live_server.url)
    other = await browser.new_context(base_url=live_server.url)
    try:
        northwind = await context.new_page()
        contoso = await other.new_page()
        await sign_in_by_request(northwind, "lead@northwind.example")
        await sign_in_by_request(contoso, "lead@contoso.example")
        item = (await mutation(
            contoso, SUBMIT_FEEDBACK, "submitFeedback",
            {"partnershipId": world.nc_id, "title": "Pallets without labels", "severity": "HIGH",
             "category": "DELIVERY", "body": "Three **pallets** came unlabelled."},
        ))["feedback"]  # fmt: skip
        await mutation(
            northwind, ACKNOWLEDGE_FEEDBACK, "acknowledgeFeedback",
            {"feedbackId": item["id"], "expectedVersion": item["version"]},
        )  # fmt: skip
        for internal in (False, True):
            await mutation(
                northwind, COMMENT_FEEDBACK, "addFeedbackComment",
                {"feedbackId": item["id"], "body": "Looking into it.", "internal": internal},
            )  # fmt: skip
        return str(item["id"])
    finally:
        await context.close()
        await other.close()
