"""Steps shared by the portal tests, written as a user would perform them."""

from __future__ import annotations

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
