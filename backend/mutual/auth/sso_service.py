"""OIDC single sign-on per organization: authorization code flow with PKCE, state and nonce.

The rules live here; the routes in `auth/sso.py` only move values between the browser and
these functions. Provider calls happen outside any database transaction.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import is_secure_transport
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.discovery import OpenIDProviderMetadata, get_well_known_url
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from sqlalchemy.ext.asyncio import AsyncSession

from mutual.auth import repository
from mutual.auth.models import OidcProvider
from mutual.auth.service import NewSession, start_session
from mutual.config import Settings
from mutual.kit.sealing import SealError, data_key, seal, unseal
from mutual.tenancy.models import Organization, User
from mutual.tenancy.repository import organization_by_slug

SCOPE = "openid email profile"
CALLBACK_PATH = "/auth/sso/callback"
# Asymmetric signatures only: "none" and HMAC with the client secret are never accepted.
SIGNING_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
CLOCK_LEEWAY_SECONDS = 60
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+")

log = logging.getLogger(__name__)


class SsoError(Exception):
    """A refused or failed sign-in; `code` is shown to the user, nothing has been written."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _unavailable(issuer: str, reason: object) -> SsoError:
    log.warning("OIDC provider %s unavailable: %s", issuer, reason)
    return SsoError(
        502,
        "SSO_PROVIDER_UNAVAILABLE",
        f"Your organization's identity provider ({issuer}) could not be reached. Try again later.",
    )


def _misconfigured(issuer: str, reason: object) -> SsoError:
    log.warning("OIDC provider %s misconfigured: %s", issuer, reason)
    return SsoError(
        502,
        "SSO_PROVIDER_MISCONFIGURED",
        f"Your organization's identity provider ({issuer}) is not set up correctly for Mutual. "
        "Ask your administrator.",
    )


@dataclass(frozen=True)
class SsoEntry:
    slug: str
    name: str


@dataclass(frozen=True)
class SsoTarget:
    """An organization with an enabled provider, ready for a login."""

    organization: Organization
    provider: OidcProvider


@dataclass(frozen=True)
class PendingLogin:
    """What the browser keeps (signed) between the start and the callback."""

    organization_id: uuid.UUID
    state: str
    nonce: str
    code_verifier: str


@dataclass(frozen=True)
class StartedLogin:
    authorize_url: str
    pending: PendingLogin


@dataclass(frozen=True)
class VerifiedIdentity:
    """What a valid ID token of the organization's provider says about the person."""

    organization_id: uuid.UUID
    issuer: str
    subject: str
    email: str
    display_name: str


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    signing_algorithms: tuple[str, ...]


class ProviderDirectory:
    """Discovery documents and key sets per issuer, fetched once and reused for a while."""

    def __init__(self) -> None:
        self._metadata: dict[str, tuple[float, ProviderMetadata]] = {}
        self._keys: dict[str, tuple[float, KeySet]] = {}

    async def metadata(
        self, http: httpx.AsyncClient, issuer: str, *, max_age: float
    ) -> ProviderMetadata:
        cached = self._metadata.get(issuer)
        if cached is not None and time.monotonic() - cached[0] < max_age:
            return cached[1]
        document = await _get_json(http, get_well_known_url(issuer, external=True), issuer)
        metadata = _parse_metadata(document, issuer)
        self._metadata[issuer] = (time.monotonic(), metadata)
        return metadata

    async def keys(
        self, http: httpx.AsyncClient, metadata: ProviderMetadata, *, max_age: float, refresh: bool
    ) -> KeySet:
        cached = self._keys.get(metadata.jwks_uri)
        if not refresh and cached is not None and time.monotonic() - cached[0] < max_age:
            return cached[1]
        document = await _get_json(http, metadata.jwks_uri, metadata.issuer)
        try:
            keys = KeySet.import_key_set(document)  # type: ignore[arg-type]
        except (JoseError, KeyError, TypeError, ValueError) as error:
            raise _misconfigured(metadata.issuer, f"unusable JWKS: {error!r}") from error
        self._keys[metadata.jwks_uri] = (time.monotonic(), keys)
        return keys


directory = ProviderDirectory()


async def _get_json(http: httpx.AsyncClient, url: str, issuer: str) -> dict[str, Any]:
    try:
        response = await http.get(url, headers={"accept": "application/json"})
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise _unavailable(issuer, f"GET {url}: {error!r}") from error
    if not isinstance(body, dict):
        raise _misconfigured(issuer, f"GET {url} is not a JSON object")
    return body


def _parse_metadata(document: dict[str, Any], issuer: str) -> ProviderMetadata:
    metadata = OpenIDProviderMetadata(document)
    try:
        metadata.validate()
    except ValueError as error:
        raise _misconfigured(issuer, f"discovery document: {error}") from error
    # OIDC Discovery §4.3: the issuer in the document is the one we asked.
    if str(metadata["issuer"]).rstrip("/") != issuer.rstrip("/"):
        raise _misconfigured(issuer, f"discovery names another issuer, {metadata['issuer']}")
    endpoints = [metadata.get(k) for k in ("authorization_endpoint", "token_endpoint", "jwks_uri")]
    if not all(isinstance(url, str) and is_secure_transport(url) for url in endpoints):
        raise _misconfigured(issuer, f"endpoints must use https: {endpoints}")
    advertised = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    algorithms = tuple(a for a in advertised if a in SIGNING_ALGORITHMS)
    if not algorithms:
        raise _misconfigured(issuer, f"no acceptable ID token algorithm in {advertised}")
    return ProviderMetadata(
        issuer=str(metadata["issuer"]),
        authorization_endpoint=str(endpoints[0]),
        token_endpoint=str(endpoints[1]),
        jwks_uri=str(endpoints[2]),
        signing_algorithms=algorithms,
    )


def redirect_uri(settings: Settings) -> str:
    return settings.public_url.rstrip("/") + CALLBACK_PATH


async def list_providers(session: AsyncSession) -> list[SsoEntry]:
    return [SsoEntry(slug, name) for slug, name in await repository.sso_directory(session)]


async def target_by_slug(session: AsyncSession, *, slug: str) -> SsoTarget:
    """The organization to sign in with; unknown and disabled look the same (404)."""
    found = await repository.sso_organization(session, slug=slug)
    if found is None or not found[1].enabled:
        raise SsoError(
            404, "SSO_UNKNOWN_ORGANIZATION", "No organization with single sign-on has this name."
        )
    return SsoTarget(organization=found[0], provider=found[1])


async def target_by_id(session: AsyncSession, *, organization_id: uuid.UUID) -> SsoTarget:
    found = await repository.sso_organization(session, organization_id=organization_id)
    if found is None or not found[1].enabled:
        raise SsoError(
            403,
            "SSO_PROVIDER_DISABLED",
            "Single sign-on is no longer enabled for this organization.",
        )
    return SsoTarget(organization=found[0], provider=found[1])


async def begin_login(
    target: SsoTarget, *, http: httpx.AsyncClient, settings: Settings
) -> StartedLogin:
    """The provider's authorization URL, and the secrets the callback will need."""
    provider = target.provider
    metadata = await directory.metadata(
        http, provider.issuer, max_age=settings.sso_metadata_cache_seconds
    )
    pending = PendingLogin(
        organization_id=target.organization.id,
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        code_verifier=secrets.token_urlsafe(64),
    )
    url = prepare_grant_uri(
        metadata.authorization_endpoint,
        client_id=provider.client_id,
        response_type="code",
        redirect_uri=redirect_uri(settings),
        scope=SCOPE,
        state=pending.state,
        nonce=pending.nonce,
        code_challenge=create_s256_code_challenge(pending.code_verifier),
        code_challenge_method="S256",
    )
    return StartedLogin(authorize_url=str(url), pending=pending)


def check_callback(
    pending: PendingLogin | None, params: Mapping[str, str]
) -> tuple[PendingLogin, str]:
    """The pending login and the code, once the callback is known to answer our own request."""
    if pending is None:
        raise SsoError(
            400,
            "SSO_STATE_MISSING",
            "This sign-in was not started in this browser or took too long. Start again.",
        )
    state = params.get("state", "")
    if not state or not secrets.compare_digest(state.encode(), pending.state.encode()):
        raise SsoError(
            400,
            "SSO_STATE_MISMATCH",
            "The answer of the identity provider does not belong to this sign-in. Start again.",
        )
    if params.get("error"):
        raise SsoError(403, "SSO_DENIED", "The identity provider did not sign you in.")
    code = params.get("code", "")
    if not code:
        raise SsoError(400, "SSO_CODE_MISSING", "The identity provider sent no authorization code.")
    return pending, code


async def verify_identity(
    target: SsoTarget,
    *,
    pending: PendingLogin,
    code: str,
    http: httpx.AsyncClient,
    settings: Settings,
) -> VerifiedIdentity:
    """Exchange the code (with the PKCE verifier) and validate the ID token it returns."""
    provider = target.provider
    max_age = settings.sso_metadata_cache_seconds
    metadata = await directory.metadata(http, provider.issuer, max_age=max_age)
    id_token = await _exchange_code(
        http, metadata, provider, code=code, code_verifier=pending.code_verifier, settings=settings
    )
    claims = await _validate_id_token(
        http,
        metadata,
        id_token,
        client_id=provider.client_id,
        nonce=pending.nonce,
        max_age=max_age,
    )
    return _identity_for(target.organization, claims)


async def _exchange_code(
    http: httpx.AsyncClient,
    metadata: ProviderMetadata,
    provider: OidcProvider,
    *,
    code: str,
    code_verifier: str,
    settings: Settings,
) -> str:
    try:
        client_secret = unseal(
            data_key(settings),
            provider.client_secret_encrypted,
            purpose=client_secret_purpose(provider.organization_id),
        )
    except SealError as error:
        raise _misconfigured(metadata.issuer, f"stored client secret: {error}") from error
    try:
        response = await http.post(
            metadata.token_endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri(settings),
                "code_verifier": code_verifier,
            },
            # client_secret_basic, the default method of OIDC and RFC 6749 §2.3.1.
            auth=httpx.BasicAuth(provider.client_id, client_secret),
            headers={"accept": "application/json"},
        )
    except httpx.HTTPError as error:
        raise _unavailable(metadata.issuer, f"token endpoint: {error!r}") from error
    if 400 <= response.status_code < 500:
        log.info(
            "OIDC token endpoint of %s refused the code: %.200s", metadata.issuer, response.text
        )
        raise SsoError(
            400,
            "SSO_CODE_REJECTED",
            "The identity provider refused the sign-in code (used twice or expired). Start again.",
        )
    try:
        response.raise_for_status()
        body = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise _unavailable(metadata.issuer, f"token endpoint: {error!r}") from error
    id_token = body.get("id_token") if isinstance(body, dict) else None
    if not isinstance(id_token, str) or not id_token:
        raise SsoError(400, "SSO_ID_TOKEN_INVALID", "The identity provider sent no ID token.")
    return id_token


async def _validate_id_token(
    http: httpx.AsyncClient,
    metadata: ProviderMetadata,
    id_token: str,
    *,
    client_id: str,
    nonce: str,
    max_age: float,
) -> dict[str, Any]:
    invalid = SsoError(
        400, "SSO_ID_TOKEN_INVALID", "The identity provider's ID token could not be verified."
    )
    keys = await directory.keys(http, metadata, max_age=max_age, refresh=False)
    try:
        try:
            token = jwt.decode(id_token, keys, algorithms=list(metadata.signing_algorithms))
        except InvalidKeyIdError:
            # The provider may have rotated its keys since we cached them.
            keys = await directory.keys(http, metadata, max_age=max_age, refresh=True)
            token = jwt.decode(id_token, keys, algorithms=list(metadata.signing_algorithms))
        jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY_SECONDS,
            iss={"essential": True, "value": metadata.issuer},
            aud={"essential": True, "value": client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError) as error:
        log.info("OIDC ID token from %s refused: %r", metadata.issuer, error)
        raise invalid from error
    claims = token.claims
    audience = claims["aud"]
    # OIDC Core §3.1.3.7: with several audiences, the authorized party must be us.
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != client_id:
        raise invalid
    return claims


def _identity_for(organization: Organization, claims: Mapping[str, Any]) -> VerifiedIdentity:
    email = claims.get("email")
    if not isinstance(email, str) or not EMAIL_PATTERN.fullmatch(email.strip()):
        raise SsoError(
            403, "SSO_EMAIL_MISSING", "The identity provider did not share your email address."
        )
    email = email.strip()
    verified = claims.get("email_verified")
    if verified is not True and verified != "true":
        raise SsoError(
            403,
            "SSO_EMAIL_UNVERIFIED",
            "Your identity provider has not verified your email address, so it cannot sign you in.",
        )
    local, domain = email.rsplit("@", 1)
    domain = domain.lower()
    email = f"{local}@{domain}"
    expected = (organization.email_domain or "").lower()
    if not expected or domain != expected:
        raise SsoError(
            403,
            "SSO_DOMAIN_MISMATCH",
            f"{organization.name} signs in addresses of its own domain only; {email} is not one.",
        )
    name = claims.get("name")
    display_name = name.strip()[:200] if isinstance(name, str) and name.strip() else ""
    return VerifiedIdentity(
        organization_id=organization.id,
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        email=email,
        display_name=display_name or local,
    )


async def sign_in(
    session: AsyncSession, *, identity: VerifiedIdentity, settings: Settings
) -> NewSession:
    """Find the user by their subject at the issuer (or, the first time, link or provision one
    by email), then open a session."""
    user = await repository.user_by_identity(
        session, issuer=identity.issuer, subject=identity.subject
    )
    if user is None:
        user = await _link_or_provision(session, identity)
    if user.organization_id != identity.organization_id:
        raise SsoError(
            403,
            "SSO_ACCOUNT_IN_OTHER_ORGANIZATION",
            "This identity belongs to an account of another organization.",
        )
    if not user.is_active:
        raise SsoError(403, "SSO_ACCOUNT_DISABLED", "This account has been deactivated.")
    return await start_session(session, user=user, settings=settings)


async def _link_or_provision(session: AsyncSession, identity: VerifiedIdentity) -> User:
    """A subject seen for the first time: the organization's user with this verified email
    (provisioned as a MEMBER without a password when there is none) is linked to it, unless
    that user is already linked to another subject of this issuer: then nothing is merged."""
    user = await repository.user_by_email(session, identity.email)
    if user is None:
        user = await repository.insert_sso_user(
            session,
            organization_id=identity.organization_id,
            email=identity.email,
            display_name=identity.display_name,
        )
        if user is None:  # a concurrent sign-in created it first
            user = await repository.user_by_email(session, identity.email)
    if user is None or user.organization_id != identity.organization_id:
        raise SsoError(
            403,
            "SSO_ACCOUNT_IN_OTHER_ORGANIZATION",
            f"The account {identity.email} belongs to another organization.",
        )
    if await repository.link_identity(
        session, issuer=identity.issuer, subject=identity.subject, user_id=user.id
    ):
        return user
    # Not linked: a concurrent sign-in of this subject did it (fine), or this user already has
    # another subject at the issuer, which the same email does not make the same person.
    linked = await repository.user_by_identity(
        session, issuer=identity.issuer, subject=identity.subject
    )
    if linked is not None and linked.id == user.id:
        return user
    raise SsoError(
        403,
        "SSO_IDENTITY_CONFLICT",
        f"The account {identity.email} is linked to another identity at your organization's "
        "identity provider, so this one cannot sign in to it. Ask your administrator.",
    )


def client_secret_purpose(organization_id: uuid.UUID) -> str:
    """What a sealed client secret is bound to: its column and its organization's row."""
    return f"oidc_provider.client_secret/{organization_id}"


class ConfigurationError(Exception):
    """The CLI's input cannot be stored."""


async def configure_provider(
    session: AsyncSession,
    *,
    slug: str,
    issuer: str | None,
    client_id: str | None,
    client_secret: str | None,
    enabled: bool,
    settings: Settings,
) -> OidcProvider:
    """Create or update an organization's provider; missing values keep the stored ones. The
    client secret is stored sealed with the data key."""
    organization = await organization_by_slug(session, slug)
    if organization is None:
        raise ConfigurationError(f"No organization with slug {slug!r}.")
    existing = await repository.oidc_provider(session, organization.id)
    issuer = issuer or (existing.issuer if existing else None)
    client_id = client_id or (existing.client_id if existing else None)
    if client_secret:
        sealed_secret: str | None = seal(
            data_key(settings), client_secret, purpose=client_secret_purpose(organization.id)
        )
    else:
        sealed_secret = existing.client_secret_encrypted if existing else None
    if not issuer or not client_id or not sealed_secret:
        raise ConfigurationError("Give --issuer, --client-id and --client-secret.")
    issuer = issuer.rstrip("/")
    if not is_secure_transport(issuer) or "?" in issuer or "#" in issuer:
        raise ConfigurationError(
            "The issuer must be an https URL without query or fragment (http only for localhost)."
        )
    if not organization.email_domain:
        raise ConfigurationError(
            f"{organization.name} has no email domain; single sign-on provisions by domain."
        )
    return await repository.upsert_oidc_provider(
        session,
        organization_id=organization.id,
        issuer=issuer,
        client_id=client_id,
        client_secret_encrypted=sealed_secret,
        enabled=enabled,
    )
