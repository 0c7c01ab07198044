"""OIDC single sign-on against a real provider process: the whole browser flow, and refusals."""

from __future__ import annotations

import asyncio
import os
import sys
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urljoin, urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import URL

from mutual.auth.models import OidcProvider
from mutual.auth.sso_service import ConfigurationError, client_secret_purpose, configure_provider
from mutual.config import REPO_ROOT, Settings
from mutual.db import Database
from mutual.kit.sealing import unseal
from tests.auth.conftest import DATA_KEY, OidcMock, SsoOrg, register_provider
from tests.helpers import World, error_codes, gql

VIEWER = "{ viewer { user { email } organization { slug } } }"
APP_ORIGIN = "http://127.0.0.1:8000"
SESSION_COOKIE = "mutual_session"
PENDING_COOKIE = "mutual_sso"


class _Forms(HTMLParser):
    """The forms of a page: their method, action and named inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": named.get("method") or "get",
                    "action": named.get("action") or "",
                    "inputs": {},
                }
            )
        elif tag == "input" and self.forms and named.get("name"):
            self.forms[-1]["inputs"][named["name"]] = named.get("value") or ""


async def start(client: httpx.AsyncClient, slug: str) -> str:
    """Press "Sign in with … SSO": the app answers with a redirect to the provider."""
    response = await client.get(f"/auth/sso/{slug}/start")
    assert response.status_code == 302, response.text
    assert PENDING_COOKIE in response.cookies
    return response.headers["location"]


async def authorize(
    idp: httpx.AsyncClient, authorize_url: str, *, sub: str, claims: dict[str, Any]
) -> str:
    """At the provider: open its authorization page, fill in the subject, submit the form.

    The claims of that subject (email, email_verified, name) are the provider's user record,
    which oidc-provider-mock takes through its PUT /users/{sub} API; the form itself has one
    field, `sub`. Returns where the provider sends the browser back to.
    """
    issuer = f"{urlsplit(authorize_url).scheme}://{urlsplit(authorize_url).netloc}"
    stored = await idp.put(f"{issuer}/users/{quote(sub, safe='')}", json=claims)
    assert stored.status_code == 204, stored.text

    page = await idp.get(authorize_url)
    assert page.status_code == 200, page.text
    parser = _Forms()
    parser.feed(page.text)
    form = next(f for f in parser.forms if "sub" in f["inputs"])
    assert form["method"].lower() == "post"

    decision = await idp.post(
        urljoin(str(page.url), form["action"]) if form["action"] else str(page.url),
        data={**form["inputs"], "sub": sub},
    )
    assert decision.status_code == 302, decision.text
    return decision.headers["location"]


async def sso_login(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    slug: str,
    *,
    sub: str,
    claims: dict[str, Any],
) -> httpx.Response:
    back = await authorize(idp, await start(client, slug), sub=sub, claims=claims)
    assert back.startswith(f"{APP_ORIGIN}/auth/sso/callback?")
    return await client.get(back)


async def user_count(owner: asyncpg.Connection) -> int:
    return int(await owner.fetchval("SELECT count(*) FROM app_user"))


async def session_count(owner: asyncpg.Connection) -> int:
    return int(await owner.fetchval("SELECT count(*) FROM user_session"))


def assert_refused(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert code in response.text
    assert "text/html" in response.headers["content-type"]
    assert SESSION_COOKIE not in response.cookies


async def assert_signed_out(client: httpx.AsyncClient) -> None:
    body = await gql(client, VIEWER, expect_errors=True)
    assert error_codes(body) == ["UNAUTHENTICATED"]


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return urlunsplit(parts._replace(query=urlencode({**query, **changes})))


ALICE = {"email": "alice.sso@contoso.example", "email_verified": True, "name": "Alice Sso"}


async def test_sso_provisions_a_member_and_signs_in(
    client: httpx.AsyncClient,
    make_client: Any,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    users_before = await user_count(owner)

    response = await sso_login(client, idp, "contoso", sub="alice-sso", claims=ALICE)

    assert response.status_code == 302, response.text
    assert response.headers["location"] == "/"
    set_cookie = "\n".join(response.headers.get_list("set-cookie"))
    assert f"{SESSION_COOKIE}=" in set_cookie
    assert "httponly" in set_cookie.lower() and "samesite=lax" in set_cookie.lower()
    body = await gql(client, VIEWER)
    assert body["data"]["viewer"] == {
        "user": {"email": "alice.sso@contoso.example"},
        "organization": {"slug": "contoso"},
    }
    assert await user_count(owner) == users_before + 1
    row = await owner.fetchrow(
        "SELECT organization_id, org_role, password_hash, display_name FROM app_user"
        " WHERE email = 'alice.sso@contoso.example'"
    )
    assert row["organization_id"] == contoso_sso.organization_id
    assert row["org_role"] == "MEMBER"
    assert row["password_hash"] is None
    assert row["display_name"] == "Alice Sso"

    # A second sign-in, from another browser, finds the same user.
    async with make_client() as second:
        again = await sso_login(second, idp, "contoso", sub="alice-sso", claims=ALICE)
        assert again.status_code == 302, again.text
        assert (await gql(second, VIEWER))["data"]["viewer"]["user"]["email"] == ALICE["email"]
    assert await user_count(owner) == users_before + 1
    sessions = await owner.fetchval(
        "SELECT count(*) FROM user_session s JOIN app_user u ON u.id = s.user_id"
        " WHERE u.email = 'alice.sso@contoso.example'"
    )
    assert sessions == 2


async def test_sso_signs_in_an_existing_user_of_the_organization(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    world: World,
    contoso_sso: SsoOrg,
) -> None:
    users_before = await user_count(owner)

    response = await sso_login(
        client,
        idp,
        "contoso",
        sub="contoso-lead",
        claims={"email": "Lead@Contoso.example", "email_verified": True},
    )

    assert response.status_code == 302, response.text
    body = await gql(client, VIEWER)
    assert body["data"]["viewer"]["user"]["email"] == "lead@contoso.example"
    assert await user_count(owner) == users_before
    role = await owner.fetchval(
        "SELECT org_role FROM app_user WHERE id = $1", world.user_id("lead@contoso.example")
    )
    assert role == "ADMIN"


async def identities(owner: asyncpg.Connection) -> list[tuple[str, str, str]]:
    rows = await owner.fetch(
        "SELECT i.issuer, i.subject, u.email FROM user_identity i"
        " JOIN app_user u ON u.id = i.user_id ORDER BY i.subject"
    )
    return [(r["issuer"], r["subject"], r["email"]) for r in rows]


async def test_the_first_sso_sign_in_links_the_subject_to_the_user(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    await sso_login(client, idp, "contoso", sub="alice-sso", claims=ALICE)
    await sso_login(
        client,
        idp,
        "contoso",
        sub="contoso-lead",
        claims={"email": "lead@contoso.example", "email_verified": True},
    )

    assert await identities(owner) == [
        (contoso_sso.issuer, "alice-sso", ALICE["email"]),
        (contoso_sso.issuer, "contoso-lead", "lead@contoso.example"),
    ]


async def test_a_returning_user_whose_email_changed_at_the_provider_is_the_same_user(
    client: httpx.AsyncClient,
    make_client: Any,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    # given: Alice signed in once
    first = await sso_login(client, idp, "contoso", sub="alice-sso", claims=ALICE)
    assert first.status_code == 302, first.text
    users_before = await user_count(owner)

    # when: the provider now gives her subject another address
    renamed = {**ALICE, "email": "alice.renamed@contoso.example"}
    async with make_client() as second:
        again = await sso_login(second, idp, "contoso", sub="alice-sso", claims=renamed)
        body = await gql(second, VIEWER)

    # then: the same account, found by subject; no second one is made for the new address
    assert again.status_code == 302, again.text
    assert body["data"]["viewer"]["user"]["email"] == ALICE["email"]
    assert await user_count(owner) == users_before
    assert await identities(owner) == [(contoso_sso.issuer, "alice-sso", ALICE["email"])]


async def test_another_subject_with_the_same_email_is_not_merged(
    client: httpx.AsyncClient,
    make_client: Any,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    # given: Alice's account is linked to her subject
    await sso_login(client, idp, "contoso", sub="alice-sso", claims=ALICE)
    users_before, sessions_before = await user_count(owner), await session_count(owner)

    # when: another subject of the provider claims her address
    async with make_client() as intruder:
        response = await sso_login(intruder, idp, "contoso", sub="not-alice", claims=ALICE)

        # then: refused, nothing written, the intruder is not signed in
        assert_refused(response, 403, "SSO_IDENTITY_CONFLICT")
        await assert_signed_out(intruder)
    assert await user_count(owner) == users_before
    assert await session_count(owner) == sessions_before
    assert await identities(owner) == [(contoso_sso.issuer, "alice-sso", ALICE["email"])]


async def test_tampered_state_is_refused_and_creates_nothing(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    users_before, sessions_before = await user_count(owner), await session_count(owner)
    back = await authorize(idp, await start(client, "contoso"), sub="alice-sso", claims=ALICE)

    response = await client.get(with_query(back, state="forged-" + "x" * 40))

    assert_refused(response, 400, "SSO_STATE_MISMATCH")
    await assert_signed_out(client)
    assert await user_count(owner) == users_before
    assert await session_count(owner) == sessions_before
    # The pending login is spent: even the genuine answer is refused now.
    replay = await client.get(back)
    assert_refused(replay, 400, "SSO_STATE_MISSING")
    assert await user_count(owner) == users_before


async def test_missing_state_is_refused(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    users_before = await user_count(owner)
    back = await authorize(idp, await start(client, "contoso"), sub="alice-sso", claims=ALICE)
    parts = urlsplit(back)
    without_state = {k: v for k, v in parse_qs(parts.query).items() if k != "state"}

    response = await client.get(urlunsplit(parts._replace(query=urlencode(without_state, True))))

    assert_refused(response, 400, "SSO_STATE_MISMATCH")
    await assert_signed_out(client)
    assert await user_count(owner) == users_before


async def test_an_answer_brought_to_another_browser_is_refused(
    client: httpx.AsyncClient,
    make_client: Any,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    # Login CSRF: an attacker's authorization answer, opened in the victim's browser.
    users_before = await user_count(owner)
    back = await authorize(idp, await start(client, "contoso"), sub="alice-sso", claims=ALICE)

    async with make_client() as victim:
        response = await victim.get(back)
        assert_refused(response, 400, "SSO_STATE_MISSING")
        await assert_signed_out(victim)
    assert await user_count(owner) == users_before


async def test_foreign_domain_is_refused_and_creates_nothing(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    users_before, sessions_before = await user_count(owner), await session_count(owner)

    response = await sso_login(
        client,
        idp,
        "contoso",
        sub="mallory",
        claims={"email": "mallory@evil.example", "email_verified": True},
    )

    assert_refused(response, 403, "SSO_DOMAIN_MISMATCH")
    await assert_signed_out(client)
    assert await user_count(owner) == users_before
    assert await session_count(owner) == sessions_before
    assert (
        await owner.fetchval("SELECT count(*) FROM app_user WHERE email = 'mallory@evil.example'")
        == 0
    )


async def test_a_partner_domain_is_refused(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    users_before = await user_count(owner)

    response = await sso_login(
        client,
        idp,
        "contoso",
        sub="northwind-lead",
        claims={"email": "lead@northwind.example", "email_verified": True},
    )

    assert_refused(response, 403, "SSO_DOMAIN_MISMATCH")
    await assert_signed_out(client)
    assert await user_count(owner) == users_before


async def test_unverified_email_is_refused(
    client: httpx.AsyncClient,
    make_client: Any,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    users_before = await user_count(owner)

    unverified = await sso_login(
        client,
        idp,
        "contoso",
        sub="bob",
        claims={"email": "bob@contoso.example", "email_verified": False},
    )
    async with make_client() as other:
        unstated = await sso_login(
            other, idp, "contoso", sub="carol", claims={"email": "carol@contoso.example"}
        )

    assert_refused(unverified, 403, "SSO_EMAIL_UNVERIFIED")
    assert_refused(unstated, 403, "SSO_EMAIL_UNVERIFIED")
    await assert_signed_out(client)
    assert await user_count(owner) == users_before


async def test_an_account_of_another_organization_is_refused(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    world: World,
    contoso_sso: SsoOrg,
) -> None:
    await owner.execute(
        "INSERT INTO app_user (organization_id, email, display_name, org_role)"
        " VALUES ($1, 'moved@contoso.example', 'Moved', 'MEMBER')",
        world.orgs["fabrikam"].id,
    )
    users_before, sessions_before = await user_count(owner), await session_count(owner)

    response = await sso_login(
        client,
        idp,
        "contoso",
        sub="moved",
        claims={"email": "moved@contoso.example", "email_verified": True},
    )

    assert_refused(response, 403, "SSO_ACCOUNT_IN_OTHER_ORGANIZATION")
    await assert_signed_out(client)
    assert await user_count(owner) == users_before
    assert await session_count(owner) == sessions_before


async def test_denied_at_the_provider_is_refused(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    users_before = await user_count(owner)
    authorize_url = await start(client, "contoso")
    state = parse_qs(urlsplit(authorize_url).query)["state"][0]

    denied = await idp.post(authorize_url, data={"action": "deny"})
    assert denied.status_code == 302
    back = denied.headers["location"]
    assert parse_qs(urlsplit(back).query)["error"] == ["access_denied"]
    # oidc-provider-mock 0.3.4 drops the state from its denial, so add it back as RFC 6749
    # §4.1.2.1 requires; without it the answer is refused as unverifiable (next test).
    response = await client.get(with_query(back, state=state))

    assert_refused(response, 403, "SSO_DENIED")
    await assert_signed_out(client)
    assert await user_count(owner) == users_before


async def test_a_denial_without_state_is_refused(
    client: httpx.AsyncClient, idp: httpx.AsyncClient, contoso_sso: SsoOrg
) -> None:
    denied = await idp.post(await start(client, "contoso"), data={"action": "deny"})

    response = await client.get(denied.headers["location"])

    assert_refused(response, 400, "SSO_STATE_MISMATCH")


async def test_refusals_answer_json_to_json_clients(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/auth/sso/callback?code=x&state=y", headers={"accept": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "SSO_STATE_MISSING"


async def test_start_sends_pkce_state_and_nonce(
    client: httpx.AsyncClient, contoso_sso: SsoOrg
) -> None:
    location = await start(client, "contoso")

    parts = urlsplit(location)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}" == contoso_sso.issuer
    assert query["response_type"] == "code"
    assert query["client_id"] == contoso_sso.client_id
    assert query["redirect_uri"] == f"{APP_ORIGIN}/auth/sso/callback"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert set(query["scope"].split()) >= {"openid", "email"}


async def test_providers_lists_only_enabled_ones(
    client: httpx.AsyncClient, owner: asyncpg.Connection, world: World, oidc_mock: OidcMock
) -> None:
    assert (await client.get("/auth/sso/providers")).json() == {"providers": []}
    await register_provider(owner, world, "contoso", oidc_mock.issuer)
    await register_provider(owner, world, "fabrikam", oidc_mock.issuer, enabled=False)

    response = await client.get("/auth/sso/providers")

    assert response.status_code == 200
    assert response.json() == {"providers": [{"slug": "contoso", "name": "Contoso Retail"}]}


async def test_unknown_or_disabled_organization_is_not_found(
    client: httpx.AsyncClient, owner: asyncpg.Connection, world: World, oidc_mock: OidcMock
) -> None:
    await register_provider(owner, world, "fabrikam", oidc_mock.issuer, enabled=False)

    unknown = await client.get("/auth/sso/no-such-org/start")
    disabled = await client.get("/auth/sso/fabrikam/start")
    without_sso = await client.get("/auth/sso/northwind/start")

    for response in (unknown, disabled, without_sso):
        assert_refused(response, 404, "SSO_UNKNOWN_ORGANIZATION")
        assert PENDING_COOKIE not in response.cookies


async def test_disabling_the_provider_mid_login_refuses_the_callback(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    contoso_sso: SsoOrg,
) -> None:
    users_before = await user_count(owner)
    back = await authorize(idp, await start(client, "contoso"), sub="alice-sso", claims=ALICE)
    await owner.execute(
        "UPDATE oidc_provider SET enabled = false WHERE organization_id = $1",
        contoso_sso.organization_id,
    )

    response = await client.get(back)

    assert_refused(response, 403, "SSO_PROVIDER_DISABLED")
    assert await user_count(owner) == users_before


async def _mutual_cli(owner_url: URL, *args: str) -> tuple[int, str]:
    env = {
        **os.environ,
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
        "MUTUAL_ENV": "test",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "mutual.cli",
        *args,
        env=env,
        cwd=REPO_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return int(process.returncode or 0), output.decode()


async def test_cli_configures_a_provider(
    client: httpx.AsyncClient, owner: asyncpg.Connection, owner_url: URL, world: World
) -> None:
    code, output = await _mutual_cli(
        owner_url,
        "sso-configure",
        "--org",
        "contoso",
        "--issuer",
        "https://id.contoso.example/",
        "--client-id",
        "portal",
        "--client-secret",
        "s3cret",
    )

    assert code == 0, output
    row = await owner.fetchrow("SELECT * FROM oidc_provider")
    assert row["organization_id"] == world.orgs["contoso"].id
    assert (row["issuer"], row["client_id"], row["enabled"]) == (
        "https://id.contoso.example",
        "portal",
        True,
    )
    assert "s3cret" not in row["client_secret_encrypted"]
    assert stored_secret(row) == "s3cret"
    listed = (await client.get("/auth/sso/providers")).json()
    assert listed == {"providers": [{"slug": "contoso", "name": "Contoso Retail"}]}


def stored_secret(row: asyncpg.Record) -> str:
    """The client secret of an oidc_provider row, opened with the data key of the tests."""
    return unseal(
        DATA_KEY,
        row["client_secret_encrypted"],
        purpose=client_secret_purpose(row["organization_id"]),
    )


async def _configure(owner_url: URL, **values: Any) -> OidcProvider:
    database = Database(owner_url, pool_size=1)
    try:
        async with database.session() as session, session.begin():
            return await configure_provider(session, settings=Settings(env="test"), **values)
    finally:
        await database.dispose()


async def test_configuring_again_updates_and_disables(
    client: httpx.AsyncClient, owner: asyncpg.Connection, owner_url: URL, world: World
) -> None:
    first = {"issuer": "https://id.contoso.example", "client_id": "portal", "client_secret": "s1"}
    await _configure(owner_url, slug="contoso", enabled=True, **first)

    await _configure(
        owner_url,
        slug="contoso",
        issuer=None,
        client_id="portal-2",
        client_secret=None,
        enabled=False,
    )

    row = await owner.fetchrow("SELECT * FROM oidc_provider")
    assert (row["issuer"], row["client_id"], row["enabled"]) == (
        "https://id.contoso.example",
        "portal-2",
        False,
    )
    assert stored_secret(row) == "s1"
    assert (await client.get("/auth/sso/providers")).json() == {"providers": []}


async def test_configuration_errors_store_nothing(
    client: httpx.AsyncClient, owner: asyncpg.Connection, owner_url: URL, world: World
) -> None:
    bad: list[tuple[dict[str, Any], str]] = [
        ({"slug": "nobody", "issuer": "https://x.example"}, "No organization"),
        ({"slug": "fabrikam", "issuer": "http://idp.example"}, "https"),
        ({"slug": "fabrikam", "issuer": None}, "--issuer"),
    ]
    for values, message in bad:
        with pytest.raises(ConfigurationError, match=message):
            await _configure(owner_url, client_id="a", client_secret="b", enabled=True, **values)

    assert await owner.fetchval("SELECT count(*) FROM oidc_provider") == 0
