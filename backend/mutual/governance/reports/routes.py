"""Report downloads over HTTP: the PDF, the CSV files (zipped) and the snapshot JSON, to a
signed-in member (session cookie) or an API token with `reports:read` (or `read`), checked as
the API checks them; NOT_FOUND (404) for what the caller cannot read, existing or not."""

from __future__ import annotations

import json

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mutual.auth import service as auth_service
from mutual.db import Database
from mutual.governance.reports import render, service
from mutual.graphql.ids import parse_global_id, to_global_id
from mutual.kit.errors import DomainError
from mutual.kit.principal import Principal
from mutual.kit.request import bearer_secret

NAMES = {
    "report.pdf": "application/pdf",
    "report-csv.zip": "application/zip",
    "report.json": "application/json",
}


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def _actor(request: Request, session: AsyncSession) -> Principal | None:
    """Who the request's token or session cookie names, with that identity set in `session`."""
    secret = bearer_secret(request.headers.get("authorization", ""))
    if secret is not None:
        return await auth_service.authenticate_bearer(session, secret)
    cookie = request.cookies.get(request.app.state.settings.session_cookie)
    return await auth_service.authenticate_session(session, cookie) if cookie else None


async def download(request: Request) -> Response:
    name = request.path_params["name"]
    parsed = parse_global_id(request.path_params["report_id"])
    if name not in NAMES or parsed is None or parsed[0] != "Report":
        return _error(404, "NOT_FOUND", "No such report download.")
    database: Database = request.app.state.database
    async with database.session() as session, session.begin():
        actor = await _actor(request, session)
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


async def verify(request: Request) -> Response:
    """POST the file itself (a PDF or JSON body; with a token, or a session with the CSRF
    header): 200 with the report it matches, else 422 (TAMPERED, NOT_A_REPORT, INVALID) or 404."""
    data = await request.body()
    database: Database = request.app.state.database
    async with database.session() as session, session.begin():
        actor = await _actor(request, session)
        if actor is None:
            return _error(401, "UNAUTHENTICATED", "Sign in, or send a valid API token.")
        try:
            found = await service.verify_file(session, actor=actor, data=data)
        except DomainError as error:
            status = {"NOT_FOUND": 404, "FORBIDDEN": 403}.get(error.code, 422)
            return _error(status, error.code, error.message)
        report = found.report
        side = found.workspace.party(report.owner_party_id).label
    return JSONResponse(
        {
            "verified": True,
            "kind": found.kind,
            "sha256": found.sha256,
            "report": {
                "id": to_global_id("Report", report.id),
                "title": report.title,
                "asOf": report.as_of.isoformat(),
                "generatedAt": report.created_at.isoformat(),
                "publishedBy": side,
                "partnership": found.workspace.partnership.name,
            },
        }
    )


routes = [
    Route("/api/reports/verify", verify, methods=["POST"]),
    Route("/api/reports/{report_id}/{name}", download, methods=["GET"]),
]
