"""Starlette application factory: lifespan, routes and middleware."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import URL
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mutual.auth.routes import routes as auth_routes
from mutual.auth.sso import routes as sso_routes
from mutual.config import REPO_ROOT, Settings, check_production
from mutual.db import Database, is_unavailable
from mutual.graphql.view import MutualGraphQL
from mutual.kit.hub import EventHub
from mutual.kit.request import bearer_secret, new_request_id, request_id_var
from mutual.kit.worker import Worker
from mutual.schema import DOMAINS, build_schema
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


class FailureMiddleware:
    """An exception no route handled: logged with the request id and its details, answered in
    JSON with a code and a generic message, never the exception's own text (SQL, errno, paths).
    SERVICE_UNAVAILABLE (503) when the database cannot be reached, else INTERNAL_SERVER_ERROR."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_tracking)
        except Exception as failure:
            request_id = request_id_var.get()
            log.error(
                "unexpected error in request %s (%s %s)",
                request_id,
                scope["method"],
                scope["path"],
                exc_info=failure,
            )
            if started:
                raise
            await failure_response(scope["path"], failure, request_id)(scope, receive, send)


def failure_response(path: str, failure: BaseException, request_id: str) -> JSONResponse:
    if is_unavailable(failure):
        status, code = 503, "SERVICE_UNAVAILABLE"
        message = "The service is temporarily unavailable; try again shortly."
    else:
        status, code = 500, "INTERNAL_SERVER_ERROR"
        message = f"Internal server error. Quote request id {request_id} when you report it."
    if path == "/graphql":
        extensions = {"code": code, "requestId": request_id}
        return JSONResponse({"errors": [{"message": message, "extensions": extensions}]}, status)
    error = {"code": code, "message": message, "requestId": request_id}
    return JSONResponse({"error": error}, status)


class BodyLimitMiddleware:
    """Refuses a request body larger than `max_bytes` with a 413: at once when Content-Length
    says so, else while the body arrives (chunked, or a Content-Length that lies), having read
    at most `max_bytes` of it. An accepted body is handed to the application as it came."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self.too_large(scope)(scope, receive, send)
            return
        received: list[Message] = []
        size = 0
        while True:
            message = await receive()
            received.append(message)
            if message["type"] != "http.request":
                break  # the client went away: the application hears it
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await self.too_large(scope)(scope, receive, send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return received.pop(0) if received else await receive()

        await self.app(scope, replay, send)

    def too_large(self, scope: Scope) -> JSONResponse:
        message = f"The request body is larger than {self.max_bytes} bytes."
        extensions = {"code": "REQUEST_TOO_LARGE", "limit": self.max_bytes}
        if scope["path"] == "/graphql":
            body: dict[str, Any] = {"errors": [{"message": message, "extensions": extensions}]}
        else:
            body = {"error": {**extensions, "message": message}}
        # The rest of the body is never handed to the application: the server discards it as
        # it arrives, so the client (still sending) gets to read this answer.
        return JSONResponse(body, status_code=413)


class TrustedProxyMiddleware:
    """The client's address for everything downstream (sign-in limits, query budgets): the TCP
    peer's, unless the peer is a configured proxy; then the nearest address in
    X-Forwarded-For that is not one of the proxies (anything further left is the client's
    own claim). Without MUTUAL_TRUSTED_PROXIES the header is ignored."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.proxies = [ipaddress.ip_network(p, strict=False) for p in settings.trusted_proxies]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and self.proxies and client:
            forwarded = self.forwarded_client(client[0], scope["headers"])
            if forwarded is not None:
                scope = {**scope, "client": (forwarded, 0)}
        await self.app(scope, receive, send)

    def trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)

    def forwarded_client(self, peer: str, headers: list[tuple[bytes, bytes]]) -> str | None:
        if not self.trusted(peer):
            return None
        hops = [
            hop.strip()
            for name, value in headers
            if name == b"x-forwarded-for"
            for hop in value.decode("latin-1").split(",")
            if hop.strip()
        ]
        for hop in reversed(hops):
            if not self.trusted(hop):
                return hop
        return hops[0] if hops else None


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
        if bearer_secret(request.headers.get("authorization", "")) is not None:
            # Authenticated by the token alone (graphql/view.credentials_of): no cookie is used.
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


def create_app(settings: Settings, *, app_database_url: URL, run_worker: bool = False) -> Starlette:
    """The application; with `run_worker`, a job worker runs in its lifespan (`mutual serve`)."""
    check_production(settings)
    database = Database(app_database_url, pool_size=settings.db_pool_size)
    schema = build_schema(settings)
    events = EventHub(
        app_database_url,
        reconnect_first_seconds=settings.live_reconnect_first_seconds,
        reconnect_max_seconds=settings.live_reconnect_max_seconds,
        check_seconds=settings.live_listener_check_seconds,
    )
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
    routes.extend(route for domain in DOMAINS for route in domain.routes)
    if FRONTEND_DIR.is_dir():
        routes.append(Mount("/", StaticFiles(directory=FRONTEND_DIR, html=True), name="portal"))
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.settings = settings
    app.state.database = database
    app.state.schema = schema
    app.state.events = events
    app.state.worker = worker
    app.add_middleware(CsrfMiddleware, settings=settings)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(FailureMiddleware)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(TrustedProxyMiddleware, settings=settings)
    return app
