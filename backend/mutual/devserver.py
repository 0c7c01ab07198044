"""`mutual serve` in a child process on a free port: for tests and benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy.engine import URL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_in_subprocess(
    owner_url: URL,
    *,
    env: dict[str, str] | None = None,
    log_path: Path | None = None,
    args: Sequence[str] = (),
) -> Iterator[str]:
    """Start a server on an existing (migrated) database; yields its base URL. `args` go to
    `mutual serve` after `--no-seed --port N --workers 1` (`--no-worker`, `--workers 2`, say):
    one process unless asked, whatever MUTUAL_ENV's default (the bench measures one process)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    child_env = {
        **os.environ,
        "DATABASE_URL": owner_url.render_as_string(hide_password=False),
        "MUTUAL_PUBLIC_URL": url,
        **(env or {}),
    }
    if log_path:
        # .mutual/ exists only once an embedded server ran: not with DATABASE_URL on a new clone.
        log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "w") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mutual.cli",
            "serve",
            "--no-seed",
            "--port",
            str(port),
            "--workers",
            "1",
            *args,
        ],
        env=child_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # Generous: on a loaded 2-core machine `--workers 2` took over a minute to start (each
        # process imports the application anew); a server that fails exits, seen at once.
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start (log: {log_path})")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if log_path:
            log.close()  # type: ignore[union-attr]
