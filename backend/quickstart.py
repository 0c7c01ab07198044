#!/usr/bin/env python3
"""The README's two commands, needing nothing but Python 3.11+:

    python3 backend/quickstart.py serve   # install, embedded PostgreSQL, demo data, portal :8000
    python3 backend/quickstart.py test    # install test needs (Debian chromium too), run all
    python3 backend/quickstart.py lock [--upgrade]   # write requirements/*.txt again

It creates .venv/ beside the repository, installs the locked dependencies into it with their
hashes checked (requirements/serve.txt, or requirements/test.txt for the tests; again only when
the lock or pyproject.toml changed), then Mutual itself, and runs the `mutual` command or the
checks from there. `lock` resolves pyproject.toml's pins again with uv (from the test lock);
`--upgrade` also moves every unpinned dependency to its newest release.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
CHROMIUM = Path("/usr/bin/chromium")
LOCKS = ROOT / "requirements"
# The tests run again with graphql-core's standard executor (MUTUAL_EXECUTOR=standard): the API
# tests, i.e. tests/graphql, tests/security, tests/perf and the tests of every domain, but for
# those of sign-in (password, SSO) and the SDL file, which answer no GraphQL of their own ...
API_TESTS = ("graphql", "security", "perf")
NOT_API = ("auth/test_login.py", "auth/test_sso.py", "auth/test_sso_tokens.py")
NOT_API += ("graphql/test_schema_file.py",)
# ... nor those of processes, production settings and the HTTP layer's limits (their servers
# answer the same under either executor), nor those that send no GraphQL at all.
NOT_API += (
    "feedback/test_two_servers.py", "notify/test_inbox_live.py", "notify/test_live_restart.py",
    "security/test_production_settings.py", "security/test_request_limits.py",
    "feedback/test_business_time.py", "notify/test_addresses.py", "notify/test_mailbox.py",
    "governance/reports/test_snapshot.py", "auth/test_expired_sessions.py",
    "kpis/test_kpi_evidence.py",
)  # fmt: skip


def step(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def ensure_venv(lock: str) -> None:
    """.venv with exactly the lock's packages (hash-checked), then Mutual itself, editable."""
    if sys.version_info < (3, 11):  # noqa: UP036 - said plainly to users of an older Python
        sys.exit(f"Mutual needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        step(f"Creating {VENV}")
        run(sys.executable, "-m", "venv", VENV)
    lock_file = LOCKS / f"{lock}.txt"
    digest = hashlib.sha256(
        lock_file.read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    ).hexdigest()
    stamp = VENV / f".installed-{lock}-{digest[:16]}"
    if stamp.exists():
        return
    step(f"Installing {lock_file.relative_to(ROOT)} (hashes checked) and Mutual into .venv")
    pip = (BIN / "python", "-m", "pip", "install", "--quiet")
    run(*pip, "--require-hashes", "-r", lock_file)
    # The lock holds the build backend (setuptools) too: nothing unhashed is fetched to build.
    run(*pip, "--no-deps", "--no-build-isolation", "-e", ".")
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.touch()


def lock(args: list[str]) -> int:
    """requirements/test.txt from pyproject.toml with the test extras, then serve.txt with the
    same versions: every package pinned with the hashes of all its files on the index."""
    if args not in ([], ["--upgrade"]):
        print(__doc__)
        return 2
    ensure_venv("test")  # uv comes from the current lock
    inputs = ("pyproject.toml", "requirements/install.in")
    common = ("--universal", "--python-version", "3.11", "--generate-hashes", "--quiet")
    command = ("--custom-compile-command", "python3 backend/quickstart.py lock")
    compile_ = (BIN / "uv", "pip", "compile", *inputs, *common, *command)
    step("Writing requirements/test.txt")
    run(*compile_, "--extra", "test", *args, "-o", "requirements/test.txt")
    step("Writing requirements/serve.txt (the versions of test.txt)")
    run(*compile_, "-c", "requirements/test.txt", "-o", "requirements/serve.txt")
    ensure_venv("test")
    return 0


def ensure_chromium() -> None:
    """The browser tests drive Debian's chromium (playwright cannot download its own here)."""
    if CHROMIUM.exists():
        return
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        sys.exit("The browser tests need Debian's chromium: run `sudo apt-get install chromium`.")
    step("Installing Debian chromium for the browser tests")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(apt, "update", "-q", env=env)
    run(apt, "install", "-y", "-q", "chromium", env=env)


def serve(args: list[str]) -> int:
    ensure_venv("serve")
    os.execv(str(BIN / "mutual"), [str(BIN / "mutual"), "serve", *args])
    return 0  # not reached


def test(args: list[str]) -> int:
    started = time.monotonic()
    ensure_venv("test")
    ensure_chromium()
    # The slowest tests are printed at the end: where to look when the run nears its limit.
    pytest = [BIN / "pytest", "-n", "2", "--dist", "loadfile", "--durations=15"]
    checks: list[tuple[str, list[str | Path], dict[str, str]]] = [
        ("ruff", [BIN / "ruff", "check", "backend", "tests", "bench", "migrations"], {}),
        ("mypy --strict", [BIN / "mypy"], {}),
        (
            "schema/schema.graphql matches the code",
            [BIN / "mutual", "export-schema", "--check"],
            {},
        ),
        ("pytest", [*pytest, *args], {}),
    ]
    if not args:  # a chosen test runs once
        checks.append(
            (
                "pytest of the API tests with MUTUAL_EXECUTOR=standard",
                [*pytest, *api_tests()],
                {"MUTUAL_EXECUTOR": "standard"},
            )
        )
    failed: list[str] = []
    for name, command, env in checks:
        step(name)
        started_check = time.monotonic()
        done = subprocess.run([str(c) for c in command], cwd=ROOT, env={**os.environ, **env})
        print(f"({time.monotonic() - started_check:.0f} s)", flush=True)
        if done.returncode != 0:
            failed.append(name)
    elapsed = time.monotonic() - started
    if failed:
        print(f"\nFAILED: {', '.join(failed)} ({elapsed:.0f} s)")
        return 1
    print(f"\nAll checks passed ({elapsed:.0f} s).")
    return 0


def api_tests() -> list[str]:
    """pytest's arguments for the API tests: tests/graphql, tests/security, tests/perf and
    tests/<domain> for every domain, less NOT_API."""
    domains = {p.name for p in (ROOT / "backend" / "mutual").iterdir() if p.is_dir()}
    folders = [p for p in sorted((ROOT / "tests").iterdir()) if (p / "__init__.py").exists()]
    chosen = [f"tests/{p.name}" for p in folders if p.name in domains or p.name in API_TESTS]
    return [*chosen, *(f"--ignore=tests/{path}" for path in NOT_API)]


def main() -> int:
    commands = {"serve": serve, "test": test, "lock": lock}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    raise SystemExit(main())
