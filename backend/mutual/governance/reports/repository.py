"""Every SQL statement of the reports domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import and_, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.audit.models import AuditEvent
from mutual.governance.reports.models import (
    Report,
    ReportAcknowledgement,
    ReportDocument,
    ReportSchedule,
)
from mutual.kit.labels import Label
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.records import Visibility
from mutual.kit.repository import paginate, read_rows
from mutual.kit.visibility import readable
from mutual.tenancy.models import Organization, Party, User


async def reports_page(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    *,
    viewer_party_id: uuid.UUID,
    page: PageRequest,
) -> Page[Report]:
    """The partnership's reports, newest first."""
    stmt = (
        select(Report)
        .where(readable(Report, partnership_id=partnership_id, viewer_party_id=viewer_party_id))
        .order_by(col(Report.created_at).desc(), col(Report.id).desc())
    )
    return await paginate(session, stmt, page)


async def report(session: AsyncSession, report_id: uuid.UUID) -> Report | None:
    stmt = select(Report).where(col(Report.id) == report_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def reports_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Report]:
    stmt = select(Report).where(col(Report.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def reports_with_sha256(session: AsyncSession, sha256: str) -> list[Report]:
    """Reports of the partnerships the caller may enter (row-level security) with this hash."""
    stmt = select(Report).where(col(Report.sha256) == sha256)
    return list((await session.execute(stmt)).scalars().all())


async def report_with_pdf(session: AsyncSession, pdf_sha256: str) -> Report | None:
    stmt = (
        select(Report)
        .join(
            ReportDocument,
            and_(
                col(ReportDocument.partnership_id) == col(Report.partnership_id),
                col(ReportDocument.report_id) == col(Report.id),
            ),
        )
        .where(col(ReportDocument.pdf_sha256) == pdf_sha256)
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def documents(
    session: AsyncSession, report_ids: Sequence[uuid.UUID], *, with_pdf: bool = False
) -> dict[uuid.UUID, tuple[str, bytes | None, str]]:
    """(content, pdf or None, pdf sha256) by report id."""
    columns = [
        col(ReportDocument.report_id),
        col(ReportDocument.content),
        col(ReportDocument.pdf_sha256),
    ]
    if with_pdf:
        columns.append(col(ReportDocument.pdf))
    stmt = select(*columns).where(col(ReportDocument.report_id).in_(report_ids))
    rows = await read_rows(session, stmt)
    return {r[0]: (r[1], r[3] if with_pdf else None, r[2]) for r in rows}


async def insert_report(session: AsyncSession, **values: Any) -> Report:
    stmt = insert(Report).values(**values).returning(Report)
    return (await session.execute(stmt)).scalar_one()


async def insert_document(session: AsyncSession, **values: Any) -> None:
    await session.execute(insert(ReportDocument).values(**values))


async def acknowledgements_of(
    session: AsyncSession, report_ids: Sequence[uuid.UUID]
) -> list[tuple[ReportAcknowledgement, str]]:
    """Each report's acknowledgements with the acknowledging person's name (empty if the reader
    may not see that person any more), oldest first."""
    stmt = (
        select(ReportAcknowledgement, func.coalesce(col(User.display_name), ""))
        .outerjoin(User, col(User.id) == col(ReportAcknowledgement.user_id))
        .where(col(ReportAcknowledgement.report_id).in_(report_ids))
        .order_by(col(ReportAcknowledgement.acknowledged_at), col(ReportAcknowledgement.id))
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def insert_acknowledgement(session: AsyncSession, **values: Any) -> ReportAcknowledgement:
    stmt = insert(ReportAcknowledgement).values(**values).returning(ReportAcknowledgement)
    return (await session.execute(stmt)).scalar_one()


async def audit_head(session: AsyncSession, partnership_id: uuid.UUID) -> str | None:
    """The hash of the partnership's latest SHARED audit event (both sides can read it)."""
    stmt = (
        select(col(AuditEvent.hash))
        .where(
            col(AuditEvent.partnership_id) == partnership_id,
            col(AuditEvent.visibility) == Visibility.SHARED,
        )
        .order_by(col(AuditEvent.seq).desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def parties_named(session: AsyncSession, partnership_id: uuid.UUID) -> list[tuple[Any, ...]]:
    """(party id, label, organization name) of both sides, by label."""
    stmt = (
        select(col(Party.id), col(Party.label), col(Organization.name))
        .join(Organization, col(Organization.id) == col(Party.organization_id))
        .where(col(Party.partnership_id) == partnership_id)
        .order_by(col(Party.label), col(Party.id))
    )
    return [tuple(r) for r in await read_rows(session, stmt)]


async def user(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    stmt = select(User).where(col(User.id) == user_id, col(User.is_active))
    return (await session.execute(stmt)).scalar_one_or_none()


async def schedules_of(
    session: AsyncSession, partnership_id: uuid.UUID, *, viewer_party_id: uuid.UUID
) -> list[ReportSchedule]:
    stmt = (
        select(ReportSchedule)
        .where(
            readable(ReportSchedule, partnership_id=partnership_id, viewer_party_id=viewer_party_id)
        )
        .order_by(col(ReportSchedule.created_at), col(ReportSchedule.id))
    )
    return list((await session.execute(stmt)).scalars().all())


async def schedule(
    session: AsyncSession, schedule_id: uuid.UUID, *, for_update: bool = False
) -> ReportSchedule | None:
    stmt = select(ReportSchedule).where(col(ReportSchedule.id) == schedule_id)
    if for_update:
        stmt = stmt.with_for_update()
    options = {"populate_existing": True}
    return (await session.execute(stmt, execution_options=options)).scalar_one_or_none()


async def insert_schedule(session: AsyncSession, **values: Any) -> ReportSchedule:
    stmt = insert(ReportSchedule).values(**values).returning(ReportSchedule)
    return (await session.execute(stmt)).scalar_one()


async def advance_schedule(
    session: AsyncSession, schedule: ReportSchedule, *, next_run_on: date
) -> ReportSchedule:
    stmt = (
        update(ReportSchedule)
        .where(
            col(ReportSchedule.partnership_id) == schedule.partnership_id,
            col(ReportSchedule.id) == schedule.id,
        )
        .values(next_run_on=next_run_on, version=col(ReportSchedule.version) + 1)
        .returning(ReportSchedule)
    )
    options = {"populate_existing": True, "synchronize_session": False}
    return (await session.execute(stmt, execution_options=options)).scalar_one()


async def due_schedules(
    session: AsyncSession, day: date
) -> list[tuple[uuid.UUID, uuid.UUID, uuid.UUID]]:
    """(partnership id, schedule id, creator) of the schedules due on `day`, for the job worker
    (it has no identity: a SECURITY DEFINER function of migration 0016 lists them)."""
    rows = await session.execute(
        text("SELECT partnership_id, schedule_id, created_by FROM mutual_reports_due(:day)"),
        {"day": day},
    )
    return [(r[0], r[1], r[2]) for r in rows.all()]


async def report_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    stmt = select(col(Report.id), col(Report.title)).where(
        readable(Report, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(Report.id).in_(ids),
    )
    return {r[0]: Label(r[1], "Report", r[0]) for r in await read_rows(session, stmt)}


async def schedule_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    stmt = select(col(ReportSchedule.id), col(ReportSchedule.title)).where(
        readable(ReportSchedule, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(ReportSchedule.id).in_(ids),
    )
    return {r[0]: Label(r[1], "ReportSchedule", r[0]) for r in await read_rows(session, stmt)}


async def awaiting_acknowledgement(
    session: AsyncSession, partnership_id: uuid.UUID, *, party_id: uuid.UUID
) -> list[Report]:
    """The other side's reports that `party_id` has not acknowledged, oldest first."""
    acknowledged = select(col(ReportAcknowledgement.report_id)).where(
        col(ReportAcknowledgement.partnership_id) == partnership_id,
        col(ReportAcknowledgement.party_id) == party_id,
    )
    stmt = (
        select(Report)
        .where(
            col(Report.partnership_id) == partnership_id,
            col(Report.visibility) == Visibility.SHARED,
            col(Report.owner_party_id) != party_id,
            col(Report.id).not_in(acknowledged),
        )
        .order_by(col(Report.created_at), col(Report.id))
        .limit(100)
    )
    return list((await session.execute(stmt)).scalars().all())
