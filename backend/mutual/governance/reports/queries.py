"""Report reads: the partnership's reports and schedules, a root field for API tokens with the
`reports:read` scope, and the Report and ReportSchedule nodes."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from mutual.governance.reports import repository, service
from mutual.governance.reports.loaders import report_loaders
from mutual.governance.reports.types import Report, ReportSchedule
from mutual.graphql.context import Context
from mutual.graphql.ids import decode_id
from mutual.graphql.node import Node, node_resolver
from mutual.graphql.pagination import Connection, connection, to_connection
from mutual.kit.pagination import PageRequest
from mutual.tenancy.loaders import node_workspace
from mutual.tenancy.workspace import Workspace, load_workspace


async def reports_for(
    info: Info[Context, None], workspace: Workspace, page: PageRequest
) -> Connection[Report]:
    found = await service.list_reports(info.context.db, workspace, page=page)
    report_loaders(info.context).report.prime_many({r.id: r for r in found.items})
    return to_connection(found, lambda r: Report.from_model(r, workspace))


async def schedules_for(info: Info[Context, None], workspace: Workspace) -> list[ReportSchedule]:
    schedules = await service.list_schedules(info.context.db, workspace)
    return [ReportSchedule.from_model(s, workspace) for s in schedules]


@strawberry.type
class ReportQuery:
    @strawberry.field(
        description="A partnership's reports, newest first: for API tokens with the "
        "`reports:read` scope (sessions read `partnership.reports` too). NOT_FOUND as a top-level "
        "error for a partnership you cannot enter."
    )
    @connection
    async def reports(
        self, info: Info[Context, None], page: PageRequest, partnership_id: strawberry.ID
    ) -> Connection[Report] | None:
        context = info.context
        actor = context.actor
        raw = decode_id(partnership_id, "Partnership", field="partnershipId")
        workspace = await load_workspace(
            context.db, actor=actor, partnership_id=raw, scope=service.read_scope(actor)
        )
        return await reports_for(info, workspace, page)


@node_resolver("Report")
async def _report_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    report = await report_loaders(context).report.load(raw_id)
    workspace = await node_workspace(context, report)
    return Report.from_model(report, workspace) if report and workspace else None


@node_resolver("ReportSchedule")
async def _schedule_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    schedule = await repository.schedule(context.db, raw_id)
    workspace = await node_workspace(context, schedule)
    return ReportSchedule.from_model(schedule, workspace) if schedule and workspace else None
