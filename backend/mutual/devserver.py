"""`mutual serve` in a child process on a free port: for tests and benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

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
    `mutual serve` after `--no-seed --port N --workers 1` (`--no-worker`, `--workers 2`, say):
    one process unless asked, whatever MUTUAL_ENV's default (the bench measures one process)."""
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
            command = [sys.executable, "-m", "mutual.cli", "serve", "--no-seed", "--workers", "1"]
            process = subprocess.Popen(
                [*command, "--port", str(port), *args],
                env=child_env,
                stdout=log or subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
            servers.append((process, url, log_path, log))
        # Generous: on a loaded 2-core machine a server took over a minute to start (a start is
        # mostly imports); one that fails exits, and that is seen at once.
        deadline = time.monotonic() + 180 + 60 * (len(servers) - 1)
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


# Which process of a `mutual serve --workers N` answers what, read from Linux's /proc: for the
# tests of several processes and the bench (each client there is one TCP connection).


def serve_pids(url: str) -> frozenset[int]:
    """The processes that run the application of the `mutual serve` listening at `url`: the
    one, or those its supervisor forked (`--workers N`; they share its command line)."""
    port = str(urlsplit(url).port).encode()
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if b"mutual.cli" in argv and b"serve" in argv and port in argv:
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    (supervisor,) = [pid for pid, parent in parents.items() if parent not in parents]
    children = frozenset(pid for pid, parent in parents.items() if parent == supervisor)
    return children or frozenset({supervisor})


def connection_holders(url: str, pids: Iterable[int]) -> dict[int, int]:
    """Established connections to the server at `url`: by the client's port, the process (of
    `pids`) holding the server's end."""
    port = urlsplit(url).port
    by_inode = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
            if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                by_inode[f"socket:[{inode}]"] = int(remote.rsplit(":", 1)[1], 16)
    holders = {}
    for pid in pids:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                client_port = by_inode.get(os.readlink(fd))
            except OSError:
                continue
            if client_port is not None:
                holders[client_port] = pid
    return holders


def client_port(response: httpx.Response) -> int:
    """The local port of the connection a response came over (httpx's network_stream)."""
    return int(response.extensions["network_stream"].get_extra_info("client_addr")[1])
