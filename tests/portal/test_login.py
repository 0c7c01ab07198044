"""Signing in and out through the login page, and the optional SSO buttons."""

from __future__ import annotations

import json
import re

import asyncpg
import pytest
from playwright.async_api import Page, Route, expect

from tests.helpers import JSON_HEADERS, World
from tests.portal.portal import open_signed_in, sign_in, workspace_url

pytestmark = pytest.mark.browser


async def test_wrong_password_shows_the_error_message(page: Page, world: World) -> None:
    await page.goto("/")
    await page.get_by_label("Email").fill("lead@contoso.example")
    await page.get_by_label("Password").fill("not-the-password")

    await page.get_by_role("button", name="Sign in").click()

    await expect(page.get_by_role("alert")).to_have_text("Email or password is incorrect.")
    await expect(page.get_by_role("heading", name="Sign in to Mutual")).to_be_visible()
    await expect(page.get_by_label("Password")).to_be_focused()
    await expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


async def test_empty_form_asks_for_both_fields_without_calling_the_server(
    page: Page, world: World
) -> None:
    await page.goto("/")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    await page.get_by_role("button", name="Sign in").click()

    await expect(page.get_by_role("alert")).to_have_text("Enter your email and your password.")
    await expect(page.get_by_label("Email")).to_be_focused()
    assert not [url for url in requests if url.endswith("/auth/login")]


async def test_sign_out_ends_the_session(page: Page, world: World) -> None:
    await sign_in(page, "viewer@northwind.example")
    await expect(page.get_by_text("Viewer (Northwind)")).to_be_visible()

    await page.get_by_role("button", name="Sign out").click()

    await expect(page.get_by_role("status")).to_have_text("You have signed out.")
    # The server forgot the session: the browser's cookie no longer opens the API.
    response = await page.request.post(
        "/graphql", data={"query": "{ viewer { user { email } } }"}, headers=JSON_HEADERS
    )
    assert (await response.json())["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    await page.goto("/#/")
    await page.reload()
    await expect(page.get_by_role("heading", name="Sign in to Mutual")).to_be_visible()
    await expect(page).to_have_url(re.compile(r"/#/login\?next=%2F$"))


async def test_a_deep_link_survives_signing_in(page: Page, world: World) -> None:
    await page.goto(f"/#/p/{world.nc_id}/members")
    await expect(page.get_by_role("heading", name="Sign in to Mutual")).to_be_visible()

    await page.get_by_label("Email").fill("editor@contoso.example")
    await page.get_by_label("Password").fill("mutual-demo")
    await page.get_by_role("button", name="Sign in").click()

    await expect(page.get_by_role("heading", name="Members", level=2)).to_be_visible()
    await expect(page.get_by_role("cell", name="lead@northwind.example")).to_be_visible()


async def test_sso_providers_become_sign_in_links(page: Page, world: World) -> None:
    async def providers(route: Route) -> None:
        body = {"providers": [{"slug": "contoso", "name": "Contoso Entra"}]}
        await route.fulfill(content_type="application/json", body=json.dumps(body))

    await page.route("**/auth/sso/providers", providers)
    await page.goto("/")

    link = page.get_by_role("link", name="Sign in with Contoso Entra SSO")
    await expect(link).to_have_attribute("href", "/auth/sso/contoso/start")


async def test_no_sso_section_when_the_providers_endpoint_is_missing(
    page: Page, world: World
) -> None:
    async def missing(route: Route) -> None:
        await route.fulfill(status=404, content_type="text/plain", body="Not Found")

    await page.route("**/auth/sso/providers", missing)
    await page.goto("/")

    # The SSO section says when it has finished asking; then it must still be empty.
    await expect(page.locator(".sso")).to_have_attribute("aria-busy", "false")
    await expect(page.get_by_role("link", name="SSO")).to_have_count(0)
    await expect(page.get_by_role("button", name="Sign in")).to_be_visible()


async def test_too_many_failures_show_the_rate_limit_message(
    page: Page, world: World, owner: asyncpg.Connection
) -> None:
    # Five recent failures for this account from this browser's address (a lock is per account
    # and source), as if someone had been guessing here.
    await owner.execute(
        "INSERT INTO login_throttle (source, account, failures) "
        "VALUES ('127.0.0.1', 'lead@contoso.example', 5)"
    )
    await page.goto("/")
    await page.get_by_label("Email").fill("lead@contoso.example")
    await page.get_by_label("Password").fill("mutual-demo")

    async with page.expect_response("**/auth/login") as login:
        await page.get_by_role("button", name="Sign in").click()

    assert (await login.value).status == 429
    await expect(page.get_by_role("alert")).to_have_text(
        "Too many failed sign-in attempts. Try again in a few minutes."
    )
    await expect(page.get_by_role("heading", name="Sign in to Mutual")).to_be_visible()


async def test_an_ended_session_leads_to_login_and_back_to_the_same_place(
    page: Page, world: World, owner: asyncpg.Connection
) -> None:
    await open_signed_in(page, "lead@contoso.example", workspace_url(world.nc_id, "members"))
    await expect(page.get_by_role("cell", name="lead@northwind.example")).to_be_visible()

    await owner.execute("DELETE FROM user_session")
    await page.get_by_role("link", name="Audit trail").click()

    await expect(page.get_by_role("heading", name="Sign in to Mutual")).to_be_visible()
    await page.get_by_label("Email").fill("lead@contoso.example")
    await page.get_by_label("Password").fill("mutual-demo")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Audit trail", level=2)).to_be_visible()
    await expect(page.get_by_role("table", name="Audit trail").get_by_role("row")).to_have_count(9)


async def test_a_refused_sso_sign_in_is_explained_on_the_login_page(
    page: Page, world: World
) -> None:
    # Where the SSO callback sends the browser when the identity provider's answer is refused.
    await page.goto("/?error=SSO_STATE_MISMATCH")

    await expect(page.get_by_role("alert")).to_have_text(
        "Single sign-on did not complete (SSO_STATE_MISMATCH)."
        " Try again or sign in with your password."
    )
    # The code is shown once: it leaves the address bar, so a later visit starts clean.
    await expect(page).to_have_url(re.compile(r"^[^?#]*/#/login"))
