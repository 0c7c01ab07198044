"""Every knob of Mutual in one place, from the environment (prefix MUTUAL_, and DATABASE_URL)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


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
    public_url: str = "http://127.0.0.1:8000"
    secret_key: str = "dev-only-secret-change-me-in-production-0123456789"

    session_cookie: str = "mutual_session"
    session_hours: int = 12
    cookie_secure: bool = False

    login_max_failures_per_account: int = 5
    login_max_failures_per_ip: int = 30
    login_window_minutes: int = 15

    invitation_days: int = 14

    # OIDC single sign-on: how long a started login may take, and how long provider metadata
    # (discovery document, JWKS) is reused before it is fetched again.
    sso_pending_cookie: str = "mutual_sso"
    sso_pending_minutes: int = 10
    sso_http_timeout_seconds: float = 10.0
    sso_metadata_cache_seconds: int = 3600

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
    # TASKS a worker runs besides the domains' (local tools, tests).
    job_concurrency: int = Field(default=10, ge=1)
    job_poll_seconds: float = Field(default=30.0, gt=0)
    job_heartbeat_seconds: float = Field(default=30.0, gt=0)
    task_modules: str = ""

    @property
    def is_development(self) -> bool:
        return self.env == "development"


@lru_cache
def get_settings() -> Settings:
    return Settings()
