"""Checks of a request before it runs: the document's validation (cached, and outside development
without "Did you mean ...?" suggestions, which would map the schema for a stranger), the NUL
character in any text it carries, and its variables coerced the same way."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    StringValueNode,
    get_variable_values,
    validate,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

# strawberry's validation adds these to the operation's rules (strawberry.schema.schema
# .validate_document); validating without it, so must this (tests/graphql/test_private_names.py).
STRAWBERRY_RULES: tuple[type[ASTValidationRule], ...] = (
    MaybeNullValidationRule,
    OneOfInputValidationRule,
)

# Parsed and validated documents kept per process; bounded, since clients choose the texts.
DOCUMENT_CACHE_SIZE = 256

NUL = "\x00"
NUL_MESSAGE = "Text may not contain the NUL character (U+0000)."


class NoNulInText(ASTValidationRule):
    """A string literal holding U+0000: PostgreSQL text cannot store it, so no field takes it."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if NUL in node.value:
            self.report_error(
                GraphQLError(NUL_MESSAGE, node, extensions={"code": "BAD_USER_INPUT"})
            )


def _holds_nul(value: Any) -> bool:
    # Iterative: variables are client-chosen and may nest deeper than the recursion limit.
    pending = [value]
    while pending:
        current = pending.pop()
        if isinstance(current, str):
            if NUL in current:
                return True
        elif isinstance(current, dict):
            # Keys too: a JSON scalar's object is stored as jsonb, which refuses U+0000 as well.
            pending.extend(current.keys())
            pending.extend(current.values())
        elif isinstance(current, list):
            pending.extend(current)
    return False


def variable_errors(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    variables: dict[str, Any] | None,
    *,
    hide_suggestions: bool,
) -> list[GraphQLError]:
    """What is wrong with the operation's variables, before it runs: a NUL character in any text
    (for every String input, whatever field it is for), and, without suggestions, what
    graphql-core's own coercion would report with them."""
    if not variables:
        return []
    for name, value in variables.items():
        if _holds_nul(value):
            return [
                GraphQLError(
                    f"Variable '${name}': {NUL_MESSAGE}", extensions={"code": "BAD_USER_INPUT"}
                )
            ]
    if not hide_suggestions or not operation.variable_definitions:
        return []
    coerced = get_variable_values(
        schema, operation.variable_definitions, variables, max_errors=50, hide_suggestions=True
    )
    return coerced if isinstance(coerced, list) else []


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def _validate(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
    hide_suggestions: bool,
) -> list[GraphQLError]:
    every_rule = (*rules, *STRAWBERRY_RULES)
    return validate(schema, document, every_rule, hide_suggestions=hide_suggestions)


class CachedValidation(SchemaExtension):
    """strawberry's ValidationCache, with graphql-core's `hide_suggestions` switch: the errors of
    each (document, rules) are kept, since a client sends the same few documents again."""

    def __init__(self, *, hide_suggestions: bool) -> None:
        super().__init__()
        self.hide_suggestions = hide_suggestions

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        # Set before strawberry validates: it then keeps these errors instead of validating.
        context.pre_execution_errors = _validate(
            context.schema._schema,
            context.graphql_document,
            tuple(context.validation_rules),
            self.hide_suggestions,
        )
        yield
