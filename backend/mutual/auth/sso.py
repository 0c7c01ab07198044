"""OIDC single sign-on per organization (authorization code + PKCE). Routes are added here."""

from __future__ import annotations

from starlette.routing import Route

routes: list[Route] = []
