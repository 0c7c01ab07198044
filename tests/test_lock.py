"""requirements/serve.txt and test.txt, which quickstart installs with --require-hashes, are
the lock of pyproject.toml as it is: every pin there, the same versions in both, hashes for all."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from mutual.config import REPO_ROOT

ENTRY = re.compile(
    r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)(?: ;[^\\\n]*)? \\\n"  # name==version ; marker \
    r"((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)",  # and its hashes
    re.M,
)


def _lock(name: str) -> dict[str, tuple[str, int]]:
    """package -> (version, number of hashes), failing on any line that is not an entry."""
    text = (REPO_ROOT / "requirements" / f"{name}.txt").read_text()
    entries = {canonicalize_name(m[1]): (m[2], m[3].count("--hash=")) for m in ENTRY.finditer(text)}
    rest = [line for line in ENTRY.sub("", text).splitlines() if not line.lstrip().startswith("#")]
    assert rest == [], rest
    return entries


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for line in requirements:
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", line
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def test_the_locks_hold_pyprojects_pins_with_hashes() -> None:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    runtime = _pins(project["dependencies"])
    test_only = _pins(project["optional-dependencies"]["test"])
    serve, test = _lock("serve"), _lock("test")

    assert {name: serve[name][0] for name in runtime} == runtime
    assert {name: test[name][0] for name in runtime | test_only} == runtime | test_only
    assert not set(test_only) & set(serve)  # serving installs no test tool
    assert {name: test[name] for name in serve} == serve  # the same versions in both
    assert min(hashes for _, hashes in [*serve.values(), *test.values()]) >= 1
    assert "graphql-core" in runtime
    # quickstart builds Mutual with --no-build-isolation: the build backend is locked too
    (backend,) = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["build-system"][
        "requires"
    ]
    for lock in (serve, test):
        assert Requirement(backend).specifier.contains(lock["setuptools"][0])
        assert "pip" in lock


def _imported_top_levels() -> set[str]:
    """The top-level modules the application's code imports (every import statement)."""
    found: set[str] = set()
    for path in (REPO_ROOT / "backend" / "mutual").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def test_what_the_application_imports_is_in_the_serve_lock() -> None:
    # `quickstart.py serve` installs serve.txt only: a module the application imports from a
    # test-only package (pypdf once) would fail there, not in the tests.
    served = set(_lock("serve"))
    distributions = packages_distributions()
    missing = {
        module: distributions[module]
        for module in _imported_top_levels() - set(sys.stdlib_module_names) - {"mutual"}
        if not any(canonicalize_name(d) in served for d in distributions.get(module, []))
    }
    assert missing == {}, missing
