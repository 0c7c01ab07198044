"""The feedback that waits for one side: to answer (the receiving side) or to accept and rate a
resolution, or answer a question (the submitting side)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.feedback import repository
from mutual.feedback.models import FeedbackStatus
from mutual.feedback.repository import FeedbackFilter, FeedbackSide
from mutual.kit.clock import utcnow
from mutual.kit.pagination import PageRequest
from mutual.kit.search import Waiting
from mutual.tenancy.workspace import Workspace

S = FeedbackStatus
ASKED = {
    (FeedbackSide.RECEIVED_BY_US, S.SUBMITTED): "Acknowledge and answer the feedback",
    (FeedbackSide.RECEIVED_BY_US, S.ACKNOWLEDGED): "Work on and resolve the feedback",
    (FeedbackSide.RECEIVED_BY_US, S.IN_PROGRESS): "Resolve the feedback",
    (FeedbackSide.SUBMITTED_BY_US, S.WAITING_ON_SUBMITTER): "Answer the question on your feedback",
    (FeedbackSide.SUBMITTED_BY_US, S.RESOLVED): "Accept and rate, or reopen, the resolution",
}
PAGE = PageRequest(first=100, after=None, last=None, before=None)


async def waiting_on_side(session: AsyncSession, workspace: Workspace) -> list[Waiting]:
    items = []
    for side in FeedbackSide:
        statuses = [status for (s, status) in ASKED if s == side]
        page = await repository.feedback_page(
            session,
            workspace.id,
            PAGE,
            where=FeedbackFilter(statuses=statuses, side=side),
            viewer_party_id=workspace.own_party.id,
            now=utcnow(),
        )
        for item in page.items:
            items.append(
                Waiting(
                    object_type="Feedback",
                    object_id=item.id,
                    title=item.title,
                    asked=ASKED[(side, S(item.status))],
                    since=item.status_at,
                )
            )
    return items
