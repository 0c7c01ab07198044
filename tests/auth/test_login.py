"""Password login: the session cookie, generic refusals, rate limits, and server-side logout."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import URL
from starlette.applications import Starlette

from mutual.app import create_app
from mutual.auth.tokens import secret_hash
from mutual.config import Settings
from mutual.seed import DEMO_PASSWORD
from tests.helpers import JSON_HEADERS, World, error_codes, gql

ClientFactory = Callable[[], AbstractAsyncContextManager[httpx.AsyncClient]]

WHO_AM_I = "{ viewer { user { email } } }"


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(
        "/auth/login", json={"email": email, "password": password}, headers=JSON_HEADERS
    )


def _client_at(app: Starlette, ip: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(ip, 50000)),
        base_url="http://127.0.0.1:8000",
    )


@pytest.fixture
async def strict_ip_app(
    world: World, settings: Settings, app_database_url: URL
) -> AsyncIterator[Starlette]:
    """An app whose per-IP limit is 3 failures (the shared app allows 1000)."""
    strict = settings.model_copy(update={"login_max_failures_per_ip": 3})
    app = create_app(strict, app_database_url=app_database_url)
    try:
        yield app
    finally:
        await app.state.database.dispose()


async def test_a_correct_password_sets_an_httponly_samesite_session_cookie(
    client: httpx.AsyncClient, settings: Settings, owner: asyncpg.Connection
) -> None:
    # when
    response = await _login(client, "lead@northwind.example", DEMO_PASSWORD)

    # then
    assert response.status_code == 200
    assert response.json()["user"]["email"] == "lead@northwind.example"
    cookie = response.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    assert cookie.startswith(f"{settings.session_cookie}=mss_")
    assert "httponly" in attributes
    assert attributes["samesite"].strip().lower() == "samesite=lax"
    assert attributes["path"].strip() == "Path=/"
    # and: the cookie authenticates, and only its hash is stored
    secret = client.cookies[settings.session_cookie]
    body = await gql(client, WHO_AM_I)
    assert body["data"]["viewer"]["user"]["email"] == "lead@northwind.example"
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM user_session WHERE token_hash = $1", secret_hash(secret)
        )
        == 1
    )
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM user_session WHERE token_hash = $1", secret.encode()
        )
        == 0
    )


async def test_a_wrong_password_and_an_unknown_email_get_the_same_generic_401(
    client: httpx.AsyncClient,
) -> None:
    # when
    wrong_password = await _login(client, "lead@northwind.example", "not-the-password")
    unknown_email = await _login(client, "nobody@northwind.example", "not-the-password")

    # then
    assert wrong_password.status_code == unknown_email.status_code == 401
    assert wrong_password.json() == unknown_email.json()
    assert wrong_password.json()["error"]["code"] == "INVALID_CREDENTIALS"
    assert "set-cookie" not in wrong_password.headers
    assert "set-cookie" not in unknown_email.headers


async def test_after_five_failures_the_account_is_refused_even_with_the_right_password(
    make_client: ClientFactory, settings: Settings
) -> None:
    # given
    assert settings.login_max_failures_per_account == 5
    statuses: list[int] = []
    async with make_client() as attacker:
        for _ in range(5):
            failed = await _login(attacker, "editor@northwind.example", "guess")
            statuses.append(failed.status_code)

        # when: the right password, and the same email in another case
        right = await _login(attacker, "editor@northwind.example", DEMO_PASSWORD)
        recased = await _login(attacker, "Editor@Northwind.example", DEMO_PASSWORD)

    # then
    assert statuses == [401] * 5
    assert right.status_code == 429
    assert right.json()["error"]["code"] == "RATE_LIMITED"
    assert "set-cookie" not in right.headers
    assert recased.status_code == 429
    # and: other accounts are not locked out by it
    async with make_client() as other:
        assert (await _login(other, "lead@northwind.example", DEMO_PASSWORD)).status_code == 200


async def test_after_too_many_failures_from_one_ip_every_account_is_refused_there(
    strict_ip_app: Starlette,
) -> None:
    # given: three failures from one address, each for a different account
    statuses: list[int] = []
    async with _client_at(strict_ip_app, "203.0.113.7") as attacker:
        for email in ("a@northwind.example", "b@northwind.example", "c@contoso.example"):
            statuses.append((await _login(attacker, email, "guess")).status_code)

        # when
        blocked = await _login(attacker, "viewer@contoso.example", DEMO_PASSWORD)
    async with _client_at(strict_ip_app, "198.51.100.9") as elsewhere:
        allowed = await _login(elsewhere, "viewer@contoso.example", DEMO_PASSWORD)

    # then
    assert statuses == [401, 401, 401]
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "RATE_LIMITED"
    assert allowed.status_code == 200


async def test_logout_ends_the_session_on_the_server(
    make_client: ClientFactory, settings: Settings, owner: asyncpg.Connection
) -> None:
    # given: a signed-in browser, and a copy of its cookie
    async with make_client() as browser:
        assert (await _login(browser, "viewer@contoso.example", DEMO_PASSWORD)).status_code == 200
        secret = browser.cookies[settings.session_cookie]
        replay_headers = {"cookie": f"{settings.session_cookie}={secret}"}
        async with make_client() as replay:
            before = await gql(replay, WHO_AM_I, headers=replay_headers)

        # when
        response = await browser.post("/auth/logout", headers=JSON_HEADERS)

    # then: the copied cookie no longer authenticates
    async with make_client() as replay:
        after = await gql(replay, WHO_AM_I, headers=replay_headers, expect_errors=True)
    assert before["data"]["viewer"]["user"]["email"] == "viewer@contoso.example"
    assert response.status_code == 200
    assert f'{settings.session_cookie}=""' in response.headers["set-cookie"]
    assert error_codes(after) == ["UNAUTHENTICATED"]
    assert after["data"] is None
    assert (
        await owner.fetchval(
            "SELECT count(*) FROM user_session WHERE token_hash = $1", secret_hash(secret)
        )
        == 0
    )


async def test_login_answers_400_to_a_body_without_credentials(
    client: httpx.AsyncClient,
) -> None:
    # when
    responses: list[dict[str, Any]] = []
    for body in ({}, {"email": "lead@northwind.example"}, {"email": 1, "password": 2}):
        response = await client.post("/auth/login", json=body, headers=JSON_HEADERS)
        responses.append({"status": response.status_code, **response.json()["error"]})

    # then
    assert [r["status"] for r in responses] == [400, 400, 400]
    assert {r["code"] for r in responses} == {"BAD_REQUEST"}
