"""A revision runs the same SQL whenever it runs: it imports nothing from the application
(which keeps changing) but alembic, SQLAlchemy, the standard library and the frozen helpers in
migrations/helpers/, whose modules are never edited once a revision uses them."""

from __future__ import annotations

import ast
import hashlib
from pathlib import Path

import pytest

from mutual.config import REPO_ROOT

MIGRATIONS = REPO_ROOT / "migrations"
REVISIONS = sorted((MIGRATIONS / "versions").glob("*.py"))
HELPERS = sorted((MIGRATIONS / "helpers").glob("*.py"))

# A helper changes by becoming a new module (rls_v2.py), never by an edit: revisions that ran
# with the old SQL must run it again on a new database.
FROZEN = {
    "rls_v1.py": "bd558958f3378e8ae6d1eb0142a147c2f1c3b868f1c7ad238f9b769b42bef691",
}


def imported_modules(source: str) -> set[str]:
    """Every module a Python source imports, at any depth (functions included)."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or ""))
    return modules


def application_imports(source: str) -> set[str]:
    return {m for m in imported_modules(source) if m == "mutual" or m.startswith("mutual.")}


def test_the_checks_see_every_revision_and_helper() -> None:
    assert len(REVISIONS) >= 4
    assert {path.name for path in HELPERS} >= {"rls_v1.py"}


@pytest.mark.parametrize("path", [*REVISIONS, *HELPERS], ids=lambda path: path.name)
def test_imports_nothing_from_the_application(path: Path) -> None:
    assert application_imports(path.read_text()) == set()
    # Relative imports would depend on how alembic happens to load the file.
    assert not {m for m in imported_modules(path.read_text()) if m.startswith(".")}


def test_an_application_import_is_caught() -> None:
    source = (
        "from alembic import op\n"
        "import mutual.kit.rls\n"
        "def upgrade():\n"
        "    from mutual.kit import rls\n"
    )
    assert application_imports(source) == {"mutual.kit.rls", "mutual.kit"}


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_helpers_are_frozen(name: str) -> None:
    digest = hashlib.sha256((MIGRATIONS / "helpers" / name).read_bytes()).hexdigest()
    assert digest == FROZEN[name], f"{name} changed: add a new versioned helper instead"


def test_every_helper_is_frozen() -> None:
    assert {path.name for path in HELPERS} - {"__init__.py"} == set(FROZEN)
