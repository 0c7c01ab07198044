"""A faster path through graphql-core for the commonest field of all.

Most fields of a large answer (a dashboard: two thousand of them) are plain attributes of a
leaf type: a title, a status, a date. graphql-core treats each like any field: it builds a
resolve-info record, walks the argument nodes, calls strawberry's resolver wrapper and
completes the value through four nested calls. For a field of a scalar or enum type that
strawberry calls "basic" (no resolver, no extensions, no arguments), or whose resolver takes
nothing but `self` (a Node's `id`), this context reads the value and coerces it directly,
which is what those calls arrive at.

Anything else - a resolver, arguments, middleware, a null or an error to report - takes
graphql-core's own path, so errors keep their locations and paths and nullability its rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeGuard, cast

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
)
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import GraphQLCoreConverter
from strawberry.types.field import StrawberryField

# Per GraphQL field: (read, python name, coerce, non-null) for a leaf, or None when it takes the
# full path.
Leaf = tuple[Callable[[Any, str], Any], str, Callable[[Any], Any], bool]
# A plain attribute (or `self`-only resolver) holding an object: (read, name, type, non-null).
Holder = tuple[Callable[[Any, str], Any], str, GraphQLObjectType, bool]
# A field of a selection set: its response name, its field group and its plan.
Entry = tuple[str, Any, Leaf | Holder | None]

# Keyed by id(): GraphQL fields are not hashable. The field is kept with its plan, so an id
# is never reused while its entry exists (schemas live as long as the process anyway).
_plans: dict[int, tuple[GraphQLField, Leaf | Holder | None]] = {}


def _reader(field: StrawberryField) -> Callable[[Any, str], Any] | None:
    """How to read the field off its object: the attribute of a basic field, or a synchronous
    resolver that takes nothing but `self` (the Node `id`); None for anything else."""
    if field.extensions:
        return None
    resolver = field.base_resolver
    if resolver is None:
        return field.default_resolver
    if (
        resolver.is_async
        or resolver.arguments
        or resolver.info_parameter
        or resolver.root_parameter
        or resolver.parent_parameter
        or not resolver.self_parameter
    ):
        return None
    method: Callable[[Any], Any] = resolver.wrapped_func  # type: ignore[assignment]
    return lambda source, _name: method(source)


def _coercer(leaf: GraphQLScalarType | GraphQLEnumType) -> Callable[[Any], Any]:
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


def plan_of(field_def: GraphQLField) -> Leaf | Holder | None:
    field = (field_def.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    if not isinstance(field, StrawberryField) or field_def.args:
        return None
    read = _reader(field)
    if read is None:
        return None
    return_type = field_def.type
    non_null = isinstance(return_type, GraphQLNonNull)
    named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
    if isinstance(named, GraphQLScalarType | GraphQLEnumType):
        return read, field.python_name, _coercer(named), non_null
    if isinstance(named, GraphQLObjectType):
        return read, field.python_name, named, non_null
    return None


# What read_leaf answers when the full path must: a null for a non-null field, or an error.
FULL_PATH: Any = object()


def _origin(object_type: GraphQLObjectType) -> type | None:
    """The Python class strawberry made the object type from (its is_type_of accepts it)."""
    definition = (object_type.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    return getattr(definition, "origin", None)


def _is_leaf(plan: Leaf | Holder | None) -> TypeGuard[Leaf]:
    return plan is not None and not isinstance(plan[2], GraphQLObjectType)


def read_leaf(plan: Leaf, source: Any) -> Any:
    read, name, coerce, non_null = plan
    try:
        value = read(source, name)
        if value is None:
            return FULL_PATH if non_null else None
        coerced = coerce(value)
    except Exception:  # the full path reports it, with its location
        return FULL_PATH
    return FULL_PATH if coerced is None or coerced is Undefined else coerced


def _plan_for(field_def: GraphQLField | None) -> Leaf | Holder | None:
    if field_def is None:
        return None
    known = _plans.get(id(field_def))
    if known is None:
        known = _plans[id(field_def)] = (field_def, plan_of(field_def))
    return known[1]


class LeafFirstExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution with the leaf fields of a selection read in one loop, and
    objects made of leaves (a party's label) completed in that loop too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Per selection set of this operation: each field with its plan (or None). The
        # grouped field set is kept with its entry, so its id is not reused meanwhile.
        self._selection_plans: dict[int, tuple[Any, list[Entry]]] = {}
        # Per (object type, field group): the plans when every selected field is a leaf.
        self._leaf_objects: dict[tuple[str, int], tuple[Any, list[tuple[str, Leaf]] | None]] = {}

    def _selection_plan(
        self, parent_type: GraphQLObjectType, grouped_field_set: Any
    ) -> list[Entry]:
        key = id(grouped_field_set)
        known = self._selection_plans.get(key)
        if known is None or known[0] is not grouped_field_set:
            middleware = self.middleware_manager
            plain = not (middleware and middleware.middlewares)
            entries: list[Entry] = []
            for response_name, field_details_list in grouped_field_set.items():
                node = field_details_list[0].node
                plan = (
                    _plan_for(parent_type.fields.get(node.name.value))
                    if plain and not node.arguments
                    else None
                )
                entries.append((response_name, field_details_list, plan))
            known = self._selection_plans[key] = (grouped_field_set, entries)
        return known[1]

    def _leaf_object(
        self, object_type: GraphQLObjectType, field_details_list: Any
    ) -> list[tuple[str, Leaf]] | None:
        key = (object_type.name, id(field_details_list))
        known = self._leaf_objects.get(key)
        if known is None or known[0] is not field_details_list:
            grouped_field_set, new_defer_usages, _ = self.collect_subfields(
                object_type, field_details_list
            )
            entries = self._selection_plan(object_type, grouped_field_set)
            leaves: list[tuple[str, Leaf]] = [
                (name, plan) for name, _, plan in entries if _is_leaf(plan)
            ]
            whole = not new_defer_usages and len(leaves) == len(entries)
            known = self._leaf_objects[key] = (
                field_details_list,
                leaves if whole else None,
            )
        return known[1]

    def _complete_leaf_object(
        self, object_type: GraphQLObjectType, field_details_list: Any, info: Any, result: Any
    ) -> Any:
        """The object's answer read in one loop, or FULL_PATH."""
        leaves = self._leaf_object(object_type, field_details_list)
        if leaves is None:
            return FULL_PATH
        is_type_of = object_type.is_type_of
        if is_type_of is not None and type(result) is not _origin(object_type):
            try:
                if is_type_of(result, info) is not True:
                    return FULL_PATH
            except Exception:  # the full path reports it, with its location
                return FULL_PATH
        completed = {}
        for response_name, plan in leaves:
            value = read_leaf(plan, result)
            if value is FULL_PATH:
                return FULL_PATH
            completed[response_name] = value
        return completed

    def _complete_leaf_objects(
        self, list_type: GraphQLList[Any], field_details_list: Any, info: Any, items: Any
    ) -> Any:
        """A list of non-null objects of leaves read in one loop, or FULL_PATH."""
        item_type = list_type.of_type
        if not isinstance(item_type, GraphQLNonNull) or not isinstance(
            item_type.of_type, GraphQLObjectType
        ):
            return FULL_PATH
        object_type = item_type.of_type
        completed = []
        for item in items:
            value = (
                self._complete_leaf_object(object_type, field_details_list, info, item)
                if item is not None
                else FULL_PATH
            )
            if value is FULL_PATH:
                return FULL_PATH
            completed.append(value)
        return completed

    def _read_held_object(self, plan: Holder, source: Any, field_details_list: Any) -> Any:
        read, name, object_type, non_null = plan
        try:
            value = read(source, name)
        except Exception:  # the full path reports it, with its location
            return FULL_PATH
        if value is None:
            return FULL_PATH if non_null else None
        return self._complete_leaf_object(object_type, field_details_list, None, value)

    def complete_value(  # type: ignore[no-untyped-def]
        self, return_type, field_details_list, info, path, result, position_context
    ):
        """An object all of whose selected fields are leaves (a measurement's period and
        value), or a list of such objects, is completed in one loop; anything else, and any
        null or error met on the way, as graphql-core does."""
        named = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
        if result is not None:
            if isinstance(named, GraphQLObjectType):
                completed = self._complete_leaf_object(named, field_details_list, info, result)
                if completed is not FULL_PATH:
                    return completed
            elif isinstance(named, GraphQLList) and isinstance(result, list | tuple):
                items = self._complete_leaf_objects(named, field_details_list, info, result)
                if items is not FULL_PATH:
                    return items
        return super().complete_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def execute_fields(  # type: ignore[no-untyped-def]
        self, parent_type, source_value, path, grouped_field_set, position_context
    ):
        """graphql-core's execute_fields, except that a planned field is answered in place,
        without a path, a resolve-info record or a resolver call; a null or an error there
        takes the full path, which reports it as graphql-core would."""
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list, plan in self._selection_plan(
                parent_type, grouped_field_set
            ):
                if plan is not None:
                    value = (
                        read_leaf(plan, source_value)
                        if _is_leaf(plan)
                        else self._read_held_object(
                            cast(Holder, plan), source_value, field_details_list
                        )
                    )
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
