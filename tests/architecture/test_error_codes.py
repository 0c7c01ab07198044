"""Error codes are each domain's enum: every code a domain raises is a member of it, the shared
codes are in every enum, and an unknown code fails loudly instead of becoming INVALID."""

from __future__ import annotations

import ast
import enum
import importlib
from pathlib import Path

import pytest

from mutual.config import REPO_ROOT
from mutual.graphql.errors import SHARED_CODES, UnknownErrorCode, check_codes, to_user_errors
from mutual.kit.errors import DomainError
from mutual.roadmap.errors import RoadmapErrorCode
from mutual.roadmap.types import RoadmapError
from mutual.schema import DOMAIN_NAMES

PACKAGE = REPO_ROOT / "backend" / "mutual"
# Raised for every domain (the workspace checks, ids, kit): only shared codes.
EVERYONE = [PACKAGE / "kit", PACKAGE / "graphql", PACKAGE / "tenancy" / "workspace.py"]


def _raised_codes(paths: list[Path], *, skip: tuple[Path, ...] = ()) -> set[str]:
    """The first argument of every DomainError(...) call: a string, or Code.X / XErrorCode.X."""
    codes = set()
    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*.py")))]
    for path in files:
        if any(path.is_relative_to(s) for s in skip):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "DomainError"
                and node.args
            ):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant):
                codes.add(str(first.value))
            elif isinstance(first, ast.Attribute):
                codes.add(first.attr)
            else:
                codes.add(f"<not a literal at {path.name}:{node.lineno}>")
    return codes


def _code_enum(domain: str) -> type[enum.Enum] | None:
    path = PACKAGE / domain / "errors.py"
    if not path.exists():
        return None
    module = importlib.import_module(f"mutual.{domain.replace('/', '.')}.errors")
    (found,) = [
        v for k, v in vars(module).items() if k.endswith("ErrorCode") and isinstance(v, type)
    ]
    return found


# Each domain, and each part of one with its own error codes (governance/reports): the codes
# raised in a part are its enum's, those raised in the rest of the domain the domain's.
PARTS = [
    str(p.parent.relative_to(PACKAGE))
    for name in DOMAIN_NAMES
    for p in sorted((PACKAGE / name).glob("*/errors.py"))
]
AREAS = [*DOMAIN_NAMES, *PARTS]


@pytest.mark.parametrize("domain", AREAS)
def test_a_domain_raises_only_codes_of_its_enum(domain: str) -> None:
    parts = tuple(PACKAGE / p for p in PARTS if p.startswith(f"{domain}/"))
    raised = _raised_codes([PACKAGE / domain], skip=parts)
    codes = _code_enum(domain)
    # Domains without an enum of their own answer with tenancy's (API tokens) or none.
    members = set((codes or _code_enum("tenancy") or enum.Enum).__members__)
    assert raised - members == set()


def test_the_parts_with_their_own_codes_are_found() -> None:
    assert "governance/reports" in PARTS


def test_what_every_domain_may_meet_is_a_shared_code() -> None:
    assert _raised_codes(EVERYONE) - SHARED_CODES == set()


@pytest.mark.parametrize("domain", [d for d in AREAS if _code_enum(d) is not None])
def test_every_code_enum_has_the_shared_codes(domain: str) -> None:
    codes = _code_enum(domain)
    assert codes is not None
    check_codes(codes)  # raises when one is missing


def test_an_enum_without_the_shared_codes_is_refused() -> None:
    class Partial(enum.StrEnum):
        NOT_FOUND = "NOT_FOUND"

    with pytest.raises(TypeError, match="CONFLICT"):
        check_codes(Partial)


def test_an_unknown_code_fails_instead_of_becoming_invalid() -> None:
    # given a roadmap error carrying a commitments-only code
    error = DomainError("REASON_REQUIRED", "Say why.")
    # then it is refused, not answered as INVALID
    with pytest.raises(UnknownErrorCode, match="REASON_REQUIRED"):
        to_user_errors(RoadmapError, RoadmapErrorCode, [error], with_current=True)
    dropped = [DomainError("DROPPED", "Gone.")]
    known = to_user_errors(RoadmapError, RoadmapErrorCode, dropped, with_current=True)
    assert [e.code for e in known] == [RoadmapErrorCode.DROPPED]
