"""One transaction per operation, the cost budget, and the shape of every error."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, get_operation_ast
from graphql.language import FragmentDefinitionNode
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.extensions import SchemaExtension

from mutual.db import is_unavailable, settle
from mutual.graphql.context import Authenticator as Authenticator
from mutual.graphql.context import Context, enter_operation
from mutual.graphql.limits import Budget, PrincipalBudget, operation_cost
from mutual.graphql.validation import variable_errors
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


def masked(
    failure: BaseException, request_id: str, *, nodes: Any = None, path: Any = None
) -> GraphQLError:
    """What a client hears of an unexpected failure: a code and a generic message, never the
    library's text (SQL, errno, file names). A database outage is SERVICE_UNAVAILABLE, anything
    else INTERNAL_SERVER_ERROR; both quote the request id the server logged the details under."""
    if is_unavailable(failure):
        return GraphQLError(
            "The service is temporarily unavailable; try again shortly. "
            f"Quote request id {request_id} if it persists.",
            nodes=nodes,
            path=path,
            extensions={"code": "SERVICE_UNAVAILABLE", "requestId": request_id},
        )
    return GraphQLError(
        f"Internal server error. Quote request id {request_id} when you report it.",
        nodes=nodes,
        path=path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )


def shape_error(error: GraphQLError, request_id: str) -> GraphQLError:
    """A coded error for the client; an unexpected one is masked and carries the request id."""
    if (error.extensions or {}).get("code"):
        return error
    if is_unexpected(error):
        assert error.original_error is not None
        return masked(error.original_error, request_id, nodes=error.nodes, path=error.path)
    extensions: dict[str, Any] = {"code": error_code(error)}
    if isinstance(error.original_error, DomainError) and error.original_error.field:
        extensions["field"] = error.original_error.field
    return GraphQLError(error.message, nodes=error.nodes, path=error.path, extensions=extensions)


class OperationLifecycle(SchemaExtension):
    """Opens the operation's transaction with the caller's identity, enforces the cost
    budgets, commits only when nothing unexpected failed, and shapes the errors."""

    # Without one of its own (MUTUAL_BUDGET_DIR, schema.build_schema), every schema of the
    # process shares this one.
    budget: Budget = PrincipalBudget()

    def __init__(self, *, authenticator: Authenticator, budget: Budget | None = None) -> None:
        super().__init__()
        self.authenticator = authenticator
        if budget is not None:
            self.budget = budget

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
            try:
                await self._authenticate(context)
            except GraphQLError:
                raise
            except Exception as failure:
                # Raised here, the library's text would become the answer: masked instead.
                log_failure(failure, "authenticating")
                raise masked(failure, context.request_id) from None
            yield
            await self._finish(self.execution_context.result)
        finally:
            await self._close(session)

    async def _close(self, session: AsyncSession) -> None:
        """Roll back what was not committed and give the connection back; a failure here (the
        database gone) is logged, never the answer."""
        try:
            await settle(session)
            if not self._committed:
                await session.rollback()
            await session.close()
        except Exception as failure:
            log_failure(failure, "closing the transaction of")

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
            # Statements of fields cancelled by a failing sibling finish first (db.SettlingSession).
            unheard = await settle(context.db)
            if not any(is_unexpected(error) for error in errors):
                try:
                    if unheard:
                        raise unheard[0]
                    await context.db.commit()
                    self._committed = True
                except Exception as failure:
                    log_failure(failure, "committing")
                    if result is not None:
                        # Nothing was committed: no part of the answer may say otherwise.
                        result.data = None
                        result.errors = [masked(failure, context.request_id)]
                    return
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
            schema = self.execution_context.schema._schema
            variables = self.execution_context.variables
            refused = variable_errors(
                schema, operation, variables, hide_suggestions=not context.settings.is_development
            )
            if refused:
                self.execution_context.result = GraphQLExecutionResult(data=None, errors=refused)
                yield
                return
            fragments = {
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            }
            cost = operation_cost(schema, operation, fragments, variables)
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


def log_failure(failure: BaseException, doing: str) -> None:
    log.error("unexpected error %s request %s", doing, request_id_var.get(), exc_info=failure)


def log_unexpected(errors: list[GraphQLError]) -> None:
    for error in errors:
        if is_unexpected(error):
            log.error(
                "unexpected error in request %s at %s",
                request_id_var.get(),
                error.path,
                exc_info=error.original_error,
            )
