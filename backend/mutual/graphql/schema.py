"""The schema class: strawberry's, with Mutual's error logging (mutual/schema.py builds it)."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from mutual.graphql.extensions import log_unexpected


class MutualSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Expected errors are answers, not incidents: only unexpected ones are logged.
        log_unexpected(errors)
