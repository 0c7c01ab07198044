"""Every knob of Mutual in one place, from the environment (prefix MUTUAL_, and DATABASE_URL)."""

from __future__ import annotations

import ipaddress
import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]

# Signs the SSO login state; known to everyone who read this file, so refused in production.
DEVELOPMENT_SECRET_KEY = "dev-only-secret-change-me-in-production-0123456789"
MIN_SECRET_KEY_LENGTH = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUAL_", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    # Owner connection (migrations, seed); unset means an embedded PostgreSQL under data_dir.
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    database_name: str = "mutual"
    app_db_role: str = "mutual_app"
    app_db_password: str = "mutual-app-local"
    db_pool_size: int = 10
    data_dir: Path = REPO_ROOT / ".mutual"

    host: str = "127.0.0.1"
    port: int = 8000
    # Processes of `mutual serve` on its one port (its --workers); unset: one per core in
    # production, one in development and tests (a debugger and the logs see every request).
    workers: int | None = Field(default=None, ge=1)
    # Where the processes of one server keep the per-principal cost budget (files, locked with
    # flock): `mutual serve --workers N` makes a directory of its own unless this is set. Unset
    # in one process, the budget is kept in that process's memory.
    budget_dir: Path | None = None
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str = DEVELOPMENT_SECRET_KEY
    # Production refuses the development defaults (secret key, a public URL that is not https)
    # unless this is set: for local runs of production mode (the bench, tests), never deployments.
    allow_insecure: bool = False
    # The key that seals secrets stored in the database (OIDC client secrets, kit/sealing.py);
    # unset, one is derived from secret_key. Changing it makes the stored secrets unreadable.
    data_key: str | None = None

    session_cookie: str = "mutual_session"
    session_hours: int = 12
    # Unset: Secure in production behind its https public URL, not otherwise.
    cookie_secure: bool | None = None

    # Failed sign-ins: an account is refused to one source (client address) after this many
    # failures from it, each within the window of the previous, until the window has passed
    # since the last; a source is refused for every account after the per-IP count.
    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 30
    login_window_minutes: int = 15
    # Proxies whose X-Forwarded-For is believed (addresses or CIDR networks, comma-separated or
    # a JSON list); without any, the client address is the TCP peer's, whatever headers say.
    trusted_proxies: Annotated[list[str], NoDecode] = []

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            stripped = value.strip()
            if stripped.startswith("["):
                return json.loads(stripped)
            return [part.strip() for part in stripped.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: list[str]) -> list[str]:
        for network in value:
            ipaddress.ip_network(network, strict=False)  # a ValueError names the bad entry
        return value

    invitation_days: int = 14

    # OIDC single sign-on: how long a started login may take, and how long provider metadata
    # (discovery document, JWKS) is reused before it is fetched again.
    sso_pending_cookie: str = "mutual_sso"
    sso_pending_minutes: int = 10
    sso_http_timeout_seconds: float = 10.0
    sso_metadata_cache_seconds: int = 3600

    # The largest request body (and WebSocket message) accepted; larger ones get a 413.
    max_body_bytes: int = 1024 * 1024
    # Live updates: the LISTEN connection reconnects after a loss with a backoff doubling from
    # the first delay up to the last; it is checked with a query this often, so a connection
    # that died silently is noticed too. Each subscription checks its caller's access again
    # this often, besides whenever the database announces a change of that user's access.
    live_reconnect_first_seconds: float = 0.2
    live_reconnect_max_seconds: float = 10.0
    live_listener_check_seconds: float = 15.0
    live_access_check_seconds: float = 300.0

    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_cost: int = 5000
    principal_cost_per_minute: int = 60000
    max_page_size: int = 100

    # GraphQL execution: `fast` answers plain fields in one loop (graphql/execution.py);
    # `standard` is graphql-core's own, as strawberry runs it (to compare, or to trace fields).
    executor: Literal["fast", "standard"] = "fast"

    # The job queue (kit/jobs.py, kit/worker.py): jobs one worker runs at once; how often it
    # looks for due jobs when no notification woke it; after how long without a heartbeat a
    # job whose worker died is picked again. `task_modules`: modules (comma-separated) whose
    # TASKS a worker runs besides the domains' (local tools, tests). `task_every_seconds`: periodic
    # tasks run every so many seconds instead of on their own schedule (a JSON object of task
    # names; an aligned interval, as Task.every): a tighter SLA scan, say, or tests that wait
    # for a period.
    job_concurrency: int = Field(default=10, ge=1)
    job_poll_seconds: float = Field(default=30.0, gt=0)
    job_heartbeat_seconds: float = Field(default=30.0, gt=0)
    task_modules: str = ""
    task_every_seconds: dict[str, int] = {}

    # Notifications (notify/): email through SMTP (no host: no email is sent, the inbox still
    # fills); webhooks: how long a receiver may take, how many failed deliveries in a row
    # disable an endpoint, and whether endpoints may point at private, loopback or link-local
    # addresses (refused unless set: SSRF; local receivers in tests and the bench).
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "Mutual <notifications@mutual.invalid>"
    webhook_timeout_seconds: float = 10.0
    webhook_disable_after_failures: int = Field(default=15, ge=1)
    webhook_allow_private_addresses: bool = False

    @property
    def is_development(self) -> bool:
        return self.env == "development"

    @property
    def secure_cookies(self) -> bool:
        """Whether the session and SSO cookies carry the Secure attribute."""
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.env == "production" and urlsplit(self.public_url).scheme == "https"


class InsecureConfiguration(Exception):
    """Production settings left at their development defaults: the process does not start."""


def production_refusals(settings: Settings) -> list[str]:
    """What keeps these settings from running in production (nothing outside production, or
    with MUTUAL_ALLOW_INSECURE=1)."""
    if settings.env != "production" or settings.allow_insecure:
        return []
    refusals = []
    if settings.secret_key == DEVELOPMENT_SECRET_KEY:
        refusals.append("MUTUAL_SECRET_KEY is unset: the built-in development key is public.")
    elif len(settings.secret_key) < MIN_SECRET_KEY_LENGTH:
        refusals.append(f"MUTUAL_SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters.")
    url = urlsplit(settings.public_url)
    if url.scheme != "https" or not url.hostname:
        refusals.append(
            f"MUTUAL_PUBLIC_URL is {settings.public_url!r}: production needs the public https:// "
            "address browsers use (session cookies are Secure there)."
        )
    if settings.cookie_secure is False:
        refusals.append("MUTUAL_COOKIE_SECURE is off: session cookies would travel in clear.")
    return refusals


def check_production(settings: Settings) -> None:
    """Raise InsecureConfiguration, saying what to set, when production_refusals finds any."""
    refusals = production_refusals(settings)
    if refusals:
        raise InsecureConfiguration(
            "Refusing to start with MUTUAL_ENV=production:\n"
            + "".join(f"  - {refusal}\n" for refusal in refusals)
            + "Set them (a secret key: python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'), or MUTUAL_ALLOW_INSECURE=1 to run production "
            "mode locally anyway (benchmarks, tests; never a deployment)."
        )


@lru_cache
def get_settings() -> Settings:
    return Settings()
