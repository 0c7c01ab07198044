"""The per-operation context: settings, the transaction, the caller, and the data loaders."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from mutual.config import Settings
from mutual.db import Database
from mutual.kit.errors import Unauthenticated
from mutual.kit.hub import EventHub
from mutual.kit.principal import Principal

L = TypeVar("L")


@dataclass(frozen=True)
class Credentials:
    """What the request presented; checked against the database inside the transaction."""

    session_secret: str | None = None
    bearer_secret: str | None = None

    @property
    def present(self) -> bool:
        return bool(self.session_secret or self.bearer_secret)


class Authenticator(Protocol):
    """Who presented these secrets (auth.service is one): the toolkit knows no domain."""

    async def authenticate_bearer(self, session: AsyncSession, secret: str) -> Principal | None: ...

    async def authenticate_session(
        self, session: AsyncSession, secret: str
    ) -> Principal | None: ...


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket | None
    settings: Settings
    database: Database
    request_id: str
    credentials: Credentials
    events: EventHub
    # Whether list resolvers may answer with JSON built in PostgreSQL (graphql/json_lists.py):
    # only where the fast executor runs and orjson writes the answer.
    splices_json: bool = False
    session: AsyncSession | None = None
    principal: Principal | None = None
    # Set with the operation's transaction (graphql/extensions.py), for `authenticate`.
    authenticator: Authenticator | None = None
    # Per operation: each domain's data loaders, made when first asked for (see `loaders`).
    _loaders: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def db(self) -> AsyncSession:
        assert self.session is not None, "no transaction is open for this operation"
        return self.session

    @property
    def actor(self) -> Principal:
        if self.principal is None:
            raise Unauthenticated("Sign in, or send a valid API token, to use this API.")
        return self.principal

    async def authenticate(self, session: AsyncSession) -> Principal | None:
        """Whom the presented credentials name now, by the database, with that identity set in
        `session`'s transaction; None for no credentials, or a session or token that has ended.
        Long-lived operations (subscriptions) ask again while they run."""
        credentials = self.credentials
        assert self.authenticator is not None, "no operation is running"
        if credentials.bearer_secret:
            return await self.authenticator.authenticate_bearer(session, credentials.bearer_secret)
        if credentials.session_secret:
            return await self.authenticator.authenticate_session(
                session, credentials.session_secret
            )
        return None

    def loaders(self, kind: Callable[[AsyncSession], L]) -> L:
        """A domain's loaders for this operation (`kind(session)`, made once): every domain
        keeps its own in its `loaders.py`, so the toolkit knows none of them."""
        made = self._loaders.get(kind)
        if made is None:
            made = self._loaders[kind] = kind(self.db)
        return made

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[Any]:
        """A mutation's writes: all of them, or none when it raises (userErrors included)."""
        async with self.db.begin_nested() as nested:
            yield nested


_operation: ContextVar[Context | None] = ContextVar("mutual_operation", default=None)


def enter_operation(context: Context) -> None:
    """Make `context` the running operation's (each operation runs in a task of its own)."""
    _operation.set(context)


def operation_context() -> Context:
    """The running operation's context, for fields that read prefetched data without `info`:
    graphql/execution.py answers those in its loop, without a resolve-info record each."""
    context = _operation.get()
    assert context is not None, "no GraphQL operation is running"
    return context
