"""One transaction per operation, the cost budget, and the shape of every error."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, get_operation_ast
from graphql.language import FragmentDefinitionNode
from strawberry.extensions import SchemaExtension

from mutual.graphql.context import Authenticator as Authenticator
from mutual.graphql.context import Context, enter_operation
from mutual.graphql.limits import PrincipalBudget, operation_cost
from mutual.kit.errors import DomainError, LimitExceeded, Unauthenticated
from mutual.kit.request import request_id_var

log = logging.getLogger("mutual.graphql")

EXPECTED = (DomainError, LimitExceeded, Unauthenticated)
PRE_EXECUTION_CODES = (
    ("exceeds maximum operation depth", "QUERY_TOO_DEEP"),
    ("aliases found. Allowed", "TOO_MANY_ALIASES"),
    ("tokens. Parsing aborted", "TOO_MANY_TOKENS"),
    ("Syntax Error", "GRAPHQL_PARSE_FAILED"),
    ("Variable '$", "BAD_USER_INPUT"),
    ("not allowed", "OPERATION_NOT_ALLOWED"),
)


def is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, (*EXPECTED, GraphQLError))


def error_code(error: GraphQLError) -> str:
    original = error.original_error
    if isinstance(original, Unauthenticated):
        return "UNAUTHENTICATED"
    if isinstance(original, LimitExceeded | DomainError):
        return original.code
    for fragment, code in PRE_EXECUTION_CODES:
        if fragment in error.message:
            return code
    return "GRAPHQL_VALIDATION_FAILED"


def shape_error(error: GraphQLError, request_id: str) -> GraphQLError:
    """A coded error for the client; an unexpected one is masked and carries the request id."""
    if (error.extensions or {}).get("code"):
        return error
    if is_unexpected(error):
        return GraphQLError(
            f"Internal server error. Quote request id {request_id} when you report it.",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        )
    extensions: dict[str, Any] = {"code": error_code(error)}
    if isinstance(error.original_error, DomainError) and error.original_error.field:
        extensions["field"] = error.original_error.field
    return GraphQLError(error.message, nodes=error.nodes, path=error.path, extensions=extensions)


class OperationLifecycle(SchemaExtension):
    """Opens the operation's transaction with the caller's identity, enforces the cost
    budgets, commits only when nothing unexpected failed, and shapes the errors."""

    budget = PrincipalBudget()

    def __init__(self, *, authenticator: Authenticator) -> None:
        super().__init__()
        self.authenticator = authenticator

    async def on_operation(self) -> AsyncIterator[None]:
        shared: Context = self.execution_context.context
        # Operations on one WebSocket share the connection's context: each gets its own copy,
        # so concurrent operations never share a transaction, a principal or data loaders.
        session = shared.database.session()
        context = dataclasses.replace(
            shared,
            session=session,
            principal=None,
            authenticator=self.authenticator,
            _loaders={},
        )
        self.execution_context.context = context
        enter_operation(context)
        self._finished = False
        self._committed = False
        try:
            await self._authenticate(context)
            yield
            await self._finish(self.execution_context.result)
        finally:
            if not self._committed:
                await session.rollback()
            await session.close()

    async def on_stream_result(self, result: Any) -> AsyncIterator[None]:
        # Streaming transports (WebSocket) send each result before on_operation resumes: the
        # first is committed before it leaves, so no client hears of a write then rolled back.
        await self._finish(result)
        yield

    async def _finish(self, result: Any) -> None:
        """Commit (once) unless something unexpected failed; give every error its code."""
        context: Context = self.execution_context.context
        errors = list(getattr(result, "errors", None) or [])
        if not self._finished:
            self._finished = True
            if not any(is_unexpected(error) for error in errors):
                await context.db.commit()
                self._committed = True
        if result is not None and errors:
            result.errors = [shape_error(error, context.request_id) for error in errors]

    async def _authenticate(self, context: Context) -> None:
        context.principal = await context.authenticate(context.db)
        if context.principal is None and context.credentials.bearer_secret:
            raise GraphQLError(
                "The API token is unknown, expired or revoked.",
                extensions={"code": "UNAUTHENTICATED"},
            )

    def on_execute(self) -> Any:
        context: Context = self.execution_context.context
        document = self.execution_context.graphql_document
        operation = (
            get_operation_ast(document, self.execution_context.operation_name) if document else None
        )
        if operation is not None and document is not None:
            fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            schema = self.execution_context.schema._schema
            cost = operation_cost(schema, operation, fragments, self.execution_context.variables)
            error = self._over_budget(context, cost)
            if error is not None:
                self.execution_context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield

    def _over_budget(self, context: Context, cost: int) -> GraphQLError | None:
        settings = context.settings
        if cost > settings.max_cost:
            return GraphQLError(
                f"This query costs {cost}; the limit is {settings.max_cost}. "
                "Ask for smaller pages or fewer nested connections.",
                extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "limit": settings.max_cost},
            )
        key = context.principal.key if context.principal else f"anonymous:{_client(context)}"
        if not self.budget.charge(key, cost, settings.principal_cost_per_minute):
            return GraphQLError(
                "You have used your query budget for this minute; slow down and retry.",
                extensions={"code": "RATE_LIMITED"},
            )
        return None


def _client(context: Context) -> str:
    client = context.request.client
    return client.host if client else "unknown"


def log_unexpected(errors: list[GraphQLError]) -> None:
    for error in errors:
        if is_unexpected(error):
            log.error(
                "unexpected error in request %s at %s",
                request_id_var.get(),
                error.path,
                exc_info=error.original_error,
            )
