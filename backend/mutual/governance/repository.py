"""Every SQL statement of the governance domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from mutual.governance.models import (
    Decision,
    DecisionApprover,
    DecisionVote,
    Disclosure,
    DisclosureAcknowledgement,
    DisclosureAttachment,
    DisclosureFile,
    DisclosureVersion,
    VersionStatus,
)
from mutual.kit.labels import Label
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.records import Visibility
from mutual.kit.repository import columns_of, paginate, read_only, read_rows
from mutual.kit.visibility import readable
from mutual.tenancy.models import WorkspaceMember

# --- disclosures ---------------------------------------------------------------------------


async def insert_disclosure(session: AsyncSession, **values: Any) -> Disclosure:
    stmt = insert(Disclosure).values(**values).returning(Disclosure)
    return (await session.execute(stmt)).scalar_one()


async def disclosure(session: AsyncSession, disclosure_id: uuid.UUID) -> Disclosure | None:
    stmt = select(Disclosure).where(col(Disclosure.id) == disclosure_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def disclosures_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Disclosure]:
    stmt = select(*columns_of(Disclosure)).where(col(Disclosure.id).in_(ids))
    return read_only(Disclosure, await read_rows(session, stmt))


async def disclosures_page(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    page: PageRequest,
    *,
    viewer_party_id: uuid.UUID,
) -> Page[Disclosure]:
    stmt = (
        select(*columns_of(Disclosure))
        .where(readable(Disclosure, partnership_id=partnership_id, viewer_party_id=viewer_party_id))
        .order_by(col(Disclosure.created_at).desc(), col(Disclosure.id))
    )
    return await paginate(session, stmt, page, model=Disclosure)


async def share_disclosure(session: AsyncSession, record: Disclosure, *, title: str) -> Disclosure:
    """On publishing: SHARED, titled as the published version."""
    stmt = (
        update(Disclosure)
        .where(
            col(Disclosure.partnership_id) == record.partnership_id,
            col(Disclosure.id) == record.id,
        )
        .values(
            title=title,
            visibility=Visibility.SHARED,
            version=col(Disclosure.version) + 1,
            updated_at=func.now(),
        )
        .returning(Disclosure)
    )
    options = {"populate_existing": True, "synchronize_session": False}
    return (await session.execute(stmt, execution_options=options)).scalar_one()


# --- versions ------------------------------------------------------------------------------


async def insert_version(session: AsyncSession, **values: Any) -> DisclosureVersion:
    stmt = insert(DisclosureVersion).values(**values).returning(DisclosureVersion)
    return (await session.execute(stmt)).scalar_one()


async def version(session: AsyncSession, version_id: uuid.UUID) -> DisclosureVersion | None:
    stmt = select(DisclosureVersion).where(col(DisclosureVersion.id) == version_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def versions_by_id(
    session: AsyncSession, ids: Sequence[uuid.UUID]
) -> list[DisclosureVersion]:
    stmt = select(*columns_of(DisclosureVersion)).where(col(DisclosureVersion.id).in_(ids))
    return read_only(DisclosureVersion, await read_rows(session, stmt))


async def versions_of(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    disclosure_ids: Sequence[uuid.UUID],
    *,
    viewer_party_id: uuid.UUID,
) -> list[DisclosureVersion]:
    """The versions of these disclosures the viewer's side may read, by number."""
    stmt = (
        select(*columns_of(DisclosureVersion))
        .where(
            readable(
                DisclosureVersion, partnership_id=partnership_id, viewer_party_id=viewer_party_id
            ),
            col(DisclosureVersion.disclosure_id).in_(disclosure_ids),
        )
        .order_by(col(DisclosureVersion.disclosure_id), col(DisclosureVersion.number))
    )
    return read_only(DisclosureVersion, await read_rows(session, stmt))


async def all_versions_of(
    session: AsyncSession, partnership_id: uuid.UUID, disclosure_id: uuid.UUID
) -> list[DisclosureVersion]:
    """Every version of one disclosure (its owner side reads them all), by number."""
    stmt = (
        select(DisclosureVersion)
        .where(
            col(DisclosureVersion.partnership_id) == partnership_id,
            col(DisclosureVersion.disclosure_id) == disclosure_id,
        )
        .order_by(col(DisclosureVersion.number))
    )
    return list((await session.execute(stmt)).scalars().all())


async def update_version(
    session: AsyncSession, record: DisclosureVersion, *, expected_version: int, **values: Any
) -> DisclosureVersion | None:
    stmt = (
        update(DisclosureVersion)
        .where(
            col(DisclosureVersion.partnership_id) == record.partnership_id,
            col(DisclosureVersion.id) == record.id,
            col(DisclosureVersion.version) == expected_version,
        )
        .values(**values, version=col(DisclosureVersion.version) + 1, updated_at=func.now())
        .returning(DisclosureVersion)
    )
    options = {"populate_existing": True, "synchronize_session": False}
    return (await session.execute(stmt, execution_options=options)).scalar_one_or_none()


def _latest_published_filter(version_model: Any) -> Any:
    later = aliased(DisclosureVersion)
    return ~exists().where(
        col(later.partnership_id) == col(version_model.partnership_id),
        col(later.disclosure_id) == col(version_model.disclosure_id),
        col(later.status) == VersionStatus.PUBLISHED,
        col(later.number) > col(version_model.number),
    )


async def pending_acknowledgements(
    session: AsyncSession, partnership_id: uuid.UUID, *, viewer_party_id: uuid.UUID
) -> list[DisclosureVersion]:
    """The other side's latest published versions that the viewer's side has not acknowledged."""
    v = DisclosureVersion
    stmt = (
        select(*columns_of(v))
        .where(
            col(v.partnership_id) == partnership_id,
            col(v.status) == VersionStatus.PUBLISHED,
            col(v.owner_party_id) != viewer_party_id,
            _latest_published_filter(v),
            ~exists().where(
                col(DisclosureAcknowledgement.partnership_id) == col(v.partnership_id),
                col(DisclosureAcknowledgement.version_id) == col(v.id),
                col(DisclosureAcknowledgement.owner_party_id) == viewer_party_id,
            ),
        )
        .order_by(col(v.published_at), col(v.id))
    )
    return read_only(v, await read_rows(session, stmt))


async def pending_everywhere(session: AsyncSession) -> list[Any]:
    """Across partnerships, for the reminder task (a SECURITY DEFINER function, migration 0015)."""
    stmt = text(
        "SELECT partnership_id, version_id, disclosure_id, number, title, owner_party_id, "
        "party_id, published_at FROM governance_pending_acknowledgements()"
    )
    return list((await session.execute(stmt)).all())


# --- files and attachments -----------------------------------------------------------------


async def insert_file(session: AsyncSession, **values: Any) -> uuid.UUID:
    stmt = insert(DisclosureFile).values(**values).returning(col(DisclosureFile.id))
    return uuid.UUID(str((await session.execute(stmt)).scalar_one()))


async def file_content(
    session: AsyncSession, partnership_id: uuid.UUID, file_id: uuid.UUID
) -> bytes | None:
    stmt = select(col(DisclosureFile.content)).where(
        col(DisclosureFile.partnership_id) == partnership_id, col(DisclosureFile.id) == file_id
    )
    value = (await session.execute(stmt)).scalar_one_or_none()
    return bytes(value) if value is not None else None


async def share_files(
    session: AsyncSession, partnership_id: uuid.UUID, file_ids: Sequence[uuid.UUID]
) -> None:
    await session.execute(
        update(DisclosureFile)
        .where(
            col(DisclosureFile.partnership_id) == partnership_id,
            col(DisclosureFile.id).in_(file_ids),
            col(DisclosureFile.visibility) == Visibility.INTERNAL,
        )
        .values(visibility=Visibility.SHARED),
        execution_options={"synchronize_session": False},
    )


async def insert_attachment(session: AsyncSession, **values: Any) -> DisclosureAttachment:
    stmt = insert(DisclosureAttachment).values(**values).returning(DisclosureAttachment)
    return (await session.execute(stmt)).scalar_one()


async def attachments_of(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    version_ids: Sequence[uuid.UUID],
    *,
    viewer_party_id: uuid.UUID,
) -> list[DisclosureAttachment]:
    a = DisclosureAttachment
    stmt = (
        select(*columns_of(a))
        .where(
            readable(a, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
            col(a.version_id).in_(version_ids),
        )
        .order_by(col(a.version_id), col(a.filename), col(a.id))
    )
    return read_only(a, await read_rows(session, stmt))


async def share_attachments(
    session: AsyncSession, partnership_id: uuid.UUID, version_id: uuid.UUID
) -> None:
    await session.execute(
        update(DisclosureAttachment)
        .where(
            col(DisclosureAttachment.partnership_id) == partnership_id,
            col(DisclosureAttachment.version_id) == version_id,
        )
        .values(visibility=Visibility.SHARED),
        execution_options={"synchronize_session": False},
    )


async def delete_attachment(
    session: AsyncSession, partnership_id: uuid.UUID, attachment_id: uuid.UUID
) -> None:
    stmt = delete(DisclosureAttachment).where(
        col(DisclosureAttachment.partnership_id) == partnership_id,
        col(DisclosureAttachment.id) == attachment_id,
    )
    await session.execute(stmt, execution_options={"synchronize_session": False})


async def delete_unused_file(
    session: AsyncSession, partnership_id: uuid.UUID, file_id: uuid.UUID
) -> None:
    """A draft's file no attachment holds any more (a published one is kept, and immutable)."""
    held = select(col(DisclosureAttachment.id)).where(
        col(DisclosureAttachment.partnership_id) == partnership_id,
        col(DisclosureAttachment.file_id) == file_id,
    )
    stmt = delete(DisclosureFile).where(
        col(DisclosureFile.partnership_id) == partnership_id,
        col(DisclosureFile.id) == file_id,
        col(DisclosureFile.visibility) == Visibility.INTERNAL,
        ~held.exists(),
    )
    await session.execute(stmt, execution_options={"synchronize_session": False})


async def attachment(
    session: AsyncSession, attachment_id: uuid.UUID
) -> DisclosureAttachment | None:
    stmt = select(*columns_of(DisclosureAttachment)).where(
        col(DisclosureAttachment.id) == attachment_id
    )
    found = read_only(DisclosureAttachment, await read_rows(session, stmt))
    return found[0] if found else None


# --- acknowledgements ----------------------------------------------------------------------


async def insert_acknowledgement(session: AsyncSession, **values: Any) -> DisclosureAcknowledgement:
    stmt = insert(DisclosureAcknowledgement).values(**values).returning(DisclosureAcknowledgement)
    return (await session.execute(stmt)).scalar_one()


async def acknowledgements_of(
    session: AsyncSession, partnership_id: uuid.UUID, version_ids: Sequence[uuid.UUID]
) -> list[DisclosureAcknowledgement]:
    a = DisclosureAcknowledgement
    stmt = (
        select(*columns_of(a))
        .where(col(a.partnership_id) == partnership_id, col(a.version_id).in_(version_ids))
        .order_by(col(a.acknowledged_at), col(a.id))
    )
    return read_only(a, await read_rows(session, stmt))


# --- decisions -----------------------------------------------------------------------------


async def insert_decision(session: AsyncSession, **values: Any) -> Decision:
    stmt = insert(Decision).values(**values).returning(Decision)
    return (await session.execute(stmt)).scalar_one()


async def decision(session: AsyncSession, decision_id: uuid.UUID) -> Decision | None:
    stmt = select(Decision).where(col(Decision.id) == decision_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def decisions_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Decision]:
    stmt = select(*columns_of(Decision)).where(col(Decision.id).in_(ids))
    return read_only(Decision, await read_rows(session, stmt))


async def decisions_page(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    page: PageRequest,
    *,
    viewer_party_id: uuid.UUID,
    statuses: Sequence[str] = (),
    overdue_on: Any = None,
) -> Page[Decision]:
    d = Decision
    stmt = select(*columns_of(d)).where(
        readable(d, partnership_id=partnership_id, viewer_party_id=viewer_party_id)
    )
    if statuses:
        stmt = stmt.where(col(d.status).in_(list(statuses)))
    if overdue_on is not None:
        stmt = stmt.where(col(d.status) == "PROPOSED", col(d.decide_by) < overdue_on)
    stmt = stmt.order_by(col(d.created_at).desc(), col(d.id))
    return await paginate(session, stmt, page, model=d)


async def update_decision(
    session: AsyncSession, record: Decision, *, expected_version: int, **values: Any
) -> Decision | None:
    stmt = (
        update(Decision)
        .where(
            col(Decision.partnership_id) == record.partnership_id,
            col(Decision.id) == record.id,
            col(Decision.version) == expected_version,
        )
        .values(**values, version=col(Decision.version) + 1, updated_at=func.now())
        .returning(Decision)
    )
    options = {"populate_existing": True, "synchronize_session": False}
    return (await session.execute(stmt, execution_options=options)).scalar_one_or_none()


async def insert_approvers(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(DecisionApprover).values(rows))


async def delete_approvers(
    session: AsyncSession, partnership_id: uuid.UUID, decision_id: uuid.UUID, party_id: uuid.UUID
) -> None:
    table = DecisionApprover.__table__  # type: ignore[attr-defined]
    await session.execute(
        table.delete().where(
            table.c.partnership_id == partnership_id,
            table.c.decision_id == decision_id,
            table.c.owner_party_id == party_id,
        )
    )


async def approvers_of(
    session: AsyncSession, partnership_id: uuid.UUID, decision_ids: Sequence[uuid.UUID]
) -> list[DecisionApprover]:
    a = DecisionApprover
    stmt = (
        select(*columns_of(a))
        .where(col(a.partnership_id) == partnership_id, col(a.decision_id).in_(decision_ids))
        .order_by(col(a.decision_id), col(a.created_at), col(a.id))
    )
    return read_only(a, await read_rows(session, stmt))


async def insert_vote(session: AsyncSession, **values: Any) -> DecisionVote:
    stmt = insert(DecisionVote).values(**values).returning(DecisionVote)
    return (await session.execute(stmt)).scalar_one()


async def votes_of(
    session: AsyncSession, partnership_id: uuid.UUID, decision_ids: Sequence[uuid.UUID]
) -> list[DecisionVote]:
    v = DecisionVote
    stmt = (
        select(*columns_of(v))
        .where(col(v.partnership_id) == partnership_id, col(v.decision_id).in_(decision_ids))
        .order_by(col(v.decision_id), col(v.at), col(v.id))
    )
    return read_only(v, await read_rows(session, stmt))


async def decisions_awaiting(
    session: AsyncSession, partnership_id: uuid.UUID, *, party_id: uuid.UUID
) -> list[Decision]:
    """PROPOSED decisions this side has given no verdict on yet."""
    d = Decision
    stmt = (
        select(*columns_of(d))
        .where(
            col(d.partnership_id) == partnership_id,
            col(d.visibility) == Visibility.SHARED,
            col(d.status) == "PROPOSED",
            ~exists().where(
                col(DecisionVote.partnership_id) == col(d.partnership_id),
                col(DecisionVote.decision_id) == col(d.id),
                col(DecisionVote.owner_party_id) == party_id,
            ),
        )
        .order_by(col(d.created_at), col(d.id))
    )
    return read_only(d, await read_rows(session, stmt))


async def member_roles(
    session: AsyncSession, partnership_id: uuid.UUID, party_id: uuid.UUID
) -> dict[uuid.UUID, str]:
    """The workspace roles of one side's members, by user id."""
    stmt = select(col(WorkspaceMember.user_id), col(WorkspaceMember.role)).where(
        col(WorkspaceMember.partnership_id) == partnership_id,
        col(WorkspaceMember.party_id) == party_id,
    )
    return {row[0]: row[1] for row in (await session.execute(stmt)).all()}


# --- report sections -----------------------------------------------------------------------


async def published_as_of(
    session: AsyncSession, partnership_id: uuid.UUID, as_of: datetime
) -> list[DisclosureVersion]:
    v = DisclosureVersion
    stmt = (
        select(*columns_of(v))
        .where(
            col(v.partnership_id) == partnership_id,
            col(v.status) == VersionStatus.PUBLISHED,
            col(v.published_at) <= as_of,
        )
        .order_by(col(v.published_at), col(v.disclosure_id), col(v.number))
    )
    return read_only(v, await read_rows(session, stmt))


async def shared_decisions_as_of(
    session: AsyncSession, partnership_id: uuid.UUID, as_of: datetime
) -> list[Decision]:
    d = Decision
    stmt = (
        select(*columns_of(d))
        .where(
            col(d.partnership_id) == partnership_id,
            col(d.visibility) == Visibility.SHARED,
            col(d.created_at) <= as_of,
        )
        .order_by(col(d.created_at), col(d.id))
    )
    return read_only(d, await read_rows(session, stmt))


# --- labels (audit trail titles) -----------------------------------------------------------


async def disclosure_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    stmt = select(col(Disclosure.id), col(Disclosure.title)).where(
        readable(Disclosure, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(Disclosure.id).in_(ids),
    )
    return {r[0]: Label(r[1], "Disclosure", r[0]) for r in await read_rows(session, stmt)}


async def version_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """A version opens its disclosure's page."""
    v = DisclosureVersion
    stmt = select(col(v.id), col(v.title), col(v.number), col(v.disclosure_id)).where(
        readable(v, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(v.id).in_(ids),
    )
    return {
        r[0]: Label(f"{r[1]} (version {r[2]})", "Disclosure", r[3])
        for r in await read_rows(session, stmt)
    }


async def decision_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    stmt = select(col(Decision.id), col(Decision.title)).where(
        readable(Decision, partnership_id=partnership_id, viewer_party_id=viewer_party_id),
        col(Decision.id).in_(ids),
    )
    return {r[0]: Label(r[1], "Decision", r[0]) for r in await read_rows(session, stmt)}
