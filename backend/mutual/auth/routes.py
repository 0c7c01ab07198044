"""Browser authentication endpoints under /auth/: password login and logout."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mutual.auth import service
from mutual.auth.service import LoginRefused
from mutual.config import Settings
from mutual.db import Database


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def set_session_cookie(response: Response, settings: Settings, secret: str) -> None:
    response.set_cookie(
        settings.session_cookie,
        secret,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


def client_ip(request: Request) -> str:
    """The client's address: the TCP peer's, or what a trusted proxy forwarded (app.py's
    TrustedProxyMiddleware, MUTUAL_TRUSTED_PROXIES)."""
    return request.client.host if request.client else "unknown"


async def login(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    database: Database = request.app.state.database
    try:
        body: Any = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, "BAD_REQUEST", 'Send JSON: {"email": ..., "password": ...}.')
    email = body.get("email") if isinstance(body, dict) else None
    password = body.get("password") if isinstance(body, dict) else None
    if not isinstance(email, str) or not isinstance(password, str) or not email or not password:
        return _error(400, "BAD_REQUEST", "Both email and password are required.")
    if "\x00" in email or "\x00" in password:
        # PostgreSQL text cannot hold U+0000; no account has it.
        return _error(400, "BAD_REQUEST", "Text may not contain the NUL character (U+0000).")
    async with database.session() as session:
        outcome = await service.login(
            session,
            email=email.strip()[:320],
            password=password[:1024],
            source=client_ip(request),
            settings=settings,
        )
    if isinstance(outcome, LoginRefused):
        return _error(outcome.status, outcome.code, outcome.message)
    new = outcome
    response = JSONResponse(
        {"user": {"email": new.user.email, "displayName": new.user.display_name}}
    )
    set_session_cookie(response, settings, new.secret)
    return response


async def logout(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    database: Database = request.app.state.database
    secret = request.cookies.get(settings.session_cookie)
    if secret:
        async with database.session() as session, session.begin():
            await service.logout(session, secret=secret)
    response = JSONResponse({"ok": True})
    response.delete_cookie(settings.session_cookie, path="/")
    return response


routes = [
    Route("/auth/login", login, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
]
