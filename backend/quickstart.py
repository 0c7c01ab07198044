#!/usr/bin/env python3
"""The README's two commands, needing nothing but Python 3.11+:

    python3 backend/quickstart.py serve   # install, embedded PostgreSQL, demo data, portal :8000
    python3 backend/quickstart.py test    # install test needs (Debian chromium too), run all

It creates .venv/ beside the repository, installs the project into it (again only when
pyproject.toml changed), and runs the `mutual` command or the checks from there.
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


def step(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True, env=env)


def ensure_venv(extra: str | None) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - said plainly to users of an older Python
        sys.exit(f"Mutual needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not (BIN / "python").exists():
        step(f"Creating {VENV}")
        run(sys.executable, "-m", "venv", VENV)
    spec = f".[{extra}]" if extra else "."
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + spec.encode()).hexdigest()
    stamp = VENV / f".installed-{digest[:16]}"
    if stamp.exists():
        return
    step(f"Installing Mutual ({spec}) into .venv")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "-e", spec)
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.touch()


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
    ensure_venv(None)
    os.execv(str(BIN / "mutual"), [str(BIN / "mutual"), "serve", *args])
    return 0  # not reached


def test(args: list[str]) -> int:
    started = time.monotonic()
    ensure_venv("test")
    ensure_chromium()
    checks: list[tuple[str, list[str | Path]]] = [
        ("ruff", [BIN / "ruff", "check", "backend", "tests", "bench", "migrations"]),
        ("mypy --strict", [BIN / "mypy"]),
        ("schema/schema.graphql matches the code", [BIN / "mutual", "export-schema", "--check"]),
        ("pytest", [BIN / "pytest", "-n", "2", "--dist", "loadfile", *args]),
    ]
    failed: list[str] = []
    for name, command in checks:
        step(name)
        if subprocess.run([str(c) for c in command], cwd=ROOT).returncode != 0:
            failed.append(name)
    elapsed = time.monotonic() - started
    if failed:
        print(f"\nFAILED: {', '.join(failed)} ({elapsed:.0f} s)")
        return 1
    print(f"\nAll checks passed ({elapsed:.0f} s).")
    return 0


def main() -> int:
    commands = {"serve": serve, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    raise SystemExit(main())
