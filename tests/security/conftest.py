"""A `mutual serve` process in production mode (limits on, no introspection, no suggestions),
as the bench runs it locally: plain http, so MUTUAL_ALLOW_INSECURE=1."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import URL

from mutual.config import REPO_ROOT
from mutual.devserver import serve_in_subprocess
from tests.conftest import LiveServer, _worker

PRODUCTION_ENV = {
    "MUTUAL_ENV": "production",
    "MUTUAL_ALLOW_INSECURE": "1",
    "MUTUAL_LOGIN_MAX_FAILURES_PER_IP": "1000",
}


@pytest.fixture(scope="session")
def production_server(owner_url: URL) -> Iterator[LiveServer]:
    """Tests that use it also request `world`, so the data is fresh."""
    log_path = REPO_ROOT / ".mutual" / f"production-server-{_worker()}-{os.getpid()}.log"
    # No job worker: it would take the jobs other tests of this process defer and run them
    # with its own notice sinks, for the rest of the session.
    args = ("--no-worker",)
    with serve_in_subprocess(owner_url, env=PRODUCTION_ENV, log_path=log_path, args=args) as url:
        yield LiveServer(url=url, owner_url=owner_url)
