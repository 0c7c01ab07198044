"""OIDC client secrets are sealed at rest: the table holds no secret, SSO opens it for the code
exchange (checked by the provider), a sealed value moved to another row or read with another key
does not open, and migration 0005 seals the rows stored in plain text before it."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL

from mutual.auth.sso_service import client_secret_purpose, configure_provider
from mutual.config import Settings
from mutual.db import MIGRATIONS_INI, Database, connect_owner, ensure_database
from mutual.kit.sealing import SealError, data_key, seal, unseal
from tests.auth.conftest import DATA_KEY, OidcMock
from tests.auth.test_sso import ALICE, VIEWER, assert_refused, sso_login
from tests.conftest import _drop_database
from tests.helpers import World, gql

CALLBACK = "http://127.0.0.1:8000/auth/sso/callback"


async def _registered_client(oidc_mock: OidcMock) -> tuple[str, str]:
    """A client registered at the provider, which then checks its secret at the token endpoint
    (unregistered client ids are let through with any secret)."""
    async with httpx.AsyncClient() as http:
        response = await http.post(
            f"{oidc_mock.issuer}/oauth2/clients", json={"redirect_uris": [CALLBACK]}
        )
    assert response.status_code == 201, response.text
    body = response.json()
    return str(body["client_id"]), str(body["client_secret"])


async def _configure(owner_url: URL, settings: Settings, **values: object) -> None:
    """What `mutual sso-configure` does, in this process."""
    database = Database(owner_url, pool_size=1)
    try:
        async with database.session() as session, session.begin():
            await configure_provider(session, settings=settings, enabled=True, **values)  # type: ignore[arg-type]
    finally:
        await database.dispose()


async def test_the_secret_is_sealed_at_rest_and_sso_signs_in_with_it(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    owner_url: URL,
    settings: Settings,
    world: World,
    oidc_mock: OidcMock,
) -> None:
    # given: Contoso configured with the secret of a client the provider knows
    client_id, client_secret = await _registered_client(oidc_mock)
    await _configure(
        owner_url,
        settings,
        slug="contoso",
        issuer=oidc_mock.issuer,
        client_id=client_id,
        client_secret=client_secret,
    )

    # when
    response = await sso_login(client, idp, "contoso", sub="alice-sso", claims=ALICE)

    # then: signed in, the provider having accepted the secret at its token endpoint
    assert response.status_code == 302, response.text
    assert (await gql(client, VIEWER))["data"]["viewer"]["user"]["email"] == ALICE["email"]
    # and: the raw column, read as the table owner, holds no trace of the secret
    raw = await owner.fetchrow(
        "SELECT organization_id, client_secret_encrypted, row_to_json(p)::text AS whole "
        "FROM oidc_provider p"
    )
    assert client_secret not in raw["whole"]
    assert raw["client_secret_encrypted"].startswith("v1.")
    assert (
        unseal(
            DATA_KEY,
            raw["client_secret_encrypted"],
            purpose=client_secret_purpose(raw["organization_id"]),
        )
        == client_secret
    )


async def test_a_wrong_secret_is_refused_by_the_provider(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner_url: URL,
    settings: Settings,
    world: World,
    oidc_mock: OidcMock,
) -> None:
    # The control of the test above: the provider does check the secret it is sent.
    client_id, _secret = await _registered_client(oidc_mock)
    await _configure(
        owner_url,
        settings,
        slug="contoso",
        issuer=oidc_mock.issuer,
        client_id=client_id,
        client_secret="not-the-secret",
    )

    response = await sso_login(client, idp, "contoso", sub="alice-sso", claims=ALICE)

    assert_refused(response, 400, "SSO_CODE_REJECTED")


async def test_a_sealed_secret_copied_to_another_organization_does_not_open(
    client: httpx.AsyncClient,
    idp: httpx.AsyncClient,
    owner: asyncpg.Connection,
    owner_url: URL,
    settings: Settings,
    world: World,
    oidc_mock: OidcMock,
) -> None:
    # given: Contoso's sealed secret pasted into Fabrikam's row (fabrikam.example is its domain)
    client_id, client_secret = await _registered_client(oidc_mock)
    for slug in ("contoso", "fabrikam"):
        await _configure(
            owner_url,
            settings,
            slug=slug,
            issuer=oidc_mock.issuer,
            client_id=client_id,
            client_secret=client_secret,
        )
    await owner.execute(
        "UPDATE oidc_provider SET client_secret_encrypted = (SELECT client_secret_encrypted "
        "FROM oidc_provider WHERE organization_id = $1) WHERE organization_id = $2",
        world.orgs["contoso"].id,
        world.orgs["fabrikam"].id,
    )

    # when
    response = await sso_login(
        client,
        idp,
        "fabrikam",
        sub="fab-1",
        claims={"email": "someone@fabrikam.example", "email_verified": True},
    )

    # then: the provider is reported misconfigured, nothing is sent with a wrong secret
    assert_refused(response, 502, "SSO_PROVIDER_MISCONFIGURED")


def test_sealing_is_bound_to_the_key_and_the_purpose() -> None:
    key = data_key(Settings(env="test"))
    other_key = data_key(Settings(env="test", data_key="a-dedicated-data-key-" + "x" * 24))
    sealed = seal(key, "s3cret", purpose="oidc_provider.client_secret/a")

    assert "s3cret" not in sealed
    assert seal(key, "s3cret", purpose="oidc_provider.client_secret/a") != sealed  # fresh nonce
    assert unseal(key, sealed, purpose="oidc_provider.client_secret/a") == "s3cret"
    assert other_key != key
    with pytest.raises(SealError, match="another data key"):
        unseal(other_key, sealed, purpose="oidc_provider.client_secret/a")
    with pytest.raises(SealError):
        unseal(key, sealed, purpose="oidc_provider.client_secret/b")
    with pytest.raises(SealError):
        unseal(key, sealed[:-4] + "AAAA", purpose="oidc_provider.client_secret/a")
    with pytest.raises(SealError):
        unseal(key, "s3cret", purpose="oidc_provider.client_secret/a")


@pytest.fixture
async def scratch_owner(server_url: URL, settings: Settings) -> AsyncIterator[URL]:
    """An empty database of its own, for walking the revisions."""
    owner = server_url.set(database=f"mutual_test_sealing_{os.getpid()}")
    await _drop_database(owner)
    await ensure_database(owner, settings)
    yield owner
    await _drop_database(owner)


def _alembic(owner: URL, key: bytes) -> Config:
    config = Config(str(MIGRATIONS_INI))
    config.set_main_option("script_location", str(MIGRATIONS_INI.parent))
    config.attributes["owner_url"] = owner.render_as_string(hide_password=False)
    config.attributes["data_key"] = key
    return config


async def test_the_migration_seals_secrets_stored_in_plain_text(scratch_owner: URL) -> None:
    # given: a database at 0004 with a provider whose secret is stored as it was then
    key = data_key(Settings(env="test", data_key="the-deployments-data-key-" + "k" * 20))
    config = _alembic(scratch_owner, key)
    await asyncio.to_thread(command.upgrade, config, "0004")
    organization_id = uuid.uuid4()
    conn = await connect_owner(scratch_owner)
    try:
        await conn.execute(
            "INSERT INTO organization (id, name, slug, email_domain) "
            "VALUES ($1, 'Contoso Retail', 'contoso', 'contoso.example')",
            organization_id,
        )
        await conn.execute(
            "INSERT INTO oidc_provider (organization_id, issuer, client_id, client_secret) "
            "VALUES ($1, 'https://id.contoso.example', 'portal', 'plain-old-secret')",
            organization_id,
        )

        # when
        await asyncio.to_thread(command.upgrade, config, "0005")
        after = await conn.fetchrow("SELECT row_to_json(p)::text AS whole FROM oidc_provider p")
        sealed = await conn.fetchval("SELECT client_secret_encrypted FROM oidc_provider")
        # and back: the downgrade opens them again
        await asyncio.to_thread(command.downgrade, config, "0004")
        restored = await conn.fetchval("SELECT client_secret FROM oidc_provider")
    finally:
        await conn.close()

    # then
    assert "plain-old-secret" not in after["whole"]
    assert 'client_secret"' not in after["whole"]  # the plain column is gone
    assert unseal(key, sealed, purpose=client_secret_purpose(organization_id)) == "plain-old-secret"
    assert restored == "plain-old-secret"
