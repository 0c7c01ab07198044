"""What reports add to `Partnership`: `reports`, `reportSchedules`, `viewerCanPublishReports`."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from mutual.governance.reports.queries import reports_for, schedules_for
from mutual.governance.reports.service import may_publish
from mutual.governance.reports.types import Report, ReportSchedule
from mutual.graphql.context import Context
from mutual.graphql.pagination import Connection, connection
from mutual.kit.pagination import PageRequest
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="ReportsPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(description="Risk and compliance reports, newest first.")
    @connection
    async def reports(self, info: Info[Context, None], page: PageRequest) -> Connection[Report]:
        return await reports_for(info, self.workspace, page)

    @strawberry.field(description="The schedules that generate reports by themselves.")
    async def report_schedules(self, info: Info[Context, None]) -> list[ReportSchedule]:
        return await schedules_for(info, self.workspace)

    @strawberry.field(
        description="Whether you may generate, schedule and acknowledge reports "
        "(GOVERNANCE or LEAD of your side)."
    )
    def viewer_can_publish_reports(self) -> bool:
        return may_publish(self.workspace)
