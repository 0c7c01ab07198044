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
from typing import IO

import httpx
from sqlalchemy.engine import URL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(
    process: subprocess.Popen[bytes],
    url: str,
    *,
    deadline: float,
    failure: str,
    pause: float = 0.2,
) -> None:
    """Until a GET of `url` answers 200; RuntimeError(`failure`) once the process has ended or
    `deadline` (a time.monotonic()) has passed."""
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(failure)
        time.sleep(pause)


@contextmanager
def serve_in_subprocess(
    owner_url: URL,
    *,
    env: dict[str, str] | None = None,
    log_path: Path | None = None,
    args: Sequence[str] = (),
) -> Iterator[str]:
    """Start a server on an existing (migrated) database; yields its base URL. `args` go to
    `mutual serve` after `--no-seed --port N` (`--no-worker`, say)."""
    with serve_in_subprocesses(owner_url, env=env, log_paths=[log_path], args=args) as (url,):
        yield url


@contextmanager
def serve_in_subprocesses(
    owner_url: URL,
    *,
    env: dict[str, str] | None = None,
    log_paths: Sequence[Path | None],
    args: Sequence[str] = (),
) -> Iterator[list[str]]:
    """As `serve_in_subprocess`, one server for each of `log_paths`, all starting at once
    (a start is mostly imports: several take hardly longer than one); yields their URLs."""
    servers: list[tuple[subprocess.Popen[bytes], str, Path | None, IO[str] | None]] = []
    try:
        for log_path in log_paths:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            child_env = {
                **os.environ,
                "DATABASE_URL": owner_url.render_as_string(hide_password=False),
                "MUTUAL_PUBLIC_URL": url,
                **(env or {}),
            }
            log: IO[str] | None = None
            if log_path:
                # .mutual/ exists only once an embedded server ran: not with DATABASE_URL on a
                # new clone.
                log_path.parent.mkdir(parents=True, exist_ok=True)
                log = open(log_path, "w")  # noqa: SIM115
            command = [sys.executable, "-m", "mutual.cli", "serve", "--no-seed"]
            process = subprocess.Popen(
                [*command, "--port", str(port), *args],
                env=child_env,
                stdout=log or subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
            servers.append((process, url, log_path, log))
        # A minute a server, as when they started one after the other (a busy machine is slow).
        deadline = time.monotonic() + 60 * len(servers)
        for process, url, log_path, _log in servers:
            wait_until_up(
                process,
                f"{url}/readyz",
                deadline=deadline,
                failure=f"the server did not start (log: {log_path})",
            )
        yield [url for _process, url, _path, _log in servers]
    finally:
        for process, _url, _path, _log in servers:
            process.terminate()
        for process, _url, _path, log_file in servers:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            if log_file is not None:
                log_file.close()
