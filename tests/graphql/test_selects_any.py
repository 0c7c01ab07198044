"""selects_any: whether a field's selection asks for a field, read off graphql-core's nodes."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from graphql import FieldNode, FragmentDefinitionNode, OperationDefinitionNode, parse

from mutual.graphql.loaders import selects_any


def _info(document: str) -> Any:
    """The Info of the operation's first root field, as selects_any reads it."""
    parsed = parse(document)
    operation = next(d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
    }
    field = operation.selection_set.selections[0]
    assert isinstance(field, FieldNode)
    return SimpleNamespace(_raw_info=SimpleNamespace(field_nodes=[field], fragments=fragments))


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ("{ kpis { name status } }", True),
        ("{ kpis { name unit } }", False),
        ("{ kpis { name ownerParty { label } } }", False),
        ("{ kpis { evidence { progressPercent } } }", True),
        ("{ kpis { ... on Kpi { latestMeasurement { value } } } }", True),
        ("{ kpis { ...F } } fragment F on Kpi { name measurements { value } }", True),
        ("{ kpis { ...F } } fragment F on Kpi { name }", False),
        (
            "{ kpis { ...F } } fragment F on Kpi { ... on Kpi { ...G } } "
            "fragment G on Kpi { status }",
            True,
        ),
        ("{ kpis { aliased: status } }", True),
        ("{ kpis }", False),
    ],
)
def test_it_finds_a_field_at_any_depth_through_fragments(document: str, expected: bool) -> None:
    names = ("measurements", "latestMeasurement", "status", "evidence")
    assert selects_any(_info(document), names) is expected


def test_only_the_current_fields_selection_counts() -> None:
    # `status` under a sibling root field is not this field's selection.
    assert selects_any(_info("{ kpis { name } other { status } }"), ("status",)) is False
