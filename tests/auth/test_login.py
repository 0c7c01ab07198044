"""Password login: the session cookie, generic refusals, rate limits per account and source
(atomic under parallel attempts, X-Forwarded-For believed from trusted proxies only), and
server-side logout."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
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
from tests.conftest import LiveServer
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


async def test_after_five_failures_from_a_source_the_account_is_refused_there_only(
    app: Starlette, world: World, settings: Settings
) -> None:
    # given: five wrong passwords for one account from one address
    assert settings.login_max_failures_per_account == 5
    statuses: list[int] = []
    async with _client_at(app, "203.0.113.7") as attacker:
        for _ in range(5):
            failed = await _login(attacker, "editor@northwind.example", "guess")
            statuses.append(failed.status_code)

        # when: the right password there, and the same email in another case
        right = await _login(attacker, "editor@northwind.example", DEMO_PASSWORD)
        recased = await _login(attacker, "Editor@Northwind.example", DEMO_PASSWORD)
        # and: another account from the same address
        other_account = await _login(attacker, "lead@northwind.example", DEMO_PASSWORD)
    # and: the owner of the account, from elsewhere, while that address is locked out
    async with _client_at(app, "198.51.100.9") as owner_elsewhere:
        elsewhere = await _login(owner_elsewhere, "editor@northwind.example", DEMO_PASSWORD)

    # then
    assert statuses == [401] * 5
    assert right.status_code == 429
    assert right.json() == {
        "error": {
            "code": "RATE_LIMITED",
            "message": "Too many failed sign-in attempts. Try again in a few minutes.",
        }
    }
    assert "set-cookie" not in right.headers
    assert recased.status_code == 429
    assert other_account.status_code == 200
    assert elsewhere.status_code == 200
    assert "set-cookie" in elsewhere.headers


async def test_a_success_resets_the_count_for_that_source(app: Starlette, world: World) -> None:
    async with _client_at(app, "203.0.113.8") as browser:
        first = [await _login(browser, "viewer@contoso.example", "typo") for _ in range(4)]
        signed_in = await _login(browser, "viewer@contoso.example", DEMO_PASSWORD)
        again = [await _login(browser, "viewer@contoso.example", "typo") for _ in range(4)]
        still = await _login(browser, "viewer@contoso.example", DEMO_PASSWORD)

    assert [r.status_code for r in first] == [401] * 4
    assert signed_in.status_code == 200
    assert [r.status_code for r in again] == [401] * 4
    assert still.status_code == 200


async def test_the_lock_ends_once_the_window_has_passed_since_the_last_failure(
    app: Starlette, world: World, owner: asyncpg.Connection, settings: Settings
) -> None:
    async with _client_at(app, "203.0.113.9") as browser:
        for _ in range(5):
            await _login(browser, "viewer@contoso.example", "typo")
        locked = await _login(browser, "viewer@contoso.example", DEMO_PASSWORD)
        # when: the window passes (the clock of the database, moved by hand)
        await owner.execute(
            "UPDATE login_throttle SET last_failure_at = last_failure_at - $1::interval",
            timedelta(minutes=settings.login_window_minutes),
        )
        unlocked = await _login(browser, "viewer@contoso.example", DEMO_PASSWORD)

    assert locked.status_code == 429
    assert unlocked.status_code == 200


async def test_forty_parallel_wrong_passwords_get_exactly_five_checked(
    live_server: LiveServer, world: World, owner: asyncpg.Connection
) -> None:
    # given: one client sending 40 wrong passwords for one account at once (a real server)
    async with httpx.AsyncClient(base_url=live_server.url, timeout=60) as attacker:
        # when
        responses = await asyncio.gather(
            *(_login(attacker, "governance@contoso.example", f"guess-{n}") for n in range(40))
        )

    # then: five were checked (and failed), every other one refused before any check
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [401] * 5 + [429] * 35
    refused = [r.json() for r in responses if r.status_code == 429]
    assert {body["error"]["code"] for body in refused} == {"RATE_LIMITED"}
    assert all(r.headers["content-type"] == "application/json" for r in responses)
    checked = await owner.fetchval(
        "SELECT count(*) FROM login_attempt WHERE email = 'governance@contoso.example'"
    )
    assert checked == 5


async def test_a_forwarded_for_header_is_not_believed_without_trusted_proxies(
    live_server: LiveServer, world: World, owner: asyncpg.Connection
) -> None:
    # given: the real server (uvicorn) with no MUTUAL_TRUSTED_PROXIES, and a client that
    # claims another address on every attempt
    async with httpx.AsyncClient(base_url=live_server.url) as attacker:
        statuses = [
            (
                await attacker.post(
                    "/auth/login",
                    json={"email": "viewer@northwind.example", "password": "guess"},
                    headers={**JSON_HEADERS, "x-forwarded-for": f"198.51.100.{n}"},
                )
            ).status_code
            for n in range(6)
        ]

    # then: all of them are counted for its real address, so the sixth is refused
    assert statuses == [401] * 5 + [429]
    sources = await owner.fetch(
        "SELECT DISTINCT ip FROM login_attempt WHERE email = 'viewer@northwind.example'"
    )
    assert [row["ip"] for row in sources] == ["127.0.0.1"]


@pytest.fixture
async def behind_proxy_app(
    world: World, settings: Settings, app_database_url: URL
) -> AsyncIterator[Starlette]:
    """An app behind a reverse proxy at 127.0.0.1 (MUTUAL_TRUSTED_PROXIES=127.0.0.1)."""
    proxied = settings.model_copy(update={"trusted_proxies": ["127.0.0.1"]})
    app = create_app(proxied, app_database_url=app_database_url)
    try:
        yield app
    finally:
        await app.state.database.dispose()


async def test_behind_a_trusted_proxy_the_forwarded_client_is_the_source(
    behind_proxy_app: Starlette, owner: asyncpg.Connection
) -> None:
    async def attempt(forwarded_for: str, password: str) -> int:
        async with _client_at(behind_proxy_app, "127.0.0.1") as through_proxy:
            response = await through_proxy.post(
                "/auth/login",
                json={"email": "editor@contoso.example", "password": password},
                headers={**JSON_HEADERS, "x-forwarded-for": forwarded_for},
            )
            return response.status_code

    # given: five failures from one client; each claims a different address to the left of
    # what the proxy appended, which is the address the proxy saw
    locked = [await attempt(f"10.9.9.{n}, 203.0.113.50", "guess") for n in range(5)]

    # when
    same_client = await attempt("203.0.113.50", DEMO_PASSWORD)
    other_client = await attempt("203.0.113.51", DEMO_PASSWORD)
    # a client at the proxy's own address
    from_the_proxy = await attempt("127.0.0.1", DEMO_PASSWORD)

    # then
    assert locked == [401] * 5
    assert same_client == 429
    assert other_client == 200
    assert from_the_proxy == 200
    sources = await owner.fetch(
        "SELECT ip, succeeded FROM login_attempt WHERE email = 'editor@contoso.example' ORDER BY id"
    )
    assert [(r["ip"], r["succeeded"]) for r in sources] == [("203.0.113.50", False)] * 5 + [
        ("203.0.113.51", True),
        ("127.0.0.1", True),
    ]


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
