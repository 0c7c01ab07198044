"""The snapshot's canonical JSON and its printed cells."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from decimal import Decimal

import pytest

from mutual.governance.reports.snapshot import canonical, cell, tables


class Band(enum.Enum):
    HIGH = "HIGH"


def test_canonical_json_sorts_keys_drops_whitespace_and_writes_utf8() -> None:
    assert canonical({"b": 1, "a": ["↔", None, 1.5]}) == '{"a":["↔",null,1.5],"b":1}'.encode()


def test_values_json_lacks_are_written_as_strings_and_anything_else_refused() -> None:
    key = uuid.UUID(int=5)
    assert canonical({"d": date(2026, 1, 2), "n": Decimal("1.50"), "k": key, "e": Band.HIGH}) == (
        b'{"d":"2026-01-02","e":"HIGH","k":"00000000-0000-0000-0000-000000000005","n":"1.50"}'
    )
    with pytest.raises(TypeError, match="set"):
        canonical({"x": {1}})
    with pytest.raises(ValueError):
        canonical({"x": float("nan")})


def test_sections_print_as_tables_with_their_other_keys_as_notes() -> None:
    snapshot = {
        "sections": [
            {"key": "k", "title": "T", "period": {"to": "2026"}, "rows": [{"a": 1, "b": True}]},
            {"key": "l", "title": "L", "columns": ["x", "y"], "rows": [[2.0, None]]},
        ]
    }
    first, second = tables(snapshot)
    assert (first.columns, first.rows, first.notes) == (
        ["a", "b"],
        [["1", "yes"]],
        ['period: {"to":"2026"}'],
    )
    assert (second.columns, second.rows) == (["x", "y"], [["2", ""]])
    assert cell(0.25) == "0.25" and cell([1]) == "[1]"
