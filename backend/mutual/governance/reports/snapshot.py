"""A report's snapshot: canonical JSON (sorted keys, no whitespace, UTF-8) and its sha256, and
the sections as tables of printed cells (what the PDF, the CSV files and the API show alike)."""

from __future__ import annotations

import enum
import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

FORMAT = "mutual.report/1"
JSON_NAME = "report.json"


def _plain(value: Any) -> Any:
    """What a section gave that JSON has no type for: dates and times as ISO 8601, exact
    numbers and ids as strings, enums by their value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    raise TypeError(f"a report section holds a {type(value).__name__}, which is not JSON")


def canonical(snapshot: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8: the bytes the report's sha256 is over."""
    return json.dumps(
        snapshot,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_plain,
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def cell(value: Any) -> str:
    """One value as every rendering prints it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return str(value)


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    # Anything else the section holds besides its rows (a period), printed under its title.
    notes: list[str]


def _columns(section: Mapping[str, Any]) -> list[str]:
    declared = section.get("columns")
    if isinstance(declared, list) and declared:
        return [str(c) for c in declared]
    seen: dict[str, None] = {}
    for row in section.get("rows") or []:
        if isinstance(row, Mapping):
            seen.update(dict.fromkeys(str(k) for k in row))
    return list(seen)


def _row(row: Any, columns: Sequence[str]) -> list[str]:
    if isinstance(row, Mapping):
        return [cell(row.get(c)) for c in columns]
    if isinstance(row, list):
        return [cell(v) for v in row]
    return [cell(row)]


def tables(snapshot: Mapping[str, Any]) -> list[Table]:
    made = []
    for section in snapshot.get("sections") or []:
        columns = _columns(section)
        notes = [
            f"{k}: {cell(v)}"
            for k, v in sorted(section.items())
            if k not in {"key", "domain", "title", "columns", "rows"}
        ]
        made.append(
            Table(
                key=str(section.get("key", "")),
                title=str(section.get("title", section.get("key", ""))),
                columns=columns,
                rows=[_row(r, columns) for r in section.get("rows") or []],
                notes=notes,
            )
        )
    return made
