"""Report downloads over HTTP: the PDF, the CSV files (zipped) and the snapshot JSON, to a
signed-in member (session cookie) or an API token with `reports:read` (or `read`), checked as
the API checks them; NOT_FOUND (404) for what the caller cannot read, existing or not."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mutual.auth import service as auth_service
from mutual.db import Database
from mutual.graphql.ids import parse_global_id
from mutual.kit.errors import DomainError
from mutual.kit.principal import Principal
from mutual.kit.request import bearer_secret
from mutual.reports import render, service

NAMES = {
    "report.pdf": "application/pdf",
    "report-csv.zip": "application/zip",
    "report.json": "application/json",
}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def download(request: Request) -> Response:
    name = request.path_params["name"]
    parsed = parse_global_id(request.path_params["report_id"])
    if name not in NAMES or parsed is None or parsed[0] != "Report":
        return _error(404, "NOT_FOUND", "No such report download.")
    database: Database = request.app.state.database
    settings = request.app.state.settings
    secret = bearer_secret(request.headers.get("authorization", ""))
    cookie = request.cookies.get(settings.session_cookie)
    async with database.session() as session, session.begin():
        actor: Principal | None = None
        if secret is not None:
            actor = await auth_service.authenticate_bearer(session, secret)
        elif cookie:
            actor = await auth_service.authenticate_session(session, cookie)
        if actor is None:
            return _error(401, "UNAUTHENTICATED", "Sign in, or send a valid API token.")
        try:
            report, content, pdf = await service.download(session, actor=actor, report_id=parsed[1])
        except DomainError as error:
            if error.code == "NOT_FOUND":
                return _error(404, "NOT_FOUND", "No report with this id is visible to you.")
            return _error(403, error.code, error.message)
    stem = f"report-{report.as_of.isoformat()}-{report.sha256[:12]}"
    if name == "report.pdf":
        body, filename = pdf, f"{stem}.pdf"
    elif name == "report.json":
        body, filename = content.encode("utf-8"), f"{stem}.json"
    else:
        body, filename = render.csv_zip(json.loads(content), report.sha256), f"{stem}-csv.zip"
    return Response(
        body,
        media_type=NAMES[name],
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "private, no-store",
            "x-report-sha256": report.sha256,
        },
    )


routes = [Route("/api/reports/{report_id}/{name}", download, methods=["GET"])]
