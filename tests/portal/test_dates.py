"""Dates typed into the forms: one that does not exist (02/30/2027) is refused under its field,
never saved as "no date"; due dates start today (UTC), and the server's DUE_DATE_IN_PAST shows
under the date it is about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import Locator, Page, expect

from tests.helpers import World
from tests.portal.conftest import NewPage
from tests.portal.portal import (
    days_from_today,
    graphql,
    mutation,
    open_signed_in,
    sign_in_by_request,
    workspace_url,
)
from tests.portal.records import ACCEPT, CREATE_MILESTONE, PROPOSE

pytestmark = pytest.mark.browser

NOT_A_DATE = "This is not a full, real date"
ROADMAP = """query($id: ID!) { partnership(id: $id) {
  roadmap { phases { milestones { title targetDate } } } } }"""


async def type_date(field: Locator, month_day_year: str) -> None:
    """Type into a date control key by key, as a person does (en-US: month, day, year)."""
    await field.click()
    await field.page.keyboard.press("Home")
    await field.page.keyboard.type(month_day_year)


def utc_today() -> str:
    return datetime.now(UTC).date().isoformat()


async def milestones(page: Page, world: World) -> list[dict[str, str]]:
    data = await graphql(page, ROADMAP, {"id": world.nc_id})
    return [m for p in data["partnership"]["roadmap"]["phases"] for m in p["milestones"]]


async def test_a_target_date_that_does_not_exist_is_refused_not_dropped(
    page: Page, world: World
) -> None:
    await open_signed_in(page, "editor@contoso.example", workspace_url(world.nc_id, "roadmap"))
    await page.get_by_role("button", name="New milestone").click()
    form = page.get_by_role("form", name="New milestone")
    await form.get_by_label("Title").fill("Quality gate")
    target = form.get_by_label("Target date")

    await type_date(target, "02302027")
    await form.get_by_role("button", name="Add milestone").click()

    await expect(target).to_have_attribute("aria-invalid", "true")
    await expect(target).to_be_focused()
    await expect(form.get_by_text(NOT_A_DATE)).to_be_visible()
    assert await milestones(page, world) == []

    await type_date(target, "02282027")
    await form.get_by_role("button", name="Add milestone").click()
    await expect(form.get_by_role("status")).to_contain_text("Milestone “Quality gate” added")
    assert await milestones(page, world) == [{"title": "Quality gate", "targetDate": "2027-02-28"}]


async def test_the_edit_form_refuses_a_date_that_does_not_exist(page: Page, world: World) -> None:
    await sign_in_by_request(page, "editor@contoso.example")
    created = await mutation(
        page, CREATE_MILESTONE, "createMilestone",
        {"partnershipId": world.nc_id, "title": "Quality gate", "phase": "STABILIZE",
         "targetDate": "2027-03-15"},
    )  # fmt: skip
    await page.goto(workspace_url(world.nc_id, "roadmap") + "/" + created["milestone"]["id"])
    form = page.get_by_role("form", name="Edit milestone")
    target = form.get_by_label("Target date")
    await expect(target).to_have_value("2027-03-15")

    await type_date(target, "04312027")  # April has 30 days
    await form.get_by_role("button", name="Save changes").click()

    await expect(target).to_have_attribute("aria-invalid", "true")
    await expect(form.get_by_text(NOT_A_DATE)).to_be_visible()
    assert await milestones(page, world) == [{"title": "Quality gate", "targetDate": "2027-03-15"}]


async def test_a_due_date_starts_today_in_utc_and_a_typed_one_must_exist(
    page: Page, world: World
) -> None:
    await open_signed_in(page, "editor@contoso.example", workspace_url(world.nc_id, "commitments"))
    await page.get_by_role("button", name="Propose a commitment").click()
    form = page.get_by_role("form", name="Propose a commitment")
    await form.get_by_label("What will be delivered").fill("Weekly forecast")
    due = form.get_by_label("Due date")
    await expect(due).to_have_attribute("min", utc_today())
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.post_data or "") if "/graphql" in r.url else None)

    await type_date(due, "02302027")
    await form.get_by_role("button", name="Propose commitment").click()
    await expect(due).to_have_attribute("aria-invalid", "true")
    await expect(form.get_by_text(NOT_A_DATE)).to_be_visible()

    await due.fill(days_from_today(-3))
    await form.get_by_role("button", name="Propose commitment").click()
    today = await _day(page, utc_today())
    await expect(due).to_have_accessible_description(
        f"Today (UTC) or later. Choose {today} (today, in UTC) or a later day."
    )
    assert not [body for body in sent if "proposeCommitment" in body]

    # and the list's date filters say so too, instead of dropping the filter
    filters = page.get_by_role("search", name="Filter commitments")
    due_from = filters.get_by_label("Due from")
    await type_date(due_from, "02302027")
    await filters.get_by_label("Due until").focus()
    await expect(due_from).to_have_attribute("aria-invalid", "true")
    await expect(filters.get_by_text(NOT_A_DATE)).to_be_visible()


async def _day(page: Page, iso: str) -> str:
    """A day as the portal writes it (the browser's own Intl)."""
    text: str = await page.evaluate(
        "(iso) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })"
        ".format(new Date(iso + 'T00:00:00Z'))",
        iso,
    )
    return text


async def test_the_servers_due_date_in_past_shows_under_the_date_field(
    new_page: NewPage, world: World
) -> None:
    # given a browser whose clock runs a day late, so that the form offers yesterday
    yesterday = (datetime.now(UTC) - timedelta(days=1)).replace(hour=12, minute=0)
    contoso = await new_page()
    await contoso.clock.set_fixed_time(yesterday)
    commitments = workspace_url(world.nc_id, "commitments")
    await open_signed_in(contoso, "editor@contoso.example", commitments)
    await contoso.get_by_role("button", name="Propose a commitment").click()
    form = contoso.get_by_role("form", name="Propose a commitment")
    await form.get_by_label("What will be delivered").fill("Weekly forecast")
    due = form.get_by_label("Due date")
    await expect(due).to_have_attribute("min", yesterday.date().isoformat())

    # when it proposes for yesterday, the server refuses
    await due.fill(yesterday.date().isoformat())
    await form.get_by_role("button", name="Propose commitment").click()

    # then its answer is under the date, and the date has focus
    await expect(due).to_have_attribute("aria-invalid", "true")
    await expect(due).to_be_focused()
    await expect(form.get_by_text("is in the past: give today")).to_be_visible()

    # and the same for a new due date asked of an agreed commitment
    northwind = await new_page()
    await sign_in_by_request(northwind, "editor@northwind.example")
    proposed = await mutation(
        contoso, PROPOSE, "proposeCommitment",
        {"partnershipId": world.nc_id, "title": "Monthly review", "dueDate": days_from_today(20)},
    )  # fmt: skip
    c = proposed["commitment"]
    await mutation(
        northwind, ACCEPT, "acceptCommitment",
        {"commitmentId": c["id"], "expectedVersion": c["version"]},
    )  # fmt: skip
    await contoso.reload()
    row = contoso.get_by_role("listitem").filter(has_text="Monthly review")
    await row.get_by_role("button", name="Ask for a new due date").click()
    ask = row.get_by_role("form", name="Ask for a new due date for “Monthly review”")
    new_due = ask.get_by_label("New due date")
    await expect(new_due).to_have_attribute("min", yesterday.date().isoformat())
    await new_due.fill(yesterday.date().isoformat())
    await ask.get_by_label("Reason").fill("The data arrives late.")
    await ask.get_by_role("button", name="Send the request").click()
    await expect(new_due).to_have_attribute("aria-invalid", "true")
    await expect(ask.get_by_text("is in the past: give today")).to_be_visible()
