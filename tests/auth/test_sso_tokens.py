"""The ID token checks and the code exchange, against a scripted provider (no database).

The real flow runs against oidc-provider-mock in test_sso.py; that provider always signs
valid tokens and ignores PKCE, so forged tokens and the PKCE verifier are checked here.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from mutual.auth import sso_service
from mutual.auth.models import OidcProvider
from mutual.auth.sso_service import SsoError, SsoTarget, StartedLogin, VerifiedIdentity
from mutual.config import Settings
from mutual.kit.sealing import data_key, seal
from mutual.tenancy.models import Organization

CLIENT_ID = "portal"
CLIENT_SECRET = "s3cret-with-enough-length-for-hmac-0123456789"


class ScriptedProvider:
    """An OIDC provider behind httpx.MockTransport whose answers each test can change."""

    def __init__(self) -> None:
        self.issuer = f"https://idp-{uuid.uuid4().hex[:12]}.example"
        self.key = RSAKey.generate_key(2048, auto_kid=True)
        self.published: list[RSAKey] = [self.key]
        self.id_token = ""
        self.token_status = 200
        self.token_forms: list[dict[str, str]] = []
        self.token_auth: list[str] = []
        self.discovery_issuer = self.issuer

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/.well-known/openid-configuration":
            return httpx.Response(
                200,
                json={
                    "issuer": self.discovery_issuer,
                    "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token",
                    "jwks_uri": f"{self.issuer}/jwks",
                    "response_types_supported": ["code"],
                    "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                },
            )
        if path == "/jwks":
            keys = [key.as_dict(private=False) for key in self.published]
            return httpx.Response(200, json={"keys": keys})
        if path == "/token":
            form = parse_qs(request.content.decode())
            self.token_forms.append({name: values[0] for name, values in form.items()})
            self.token_auth.append(request.headers.get("authorization", ""))
            if self.token_status != 200:
                return httpx.Response(self.token_status, json={"error": "invalid_grant"})
            return httpx.Response(
                200, json={"access_token": "at", "token_type": "Bearer", "id_token": self.id_token}
            )
        return httpx.Response(404)

    def claims(self, expected_nonce: str, **changes: Any) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "alice-1",
            "iat": now,
            "exp": now + 300,
            "nonce": expected_nonce,
            "email": "alice@contoso.example",
            "email_verified": True,
            "name": "Alice",
        }
        claims.update(changes)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict[str, Any], key: RSAKey | None = None) -> str:
        key = key or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)


@pytest.fixture
def provider() -> ScriptedProvider:
    return ScriptedProvider()


@pytest.fixture
async def http(provider: ScriptedProvider) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(provider.handle)) as client:
        yield client


@pytest.fixture
def target(provider: ScriptedProvider, settings: Settings) -> SsoTarget:
    organization = Organization(
        id=uuid.uuid4(),
        name="Contoso Retail",
        slug="contoso",
        email_domain="contoso.example",
        created_at=datetime.now(UTC),
    )
    return SsoTarget(
        organization=organization,
        provider=OidcProvider(
            organization_id=organization.id,
            issuer=provider.issuer,
            client_id=CLIENT_ID,
            client_secret_encrypted=seal(
                data_key(settings),
                CLIENT_SECRET,
                purpose=sso_service.client_secret_purpose(organization.id),
            ),
            enabled=True,
        ),
    )


async def _begin(target: SsoTarget, http: httpx.AsyncClient, settings: Settings) -> StartedLogin:
    return await sso_service.begin_login(target, http=http, settings=settings)


async def _finish(
    target: SsoTarget, http: httpx.AsyncClient, settings: Settings, started: StartedLogin
) -> VerifiedIdentity:
    return await sso_service.verify_identity(
        target, pending=started.pending, code="the-code", http=http, settings=settings
    )


async def test_a_valid_token_gives_the_identity_and_the_exchange_carries_pkce(
    provider: ScriptedProvider, http: httpx.AsyncClient, target: SsoTarget, settings: Settings
) -> None:
    started = await _begin(target, http, settings)
    provider.id_token = provider.sign(provider.claims(started.pending.nonce))

    identity = await _finish(target, http, settings, started)

    assert (identity.email, identity.display_name, identity.subject) == (
        "alice@contoso.example",
        "Alice",
        "alice-1",
    )
    challenge = parse_qs(urlsplit(started.authorize_url).query)["code_challenge"][0]
    form = provider.token_forms[-1]
    digest = hashlib.sha256(form["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge
    assert form["grant_type"] == "authorization_code" and form["code"] == "the-code"
    assert form["redirect_uri"] == "http://127.0.0.1:8000/auth/sso/callback"
    basic = base64.b64decode(provider.token_auth[-1].removeprefix("Basic ")).decode()
    assert basic == f"{CLIENT_ID}:{CLIENT_SECRET}"


FORGERIES = {
    "wrong audience": {"aud": "someone-else"},
    "several audiences without azp": {"aud": [CLIENT_ID, "someone-else"]},
    "wrong issuer": {"iss": "https://evil.example"},
    "wrong nonce": {"nonce": "replayed-nonce"},
    "no nonce": {"nonce": None},
    "expired": {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
    "no expiry": {"exp": None},
    "no subject": {"sub": None},
}


@pytest.mark.parametrize("changes", FORGERIES.values(), ids=FORGERIES.keys())
async def test_a_forged_or_stale_token_is_refused(
    provider: ScriptedProvider,
    http: httpx.AsyncClient,
    target: SsoTarget,
    settings: Settings,
    changes: dict[str, Any],
) -> None:
    started = await _begin(target, http, settings)
    provider.id_token = provider.sign(provider.claims(started.pending.nonce, **changes))

    with pytest.raises(SsoError) as refused:
        await _finish(target, http, settings, started)

    assert (refused.value.status, refused.value.code) == (400, "SSO_ID_TOKEN_INVALID")


async def test_a_token_signed_by_another_key_is_refused(
    provider: ScriptedProvider, http: httpx.AsyncClient, target: SsoTarget, settings: Settings
) -> None:
    started = await _begin(target, http, settings)
    stranger = RSAKey.generate_key(2048, parameters={"kid": str(provider.key.kid)})
    provider.id_token = provider.sign(provider.claims(started.pending.nonce), key=stranger)

    with pytest.raises(SsoError) as refused:
        await _finish(target, http, settings, started)

    assert refused.value.code == "SSO_ID_TOKEN_INVALID"


def _b64(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("alg", ["none", "HS256"])
async def test_unsigned_and_shared_secret_tokens_are_refused(
    provider: ScriptedProvider,
    http: httpx.AsyncClient,
    target: SsoTarget,
    settings: Settings,
    alg: str,
) -> None:
    started = await _begin(target, http, settings)
    claims = provider.claims(started.pending.nonce)
    if alg == "none":
        header, payload = ({"alg": "none"}, claims)
        provider.id_token = ".".join([_b64(header), _b64(payload), ""])
    else:
        provider.id_token = jwt.encode(
            {"alg": "HS256"}, claims, OctKey.import_key(CLIENT_SECRET), algorithms=["HS256"]
        )

    with pytest.raises(SsoError) as refused:
        await _finish(target, http, settings, started)

    assert refused.value.code == "SSO_ID_TOKEN_INVALID"


async def test_rotated_keys_are_fetched_again(
    provider: ScriptedProvider, http: httpx.AsyncClient, target: SsoTarget, settings: Settings
) -> None:
    started = await _begin(target, http, settings)
    provider.id_token = provider.sign(provider.claims(started.pending.nonce))
    await _finish(target, http, settings, started)  # caches the first key set
    provider.key = RSAKey.generate_key(2048, auto_kid=True)
    provider.published = [provider.key]

    started = await _begin(target, http, settings)
    provider.id_token = provider.sign(provider.claims(started.pending.nonce))

    assert (await _finish(target, http, settings, started)).email == "alice@contoso.example"


async def test_a_refused_code_and_a_failing_provider_are_told_apart(
    provider: ScriptedProvider, http: httpx.AsyncClient, target: SsoTarget, settings: Settings
) -> None:
    started = await _begin(target, http, settings)

    provider.token_status = 400
    with pytest.raises(SsoError) as rejected:
        await _finish(target, http, settings, started)
    provider.token_status = 503
    with pytest.raises(SsoError) as unavailable:
        await _finish(target, http, settings, started)

    assert (rejected.value.status, rejected.value.code) == (400, "SSO_CODE_REJECTED")
    assert (unavailable.value.status, unavailable.value.code) == (502, "SSO_PROVIDER_UNAVAILABLE")


async def test_a_discovery_document_for_another_issuer_is_refused(
    provider: ScriptedProvider, http: httpx.AsyncClient, target: SsoTarget, settings: Settings
) -> None:
    provider.discovery_issuer = "https://evil.example"

    with pytest.raises(SsoError) as refused:
        await _begin(target, http, settings)

    assert (refused.value.status, refused.value.code) == (502, "SSO_PROVIDER_MISCONFIGURED")
