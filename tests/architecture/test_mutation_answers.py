"""Every mutation's plumbing goes through `graphql.errors.MutationAnswer`: no domain runs its
service call with `attempt` or builds userErrors with `to_user_errors` by hand."""

from __future__ import annotations

import ast

from tests.architecture.test_import_graph import PACKAGE

PLUMBING = {"attempt", "to_user_errors"}


def _hand_plumbing(source: str) -> list[int]:
    """Lines of a module that call the plumbing MutationAnswer wraps."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in PLUMBING
    ]


def test_every_domain_answers_its_mutations_through_mutation_answer() -> None:
    offences = {
        str(path.relative_to(PACKAGE)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.parent.name != "graphql" and (lines := _hand_plumbing(path.read_text()))
    }
    assert offences == {}


def test_hand_plumbing_is_found() -> None:
    source = "async def f(info, call):\n    outcome = await attempt(info, call)\n"
    assert _hand_plumbing(source) == [2]
