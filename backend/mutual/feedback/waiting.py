"""The feedback that waits for one side: to answer and resolve (the receiving side), or to
answer a question, or accept and rate a resolution (the submitting side). One statement."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.feedback import repository
from mutual.feedback.models import FeedbackStatus
from mutual.kit.search import Waiting
from mutual.tenancy.workspace import Workspace

S = FeedbackStatus
ASKED = {
    S.SUBMITTED: "Acknowledge and answer the feedback",
    S.ACKNOWLEDGED: "Work on and resolve the feedback",
    S.IN_PROGRESS: "Resolve the feedback",
    S.WAITING_ON_SUBMITTER: "Answer the question on your feedback",
    S.RESOLVED: "Accept and rate, or reopen, the resolution",
}


async def waiting_on_side(session: AsyncSession, workspace: Workspace) -> list[Waiting]:
    return [
        Waiting(
            object_type="Feedback",
            object_id=item.id,
            title=item.title,
            asked=ASKED[S(item.status)],
            since=item.status_at,
        )
        for item in await repository.awaiting_answer(
            session, workspace.id, viewer_party_id=workspace.own_party.id
        )
    ]
