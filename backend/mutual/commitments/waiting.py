"""The commitments that wait for one side's answer: a proposal to accept or decline, a delivery
to confirm or dispute, a new due date to accept or decline."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.commitments import repository
from mutual.commitments.models import CommitmentAction
from mutual.commitments.service import RULES, acting_side
from mutual.kit.search import Waiting
from mutual.tenancy.workspace import Workspace

A = CommitmentAction

# The answers the other side waits for, each with what the answering side is asked.
ANSWERS = {
    A.ACCEPT: "Accept or decline the proposal",
    A.CONFIRM: "Confirm or dispute the delivery",
    A.ACCEPT_RENEGOTIATION: "Accept or decline the new due date",
}


async def waiting_on_side(session: AsyncSession, workspace: Workspace) -> list[Waiting]:
    items = []
    for commitment in await repository.awaiting_answer(
        session, workspace.id, viewer_party_id=workspace.own_party.id
    ):
        for action, asked in ANSWERS.items():
            sources, _target, who = RULES[action]
            pending = commitment.renegotiation_due_date is not None
            if action == A.ACCEPT_RENEGOTIATION and not pending:
                continue
            if commitment.status in sources and acting_side(commitment, workspace, who):
                items.append(
                    Waiting(
                        object_type="Commitment",
                        object_id=commitment.id,
                        title=commitment.title,
                        asked=asked,
                        since=commitment.updated_at,
                    )
                )
                break
    return items
