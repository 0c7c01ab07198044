"""GraphQL types of the reports."""

from __future__ import annotations

import enum
from datetime import date, datetime

import strawberry
from strawberry.types import Info

from mutual.governance.reports import models
from mutual.governance.reports.errors import ReportErrorCode
from mutual.governance.reports.loaders import report_loaders
from mutual.governance.reports.models import ReportCadence
from mutual.governance.reports.service import may_publish
from mutual.governance.reports.snapshot import tables
from mutual.graphql.context import Context
from mutual.graphql.errors import UserError
from mutual.graphql.ids import to_global_id
from mutual.graphql.node import Node
from mutual.graphql.records import record_field
from mutual.tenancy.types import Party, party_of
from mutual.tenancy.workspace import Workspace


class ReportFileKind(enum.StrEnum):
    PDF = "PDF"
    JSON = "JSON"


for _enum in (ReportCadence, ReportErrorCode, ReportFileKind):
    strawberry.enum(_enum)


@strawberry.type(description="One section of a report: a table of printed cells.")
class ReportSection:
    key: str
    title: str
    notes: list[str]
    columns: list[str]
    rows: list[list[str]]


@strawberry.type(description="A side's receipt of a report: who, when, and the hash read.")
class ReportAcknowledgement:
    acknowledged_by_name: str
    acknowledged_at: datetime
    sha256: str
    record: strawberry.Private[models.ReportAcknowledgement]
    workspace: strawberry.Private[Workspace]

    @strawberry.field
    def party(self) -> Party:
        return party_of(self.workspace, self.record.party_id)


def download_path(report_id: object, name: str) -> str:
    return f"/api/reports/{report_id}/{name}"


@strawberry.type(
    description="A risk and compliance report: a frozen snapshot of the partnership as of a "
    "date, hashed (sha256 of its canonical JSON) and immutable."
)
class Report(Node):
    title: str = record_field("title", str)
    as_of: date = record_field("as_of", date)
    sha256: str = record_field("sha256", str, description="sha256 of the canonical JSON.")
    audit_head_hash: str | None = record_field(
        "audit_head_hash",
        str | None,
        description="The hash of the latest shared audit event when it was generated.",
    )
    generated_at: datetime = record_field("created_at", datetime)
    record: strawberry.Private[models.Report]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, report: models.Report, workspace: Workspace) -> Report:
        return cls(raw_id=report.id, record=report, workspace=workspace)

    @strawberry.field(description="The side that generated and published it.")
    def owner_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)

    @strawberry.field(description="Whether a schedule generated it.")
    def scheduled(self) -> bool:
        return self.record.schedule_id is not None

    @strawberry.field(description="Download paths (session cookie or API token).")
    def pdf_url(self) -> str:
        return download_path(to_global_id("Report", self.raw_id), "report.pdf")

    @strawberry.field
    def csv_url(self) -> str:
        return download_path(to_global_id("Report", self.raw_id), "report-csv.zip")

    @strawberry.field
    def json_url(self) -> str:
        return download_path(to_global_id("Report", self.raw_id), "report.json")

    @strawberry.field(description="The snapshot's canonical JSON, as hashed.")
    async def snapshot(self, info: Info[Context, None]) -> str:
        content, _parsed, _pdf = await report_loaders(info.context).snapshot.load(self.raw_id)
        return str(content)

    @strawberry.field(description="sha256 of the PDF as generated.")
    async def pdf_sha256(self, info: Info[Context, None]) -> str:
        _content, _parsed, pdf = await report_loaders(info.context).snapshot.load(self.raw_id)
        return str(pdf)

    @strawberry.field(description="The sections, as the PDF and the CSV files print them.")
    async def sections(self, info: Info[Context, None]) -> list[ReportSection]:
        _content, parsed, _pdf = await report_loaders(info.context).snapshot.load(self.raw_id)
        return [
            ReportSection(key=t.key, title=t.title, notes=t.notes, columns=t.columns, rows=t.rows)
            for t in tables(parsed)
        ]

    @strawberry.field(description="The other side's receipt, once given.")
    async def acknowledgements(self, info: Info[Context, None]) -> list[ReportAcknowledgement]:
        found = await report_loaders(info.context).acknowledgements.load(self.raw_id)
        return [
            ReportAcknowledgement(
                acknowledged_by_name=name,
                acknowledged_at=ack.acknowledged_at,
                sha256=ack.sha256,
                record=ack,
                workspace=self.workspace,
            )
            for ack, name in found
        ]

    @strawberry.field(description="Whether you may acknowledge it now (the other side's report).")
    async def viewer_can_acknowledge(self, info: Info[Context, None]) -> bool:
        workspace = self.workspace
        if self.record.owner_party_id == workspace.own_party.id or not may_publish(workspace):
            return False
        found = await report_loaders(info.context).acknowledgements.load(self.raw_id)
        return all(ack.party_id != workspace.own_party.id for ack, _name in found)


@strawberry.type(description="Reports generated by themselves, monthly or quarterly.")
class ReportSchedule(Node):
    title: str = record_field("title", str)
    cadence: ReportCadence = record_field("cadence", ReportCadence, convert=ReportCadence)
    next_run_on: date = record_field("next_run_on", date)
    active: bool = record_field("active", bool)
    version: int = record_field("version", int)
    record: strawberry.Private[models.ReportSchedule]
    workspace: strawberry.Private[Workspace]

    @classmethod
    def from_model(cls, schedule: models.ReportSchedule, workspace: Workspace) -> ReportSchedule:
        return cls(raw_id=schedule.id, record=schedule, workspace=workspace)

    @strawberry.field
    def owner_party(self) -> Party:
        return party_of(self.workspace, self.record.owner_party_id)


@strawberry.type(description="A file checked against the record: the report it matches.")
class ReportVerification:
    kind: ReportFileKind
    sha256: str
    report: Report


@strawberry.type
class ReportError(UserError):
    code: ReportErrorCode
