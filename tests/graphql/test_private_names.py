"""Guards for the names of strawberry and graphql-core outside their public API that the speed
layer relies on: each test fails when the name changes or stops behaving as it is used, instead
of the code silently taking its slower path.

- graphql/loaders.py `selects_any` and graphql/json_lists.py `JsonList.sql`: strawberry's
  `Info._raw_info` (graphql-core's resolve info: `field_nodes`, `fragments`; the lists built in
  SQL are also held to it by tests/graphql/test_json_lists.py, whose answers would come from the
  objects instead).
- graphql/extensions.py (cost limit): strawberry's `Schema._schema` (the GraphQLSchema).
- graphql/limits.py `declared_cost`: `GraphQLCoreConverter.DEFINITION_BACKREF` to a field's
  strawberry metadata (tests/security/test_request_limits.py fails when verifyAuditChain's
  declared cost is no longer found).
- graphql/validation.py `CachedValidation`: strawberry's validation rules it adds as strawberry's
  own `validate_document` does (`strawberry.schema.validation_rules`), and `Schema._schema`.
- graphql/execution.py: graphql-core's ExecutionContext methods it overrides or calls
  (`execute_fields`, `complete_value`, `execute_field`, `collect_subfields`), strawberry's
  `StrawberryGraphQLCoreExecutionContext`, `GraphQLCoreConverter.DEFINITION_BACKREF`,
  `base_scalars.isoformat` and the `wrapped_cls` of its enum types.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    parse,
    specified_rules,
)
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext, validate_document
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

from mutual.graphql.execution import ISOFORMAT, LeafFirstExecutor, _direct
from mutual.graphql.loaders import selects_any
from mutual.graphql.validation import _validate
from tests.graphql.test_execution import Colour
from tests.graphql.test_execution import Query as ItemsQuery

ANSWERS: list[bool] = []


@strawberry.type
class Leaf:
    name: str
    status: str


@strawberry.type
class Board:
    leaves: list[Leaf]
    title: str


@strawberry.type
class SelectsQuery:
    @strawberry.field
    def board(self, info: strawberry.Info) -> Board:
        ANSWERS.append(selects_any(info, ("status",)))
        return Board(leaves=[Leaf(name="a", status="ok")], title="t")


async def test_selects_any_reads_strawberrys_raw_info_of_a_real_resolver() -> None:
    schema = strawberry.Schema(SelectsQuery)
    documents = {
        "{ board { title } }": False,
        "{ board { leaves { name status } } }": True,
        "{ board { ...F } } fragment F on Board { leaves { ... on Leaf { status } } }": True,
        "{ board { ...F } } fragment F on Board { leaves { name } }": False,
    }
    for document, expected in documents.items():
        ANSWERS.clear()
        result = await schema.execute(document)
        assert result.errors is None, result.errors
        assert [expected] == ANSWERS, document


async def test_strawberrys_info_wraps_graphql_cores_resolve_info() -> None:
    seen: list[Any] = []

    @strawberry.type
    class Probe:
        @strawberry.field
        def here(self, info: strawberry.Info) -> int:
            seen.append(info._raw_info)
            return 1

    result = await strawberry.Schema(Probe).execute("{ here }")
    assert result.errors is None
    (raw,) = seen
    # graphql-core's resolve info (strawberry's own variant of it): what selects_any reads.
    assert set(GraphQLResolveInfo._fields) <= set(type(raw)._fields)
    assert [node.name.value for node in raw.field_nodes] == ["here"]
    assert raw.fragments == {}


def test_strawberrys_schema_holds_the_graphql_core_schema_the_cost_limit_walks() -> None:
    schema = strawberry.Schema(ItemsQuery)
    core = schema._schema
    assert isinstance(core, GraphQLSchema)
    assert core.query_type is not None and "items" in core.query_type.fields


FULL_PATH_FIELDS: list[str] = []


class CountingExecutor(LeafFirstExecutor):
    """Counts the fields that take graphql-core's own per-field path."""

    def execute_field(self, *args: Any, **kwargs: Any) -> Any:
        FULL_PATH_FIELDS.append("leaf-first")
        return super().execute_field(*args, **kwargs)


class CountingCoreExecutor(StrawberryGraphQLCoreExecutionContext):
    def execute_field(self, *args: Any, **kwargs: Any) -> Any:
        FULL_PATH_FIELDS.append("graphql-core")
        return super().execute_field(*args, **kwargs)


async def test_planned_fields_skip_graphql_cores_per_field_path() -> None:
    query = "{ items { name colour due seen doubled owner { label } } }"
    answers = []
    for executor in (CountingExecutor, CountingCoreExecutor):
        schema = strawberry.Schema(ItemsQuery, execution_context_class=executor)
        result = await schema.execute(query)
        assert result.errors is None
        answers.append(result.data)
    assert answers[0] == answers[1]
    # graphql-core's own execution takes its per-field path for every field (the root, then 7
    # per item); the leaf-first executor, called through the execute_fields and complete_value
    # it overrides, answers them all in its loop.
    assert FULL_PATH_FIELDS.count("graphql-core") == 1 + 2 * 7
    assert FULL_PATH_FIELDS.count("leaf-first") == 0


def test_leaf_conversions_find_strawberrys_scalars_and_enums() -> None:
    core = strawberry.Schema(ItemsQuery)._schema
    item = core.get_type("Item")
    assert item is not None
    due = core.get_type("Date")
    colour = core.get_type("Colour")
    assert isinstance(due, GraphQLScalarType) and isinstance(colour, GraphQLEnumType)
    # strawberry's serializer of Date and DateTime, answered directly as their isoformat.
    assert ISOFORMAT is not None and due.coerce_output_value is ISOFORMAT
    assert _direct(due)[0] is date
    # strawberry's enum type keeps its Python enum: members answer by a dict lookup.
    assert getattr(colour, "wrapped_cls", None) is Colour
    exact, convert = _direct(colour)
    assert exact is Colour and convert is not None and convert(Colour.GREEN) == "GREEN"
    # Each GraphQL field leads back to strawberry's field through the converter's backref.
    name_field = item.fields["name"]  # type: ignore[attr-defined]
    backref = name_field.extensions[GraphQLCoreConverter.DEFINITION_BACKREF]
    assert isinstance(backref, StrawberryField) and backref.python_name == "name"


@strawberry.input(one_of=True)
class Pick:
    name: str | None = strawberry.UNSET
    rank: int | None = strawberry.UNSET


@strawberry.input
class Patch:
    name: strawberry.Maybe[str]


@strawberry.type
class RulesQuery:
    @strawberry.field
    def pick(self, choice: Pick) -> str:
        return "picked"

    @strawberry.field
    def patch(self, patch: Patch) -> str:
        return "patched"


def test_cached_validation_reports_what_strawberrys_own_validation_reports() -> None:
    """CachedValidation replaces strawberry's validation to pass `hide_suggestions`: it adds the
    rules strawberry's `validate_document` adds (oneOf inputs, Maybe fields), so a document is
    refused the same way; this fails when strawberry adds a rule or moves these."""
    core = strawberry.Schema(RulesQuery)._schema
    documents = [
        '{ pick(choice: {name: "a", rank: 1}) }',
        "{ patch(patch: {name: null}) }",
        '{ pick(choice: {name: "a"}) patch(patch: {name: "b"}) }',
        "{ pick(choice: {nme: 1}) }",
        "{ pik }",
    ]
    rules = tuple(specified_rules)
    for document in documents:
        parsed = parse(document)
        theirs = [e.formatted for e in validate_document(core, parsed, rules)]
        ours = [e.formatted for e in _validate(core, parsed, rules, False)]
        assert ours == theirs, document
        hidden = [e.message for e in _validate(core, parsed, rules, True)]
        assert len(hidden) == len(theirs) and not any("Did you mean" in m for m in hidden)
    assert any("Did you mean" in e.message for e in _validate(core, parse("{ pik }"), rules, False))
