"""Lists answered by PostgreSQL: each object's JSON built in SQL from the fields the query
selects, and spliced into the answer as it is.

A list of plain fields (a title, a status, a date, a global ID, a side's label) costs Python
more than PostgreSQL: the driver decodes each column, an object is made per row, the executor
completes every field and orjson encodes it again. PostGraphile answers such lists with JSON
built in the database; so does this, within strawberry: a domain declares how each plain field
of a type reads in SQL (a `Shape`, next to its GraphQL type), and a list resolver asks a
`JsonList` for the SQL of what is selected below it. The statement is the domain's own (the
same visibility conditions, under the same row-level security), with that expression as its
column; the rows' texts joined are the list, an `orjson.Fragment` the fast executor passes
through untouched (graphql/execution.py) and orjson writes out verbatim.

Anything a shape does not declare takes the ordinary path: a field with arguments or a
resolver of its own, a directive, a fragment on another type, a response name used twice, a
sibling (such as a connection's `edges`) that needs the objects themselves. So do operations
not answered over HTTP or WebSocket by the fast executor (`answers_json`): under
MUTUAL_EXECUTOR=standard every list is objects, which is how the tests compare both answers
byte for byte.

Strings, dates, booleans and integers: PostgreSQL's `to_json` writes them as orjson does
(escapes included; tests/graphql/test_json_lists.py holds both to it). Floats and timestamps
are not declared: their text differs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)
from sqlalchemy import Select, TextClause, bindparam, text
from sqlalchemy.types import TypeEngine
from strawberry.types import Info

# A plain field's SQL, given the row's alias (a table name or a correlation name).
Column = Callable[[str], str]


@dataclass(frozen=True)
class Nested:
    """An object field read from one correlated row: `source(outer, inner)` is the FROM and
    WHERE of the subquery that finds it (`party p0 WHERE p0.id = commitment.owner_party_id`),
    no row reading as null; `binds` as a shape's."""

    shape: Shape
    source: Callable[[str, str], str]
    binds: Mapping[str, TypeEngine[Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Shape:
    """How a GraphQL object type's plain fields read in SQL, by GraphQL field name. `binds`
    are the bind parameters the columns may name (`:viewer_party_id`), with their types."""

    type_name: str
    fields: Mapping[str, Column | Nested]
    binds: Mapping[str, TypeEngine[Any]] = field(default_factory=dict)

    def object_sql(
        self,
        selection: SelectionSetNode | None,
        alias: str,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> str | None:
        """A SQL text expression of the selection's JSON object for the row `alias`, the keys
        in the order graphql-core answers them; None when any selected field is undeclared."""
        chosen = _fields(selection, fragments, self.type_name)
        if not chosen:
            return None
        parts = []
        for index, node in enumerate(chosen):
            key = (node.alias or node.name).value
            value = self._value(node, alias, f"{alias}_{index}", fragments)
            if value is None:
                return None
            parts.append(f"'{'{' if index == 0 else ','}\"{key}\":' || {value}")
        return " || ".join(parts) + " || '}'"

    def _value(
        self,
        node: FieldNode,
        alias: str,
        inner: str,
        fragments: Mapping[str, FragmentDefinitionNode],
    ) -> str | None:
        name = node.name.value
        if node.arguments:
            return None
        if name == "__typename":
            return f"'\"{self.type_name}\"'"
        read = self.fields.get(name)
        if isinstance(read, Nested):
            obj = read.shape.object_sql(node.selection_set, inner, fragments)
            if obj is None:
                return None
            return f"coalesce((SELECT {obj} FROM {read.source(alias, inner)}), 'null')"
        if read is None or node.selection_set is not None:
            return None
        return f"coalesce(to_json({read(alias)})::text, 'null')"

    def all_binds(self) -> dict[str, TypeEngine[Any]]:
        """Its own binds and those of the shapes it nests."""
        made = dict(self.binds)
        for read in self.fields.values():
            if isinstance(read, Nested):
                made.update(read.binds)
                made.update(read.shape.all_binds())
        return made


def _fields(
    selection: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    type_name: str | None,
) -> list[FieldNode] | None:
    """The selection's fields in order, fragments on `type_name` (None: no fragment) spread
    into it; None for a directive, a fragment on another type or a response name used twice."""
    if selection is None:
        return None
    chosen: list[FieldNode] = []
    for node in selection.selections:
        if node.directives:
            return None
        inner: list[FieldNode] | None
        if isinstance(node, FieldNode):
            chosen.append(node)
            continue
        if isinstance(node, InlineFragmentNode):
            condition = node.type_condition.name.value if node.type_condition else type_name
            inner = _fields(node.selection_set, fragments, type_name)
        elif isinstance(node, FragmentSpreadNode):
            fragment = fragments.get(node.name.value)
            if fragment is None or fragment.directives:
                return None
            condition = fragment.type_condition.name.value
            inner = _fields(fragment.selection_set, fragments, type_name)
        else:
            return None
        if type_name is None or condition != type_name or inner is None:
            return None
        chosen.extend(inner)
    names = [(f.alias or f.name).value for f in chosen]
    return chosen if len(set(names)) == len(names) else None


def answers_json(info: Info[Any, Any]) -> bool:
    """Whether this operation splices JSON fragments: run by the fast executor and written
    by orjson (the /graphql endpoint's HTTP and WebSocket answers)."""
    return bool(getattr(info.context, "splices_json", False))


@dataclass(frozen=True)
class Step:
    """A field on the way from the resolver's field to the list: its name, and the siblings
    it may have (that need not the list's objects)."""

    name: str
    siblings: frozenset[str] = frozenset({"__typename"})


class JsonList:
    """The JSON of a list `steps` below a resolver's field, each item of `shape`: the SQL text
    for the selection (made once per parsed field node) and the domain's statement with it as
    its last column (made once per statement and text)."""

    def __init__(self, shape: Shape, *steps: Step) -> None:
        self.shape = shape
        self.steps = steps
        self._binds = shape.all_binds()
        self._sql: dict[int, tuple[FieldNode, str | None]] = {}
        self._statements: dict[tuple[int, str], tuple[Select[Any], Select[Any]]] = {}

    def sql(self, info: Info[Any, Any], alias: str) -> str | None:
        """The items' SQL expression over the row `alias`, or None for the ordinary path.
        Reads graphql-core's field nodes (strawberry's `Info._raw_info`, as selects_any does)."""
        if not answers_json(info):
            return None
        raw = info._raw_info
        if len(raw.field_nodes) != 1:
            return None
        node: FieldNode = raw.field_nodes[0]
        known = self._sql.get(id(node))
        if known is None or known[0] is not node:
            if len(self._sql) > 4096:
                self._sql.clear()
            known = self._sql[id(node)] = (node, self._make(node, alias, raw.fragments))
        return known[1]

    def _make(
        self, node: FieldNode, alias: str, fragments: Mapping[str, FragmentDefinitionNode]
    ) -> str | None:
        for step in self.steps:
            fields = _fields(node.selection_set, fragments, None)
            if fields is None:
                return None
            found = [f for f in fields if f.name.value == step.name]
            others = {f.name.value for f in fields} - {step.name}
            if len(found) != 1 or not others <= step.siblings:
                return None
            node = found[0]
        return self.shape.object_sql(node.selection_set, alias, fragments)

    def statement(self, base: Select[Any], sql: str, *leading: Any) -> Select[Any]:
        """`base` (its FROM, WHERE and ORDER BY) selecting `leading` columns, then the JSON."""
        key = (id(base), sql)
        known = self._statements.get(key)
        if known is None or known[0] is not base:
            if len(self._statements) > 1024:
                self._statements.clear()
            clause: TextClause = text(sql).bindparams(
                *(bindparam(name, type_=t) for name, t in self._binds.items() if f":{name}" in sql)
            )
            made: Select[Any] = base.with_only_columns(*leading, clause)
            known = self._statements[key] = (base, made)
        return known[1]


def joined(texts: Sequence[str]) -> Any:
    """Objects' JSON texts as one JSON list, for the answer as it is: typed as any value, so
    it goes where the field's list of objects would."""
    return orjson.Fragment("[" + ",".join(texts) + "]")


def global_id(type_name: str) -> Column:
    """A row's global ID in SQL, as graphql/ids.py `to_global_id` writes it: base64url of
    "Type:uuid", unpadded (PostgreSQL's base64 breaks lines past 76 characters: removed)."""
    return lambda alias: (
        f"rtrim(translate(encode(convert_to('{type_name}:' || {alias}.id::text, 'UTF8'), "
        f"'base64'), E'+/\\n', '-_'), '=')"
    )


def column(name: str) -> Column:
    """A column of the row, as it is."""
    return lambda alias: f"{alias}.{name}"
