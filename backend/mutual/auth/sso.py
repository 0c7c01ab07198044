"""OIDC single sign-on per organization (authorization code + PKCE): the browser endpoints.

The state, nonce and PKCE verifier of a started login travel in a signed, short-lived,
HttpOnly cookie scoped to the callback path; the callback refuses a missing, expired or
foreign state before anything else happens.
"""

from __future__ import annotations

import html
import logging
import uuid
from typing import Any

import httpx
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from mutual.auth import sso_service
from mutual.auth.routes import set_session_cookie
from mutual.auth.sso_service import CALLBACK_PATH, PendingLogin, SsoError
from mutual.config import Settings
from mutual.db import Database

log = logging.getLogger(__name__)

_PENDING_SALT = "mutual.sso.pending"


def _serializer(settings: Settings) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.secret_key, salt=_PENDING_SALT)


def _pending_cookie_value(settings: Settings, pending: PendingLogin) -> str:
    payload = {
        "o": str(pending.organization_id),
        "s": pending.state,
        "n": pending.nonce,
        "v": pending.code_verifier,
    }
    return str(_serializer(settings).dumps(payload))


def _read_pending(request: Request, settings: Settings) -> PendingLogin | None:
    raw = request.cookies.get(settings.sso_pending_cookie)
    if not raw:
        return None
    try:
        payload: Any = _serializer(settings).loads(raw, max_age=settings.sso_pending_minutes * 60)
        return PendingLogin(
            organization_id=uuid.UUID(payload["o"]),
            state=str(payload["s"]),
            nonce=str(payload["n"]),
            code_verifier=str(payload["v"]),
        )
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def _http(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(timeout=settings.sso_http_timeout_seconds, follow_redirects=False)


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign-in refused · Mutual</title></head>
<body>
<main>
<h1>{title}</h1>
<p>{message}</p>
<p>Error code: <code>{code}</code></p>
<p><a href="/?error={code}">Back to the sign-in page</a></p>
</main>
</body></html>
"""


def _refusal(request: Request, error: SsoError) -> Response:
    if _wants_json(request):
        response: Response = JSONResponse(
            {"error": {"code": error.code, "message": error.message}}, status_code=error.status
        )
    else:
        title = "Sign-in failed" if error.status >= 500 else "Sign-in refused"
        response = HTMLResponse(
            _PAGE.format(
                title=title, message=html.escape(error.message), code=html.escape(error.code)
            ),
            status_code=error.status,
        )
    response.headers["cache-control"] = "no-store"
    return response


async def providers(request: Request) -> Response:
    database: Database = request.app.state.database
    async with database.session() as session, session.begin():
        entries = await sso_service.list_providers(session)
    return JSONResponse({"providers": [{"slug": e.slug, "name": e.name} for e in entries]})


async def start(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    database: Database = request.app.state.database
    try:
        async with database.session() as session, session.begin():
            target = await sso_service.target_by_slug(session, slug=request.path_params["slug"])
        async with _http(settings) as http:
            started = await sso_service.begin_login(target, http=http, settings=settings)
    except SsoError as error:
        log.info("sso start refused: %s", error.code)
        return _refusal(request, error)
    response = RedirectResponse(started.authorize_url, status_code=302)
    response.headers["cache-control"] = "no-store"
    response.set_cookie(
        settings.sso_pending_cookie,
        _pending_cookie_value(settings, started.pending),
        max_age=settings.sso_pending_minutes * 60,
        httponly=True,
        # Lax: the provider sends the browser back with a top-level GET, which carries it.
        samesite="lax",
        secure=settings.secure_cookies,
        path=CALLBACK_PATH,
    )
    return response


async def callback(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    database: Database = request.app.state.database
    try:
        pending, code = sso_service.check_callback(
            _read_pending(request, settings), request.query_params
        )
        async with database.session() as session, session.begin():
            target = await sso_service.target_by_id(
                session, organization_id=pending.organization_id
            )
        async with _http(settings) as http:
            identity = await sso_service.verify_identity(
                target, pending=pending, code=code, http=http, settings=settings
            )
        async with database.session() as session, session.begin():
            new = await sso_service.sign_in(session, identity=identity, settings=settings)
    except SsoError as error:
        log.info("sso callback refused: %s", error.code)
        response = _refusal(request, error)
    else:
        response = RedirectResponse("/", status_code=302)
        set_session_cookie(response, settings, new.secret)
    # The pending login is spent whatever the outcome; a retry starts afresh.
    response.delete_cookie(settings.sso_pending_cookie, path=CALLBACK_PATH)
    return response


routes: list[Route] = [
    Route("/auth/sso/providers", providers, methods=["GET"]),
    Route("/auth/sso/{slug}/start", start, methods=["GET"]),
    Route(CALLBACK_PATH, callback, methods=["GET"]),
]
