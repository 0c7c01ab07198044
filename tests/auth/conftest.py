"""A real OIDC provider process (oidc-provider-mock) and organizations registered with it."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest

from mutual.auth.sso_service import client_secret_purpose
from mutual.config import REPO_ROOT, Settings
from mutual.devserver import wait_until_up
from mutual.kit.sealing import data_key, seal
from tests.conftest import _worker, free_port
from tests.helpers import World


@dataclass(frozen=True)
class OidcMock:
    issuer: str


@dataclass(frozen=True)
class SsoOrg:
    slug: str
    organization_id: uuid.UUID
    issuer: str
    client_id: str


def _provider_command(port: int) -> list[str]:
    script = Path(sys.executable).with_name("oidc-provider-mock")
    # Nonces required: the provider refuses an authorization request that lacks one.
    options = ["--port", str(port), "--require-nonce", "true"]
    if script.exists():
        return [str(script), *options]
    return [sys.executable, "-m", "oidc_provider_mock", *options]


@pytest.fixture(scope="session")
def oidc_mock() -> Iterator[OidcMock]:
    """`oidc-provider-mock` on a free port for this test process, stopped afterwards."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    log_path = REPO_ROOT / ".mutual" / f"oidc-mock-{_worker()}-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w")  # noqa: SIM115
    process = subprocess.Popen(
        _provider_command(port), stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    try:
        wait_until_up(
            process,
            f"{issuer}/.well-known/openid-configuration",
            deadline=time.monotonic() + 30,
            failure=f"oidc-provider-mock did not start; see {log_path}",
            pause=0.1,
        )
        yield OidcMock(issuer=issuer)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
async def idp(oidc_mock: OidcMock) -> AsyncIterator[httpx.AsyncClient]:
    """The browser's side of the conversation with the provider (its own cookie jar)."""
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


# The key the apps under test seal with (their settings and the live server's environment
# leave MUTUAL_DATA_KEY and MUTUAL_SECRET_KEY alike).
DATA_KEY = data_key(Settings(env="test"))


async def register_provider(
    owner: asyncpg.Connection,
    world: World,
    slug: str,
    issuer: str,
    *,
    enabled: bool = True,
    client_id: str | None = None,
    client_secret: str | None = None,
) -> SsoOrg:
    """The organization's provider row as `mutual sso-configure` stores it (secret sealed)."""
    organization_id = world.orgs[slug].id
    client_id = client_id or f"mutual-{slug}"
    sealed = seal(
        DATA_KEY,
        client_secret or secrets.token_urlsafe(24),
        purpose=client_secret_purpose(organization_id),
    )
    await owner.execute(
        "INSERT INTO oidc_provider"
        " (organization_id, issuer, client_id, client_secret_encrypted, enabled)"
        " VALUES ($1, $2, $3, $4, $5)",
        organization_id,
        issuer,
        client_id,
        sealed,
        enabled,
    )
    return SsoOrg(slug=slug, organization_id=organization_id, issuer=issuer, client_id=client_id)


@pytest.fixture
async def contoso_sso(owner: asyncpg.Connection, world: World, oidc_mock: OidcMock) -> SsoOrg:
    """Contoso Retail (email domain contoso.example) signs in through the mock provider."""
    return await register_provider(owner, world, "contoso", oidc_mock.issuer)
