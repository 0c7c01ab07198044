"""Production does not run on development defaults: `mutual serve` with MUTUAL_ENV=production
refuses to start, saying why, without a secret key of its own and a public https URL (unless
MUTUAL_ALLOW_INSECURE=1, for production mode on this machine); there, cookies are Secure."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from sqlalchemy.engine import URL

from mutual.app import create_app
from mutual.config import InsecureConfiguration, Settings, production_refusals
from mutual.devserver import free_port
from tests.conftest import LiveServer
from tests.helpers import JSON_HEADERS, World

SECRET = "a-production-secret-of-more-than-32-characters"


def _serve(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`mutual serve` with only these MUTUAL_ settings; its database cannot be reached, so a
    start that got past the checks fails fast instead of serving."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MUTUAL_")}
    closed = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"
    return subprocess.run(
        [sys.executable, "-m", "mutual.cli", "serve", "--no-seed", "--port", str(free_port())],
        env={**clean, "DATABASE_URL": closed, "MUTUAL_ENV": "production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_a_secret_key_or_https_refuses_to_start() -> None:
    result = _serve({"MUTUAL_PUBLIC_URL": "http://portal.example"})

    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("Refusing to start with MUTUAL_ENV=production:")
    assert "MUTUAL_SECRET_KEY is unset" in result.stderr
    assert "MUTUAL_PUBLIC_URL is 'http://portal.example'" in result.stderr
    assert "MUTUAL_ALLOW_INSECURE=1" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"MUTUAL_SECRET_KEY": SECRET}, "MUTUAL_PUBLIC_URL"),
        ({"MUTUAL_SECRET_KEY": SECRET, "MUTUAL_PUBLIC_URL": "http://x.example"}, "https://"),
        ({"MUTUAL_SECRET_KEY": "short", "MUTUAL_PUBLIC_URL": "https://x.example"}, "shorter"),
        (
            {
                "MUTUAL_SECRET_KEY": SECRET,
                "MUTUAL_PUBLIC_URL": "https://x.example",
                "MUTUAL_COOKIE_SECURE": "0",
            },
            "MUTUAL_COOKIE_SECURE",
        ),
    ],
    ids=["default-url", "http-url", "short-key", "cookies-not-secure"],
)
def test_each_development_default_left_in_production_is_named(
    env: dict[str, str], named: str
) -> None:
    result = _serve(env)

    assert result.returncode == 2, result.stderr
    refusals = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert len(refusals) == 1 and named in refusals[0], result.stderr


def test_production_with_its_own_settings_passes_the_checks() -> None:
    settings = Settings(env="production", secret_key=SECRET, public_url="https://x.example")
    assert production_refusals(settings) == []
    assert settings.secure_cookies is True


def test_allow_insecure_runs_production_mode_over_plain_http() -> None:
    settings = Settings(env="production", allow_insecure=True)
    assert production_refusals(settings) == []
    # a Secure cookie would never come back over http
    assert settings.secure_cookies is False


def test_the_app_itself_refuses_insecure_production_settings(app_database_url: URL) -> None:
    with pytest.raises(InsecureConfiguration, match="MUTUAL_SECRET_KEY"):
        create_app(Settings(env="production"), app_database_url=app_database_url)


async def test_the_production_server_with_allow_insecure_serves(
    production_server: LiveServer, world: World
) -> None:
    async with httpx.AsyncClient(base_url=production_server.url) as client:
        ready = await client.get("/readyz")
        graphiql = await client.get("/graphql", headers={"accept": "text/html"})

    assert ready.status_code == 200
    assert graphiql.status_code == 404


async def test_production_sets_secure_session_cookies(app_database_url: URL, world: World) -> None:
    settings = Settings(
        env="production",
        secret_key=SECRET,
        public_url="https://portal.example",
        login_max_failures_per_ip=1000,
    )
    app = create_app(settings, app_database_url=app_database_url)
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    try:
        async with httpx.AsyncClient(transport=transport, base_url=settings.public_url) as client:
            response = await client.post(
                "/auth/login",
                json={"email": "lead@contoso.example", "password": "mutual-demo"},
                headers=JSON_HEADERS,
            )
    finally:
        await app.state.database.dispose()

    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{settings.session_cookie}=")
    assert "secure" in [part.strip().lower() for part in cookie.split(";")]
