"""Reports waiting on a side: the other side's reports it has not acknowledged."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.governance.reports import repository
from mutual.kit.search import Waiting
from mutual.tenancy.workspace import Workspace


async def waiting_on_side(session: AsyncSession, workspace: Workspace) -> list[Waiting]:
    reports = await repository.awaiting_acknowledgement(
        session, workspace.id, party_id=workspace.own_party.id
    )
    return [
        Waiting(
            object_type="Report",
            object_id=r.id,
            title=r.title,
            asked="Acknowledge the report",
            since=r.created_at,
        )
        for r in reports
    ]
