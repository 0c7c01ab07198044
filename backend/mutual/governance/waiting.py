"""What waits for a side in governance: the other side's published versions to acknowledge, and
the decisions still missing its verdict."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.governance import repository, service
from mutual.kit.search import Waiting
from mutual.tenancy.workspace import Workspace


async def waiting_on_side(session: AsyncSession, workspace: Workspace) -> list[Waiting]:
    acknowledgements = [
        Waiting(
            object_type="Disclosure",
            object_id=version.disclosure_id,
            title=f"{version.title} (version {version.number})",
            asked="Acknowledge the published version",
            since=version.published_at or version.updated_at,
        )
        for version in await service.pending_acknowledgements(session, workspace)
    ]
    verdicts = [
        Waiting(
            object_type="Decision",
            object_id=decision.id,
            title=decision.title,
            asked="Approve or reject the decision",
            since=decision.created_at,
        )
        for decision in await repository.decisions_awaiting(
            session, workspace.id, party_id=workspace.own_party.id
        )
    ]
    return [*acknowledgements, *verdicts]
