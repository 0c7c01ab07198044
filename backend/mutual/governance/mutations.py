"""Governance mutations: write, review and publish disclosures, version and acknowledge them;
propose decisions, name approvers, approve or reject."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.governance import models, service
from mutual.governance.errors import GovernanceErrorCode
from mutual.governance.models import DisclosureType, Verdict
from mutual.governance.reports.mutations import ReportMutation
from mutual.governance.storage import MAX_ATTACHMENT_BYTES
from mutual.governance.types import Decision, Disclosure, DisclosureVersion, GovernanceError
from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id
from mutual.kit.errors import DomainError
from mutual.kit.principal import Principal
from mutual.tenancy.workspace import Workspace

VersionChange = tuple[Workspace, models.DisclosureVersion]
DecisionChange = tuple[Workspace, models.Decision]


@strawberry.input
class CreateDisclosureInput:
    partnership_id: strawberry.ID
    type: DisclosureType
    title: str
    body: str = strawberry.field(default="", description="Markdown.")


@strawberry.input
class UpdateDisclosureDraftInput:
    version_id: strawberry.ID
    expected_version: int
    title: str | None = None
    body: str | None = None


@strawberry.input
class AddDisclosureAttachmentInput:
    version_id: strawberry.ID
    filename: str
    content_type: str = strawberry.field(
        description="application/pdf, image/png, image/jpeg, text/plain, text/markdown or "
        "text/csv; the bytes must match it."
    )
    content_base64: str = strawberry.field(
        description=f"The file, base64-encoded; at most {MAX_ATTACHMENT_BYTES} bytes decoded."
    )


@strawberry.input
class RemoveDisclosureAttachmentInput:
    attachment_id: strawberry.ID


@strawberry.input
class DisclosureVersionStepInput:
    version_id: strawberry.ID
    expected_version: int


@strawberry.input
class CreateDisclosureVersionInput:
    disclosure_id: strawberry.ID


@strawberry.input
class AcknowledgeDisclosureVersionInput:
    version_id: strawberry.ID


@strawberry.input
class ProposeDecisionInput:
    partnership_id: strawberry.ID
    title: str = strawberry.field(description="The decision.")
    context: str = ""
    options: list[str] = strawberry.field(default_factory=list, description="Options considered.")
    rationale: str = ""
    approval_criteria: str = ""
    decide_by: date | None = None
    approver_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="GOVERNANCE members or LEADs of your side who approve for it; none: its LEADs.",
    )
    supersedes_id: strawberry.ID | None = strawberry.field(
        default=None, description="An APPROVED decision this one replaces once approved."
    )


@strawberry.input
class NameDecisionApproversInput:
    decision_id: strawberry.ID
    user_ids: list[strawberry.ID]


@strawberry.input
class DecisionVerdictInput:
    decision_id: strawberry.ID
    comment: str
    party_id: strawberry.ID | None = strawberry.field(
        default=None, description="The side you give the verdict for: yours (when omitted)."
    )


@strawberry.type
class CreateDisclosurePayload:
    disclosure: Disclosure | None
    version: DisclosureVersion | None
    user_errors: list[GovernanceError]


@strawberry.type
class DisclosureVersionPayload:
    version: DisclosureVersion | None
    user_errors: list[GovernanceError]


@strawberry.type
class DecisionPayload:
    decision: Decision | None
    user_errors: list[GovernanceError]


CREATED: MutationAnswer[tuple[Workspace, models.DisclosureVersion, models.Disclosure], Any] = (
    MutationAnswer(
        CreateDisclosurePayload,
        shape=lambda c: {
            "disclosure": Disclosure.from_model(c[2], c[0]),
            "version": DisclosureVersion.from_model(c[1], c[0]),
        },
        empty=lambda: {"disclosure": None, "version": None},
        error=GovernanceError,
        codes=GovernanceErrorCode,
    )
)
VERSION: MutationAnswer[VersionChange, DisclosureVersionPayload] = MutationAnswer(
    DisclosureVersionPayload,
    field="version",
    shape=lambda c: DisclosureVersion.from_model(c[1], c[0]),
    error=GovernanceError,
    codes=GovernanceErrorCode,
)
DECISION: MutationAnswer[DecisionChange, DecisionPayload] = MutationAnswer(
    DecisionPayload,
    field="decision",
    shape=lambda c: Decision.from_model(c[1], c[0]),
    error=GovernanceError,
    codes=GovernanceErrorCode,
)


def _version_id(value: strawberry.ID) -> uuid.UUID:
    return decode_id(value, "DisclosureVersion", field="versionId")


def _decision_id(value: strawberry.ID, field: str = "decisionId") -> uuid.UUID:
    return decode_id(value, "Decision", field=field)


def _users(values: list[strawberry.ID], field: str) -> list[uuid.UUID]:
    return [decode_id(v, "User", field=field) for v in values]


def _content(value: str) -> bytes:
    # Refused before decoding a body that cannot fit (4 characters carry 3 bytes).
    if len(value) > (MAX_ATTACHMENT_BYTES // 3 + 2) * 4:
        raise DomainError(
            GovernanceErrorCode.TOO_LARGE,
            f"The file is larger than {MAX_ATTACHMENT_BYTES} bytes.",
            field="contentBase64",
        )
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise DomainError(
            GovernanceErrorCode.INVALID, "The content is not base64.", field="contentBase64"
        ) from error


async def _step(
    info: Info[Context, None],
    input: DisclosureVersionStepInput,  # noqa: A002
    step: Callable[..., Awaitable[VersionChange]],
) -> DisclosureVersionPayload:
    async def call(session: AsyncSession, actor: Principal) -> VersionChange:
        return await step(
            session,
            actor=actor,
            version_id=_version_id(input.version_id),
            expected_version=input.expected_version,
        )

    return await VERSION.run(info, call)


async def _verdict(
    info: Info[Context, None],
    input: DecisionVerdictInput,  # noqa: A002
    verdict: Verdict,
) -> DecisionPayload:
    async def call(session: AsyncSession, actor: Principal) -> DecisionChange:
        return await service.decide(
            session,
            actor=actor,
            decision_id=_decision_id(input.decision_id),
            verdict=verdict,
            comment=input.comment,
            party_id=decode_id(input.party_id, "Party", field="partyId")
            if input.party_id is not None
            else None,
        )

    return await DECISION.run(info, call)


@strawberry.type
class DisclosureMutation:
    @strawberry.mutation(description="A new disclosure and its first version, a DRAFT.")
    async def create_disclosure(
        self,
        info: Info[Context, None],
        input: CreateDisclosureInput,  # noqa: A002
    ) -> CreateDisclosurePayload:
        async def call(
            session: AsyncSession, actor: Principal
        ) -> tuple[Workspace, models.DisclosureVersion, models.Disclosure]:
            workspace, version = await service.create_disclosure(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                type=input.type,
                title=input.title,
                body=input.body,
            )
            disclosure = await service.disclosure_of(session, version)
            return workspace, version, disclosure

        payload: CreateDisclosurePayload = await CREATED.run(info, call)
        return payload

    @strawberry.mutation(description="Edit a DRAFT version; a published one is IMMUTABLE.")
    async def update_disclosure_draft(
        self,
        info: Info[Context, None],
        input: UpdateDisclosureDraftInput,  # noqa: A002
    ) -> DisclosureVersionPayload:
        async def call(session: AsyncSession, actor: Principal) -> VersionChange:
            return await service.update_draft(
                session,
                actor=actor,
                version_id=_version_id(input.version_id),
                expected_version=input.expected_version,
                title=input.title,
                body=input.body,
            )

        return await VERSION.run(info, call)

    @strawberry.mutation(description="Attach a file (base64) to a DRAFT version.")
    async def add_disclosure_attachment(
        self,
        info: Info[Context, None],
        input: AddDisclosureAttachmentInput,  # noqa: A002
    ) -> DisclosureVersionPayload:
        async def call(session: AsyncSession, actor: Principal) -> VersionChange:
            version_id = _version_id(input.version_id)
            return await service.add_attachment(
                session,
                actor=actor,
                version_id=version_id,
                filename=input.filename,
                content_type=input.content_type,
                content=_content(input.content_base64),
            )

        return await VERSION.run(info, call)

    @strawberry.mutation(
        description="Remove a file from a DRAFT version (one IN_REVIEW is returned to draft "
        "first); a published version's files are IMMUTABLE."
    )
    async def remove_disclosure_attachment(
        self,
        info: Info[Context, None],
        input: RemoveDisclosureAttachmentInput,  # noqa: A002
    ) -> DisclosureVersionPayload:
        async def call(session: AsyncSession, actor: Principal) -> VersionChange:
            return await service.remove_attachment(
                session,
                actor=actor,
                attachment_id=decode_id(
                    input.attachment_id, "DisclosureAttachment", field="attachmentId"
                ),
            )

        return await VERSION.run(info, call)

    @strawberry.mutation(description="DRAFT → IN_REVIEW.")
    async def submit_disclosure_version(
        self,
        info: Info[Context, None],
        input: DisclosureVersionStepInput,  # noqa: A002
    ) -> DisclosureVersionPayload:
        return await _step(info, input, service.submit_for_review)

    @strawberry.mutation(description="IN_REVIEW → DRAFT: the reviewer asks for changes.")
    async def return_disclosure_version(
        self,
        info: Info[Context, None],
        input: DisclosureVersionStepInput,  # noqa: A002
    ) -> DisclosureVersionPayload:
        return await _step(info, input, service.return_to_draft)

    @strawberry.mutation(
        description="IN_REVIEW → PUBLISHED, by a second GOVERNANCE member or LEAD of the side."
    )
    async def publish_disclosure_version(
        self,
        info: Info[Context, None],
        input: DisclosureVersionStepInput,  # noqa: A002
    ) -> DisclosureVersionPayload:
        return await _step(info, input, service.publish_version)

    @strawberry.mutation(description="A new DRAFT version from the latest published one.")
    async def create_disclosure_version(
        self,
        info: Info[Context, None],
        input: CreateDisclosureVersionInput,  # noqa: A002
    ) -> DisclosureVersionPayload:
        async def call(session: AsyncSession, actor: Principal) -> VersionChange:
            return await service.create_version(
                session,
                actor=actor,
                disclosure_id=decode_id(input.disclosure_id, "Disclosure", field="disclosureId"),
            )

        return await VERSION.run(info, call)

    @strawberry.mutation(description="The partner side's receipt of a published version.")
    async def acknowledge_disclosure_version(
        self,
        info: Info[Context, None],
        input: AcknowledgeDisclosureVersionInput,  # noqa: A002
    ) -> DisclosureVersionPayload:
        async def call(session: AsyncSession, actor: Principal) -> VersionChange:
            return await service.acknowledge_version(
                session, actor=actor, version_id=_version_id(input.version_id)
            )

        return await VERSION.run(info, call)

    @strawberry.mutation(description="Propose a decision for both sides to approve.")
    async def propose_decision(
        self,
        info: Info[Context, None],
        input: ProposeDecisionInput,  # noqa: A002
    ) -> DecisionPayload:
        async def call(session: AsyncSession, actor: Principal) -> DecisionChange:
            return await service.propose_decision(
                session,
                actor=actor,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                title=input.title,
                context=input.context,
                options=input.options,
                rationale=input.rationale,
                approval_criteria=input.approval_criteria,
                decide_by=input.decide_by,
                approver_ids=_users(input.approver_ids, "approverIds"),
                supersedes_id=_decision_id(input.supersedes_id, "supersedesId")
                if input.supersedes_id is not None
                else None,
            )

        return await DECISION.run(info, call)

    @strawberry.mutation(description="Name your side's approvers of a PROPOSED decision.")
    async def name_decision_approvers(
        self,
        info: Info[Context, None],
        input: NameDecisionApproversInput,  # noqa: A002
    ) -> DecisionPayload:
        async def call(session: AsyncSession, actor: Principal) -> DecisionChange:
            return await service.name_approvers(
                session,
                actor=actor,
                decision_id=_decision_id(input.decision_id),
                user_ids=_users(input.user_ids, "userIds"),
            )

        return await DECISION.run(info, call)

    @strawberry.mutation(description="Your side approves, with a comment.")
    async def approve_decision(
        self,
        info: Info[Context, None],
        input: DecisionVerdictInput,  # noqa: A002
    ) -> DecisionPayload:
        return await _verdict(info, input, Verdict.APPROVE)

    @strawberry.mutation(description="Your side rejects, with a comment: the decision is REJECTED.")
    async def reject_decision(
        self,
        info: Info[Context, None],
        input: DecisionVerdictInput,  # noqa: A002
    ) -> DecisionPayload:
        return await _verdict(info, input, Verdict.REJECT)


@strawberry.type
class GovernanceMutation(DisclosureMutation, ReportMutation):
    """Disclosures and decisions first, then reports: the order of the fields in `Mutation`."""
