"""Report rules: a side's GOVERNANCE members or LEADs generate a report as of a date (a frozen,
hashed snapshot of every domain's report section); the other side acknowledges it (who, when,
the hash); anyone of the partnership can check a copy (PDF or JSON) against the record;
schedules generate reports monthly or quarterly as the person who created them."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.governance.reports import render, repository
from mutual.governance.reports.errors import ReportErrorCode as Code
from mutual.governance.reports.models import (
    Report,
    ReportAcknowledgement,
    ReportCadence,
    ReportSchedule,
)
from mutual.governance.reports.snapshot import FORMAT, canonical, sha256_hex
from mutual.kit import notices
from mutual.kit import reports as report_sections
from mutual.kit.clock import today, utcnow
from mutual.kit.errors import DomainError, Forbidden, Invalid, NotFound
from mutual.kit.notices import Notice
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.principal import Principal, user_principal
from mutual.kit.records import Visibility, apply_versioned
from mutual.kit.scopes import Scope
from mutual.tenancy.models import WorkspaceRole
from mutual.tenancy.workspace import Workspace, load_workspace, record_workspace

log = logging.getLogger(__name__)

# Who publishes and acknowledges reports for a side (org admins too).
REPORT_ROLES = frozenset({WorkspaceRole.GOVERNANCE, WorkspaceRole.LEAD})
NOTICE_KINDS = {
    "reports.published": "A report of the partner to acknowledge",
    "reports.acknowledged": "The partner acknowledged a report",
}
# verifyReport takes files up to this size (the request body limit applies first).
MAX_FILE_BYTES = 20 * 1024 * 1024


def read_scope(actor: Principal) -> Scope:
    """Reports are read with a session, or a token with `reports:read` (or `read`)."""
    return Scope.REPORTS_READ if Scope.REPORTS_READ in actor.scopes else Scope.READ


def may_publish(workspace: Workspace) -> bool:
    return workspace.actor.token_id is None and (
        workspace.role in REPORT_ROLES or workspace.actor.is_org_admin
    )


def _check_title(title: str) -> str:
    if not title.strip() or len(title.strip()) > 200:
        raise Invalid("Give a title of 1 to 200 characters.", field="title")
    return title.strip()


def end_of(day: date) -> datetime:
    """The last moment of a UTC day, or now for today: what a report as of `day` shows."""
    return min(datetime.combine(day, time.max, UTC), utcnow())


async def list_reports(
    session: AsyncSession, workspace: Workspace, *, page: PageRequest
) -> Page[Report]:
    return await repository.reports_page(
        session, workspace.id, viewer_party_id=workspace.own_party.id, page=page
    )


async def readable_report(
    session: AsyncSession, *, actor: Principal, report_id: uuid.UUID
) -> tuple[Workspace, Report]:
    """A report the caller may read (NOT_FOUND otherwise, tokens with a reading scope)."""
    return await record_workspace(
        session,
        actor=actor,
        record=await repository.report(session, report_id),
        what="report",
        field="reportId",
        scope=read_scope(actor),
    )


async def build_snapshot(
    session: AsyncSession,
    workspace: Workspace,
    *,
    report_id: uuid.UUID,
    title: str,
    as_of: date,
    generated_at: datetime,
) -> dict[str, Any]:
    """Every domain's section as of the end of `as_of`, with who generated it and the head of
    the audit chain at that moment."""
    moment = end_of(as_of)
    parties = await repository.parties_named(session, workspace.id)
    head = await repository.audit_head(session, workspace.id)
    sections = []
    for key, section in report_sections.SECTIONS:
        made = dict(await section(session, workspace, moment))
        sections.append({"key": key, **made})
    return {
        "format": FORMAT,
        "reportId": str(report_id),
        "title": title,
        "partnership": {"id": str(workspace.id), "name": workspace.partnership.name},
        "parties": [
            {"id": str(pid), "label": label, "organization": org} for pid, label, org in parties
        ],
        "asOf": as_of.isoformat(),
        "generatedAt": generated_at.astimezone(UTC).isoformat(timespec="seconds"),
        "generatedBy": {
            "name": workspace.actor.display_name,
            "side": workspace.own_party.label,
        },
        "auditHead": head,
        "sections": sections,
    }


async def generate_report(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    as_of: date | None = None,
    title: str | None = None,
    schedule_id: uuid.UUID | None = None,
) -> tuple[Workspace, Report]:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    actor.require_session("Generating a report")
    workspace.require_role(REPORT_ROLES, "Generating a report")
    workspace.require_active()
    day = as_of or today()
    if day > today():
        raise Invalid("A report is of a day that has begun: today or earlier.", field="asOf")
    name = _check_title(title if title is not None else f"Risk and compliance report as of {day}")
    report_id = uuid.uuid4()
    generated_at = utcnow()
    snapshot = await build_snapshot(
        session, workspace, report_id=report_id, title=name, as_of=day, generated_at=generated_at
    )
    content = canonical(snapshot)
    digest = sha256_hex(content)
    # reportlab is CPU work: off the event loop, so other requests go on meanwhile.
    pdf = await asyncio.to_thread(render.pdf, snapshot, content, digest)
    report = await repository.insert_report(
        session,
        partnership_id=workspace.id,
        id=report_id,
        title=name,
        as_of=day,
        sha256=digest,
        audit_head_hash=snapshot["auditHead"],
        schedule_id=schedule_id,
        owner_party_id=workspace.own_party.id,
        visibility=Visibility.SHARED,
        created_by=actor.user_id,
        created_at=generated_at,
        updated_at=generated_at,
    )
    await repository.insert_document(
        session,
        partnership_id=workspace.id,
        report_id=report.id,
        content=content.decode("utf-8"),
        pdf=pdf,
        pdf_sha256=sha256_hex(pdf),
    )
    await audit.workspace_change(
        session,
        workspace,
        target=report,
        action="report.generated",
        changes=audit.created(
            {"title": name, "as_of": day, "sha256": digest, "scheduled": schedule_id is not None}
        ),
    )
    if workspace.counterparty is not None:
        await notices.send(
            session,
            Notice(
                partnership_id=workspace.id,
                kind="reports.published",
                party_id=workspace.counterparty.id,
                subject_type="Report",
                subject_id=report.id,
                title=f"{workspace.own_party.label} published “{name}”: please acknowledge it",
                body=f"As of {day.isoformat()}. sha256 {digest}.",
                roles=tuple(sorted(REPORT_ROLES)),
            ),
        )
    return workspace, report


async def acknowledge_report(
    session: AsyncSession, *, actor: Principal, report_id: uuid.UUID, sha256: str
) -> tuple[Workspace, Report]:
    """The other side says it received this report, naming the hash it read."""
    workspace, report = await record_workspace(
        session,
        actor=actor,
        record=await repository.report(session, report_id),
        what="report",
        field="reportId",
    )
    actor.require_session("Acknowledging a report")
    workspace.require_role(REPORT_ROLES, "Acknowledging a report")
    if report.owner_party_id == workspace.own_party.id:
        raise DomainError(
            Code.OWN_SIDE,
            "This report is your side's: the other side acknowledges it.",
            field="reportId",
        )
    workspace.require_active()
    if sha256.strip().lower() != report.sha256:
        raise DomainError(
            Code.HASH_MISMATCH,
            f"This report's sha256 is {report.sha256}, not the one given: reload it and read "
            "it again.",
            field="sha256",
        )
    done = await repository.acknowledgements_of(session, [report.id])
    if any(ack.party_id == workspace.own_party.id for ack, _name in done):
        raise DomainError(
            Code.ALREADY_ACKNOWLEDGED, "Your side already acknowledged this report.", field=None
        )
    ack = await repository.insert_acknowledgement(
        session,
        partnership_id=workspace.id,
        report_id=report.id,
        party_id=workspace.own_party.id,
        user_id=actor.user_id,
        sha256=report.sha256,
    )
    await audit.record(
        session,
        partnership_id=workspace.id,
        actor_user_id=actor.user_id,
        actor_party_id=workspace.own_party.id,
        action="report.acknowledged",
        object_type="Report",
        object_id=report.id,
        owner_party_id=report.owner_party_id,
        changes=audit.created({"acknowledged_by": actor.display_name, "sha256": ack.sha256}),
    )
    await notices.send(
        session,
        Notice(
            partnership_id=workspace.id,
            kind="reports.acknowledged",
            party_id=report.owner_party_id,
            subject_type="Report",
            subject_id=report.id,
            title=f"{workspace.own_party.label} acknowledged “{report.title}”",
            body=f"By {actor.display_name}, sha256 {report.sha256}.",
        ),
    )
    return workspace, report


async def acknowledgements(
    session: AsyncSession, report_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[ReportAcknowledgement, str]]]:
    found: dict[uuid.UUID, list[tuple[ReportAcknowledgement, str]]] = {i: [] for i in report_ids}
    for ack, name in await repository.acknowledgements_of(session, report_ids):
        found[ack.report_id].append((ack, name))
    return found


async def download(
    session: AsyncSession, *, actor: Principal, report_id: uuid.UUID
) -> tuple[Report, str, bytes]:
    """The report, its canonical JSON and its PDF, for the download routes."""
    _workspace, report = await readable_report(session, actor=actor, report_id=report_id)
    content, pdf, _pdf_sha = (await repository.documents(session, [report.id], with_pdf=True))[
        report.id
    ]
    assert pdf is not None
    return report, content, pdf


# --- verifying a copy ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    workspace: Workspace
    report: Report
    kind: str  # PDF or JSON
    sha256: str  # of the snapshot


def _not_a_report(why: str) -> DomainError:
    return DomainError(Code.NOT_A_REPORT, f"This file is not a Mutual report: {why}.", field="file")


def _tampered(report: Report, what: str) -> DomainError:
    return DomainError(
        Code.TAMPERED,
        f"This {what} names the report “{report.title}” (as of {report.as_of.isoformat()}), "
        f"but it differs from that report as generated (sha256 {report.sha256}): it was changed.",
        field="file",
    )


async def _visible(
    session: AsyncSession, actor: Principal, candidates: list[Report]
) -> tuple[Workspace, Report] | None:
    for report in candidates:
        try:
            return await readable_report(session, actor=actor, report_id=report.id)
        except DomainError as error:
            if error.code != "NOT_FOUND":
                raise
    return None


async def _named(
    session: AsyncSession, actor: Principal, snapshot: Any
) -> tuple[Workspace, Report] | None:
    """The report a snapshot names by its id, if the caller may read it."""
    try:
        report_id = uuid.UUID(str(snapshot.get("reportId")))
    except ValueError:
        return None
    report = await repository.report(session, report_id)
    return await _visible(session, actor, [report] if report is not None else [])


def _parse(data: bytes) -> Any:
    try:
        snapshot = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise _not_a_report("it is neither a PDF nor JSON") from error
    if not isinstance(snapshot, dict) or snapshot.get("format") != FORMAT:
        raise _not_a_report(f'its JSON has no "format": "{FORMAT}"')
    return snapshot


async def verify_file(session: AsyncSession, *, actor: Principal, data: bytes) -> Verification:
    """Whether a PDF or JSON copy is one of the caller's partnerships' reports as generated:
    which one, or TAMPERED (it names one but differs), NOT_FOUND (no report the caller may
    read), NOT_A_REPORT."""
    if not data:
        raise Invalid("The file is empty.", field="file")
    if len(data) > MAX_FILE_BYTES:
        raise Invalid(f"The file is larger than {MAX_FILE_BYTES} bytes.", field="file")
    if data.startswith(b"%PDF-"):
        exact = await repository.report_with_pdf(session, sha256_hex(data))
        found = await _visible(session, actor, [exact] if exact is not None else [])
        if found is not None:
            return Verification(found[0], found[1], "PDF", found[1].sha256)
        attached = render.attached_json(data)
        if attached is None:
            raise _not_a_report("the PDF has no report.json attached")
        named = await _named(session, actor, _parse(attached))
        if named is None:
            raise NotFound("report of your partnerships that this PDF names", field="file")
        raise _tampered(named[1], "PDF")
    snapshot = _parse(data)
    digest = sha256_hex(canonical(snapshot))
    found = await _visible(session, actor, await repository.reports_with_sha256(session, digest))
    if found is not None:
        return Verification(found[0], found[1], "JSON", digest)
    named = await _named(session, actor, snapshot)
    if named is None:
        raise NotFound("report of your partnerships with this content", field="file")
    raise _tampered(named[1], "JSON file")


# --- schedules -------------------------------------------------------------------------------


def months_after(day: date, months: int) -> date:
    """The same day of the month `months` later (the 28th at most, so every month has it)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, 28))


def first_run(cadence: ReportCadence, day: date) -> date:
    """The first day of the next month, or of the next quarter."""
    if cadence == ReportCadence.MONTHLY:
        return months_after(day.replace(day=1), 1)
    quarter_start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return months_after(quarter_start, 3)


async def list_schedules(session: AsyncSession, workspace: Workspace) -> list[ReportSchedule]:
    return await repository.schedules_of(
        session, workspace.id, viewer_party_id=workspace.own_party.id
    )


async def create_schedule(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    cadence: ReportCadence,
    title: str | None = None,
    first_run_on: date | None = None,
) -> tuple[Workspace, ReportSchedule]:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    actor.require_session("Scheduling reports")
    workspace.require_role(REPORT_ROLES, "Scheduling reports")
    workspace.require_active()
    start = first_run_on or first_run(cadence, today())
    if start < today():
        raise Invalid("The first report cannot be due in the past.", field="firstRunOn")
    if start > today() + timedelta(days=366):
        raise Invalid("The first report must be due within a year.", field="firstRunOn")
    name = _check_title(
        title if title is not None else f"{cadence.title()} risk and compliance report"
    )
    schedule = await repository.insert_schedule(
        session,
        partnership_id=workspace.id,
        title=name,
        cadence=cadence,
        next_run_on=start,
        owner_party_id=workspace.own_party.id,
        visibility=Visibility.SHARED,
        created_by=actor.user_id,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=schedule,
        action="report_schedule.created",
        changes=audit.created({"title": name, "cadence": cadence, "next_run_on": start}),
    )
    return workspace, schedule


async def cancel_schedule(
    session: AsyncSession, *, actor: Principal, schedule_id: uuid.UUID, expected_version: int
) -> tuple[Workspace, ReportSchedule]:
    workspace, schedule = await record_workspace(
        session,
        actor=actor,
        record=await repository.schedule(session, schedule_id),
        what="report schedule",
        field="scheduleId",
    )
    actor.require_session("Cancelling a report schedule")
    if schedule.owner_party_id != workspace.own_party.id:
        raise Forbidden("Only the side that scheduled these reports can cancel them.")
    workspace.require_role(REPORT_ROLES, "Cancelling a report schedule")
    if not schedule.active:
        raise DomainError(Code.INACTIVE, "This schedule is already cancelled.", field="scheduleId")
    updated = await apply_versioned(
        session,
        workspace,
        schedule,
        expected_version=expected_version,
        values={"active": False},
        refetch=repository.schedule,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="report_schedule.cancelled",
        changes=audit.diff({"active": True}, {"active": False}),
    )
    return workspace, updated


async def run_schedule(
    session: AsyncSession, *, schedule_id: uuid.UUID, creator_id: uuid.UUID, day: date
) -> Report | None:
    """Generate the report a schedule owes on `day`, as its creator (whose identity the caller
    set), and move it to its next period; None when it is no longer due (a second run)."""
    creator = await repository.user(session, creator_id)
    schedule = await repository.schedule(session, schedule_id, for_update=True)
    if creator is None or schedule is None or not schedule.active or schedule.next_run_on > day:
        return None
    actor = user_principal(creator)
    period_end = schedule.next_run_on - timedelta(days=1)
    workspace, report = await generate_report(
        session,
        actor=actor,
        partnership_id=schedule.partnership_id,
        as_of=period_end,
        title=f"{schedule.title} — {period_end.isoformat()}",
        schedule_id=schedule.id,
    )
    next_run = months_after(schedule.next_run_on, ReportCadence(schedule.cadence).months)
    before = schedule.next_run_on
    advanced = await repository.advance_schedule(session, schedule, next_run_on=next_run)
    await audit.workspace_change(
        session,
        workspace,
        target=advanced,
        action="report_schedule.ran",
        changes=audit.diff({"next_run_on": before}, {"next_run_on": next_run}),
    )
    return report
