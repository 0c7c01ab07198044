"""Commitment mutations: propose, and each step of the two-sided lifecycle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.commitments import models, service
from mutual.commitments.errors import CommitmentErrorCode
from mutual.commitments.models import CommitmentAction
from mutual.commitments.service import EvidenceLink
from mutual.commitments.types import Commitment, CommitmentError
from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility
from mutual.tenancy.workspace import Workspace

Change = tuple[Workspace, models.Commitment]


@strawberry.input
class ProposeCommitmentInput:
    partnership_id: strawberry.ID
    title: str
    due_date: date = strawberry.field(
        description="Today (UTC) or later; a date in the past is refused (DUE_DATE_IN_PAST)."
    )
    description: str = ""
    owner_party_id: strawberry.ID | None = strawberry.field(
        default=None, description="The accountable side; yours when omitted."
    )
    milestone_id: strawberry.ID | None = None
    kpi_id: strawberry.ID | None = None
    visibility: Visibility = Visibility.SHARED


@strawberry.input
class CommitmentActionInput:
    commitment_id: strawberry.ID
    expected_version: int
    reason: str = strawberry.field(default="", description="Required to dispute.")


@strawberry.input
class EvidenceInput:
    url: str
    title: str
    note: str = ""


@strawberry.input
class DeliverCommitmentInput:
    commitment_id: strawberry.ID
    expected_version: int
    evidence: list[EvidenceInput] = strawberry.field(
        default_factory=list, description="Links proving delivery (at least one overall)."
    )


@strawberry.input
class RequestRenegotiationInput:
    commitment_id: strawberry.ID
    expected_version: int
    new_due_date: date = strawberry.field(
        description="Today (UTC) or later; a date in the past is refused (DUE_DATE_IN_PAST)."
    )
    reason: str


@strawberry.type
class CommitmentPayload:
    commitment: Commitment | None
    user_errors: list[CommitmentError]


COMMITMENT: MutationAnswer[Change, CommitmentPayload] = MutationAnswer(
    CommitmentPayload,
    field="commitment",
    shape=lambda change: Commitment.from_model(change[1], change[0]),
    error=CommitmentError,
    codes=CommitmentErrorCode,
    with_current=True,
)


async def _run(
    info: Info[Context, None],
    commitment_id: strawberry.ID,
    expected_version: int,
    action: CommitmentAction,
    *,
    reason: str = "",
    evidence: Sequence[EvidenceLink] = (),
    new_due_date: date | None = None,
) -> CommitmentPayload:
    async def call(session: AsyncSession, actor: Principal) -> Change:
        return await service.transition(
            session,
            actor=actor,
            commitment_id=decode_id(commitment_id, "Commitment", field="commitmentId"),
            expected_version=expected_version,
            action=action,
            reason=reason,
            evidence=evidence,
            new_due_date=new_due_date,
        )

    return await COMMITMENT.run(info, call)


def _action(action: CommitmentAction, description: str) -> Any:
    """A mutation for one lifecycle step that takes only the id, version and a reason."""

    async def resolve(
        info: Info[Context, None],
        input: CommitmentActionInput,  # noqa: A002
    ) -> CommitmentPayload:
        return await _run(
            info, input.commitment_id, input.expected_version, action, reason=input.reason
        )

    return strawberry.mutation(resolver=resolve, description=description)


A = CommitmentAction


@strawberry.type
class CommitmentMutation:
    @strawberry.mutation(description="Propose a commitment; the other side accepts or declines.")
    async def propose_commitment(
        self,
        info: Info[Context, None],
        input: ProposeCommitmentInput,  # noqa: A002
    ) -> CommitmentPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            return await service.propose(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                title=input.title,
                due_date=input.due_date,
                description=input.description,
                owner_party_id=decode_id(input.owner_party_id, "Party", field="ownerPartyId")
                if input.owner_party_id
                else None,
                milestone_id=decode_id(input.milestone_id, "Milestone", field="milestoneId")
                if input.milestone_id
                else None,
                kpi_id=decode_id(input.kpi_id, "Kpi", field="kpiId") if input.kpi_id else None,
                visibility=input.visibility,
            )

        return await COMMITMENT.run(info, call)

    accept_commitment = _action(A.ACCEPT, "The side that did not propose it agrees.")
    decline_commitment = _action(A.DECLINE, "The side that did not propose it declines.")
    start_commitment = _action(A.START, "The accountable side starts the work.")
    confirm_commitment = _action(A.CONFIRM, "The other side confirms the delivery.")
    dispute_commitment = _action(A.DISPUTE, "The other side disputes the delivery (a reason).")
    accept_commitment_renegotiation = _action(
        A.ACCEPT_RENEGOTIATION, "The other side agrees to the new due date."
    )
    decline_commitment_renegotiation = _action(
        A.DECLINE_RENEGOTIATION, "The other side keeps the current due date."
    )

    @strawberry.mutation(description="The accountable side delivers, with evidence.")
    async def deliver_commitment(
        self,
        info: Info[Context, None],
        input: DeliverCommitmentInput,  # noqa: A002
    ) -> CommitmentPayload:
        links = [EvidenceLink(url=e.url, title=e.title, note=e.note) for e in input.evidence]
        return await _run(
            info, input.commitment_id, input.expected_version, A.DELIVER, evidence=links
        )

    @strawberry.mutation(description="The accountable side asks for a new due date.")
    async def request_commitment_renegotiation(
        self,
        info: Info[Context, None],
        input: RequestRenegotiationInput,  # noqa: A002
    ) -> CommitmentPayload:
        return await _run(
            info,
            input.commitment_id,
            input.expected_version,
            A.REQUEST_RENEGOTIATION,
            reason=input.reason,
            new_due_date=input.new_due_date,
        )
