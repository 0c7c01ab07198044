"""Starlette application factory: lifespan, routes and middleware."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from sqlalchemy.engine import URL
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mutual.auth.routes import routes as auth_routes
from mutual.auth.sso import routes as sso_routes
from mutual.config import REPO_ROOT, Settings
from mutual.db import Database
from mutual.graphql.view import MutualGraphQL
from mutual.kit.hub import EventHub
from mutual.kit.request import new_request_id, request_id_var
from mutual.kit.worker import Worker
from mutual.schema import build_schema
from mutual.tasks import worker_tasks

log = logging.getLogger(__name__)

FRONTEND_DIR = REPO_ROOT / "frontend_static"
SIMPLE_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
CSRF_HEADER = "x-mutual-csrf"


class RequestIdMiddleware:
    """Gives every request an id, exposed as X-Request-Id and quoted in masked errors."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = new_request_id()
        token = request_id_var.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


class CsrfMiddleware:
    """Cookie-authenticated writes must be JSON, carry X-Mutual-CSRF, and come from our origin.

    A browser cannot send a custom header or a JSON body cross-site without a CORS preflight,
    which this app never grants; bearer-token requests carry no ambient credential.
    """

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            refusal = self.refusal(Request(scope))
            if refusal is not None:
                response = JSONResponse(
                    {"error": {"code": "CSRF_REJECTED", "message": refusal}}, status_code=403
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def refusal(self, request: Request) -> str | None:
        if request.headers.get("authorization", "").lower().startswith("bearer "):
            return None
        has_cookie = self.settings.session_cookie in request.cookies
        is_login = request.url.path == "/auth/login"
        if not has_cookie and not is_login:
            return None
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if not content_type or content_type in SIMPLE_CONTENT_TYPES:
            return "Send application/json; form and text bodies are refused."
        origin = request.headers.get("origin")
        if origin is not None and not self.same_origin(origin, request):
            return "Cross-origin requests are refused."
        if request.headers.get(CSRF_HEADER) != "1":
            return f"Send the {CSRF_HEADER}: 1 header."
        return None

    def same_origin(self, origin: str, request: Request) -> bool:
        allowed = {self.settings.public_url.rstrip("/")}
        host = request.headers.get("host")
        if host:
            allowed.add(f"{request.url.scheme}://{host}")
        parsed = urlsplit(origin)
        return f"{parsed.scheme}://{parsed.netloc}" in allowed


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok")


async def readyz(request: Request) -> Response:
    database: Database = request.app.state.database
    if await database.ping():
        return PlainTextResponse("ready")
    return PlainTextResponse("database unreachable", status_code=503)


def create_app(
    settings: Settings, *, app_database_url: URL, run_worker: bool = False
) -> Starlette:
    """The application; with `run_worker`, a job worker runs in its lifespan (`mutual serve`)."""
    database = Database(app_database_url, pool_size=settings.db_pool_size)
    schema = build_schema(settings)
    events = EventHub(app_database_url)
    graphql_app = MutualGraphQL(schema, database=database, settings=settings, events=events)
    worker = (
        Worker(worker_tasks(settings), database=database, url=app_database_url, settings=settings)
        if run_worker
        else None
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        running = asyncio.create_task(worker.run()) if worker is not None else None
        yield
        if worker is not None and running is not None:
            # No new job; the running ones finish (each within its task's timeout). Cancelled,
            # pgqueuer would drop them; a process killed meanwhile leaves them picked, and
            # another worker takes them once their heartbeat stops.
            worker.stop()
            await running
        await events.close()
        await database.dispose()

    routes: list[Route | WebSocketRoute | Mount] = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        *auth_routes,
        Route("/graphql", graphql_app, methods=["GET", "POST"]),
        WebSocketRoute("/graphql", graphql_app),
    ]
    routes.extend(sso_routes)
    if FRONTEND_DIR.is_dir():
        routes.append(Mount("/", StaticFiles(directory=FRONTEND_DIR, html=True), name="portal"))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    app.state.database = database
    app.state.schema = schema
    app.state.events = events
    app.state.worker = worker
    app.add_middleware(CsrfMiddleware, settings=settings)
    app.add_middleware(RequestIdMiddleware)
    return app
