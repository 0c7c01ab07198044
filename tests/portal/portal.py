"""Steps shared by the portal tests, written as a user would perform them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from urllib.parse import quote

from playwright.async_api import Page, expect

from mutual.seed import DEMO_PASSWORD
from tests.helpers import JSON_HEADERS


async def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form and wait for the partnership list."""
    await page.goto("/")
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Partnerships", level=1)).to_be_visible()


async def sign_in_by_request(page: Page, email: str) -> None:
    """Sign in with the browser's own cookie jar, sending what the login form sends (the form
    itself has its own tests); the page is left where it was."""
    response = await page.request.post(
        "/auth/login", data={"email": email, "password": DEMO_PASSWORD}, headers=JSON_HEADERS
    )
    assert response.ok, await response.text()


async def open_signed_in(page: Page, email: str, path: str = "/") -> None:
    """Sign in by request, then open `path` in the portal."""
    await sign_in_by_request(page, email)
    await page.goto(path)


def workspace_url(partnership_id: str, section: str | None = None) -> str:
    """The portal's address of a partnership (a section of it when given)."""
    return f"/#/p/{quote(partnership_id, safe='')}" + (f"/{section}" if section else "")


async def graphql(page: Page, query: str, variables: dict[str, Any] | None = None) -> Any:
    """Set up data through the API with the browser's own session (no top-level errors)."""
    response = await page.request.post(
        "/graphql", data={"query": query, "variables": variables or {}}, headers=JSON_HEADERS
    )
    body = await response.json()
    assert "errors" not in body, body
    return body["data"]


async def mutation(page: Page, query: str, name: str, input_: dict[str, Any]) -> Any:
    """Run a mutation that must succeed; returns its payload."""
    payload = (await graphql(page, query, {"input": input_}))[name]
    assert payload["userErrors"] == [], payload
    return payload


async def live_updates_on(page: Page) -> None:
    """Wait until the workspace's live socket has subscribed (changes from now on arrive)."""
    await expect(page.get_by_text("Live updates on")).to_be_visible()


async def party_ids(page: Page, partnership_id: str) -> tuple[str, str]:
    """(own party id, other party id) of the signed-in user in a partnership."""
    data = await graphql(
        page,
        "query($id: ID!) { partnership(id: $id) { ownParty { id } counterparty { id } } }",
        {"id": partnership_id},
    )
    partnership = data["partnership"]
    return partnership["ownParty"]["id"], partnership["counterparty"]["id"]


def month_start(months_back: int, today: date | None = None) -> str:
    """The first day of the month `months_back` months before this one, as YYYY-MM-DD."""
    day = today or date.today()
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1).isoformat()


def days_from_today(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()
