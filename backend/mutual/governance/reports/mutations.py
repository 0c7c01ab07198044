"""Report mutations: generate, acknowledge, verify a copy, schedule and cancel a schedule."""

from __future__ import annotations

import base64
import binascii
from datetime import date

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.governance.reports import models, service
from mutual.governance.reports.errors import ReportErrorCode
from mutual.governance.reports.models import ReportCadence
from mutual.governance.reports.service import Verification
from mutual.governance.reports.types import (
    Report,
    ReportError,
    ReportFileKind,
    ReportSchedule,
    ReportVerification,
)
from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id
from mutual.kit.errors import Invalid
from mutual.kit.principal import Principal
from mutual.tenancy.workspace import Workspace

Change = tuple[Workspace, models.Report]
ScheduleChange = tuple[Workspace, models.ReportSchedule]


@strawberry.input
class GenerateReportInput:
    partnership_id: strawberry.ID
    as_of: date | None = strawberry.field(default=None, description="Today when omitted.")
    title: str | None = None


@strawberry.input
class AcknowledgeReportInput:
    report_id: strawberry.ID
    sha256: str = strawberry.field(description="The report's sha256 as you read it.")


@strawberry.input
class VerifyReportInput:
    file: str = strawberry.field(description="The PDF or JSON file, base64-encoded.")


@strawberry.input
class CreateReportScheduleInput:
    partnership_id: strawberry.ID
    cadence: ReportCadence
    title: str | None = None
    first_run_on: date | None = strawberry.field(
        default=None, description="The first of next month (or quarter) when omitted."
    )


@strawberry.input
class CancelReportScheduleInput:
    schedule_id: strawberry.ID
    expected_version: int


@strawberry.type
class ReportPayload:
    report: Report | None
    user_errors: list[ReportError]


@strawberry.type
class VerifyReportPayload:
    verification: ReportVerification | None
    user_errors: list[ReportError]


@strawberry.type
class ReportSchedulePayload:
    schedule: ReportSchedule | None
    user_errors: list[ReportError]


REPORT: MutationAnswer[Change, ReportPayload] = MutationAnswer(
    ReportPayload,
    field="report",
    shape=lambda change: Report.from_model(change[1], change[0]),
    error=ReportError,
    codes=ReportErrorCode,
)
VERIFICATION: MutationAnswer[Verification, VerifyReportPayload] = MutationAnswer(
    VerifyReportPayload,
    field="verification",
    shape=lambda v: ReportVerification(
        kind=ReportFileKind(v.kind),
        sha256=v.sha256,
        report=Report.from_model(v.report, v.workspace),
    ),
    error=ReportError,
    codes=ReportErrorCode,
)
SCHEDULE: MutationAnswer[ScheduleChange, ReportSchedulePayload] = MutationAnswer(
    ReportSchedulePayload,
    field="schedule",
    shape=lambda change: ReportSchedule.from_model(change[1], change[0]),
    error=ReportError,
    codes=ReportErrorCode,
)


def decode_file(value: str) -> bytes:
    try:
        return base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise Invalid("Send the file base64-encoded.", field="file") from error


@strawberry.type
class ReportMutation:
    @strawberry.mutation(description="Generate a report as of a date: a frozen, hashed snapshot.")
    async def generate_report(
        self,
        info: Info[Context, None],
        input: GenerateReportInput,  # noqa: A002
    ) -> ReportPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            return await service.generate_report(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                as_of=input.as_of,
                title=input.title,
            )

        return await REPORT.run(info, call)

    @strawberry.mutation(description="Acknowledge the other side's report, naming its hash.")
    async def acknowledge_report(
        self,
        info: Info[Context, None],
        input: AcknowledgeReportInput,  # noqa: A002
    ) -> ReportPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            return await service.acknowledge_report(
                session,
                actor=actor,
                report_id=decode_id(input.report_id, "Report", field="reportId"),
                sha256=input.sha256,
            )

        return await REPORT.run(info, call)

    @strawberry.mutation(
        description="Check a report's PDF or JSON against the record: the report of your "
        "partnerships it matches, or TAMPERED, NOT_FOUND, NOT_A_REPORT. Changes nothing."
    )
    async def verify_report(
        self,
        info: Info[Context, None],
        input: VerifyReportInput,  # noqa: A002
    ) -> VerifyReportPayload:
        async def call(session: AsyncSession, actor: Principal) -> Verification:
            return await service.verify_file(session, actor=actor, data=decode_file(input.file))

        return await VERIFICATION.run(info, call)

    @strawberry.mutation(description="Generate reports monthly or quarterly, as you.")
    async def create_report_schedule(
        self,
        info: Info[Context, None],
        input: CreateReportScheduleInput,  # noqa: A002
    ) -> ReportSchedulePayload:
        async def call(session: AsyncSession, actor: Principal) -> ScheduleChange:
            return await service.create_schedule(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                cadence=input.cadence,
                title=input.title,
                first_run_on=input.first_run_on,
            )

        return await SCHEDULE.run(info, call)

    @strawberry.mutation(description="Stop a report schedule (its reports stay).")
    async def cancel_report_schedule(
        self,
        info: Info[Context, None],
        input: CancelReportScheduleInput,  # noqa: A002
    ) -> ReportSchedulePayload:
        async def call(session: AsyncSession, actor: Principal) -> ScheduleChange:
            return await service.cancel_schedule(
                session,
                actor=actor,
                schedule_id=decode_id(input.schedule_id, "ReportSchedule", field="scheduleId"),
                expected_version=input.expected_version,
            )

        return await SCHEDULE.run(info, call)
