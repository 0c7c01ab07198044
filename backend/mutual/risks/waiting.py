"""The risks waiting for their owner side: a review past its date (an expired acceptance puts
the risk there too)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.kit.clock import today
from mutual.kit.search import Waiting
from mutual.risks import repository
from mutual.tenancy.workspace import Workspace


async def reviews_waiting(session: AsyncSession, workspace: Workspace) -> list[Waiting]:
    rows = await repository.reviews_overdue(
        session, workspace.id, owner_party_id=workspace.own_party.id, today=today()
    )
    return [
        Waiting(
            object_type="Risk",
            object_id=risk_id,
            title=title,
            asked="Review the risk (its review is overdue)",
            since=datetime.combine(due, time(0, 0), UTC),
        )
        for risk_id, title, due in rows
    ]
