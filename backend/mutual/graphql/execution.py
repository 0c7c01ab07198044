"""A faster path through graphql-core for the fields that make up most of a large answer.

A dashboard's answer has some two thousand fields, nearly all of them plain values read off an
object (a title, a status, a date) or objects and lists made of such values (a party's label,
a KPI's last measurements). graphql-core treats each like any field: it builds a resolve-info
record, walks the argument nodes, calls strawberry's resolver wrapper, creates a path and
completes the value through several nested calls.

This executor plans, once per operation and selection, the fields it can answer itself: a
field strawberry calls "basic" (a plain attribute), or one whose synchronous resolver takes
`self` and at most built-in scalar arguments but no `info`; of a scalar or enum type, of an
object type whose selected fields are all answerable so, or a list of such objects. It reads
those in one loop and coerces leaves as graphql-core would.

Anything else takes graphql-core's own path: a resolver that needs `info`, a deferred
fragment, and every null in a non-null position, error or awaitable met on the way. That path
then answers the whole field again, so errors keep their locations and paths, and nullability
its rules.

A list resolver may answer with its list's JSON as PostgreSQL built it (an orjson.Fragment,
graphql/json_lists.py): this executor passes it through as the field's completed value.

Fields answered in the loop pass no middleware, so a schema extension that hooks field
resolution (`SchemaExtension.resolve`, as tracing does) would miss them: the executor refuses
such a schema, when it is built and at execution, rather than answer without the hook.
`MUTUAL_EXECUTOR=standard` runs graphql-core's own execution instead, where the hook sees
every field.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime
from math import isfinite
from operator import attrgetter
from typing import Any, Literal, cast

import orjson
from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLString,
)
from graphql.execution import Executor
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.schema.types import base_scalars
from strawberry.types.field import StrawberryField

from mutual.graphql.records import READER
from mutual.kit.memo import PerObject

Read = Callable[[Any], Any]

# What a planned field is: a leaf (coerced), an object, or a list of non-null objects.
LEAF, OBJECT, LIST = "leaf", "object", "list"
# (kind, read, leaf coercion or object type, non-null, and for a leaf the Python type it
# answers directly with the conversion for it: see _direct)
Plan = tuple[str, Read, Any, bool, type | None, Read | None]
# A field of a selection set: its response name, its field group and its plan (or None).
Entry = tuple[str, Any, Plan | None]
# An object whose selected fields are all planned: the entries, and the class and check that
# say a value is of the type.
PlannedEntry = tuple[str, Any, Plan]
ObjectPlan = tuple[list[PlannedEntry], type | None, Any]

# What an answer is when graphql-core's path must give it: a null in a non-null position, an
# error, an awaitable, or a value this executor does not complete.
FULL_PATH: Any = object()

# Arguments passed straight through: graphql-core's coercion of these is strawberry's value.
PLAIN_ARGUMENTS = (GraphQLInt, GraphQLFloat, GraphQLString, GraphQLBoolean)

# strawberry's serializer of its Date and DateTime scalars.
ISOFORMAT = getattr(base_scalars, "isoformat", None)
ISO_TYPES = {"Date": date, "DateTime": datetime}


class FieldHookError(TypeError):
    """A field-resolution hook (middleware) where the fast executor would bypass it."""


def _hooks_fields(extension: Any) -> bool:
    """Whether a schema's extension (a class, an instance or a factory) overrides `resolve`."""
    if not isinstance(extension, type | SchemaExtension):
        extension = extension()  # a factory: what it makes per operation
    made = extension if isinstance(extension, type) else type(extension)
    return issubclass(made, SchemaExtension) and made.resolve is not SchemaExtension.resolve


def _hook_error(hooks: str) -> FieldHookError:
    return FieldHookError(
        f"{hooks} hook field resolution, which the fast executor bypasses for plain fields: "
        "set MUTUAL_EXECUTOR=standard to run them on every field"
    )


class _Names(dict[Any, Any]):
    """An enum's members and their names; anything else is left to graphql-core's path."""

    def __missing__(self, key: Any) -> Any:
        return FULL_PATH


def _finite(value: float) -> Any:
    return value if isfinite(value) else FULL_PATH


def _make_direct(leaf: GraphQLScalarType | GraphQLEnumType) -> tuple[type | None, Read | None]:
    """The Python type whose values of exactly that type the leaf answers directly, and the
    conversion (None: the value as it is) that gives what graphql-core's coercion would, or
    FULL_PATH for graphql-core's path to decide. A str is a String or an ID as it is, a bool a
    Boolean; a float needs its finiteness checked (an int its range: not direct); a member of
    a strawberry enum is its name; a date or datetime of strawberry's scalars its isoformat."""
    if leaf is GraphQLString or leaf is GraphQLID:
        return str, None
    if leaf is GraphQLBoolean:
        return bool, None
    if leaf is GraphQLFloat:
        return float, _finite
    wrapped = getattr(leaf, "wrapped_cls", None)
    if isinstance(leaf, GraphQLEnumType) and isinstance(wrapped, type):
        names = {value.value: name for name, value in leaf.values.items()}
        enum_class = cast(type[enum.Enum], wrapped)
        members = _Names({m: names[m.value] for m in enum_class if m.value in names})
        return wrapped, members.__getitem__
    coerce = leaf.coerce_output_value
    if ISOFORMAT is not None and coerce is ISOFORMAT and leaf.name in ISO_TYPES:
        return ISO_TYPES[leaf.name], coerce
    return None, None


def _make_method(field: StrawberryField) -> Callable[..., Any] | None:
    """How to read the field: the attribute of a basic field, or a synchronous resolver that
    takes `self` and no `info`, root or parent; None for anything else."""
    if field.extensions:
        return None
    resolver = field.base_resolver
    if resolver is None:
        default, name = field.default_resolver, field.python_name
        return attrgetter(name) if default is getattr else lambda source: default(source, name)
    if (
        resolver.is_async
        or resolver.info_parameter
        or resolver.root_parameter
        or resolver.parent_parameter
        or not resolver.self_parameter
    ):
        return None
    method: Callable[..., Any] = resolver.wrapped_func  # type: ignore[assignment]
    reader: Callable[..., Any] | None = getattr(method, READER, None)
    return method if reader is None or resolver.arguments else reader


def _make_coercer(leaf: GraphQLScalarType | GraphQLEnumType) -> Callable[[Any], Any]:
    """The leaf type's output coercion; for a strawberry enum, a dict lookup by member value
    instead of its scan over every value of the enum."""
    coerce = leaf.coerce_output_value
    wrapped = getattr(leaf, "wrapped_cls", None)
    if not isinstance(leaf, GraphQLEnumType) or wrapped is None:
        return coerce
    names = {value.value: name for name, value in leaf.values.items()}

    def coerce_member(member: Any) -> Any:
        if isinstance(member, wrapped):
            name = names.get(member.value)
            if name is not None:
                return name
        return coerce(member)

    return coerce_member


# What the schema's own objects plan to, made once per process: the schema does not change.
_direct = PerObject(_make_direct, limit=10_000)
_method = PerObject(_make_method, limit=10_000)
_coercer = PerObject(_make_coercer, limit=10_000)


def _shape(return_type: GraphQLOutputType) -> tuple[str, Any, bool] | None:
    """(kind, leaf or object type, non-null) of a field's type, if it can be planned."""
    non_null = isinstance(return_type, GraphQLNonNull)
    named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return LEAF, named, non_null
    if isinstance(named, GraphQLObjectType):
        return OBJECT, named, non_null
    if isinstance(named, GraphQLList):
        item = named.of_type
        if isinstance(item, GraphQLNonNull) and isinstance(item.of_type, GraphQLObjectType):
            return LIST, item.of_type, non_null
    return None


def _origin(object_type: GraphQLObjectType) -> type | None:
    """The Python class strawberry made the object type from (its is_type_of accepts it)."""
    definition = (object_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return getattr(definition, "origin", None)


def _close(value: Any) -> None:
    """An awaitable read here is not awaited here: the full path makes its own."""
    close = getattr(value, "close", None)
    if close is not None:
        close()


class LeafFirstExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, with the fields it can answer read in one loop."""

    @classmethod
    def for_setting(
        cls, executor: Literal["fast", "standard"], extensions: list[Any]
    ) -> type[Executor[Any]]:
        """The execution context class of a schema with these extensions: this one (`fast`),
        or graphql-core's as strawberry runs it (`standard`). A fast schema whose extensions
        hook field resolution is refused (FieldHookError), not silently run without it."""
        if executor == "standard":
            return StrawberryGraphQLCoreExecutionContext
        hooking = [e for e in extensions if _hooks_fields(e)]
        if hooking:
            raise _hook_error(f"the schema extensions {hooking!r}")
        return cls

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Middleware that reaches this far (strawberry's directives, say) would miss the fields
        # answered in the loop: the operation fails instead.
        middlewares = self.middleware_manager.middlewares if self.middleware_manager else None
        if middlewares:
            raise _hook_error(f"the middlewares {list(middlewares)!r}")
        # Per selection set of this operation: each field with its plan. The grouped field
        # set is kept with its entry, so its id is not reused meanwhile.
        self._selection_plans: dict[int, tuple[Any, list[Entry]]] = {}
        # Per (object type, field group): the entries when every selected field is planned.
        self._objects: dict[tuple[str, int], tuple[Any, ObjectPlan | None]] = {}

    def _plan(self, parent_type: GraphQLObjectType, field_details_list: Any) -> Plan | None:
        node = field_details_list[0].node
        field_def = parent_type.fields.get(node.name.value)
        if field_def is None:
            return None
        field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
        if not isinstance(field, StrawberryField):
            return None
        method = _method(field)
        shape = _shape(field_def.type)
        if method is None or shape is None:
            return None
        kwargs = self._arguments(field_def, field, field_details_list[0]) if node.arguments else {}
        if kwargs is None:
            return None
        kind, detail, non_null = shape
        exact, convert = _direct(detail) if kind == LEAF else (None, None)
        if kind == LEAF:
            detail = _coercer(detail)
        read = (lambda source: method(source, **kwargs)) if kwargs else method
        return kind, read, detail, non_null, exact, convert

    def _arguments(
        self, field_def: GraphQLField, field: StrawberryField, field_details: Any
    ) -> dict[str, Any] | None:
        """The resolver's keyword arguments for this field node, when all are plain scalars
        (the same for every object the selection reaches); else None."""
        for argument in field_def.args.values():
            named = argument.type
            if isinstance(named, GraphQLNonNull):
                named = named.of_type
            if named not in PLAIN_ARGUMENTS:
                return None
        try:
            values = get_argument_values(
                field_def,
                field_details.node,
                self.variable_values,
                field_details.fragment_variable_values,
                self.hide_suggestions,
            )
        except Exception:  # the full path reports it, with its location
            return None
        # strawberry makes the GraphQL arguments in the order of its own.
        python_names = dict(
            zip(field_def.args, (a.python_name for a in field.arguments), strict=False)
        )
        if len(python_names) != len(field.arguments) or set(values) - set(python_names):
            return None
        return {python_names[name]: value for name, value in values.items()}

    def _selection_plan(
        self, parent_type: GraphQLObjectType, grouped_field_set: Any
    ) -> list[Entry]:
        key = id(grouped_field_set)
        known = self._selection_plans.get(key)
        if known is None or known[0] is not grouped_field_set:
            entries: list[Entry] = [
                (response_name, field_details_list, self._plan(parent_type, field_details_list))
                for response_name, field_details_list in grouped_field_set.items()
            ]
            known = self._selection_plans[key] = (grouped_field_set, entries)
        return known[1]

    def _object_plan(
        self, object_type: GraphQLObjectType, field_details_list: Any
    ) -> ObjectPlan | None:
        """The object's entries (with the class its is_type_of accepts) when every selected
        field is planned, else None."""
        key = (object_type.name, id(field_details_list))
        known = self._objects.get(key)
        if known is None or known[0] is not field_details_list:
            self._objects[key] = (field_details_list, None)  # a cycle plans as "not planned"
            grouped_field_set, new_defer_usages, _ = self.collect_subfields(
                object_type, field_details_list
            )
            entries = self._selection_plan(object_type, grouped_field_set)
            whole = not new_defer_usages and all(
                plan is not None and self._completes(plan, children)
                for _, children, plan in entries
            )
            planned = (
                (cast(list[PlannedEntry], entries), _origin(object_type), object_type.is_type_of)
                if whole
                else None
            )
            known = self._objects[key] = (field_details_list, planned)
        return known[1]

    def _completes(self, plan: Plan, field_details_list: Any) -> bool:
        kind, _, detail, _, _, _ = plan
        return kind == LEAF or self._object_plan(detail, field_details_list) is not None

    def _answer(self, plan: Plan, field_details_list: Any, source: Any) -> Any:
        """The field's completed value off `source`, or FULL_PATH."""
        kind, read, detail, non_null, exact, convert = plan
        if kind == LEAF:
            try:
                value = read(source)
            except Exception:  # the full path reports it, with its location
                return FULL_PATH
            if type(value) is not exact:
                return self._leaf(plan, value)
            return value if convert is None else convert(value)
        object_plan = self._object_plan(detail, field_details_list)
        if object_plan is None:
            return FULL_PATH  # not read at all: graphql-core's path reads it once
        try:
            value = read(source)
        except Exception:  # the full path reports it, with its location
            return FULL_PATH
        if self.is_awaitable(value):
            _close(value)
            return FULL_PATH
        if value is None:
            return FULL_PATH if non_null else None
        if kind == OBJECT:
            return self._complete_planned(object_plan, None, value)
        return self._complete_planned_list(object_plan, None, value)

    def _leaf(self, plan: Plan, value: Any) -> Any:
        """A leaf's value as graphql-core would complete it, or FULL_PATH. (A value of the type
        the leaf answers directly, a str of a String say, does not come here: see _direct.)"""
        coerce, non_null = plan[2], plan[3]
        if self.is_awaitable(value):
            _close(value)
            return FULL_PATH
        if value is None:
            return FULL_PATH if non_null else None
        try:
            coerced = coerce(value)
        except Exception:  # the full path reports it, with its location
            return FULL_PATH
        return FULL_PATH if coerced is None or coerced is Undefined else coerced

    def _complete_planned(self, object_plan: ObjectPlan, info: Any, result: Any) -> Any:
        """The object's answer read in one loop, or FULL_PATH."""
        entries, origin, is_type_of = object_plan
        if is_type_of is not None and type(result) is not origin:
            try:
                if is_type_of(result, info) is not True:
                    return FULL_PATH
            except Exception:  # the full path reports it, with its location
                return FULL_PATH
        completed = {}
        for response_name, children, plan in entries:
            if plan[0] == LEAF:  # _answer's leaf, without a call per field
                try:
                    value = plan[1](result)
                except Exception:  # the full path reports it, with its location
                    return FULL_PATH
                if type(value) is not plan[4]:
                    value = self._leaf(plan, value)
                elif plan[5] is not None:
                    value = plan[5](value)
            else:
                value = self._answer(plan, children, result)
            if value is FULL_PATH:
                return FULL_PATH
            completed[response_name] = value
        return completed

    def _complete_planned_list(self, object_plan: ObjectPlan, info: Any, items: Any) -> Any:
        """A list of non-null objects read in one loop, or FULL_PATH; a list whose JSON
        PostgreSQL built (graphql/json_lists.py) as it is."""
        if type(items) is orjson.Fragment:
            return items
        if not isinstance(items, list | tuple):
            return FULL_PATH
        completed = []
        for item in items:
            value = FULL_PATH if item is None else self._complete_planned(object_plan, info, item)
            if value is FULL_PATH:
                return FULL_PATH
            completed.append(value)
        return completed

    def complete_value(  # type: ignore[no-untyped-def]
        self, return_type, field_details_list, info, path, result, position_context
    ):
        """A resolver's object, or list of non-null objects, completed in one loop when every
        field below is planned, or a list's JSON as PostgreSQL built it (graphql/json_lists.py);
        anything else as graphql-core does."""
        if type(result) is orjson.Fragment:
            return result
        if result is not None:
            named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
            completed = FULL_PATH
            if isinstance(named, GraphQLObjectType):
                object_plan = self._object_plan(named, field_details_list)
                if object_plan is not None:
                    completed = self._complete_planned(object_plan, info, result)
            elif isinstance(named, GraphQLList):
                item = named.of_type
                if isinstance(item, GraphQLNonNull) and isinstance(item.of_type, GraphQLObjectType):
                    object_plan = self._object_plan(item.of_type, field_details_list)
                    if object_plan is not None:
                        completed = self._complete_planned_list(object_plan, info, result)
            if completed is not FULL_PATH:
                return completed
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def execute_fields(  # type: ignore[no-untyped-def]
        self, parent_type, source_value, path, grouped_field_set, position_context
    ):
        """graphql-core's execute_fields, except that a planned field is answered in place,
        without a path, a resolve-info record or strawberry's resolver wrapper."""
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list, plan in self._selection_plan(
                parent_type, grouped_field_set
            ):
                if plan is not None:
                    value = self._answer(plan, field_details_list, source_value)
                    if value is not FULL_PATH:
                        results[response_name] = value
                        continue
                result = self.execute_field(
                    parent_type,
                    source_value,
                    field_details_list,
                    Path(path, response_name, parent_type.name),
                    position_context,
                )
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results

        async def get_results() -> dict[str, Any]:
            if len(awaitable_fields) == 1:
                field = awaitable_fields[0]
                results[field] = await results[field]
            else:
                awaited = await gather_with_cancel(*(results[f] for f in awaitable_fields))
                results.update(zip(awaitable_fields, awaited, strict=True))
            return results

        return get_results()
