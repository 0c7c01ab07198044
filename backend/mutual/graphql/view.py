"""The /graphql endpoint: strawberry's ASGI view with Mutual's context and error codes."""

from __future__ import annotations

from typing import Any

import orjson
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.types import ExecutionResult

from mutual.config import Settings
from mutual.db import Database
from mutual.graphql.context import Context, Credentials
from mutual.graphql.extensions import PRE_EXECUTION_CODES, error_code, is_unexpected, masked
from mutual.kit.hub import EventHub
from mutual.kit.request import bearer_secret, current_request_id


def credentials_of(request: Request | WebSocket, settings: Settings) -> Credentials:
    secret = bearer_secret(request.headers.get("authorization", ""))
    if secret is not None:
        return Credentials(bearer_secret=secret)
    return Credentials(session_secret=request.cookies.get(settings.session_cookie))


class MutualGraphQL(GraphQL[Context, None]):
    def __init__(
        self, schema: BaseSchema, *, database: Database, settings: Settings, events: EventHub
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.is_development else None,
            allow_queries_via_get=True,
            allowed_origins=[settings.public_url],
        )
        self.database = database
        self.settings = settings
        self.events = events

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response: Response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as error:
            # Refusals before execution get the same coded shape as every other error.
            response = _refusal(error)
        await response(scope, receive, send)

    def encode_json(self, data: object) -> str:
        # A dashboard's answer is some 50 kB: orjson writes it about ten times faster. Text,
        # not bytes, so WebSocket messages stay text frames as graphql-transport-ws wants.
        return orjson.dumps(data).decode()

    def decode_json(self, data: str | bytes) -> object:
        decoded = super().decode_json(data)
        if not isinstance(decoded, dict | list):
            raise HTTPException(400, 'Send a JSON object: {"query": "...", "variables": {...}}.')
        return decoded

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(
            request=request,
            response=response,
            settings=self.settings,
            database=self.database,
            request_id=current_request_id(),
            credentials=credentials_of(request, self.settings),
            events=self.events,
            splices_json=self.settings.executor == "fast",
        )

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response: dict[str, Any] = dict(await super().process_result(request, result))
        if result.errors:
            response["errors"] = [_with_code(error) for error in result.errors]
        return response  # type: ignore[return-value]


def _refusal(error: HTTPException) -> JSONResponse:
    codes = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
    code = next(
        (c for fragment, c in PRE_EXECUTION_CODES if fragment in error.reason),
        codes.get(error.status_code, "BAD_REQUEST"),
    )
    body = {"errors": [{"message": error.reason, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=error.status_code)


def _with_code(error: GraphQLError) -> dict[str, Any]:
    """Every error leaves with a code; one that escaped the operation's own shaping (raised
    around execution rather than in a field) is masked here, its details already logged."""
    if not (error.extensions or {}).get("code") and is_unexpected(error):
        assert error.original_error is not None
        error = masked(error.original_error, current_request_id())
    formatted: dict[str, Any] = dict(error.formatted)
    extensions = dict(formatted.get("extensions") or {})
    extensions.setdefault("code", error_code(error))
    formatted["extensions"] = extensions
    return formatted
