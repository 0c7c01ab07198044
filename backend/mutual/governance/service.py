"""Governance rules. Disclosures: a side's GOVERNANCE members and LEADs write a DRAFT (INTERNAL),
submit it for review, and a second of them publishes it: SHARED, hashed, immutable; a new
version supersedes it; the partner side acknowledges each published version. Decisions: both
sides approve (their LEADs, or the GOVERNANCE members a side names), each with a comment;
one REJECT rejects."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.governance import repository
from mutual.governance.errors import GovernanceErrorCode as Code
from mutual.governance.hashing import content_hash
from mutual.governance.models import (
    Decision,
    DecisionApprover,
    DecisionStatus,
    DecisionVote,
    Disclosure,
    DisclosureAcknowledgement,
    DisclosureAttachment,
    DisclosureType,
    DisclosureVersion,
    Verdict,
    VersionStatus,
)
from mutual.governance.storage import STORE, check_file
from mutual.kit import notices
from mutual.kit.clock import today, utcnow
from mutual.kit.errors import DomainError, Forbidden, Invalid, NotFound, conflict
from mutual.kit.notices import Notice
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility
from mutual.tenancy.models import WorkspaceRole
from mutual.tenancy.workspace import Workspace, load_workspace, record_workspace

GOVERNANCE_ROLES = frozenset({WorkspaceRole.LEAD, WorkspaceRole.GOVERNANCE})
PROPOSER_ROLES = frozenset({WorkspaceRole.LEAD, WorkspaceRole.EDITOR, WorkspaceRole.GOVERNANCE})
ACKNOWLEDGEMENT_DUE = "governance.acknowledgement_due"
DECISION_AWAITING = "governance.decision_awaiting_approval"
NOTICE_ROLES = (WorkspaceRole.LEAD.value, WorkspaceRole.GOVERNANCE.value)


def _title(title: str) -> str:
    if not title.strip() or len(title.strip()) > 200:
        raise Invalid("Give a title of 1 to 200 characters.", field="title")
    return title.strip()


def _body(body: str) -> str:
    if len(body) > 100_000:
        raise Invalid("The body is longer than 100,000 characters.", field="body")
    return body


def _require_governance(workspace: Workspace, action: str) -> None:
    workspace.actor.require_session(action)
    workspace.require_role(GOVERNANCE_ROLES, action)
    workspace.require_active()


def acknowledgement_notice(
    version: DisclosureVersion, *, to_party_id: uuid.UUID, on: date
) -> Notice:
    """What the partner side is told of a published version waiting for its receipt: once per
    version and day, whether sent on publishing or by the reminder."""
    return Notice(
        partnership_id=version.partnership_id,
        kind=ACKNOWLEDGEMENT_DUE,
        party_id=to_party_id,
        subject_type="DisclosureVersion",
        subject_id=version.id,
        title=f"Acknowledge “{version.title}” (version {version.number})",
        body="A disclosure was published and waits for your side's acknowledgement.",
        roles=NOTICE_ROLES,
        dedupe_key=f"{version.id}:{on.isoformat()}",
    )


# --- reads ---------------------------------------------------------------------------------


async def list_disclosures(
    session: AsyncSession, workspace: Workspace, *, page: PageRequest
) -> Page[Disclosure]:
    return await repository.disclosures_page(
        session, workspace.id, page, viewer_party_id=workspace.own_party.id
    )


async def pending_acknowledgements(
    session: AsyncSession, workspace: Workspace
) -> list[DisclosureVersion]:
    """The other side's latest published versions your side has not acknowledged yet."""
    return await repository.pending_acknowledgements(
        session, workspace.id, viewer_party_id=workspace.own_party.id
    )


def effective_status(version: DisclosureVersion, versions: Sequence[DisclosureVersion]) -> str:
    """PUBLISHED, or SUPERSEDED once a later version of the disclosure is published."""
    if version.status == VersionStatus.PUBLISHED and any(
        v.status == VersionStatus.PUBLISHED and v.number > version.number for v in versions
    ):
        return VersionStatus.SUPERSEDED
    return version.status


async def list_decisions(
    session: AsyncSession,
    workspace: Workspace,
    *,
    page: PageRequest,
    statuses: Sequence[DecisionStatus] = (),
    overdue_only: bool = False,
) -> Page[Decision]:
    return await repository.decisions_page(
        session,
        workspace.id,
        page,
        viewer_party_id=workspace.own_party.id,
        statuses=[s.value for s in statuses],
        overdue_on=today() if overdue_only else None,
    )


def is_overdue(decision: Decision) -> bool:
    """Past its decide-by date and still not approved or rejected."""
    return (
        decision.status == DecisionStatus.PROPOSED
        and decision.decide_by is not None
        and decision.decide_by < today()
    )


# --- disclosures ---------------------------------------------------------------------------


async def disclosure_of(session: AsyncSession, version: DisclosureVersion) -> Disclosure:
    found = await repository.disclosure(session, version.disclosure_id)
    assert found is not None, "a version belongs to its disclosure"
    return found


async def create_disclosure(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    type: DisclosureType,  # noqa: A002
    title: str,
    body: str = "",
) -> tuple[Workspace, DisclosureVersion]:
    """A new disclosure with its first version, a DRAFT only your side sees."""
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    _require_governance(workspace, "Writing a disclosure")
    clean_title, clean_body = _title(title), _body(body)
    own = workspace.own_party.id
    disclosure = await repository.insert_disclosure(
        session,
        partnership_id=workspace.id,
        type=type,
        title=clean_title,
        owner_party_id=own,
        visibility=Visibility.INTERNAL,
        created_by=actor.user_id,
    )
    version = await repository.insert_version(
        session,
        partnership_id=workspace.id,
        disclosure_id=disclosure.id,
        number=1,
        title=clean_title,
        body=clean_body,
        status=VersionStatus.DRAFT,
        owner_party_id=own,
        visibility=Visibility.INTERNAL,
        created_by=actor.user_id,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=disclosure,
        action="disclosure.created",
        changes=audit.created({"type": type, "title": clean_title}),
    )
    return workspace, version


async def _own_version(
    session: AsyncSession,
    actor: Principal,
    version_id: uuid.UUID,
    action: str,
    *,
    field: str = "versionId",
) -> tuple[Workspace, DisclosureVersion]:
    """A version of your side's disclosure, as its GOVERNANCE member or LEAD."""
    workspace, version = await record_workspace(
        session,
        actor=actor,
        record=await repository.version(session, version_id),
        what="disclosure version",
        field=field,
    )
    _require_governance(workspace, action)
    if version.owner_party_id != workspace.own_party.id:
        raise Forbidden("Only the side that wrote a disclosure changes it.", field=field)
    return workspace, version


def _require_status(
    version: DisclosureVersion, status: VersionStatus, doing: str, *, field: str = "versionId"
) -> None:
    if version.status == VersionStatus.PUBLISHED:
        raise DomainError(
            Code.IMMUTABLE,
            "A published version never changes; create a new version instead.",
            field=field,
        )
    if version.status != status:
        raise DomainError(
            Code.WRONG_STATE,
            f"Only a {status} version can be {doing}; this one is {version.status}.",
            field=field,
        )


async def _transition(
    session: AsyncSession,
    workspace: Workspace,
    version: DisclosureVersion,
    *,
    expected_version: int,
    action: str,
    values: dict[str, object],
    audited: dict[str, object] | None = None,
) -> DisclosureVersion:
    if version.version != expected_version:
        raise conflict(workspace, version, "disclosure version")
    before = {key: getattr(version, key) for key in values}
    updated = await repository.update_version(
        session, version, expected_version=expected_version, **values
    )
    if updated is None:
        raise conflict(workspace, await repository.version(session, version.id), "version")
    shown = audited if audited is not None else values
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action=action,
        changes=audit.diff({k: before.get(k) for k in shown}, shown),
    )
    return updated


async def update_draft(
    session: AsyncSession,
    *,
    actor: Principal,
    version_id: uuid.UUID,
    expected_version: int,
    title: str | None = None,
    body: str | None = None,
) -> tuple[Workspace, DisclosureVersion]:
    workspace, version = await _own_version(session, actor, version_id, "Editing a disclosure")
    _require_status(version, VersionStatus.DRAFT, "edited")
    values: dict[str, object] = {}
    if title is not None and _title(title) != version.title:
        values["title"] = _title(title)
    if body is not None and _body(body) != version.body:
        values["body"] = body
    if not values:
        if version.version != expected_version:
            raise conflict(workspace, version, "disclosure version")
        return workspace, version
    updated = await _transition(
        session,
        workspace,
        version,
        expected_version=expected_version,
        action="disclosure.draft_updated",
        values=values,
    )
    return workspace, updated


async def add_attachment(
    session: AsyncSession,
    *,
    actor: Principal,
    version_id: uuid.UUID,
    filename: str,
    content_type: str,
    content: bytes,
) -> tuple[Workspace, DisclosureVersion]:
    """Attach a file to a DRAFT: within the size limit, of an accepted type its bytes match."""
    workspace, version = await _own_version(session, actor, version_id, "Attaching a file")
    _require_status(version, VersionStatus.DRAFT, "given attachments")
    checked = check_file(filename, content_type, content)
    file_id = await STORE.put(
        session, partnership_id=workspace.id, owner_party_id=version.owner_party_id, file=checked
    )
    await repository.insert_attachment(
        session,
        partnership_id=workspace.id,
        version_id=version.id,
        file_id=file_id,
        filename=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        owner_party_id=version.owner_party_id,
        visibility=Visibility.INTERNAL,
        created_by=actor.user_id,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=version,
        action="disclosure.attachment_added",
        changes=audit.created(
            {"filename": checked.filename, "sha256": checked.sha256, "size": checked.size}
        ),
    )
    return workspace, version


async def remove_attachment(
    session: AsyncSession, *, actor: Principal, attachment_id: uuid.UUID
) -> tuple[Workspace, DisclosureVersion]:
    """Take a file off a DRAFT (one in review goes back to draft first: what the reviewer
    read stays what is published). Its bytes go too unless another version still holds them."""
    found = await repository.attachment(session, attachment_id)
    if found is None:
        raise NotFound("attachment", field="attachmentId")
    workspace, version = await _own_version(
        session, actor, found.version_id, "Removing an attachment", field="attachmentId"
    )
    _require_status(version, VersionStatus.DRAFT, "changed", field="attachmentId")
    await repository.delete_attachment(session, workspace.id, found.id)
    await STORE.discard(session, partnership_id=workspace.id, file_id=found.file_id)
    await audit.workspace_change(
        session,
        workspace,
        target=version,
        action="disclosure.attachment_removed",
        changes=audit.diff(
            {"filename": found.filename, "sha256": found.sha256}, {"filename": None, "sha256": None}
        ),
    )
    return workspace, version


async def submit_for_review(
    session: AsyncSession, *, actor: Principal, version_id: uuid.UUID, expected_version: int
) -> tuple[Workspace, DisclosureVersion]:
    workspace, version = await _own_version(session, actor, version_id, "Submitting for review")
    _require_status(version, VersionStatus.DRAFT, "submitted")
    updated = await _transition(
        session,
        workspace,
        version,
        expected_version=expected_version,
        action="disclosure.submitted",
        values={
            "status": VersionStatus.IN_REVIEW,
            "submitted_by": actor.user_id,
            "submitted_at": utcnow(),
        },
        audited={"status": VersionStatus.IN_REVIEW},
    )
    return workspace, updated


async def return_to_draft(
    session: AsyncSession, *, actor: Principal, version_id: uuid.UUID, expected_version: int
) -> tuple[Workspace, DisclosureVersion]:
    """The reviewer sends it back for changes."""
    workspace, version = await _own_version(session, actor, version_id, "Reviewing")
    _require_status(version, VersionStatus.IN_REVIEW, "returned to draft")
    updated = await _transition(
        session,
        workspace,
        version,
        expected_version=expected_version,
        action="disclosure.returned",
        values={"status": VersionStatus.DRAFT, "submitted_by": None, "submitted_at": None},
        audited={"status": VersionStatus.DRAFT},
    )
    return workspace, updated


async def publish_version(
    session: AsyncSession, *, actor: Principal, version_id: uuid.UUID, expected_version: int
) -> tuple[Workspace, DisclosureVersion]:
    """A second GOVERNANCE member or LEAD of the side approves an IN_REVIEW version: it becomes
    SHARED with its content hash, and the partner side is asked to acknowledge it."""
    workspace, version = await _own_version(session, actor, version_id, "Publishing")
    _require_status(version, VersionStatus.IN_REVIEW, "published")
    if actor.user_id in {version.created_by, version.submitted_by}:
        raise DomainError(
            Code.SAME_PERSON,
            "Another GOVERNANCE member or LEAD of your side must approve what you wrote or "
            "submitted.",
            field="versionId",
        )
    disclosure = await repository.disclosure(session, version.disclosure_id)
    assert disclosure is not None, "a version belongs to its disclosure"
    attachments = await repository.attachments_of(
        session, workspace.id, [version.id], viewer_party_id=workspace.own_party.id
    )
    digest = content_hash(disclosure, version, attachments)
    await repository.share_attachments(session, workspace.id, version.id)
    await STORE.publish(
        session, partnership_id=workspace.id, file_ids=[a.file_id for a in attachments]
    )
    updated = await _transition(
        session,
        workspace,
        version,
        expected_version=expected_version,
        action="disclosure.published",
        values={
            "status": VersionStatus.PUBLISHED,
            "visibility": Visibility.SHARED,
            "published_by": actor.user_id,
            "published_at": utcnow(),
            "content_hash": digest,
        },
        audited={"status": VersionStatus.PUBLISHED, "content_hash": digest},
    )
    shared = await repository.share_disclosure(session, disclosure, title=updated.title)
    if disclosure.visibility == Visibility.INTERNAL:
        await audit.workspace_change(
            session,
            workspace,
            target=shared,
            action="disclosure.shared",
            changes=audit.created({"title": shared.title, "type": shared.type}),
        )
    if workspace.counterparty is not None:
        await notices.send(
            session,
            acknowledgement_notice(updated, to_party_id=workspace.counterparty.id, on=today()),
        )
    return workspace, updated


async def create_version(
    session: AsyncSession, *, actor: Principal, disclosure_id: uuid.UUID
) -> tuple[Workspace, DisclosureVersion]:
    """A new DRAFT from the latest published version (text and attachments); publishing it
    supersedes that one."""
    workspace, disclosure = await record_workspace(
        session,
        actor=actor,
        record=await repository.disclosure(session, disclosure_id),
        what="disclosure",
        field="disclosureId",
    )
    _require_governance(workspace, "Writing a disclosure")
    if disclosure.owner_party_id != workspace.own_party.id:
        raise Forbidden("Only the side that wrote a disclosure versions it.", field="disclosureId")
    versions = await repository.all_versions_of(session, workspace.id, disclosure.id)
    latest = versions[-1]
    if latest.status != VersionStatus.PUBLISHED:
        raise DomainError(
            Code.DRAFT_EXISTS,
            f"Version {latest.number} is still {latest.status}; finish it first.",
            field="disclosureId",
        )
    draft = await repository.insert_version(
        session,
        partnership_id=workspace.id,
        disclosure_id=disclosure.id,
        number=latest.number + 1,
        title=latest.title,
        body=latest.body,
        status=VersionStatus.DRAFT,
        owner_party_id=disclosure.owner_party_id,
        visibility=Visibility.INTERNAL,
        created_by=actor.user_id,
    )
    for kept in await repository.attachments_of(
        session, workspace.id, [latest.id], viewer_party_id=workspace.own_party.id
    ):
        await repository.insert_attachment(
            session,
            partnership_id=workspace.id,
            version_id=draft.id,
            file_id=kept.file_id,
            filename=kept.filename,
            content_type=kept.content_type,
            size=kept.size,
            sha256=kept.sha256,
            owner_party_id=draft.owner_party_id,
            visibility=Visibility.INTERNAL,
            created_by=actor.user_id,
        )
    await audit.workspace_change(
        session,
        workspace,
        target=draft,
        action="disclosure.version_created",
        changes=audit.created({"number": draft.number}),
    )
    return workspace, draft


async def acknowledge_version(
    session: AsyncSession, *, actor: Principal, version_id: uuid.UUID
) -> tuple[Workspace, DisclosureVersion]:
    """The partner side's receipt of a published version: who, when, and the hash read."""
    workspace, version = await record_workspace(
        session,
        actor=actor,
        record=await repository.version(session, version_id),
        what="disclosure version",
        field="versionId",
    )
    _require_governance(workspace, "Acknowledging a disclosure")
    if version.owner_party_id == workspace.own_party.id:
        raise DomainError(
            Code.OWN_SIDE,
            "Your side published this disclosure; the partner side acknowledges it.",
            field="versionId",
        )
    versions = await repository.all_versions_of(session, workspace.id, version.disclosure_id)
    if effective_status(version, versions) == VersionStatus.SUPERSEDED:
        raise DomainError(
            Code.SUPERSEDED,
            "A later version supersedes this one; acknowledge the latest version.",
            field="versionId",
        )
    done = await repository.acknowledgements_of(session, workspace.id, [version.id])
    if any(a.owner_party_id == workspace.own_party.id for a in done):
        raise DomainError(
            Code.ALREADY_ACKNOWLEDGED,
            "Your side has already acknowledged this version.",
            field="versionId",
        )
    assert version.content_hash is not None, "a published version has its hash"
    await repository.insert_acknowledgement(
        session,
        partnership_id=workspace.id,
        version_id=version.id,
        disclosure_id=version.disclosure_id,
        owner_party_id=workspace.own_party.id,
        user_id=actor.user_id,
        content_hash=version.content_hash,
        visibility=Visibility.SHARED,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=version,
        action="disclosure.acknowledged",
        changes=audit.created({"number": version.number, "content_hash": version.content_hash}),
    )
    return workspace, version


# --- decisions -----------------------------------------------------------------------------


def _text(value: str, field: str, *, limit: int = 20_000) -> str:
    if len(value) > limit:
        raise Invalid(f"At most {limit} characters.", field=field)
    return value.strip()


async def _checked_approvers(
    session: AsyncSession, workspace: Workspace, user_ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    """Members of your side with the GOVERNANCE or LEAD role, each once."""
    roles = await repository.member_roles(session, workspace.id, workspace.own_party.id)
    unique = list(dict.fromkeys(user_ids))
    wrong = [u for u in unique if roles.get(u) not in GOVERNANCE_ROLES]
    if wrong:
        raise Invalid(
            "Name GOVERNANCE members or LEADs of your own side as approvers.",
            field="approverIds",
        )
    return unique


async def _name(
    session: AsyncSession, workspace: Workspace, decision: Decision, users: list[uuid.UUID]
) -> None:
    await repository.insert_approvers(
        session,
        [
            {
                "partnership_id": workspace.id,
                "decision_id": decision.id,
                "owner_party_id": workspace.own_party.id,
                "user_id": user_id,
                "visibility": Visibility.SHARED,
            }
            for user_id in users
        ],
    )


def _awaiting_notice(decision: Decision, party_id: uuid.UUID) -> Notice:
    return Notice(
        partnership_id=decision.partnership_id,
        kind=DECISION_AWAITING,
        party_id=party_id,
        subject_type="Decision",
        subject_id=decision.id,
        title=f"Decision awaiting your side's approval: {decision.title}",
        roles=NOTICE_ROLES,
        dedupe_key=f"{decision.id}:proposed",
    )


async def propose_decision(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    title: str,
    context: str = "",
    options: Sequence[str] = (),
    rationale: str = "",
    approval_criteria: str = "",
    decide_by: date | None = None,
    approver_ids: Sequence[uuid.UUID] = (),
    supersedes_id: uuid.UUID | None = None,
) -> tuple[Workspace, Decision]:
    workspace = await load_workspace(session, actor=actor, partnership_id=partnership_id)
    workspace.actor.require_session("Proposing a decision")
    workspace.require_role(PROPOSER_ROLES, "Proposing a decision")
    workspace.require_active()
    clean_title = _title(title)
    if decide_by is not None and decide_by < today():
        raise Invalid("The decide-by date must be today or later.", field="decideBy")
    clean_options = [o.strip() for o in options if o.strip()]
    if len(clean_options) > 20 or any(len(o) > 500 for o in clean_options):
        raise Invalid("At most 20 options of up to 500 characters.", field="options")
    superseded: Decision | None = None
    if supersedes_id is not None:
        superseded = await repository.decision(session, supersedes_id)
        if superseded is None or superseded.partnership_id != workspace.id:
            raise DomainError(Code.NOT_FOUND, "No such decision here.", field="supersedesId")
        if superseded.status != DecisionStatus.APPROVED:
            raise DomainError(
                Code.WRONG_STATE,
                "Only an APPROVED decision can be superseded.",
                field="supersedesId",
            )
    approvers = await _checked_approvers(session, workspace, approver_ids)
    decision = await repository.insert_decision(
        session,
        partnership_id=workspace.id,
        title=clean_title,
        context=_text(context, "context"),
        options=clean_options,
        rationale=_text(rationale, "rationale"),
        approval_criteria=_text(approval_criteria, "approvalCriteria"),
        decide_by=decide_by,
        status=DecisionStatus.PROPOSED,
        supersedes_id=superseded.id if superseded else None,
        owner_party_id=workspace.own_party.id,
        visibility=Visibility.SHARED,
        created_by=actor.user_id,
    )
    await _name(session, workspace, decision, approvers)
    await audit.workspace_change(
        session,
        workspace,
        target=decision,
        action="decision.proposed",
        changes=audit.created(
            {
                "title": clean_title,
                "decide_by": decide_by,
                "supersedes_id": superseded.id if superseded else None,
                "approver_ids": [str(u) for u in approvers],
            }
        ),
    )
    if workspace.counterparty is not None:
        await notices.send(session, _awaiting_notice(decision, workspace.counterparty.id))
    return workspace, decision


async def _visible_decision(
    session: AsyncSession, actor: Principal, decision_id: uuid.UUID
) -> tuple[Workspace, Decision]:
    return await record_workspace(
        session,
        actor=actor,
        record=await repository.decision(session, decision_id),
        what="decision",
        field="decisionId",
    )


async def name_approvers(
    session: AsyncSession,
    *,
    actor: Principal,
    decision_id: uuid.UUID,
    user_ids: Sequence[uuid.UUID],
) -> tuple[Workspace, Decision]:
    """Your side's approvers of a PROPOSED decision (none: your LEADs approve)."""
    workspace, decision = await _visible_decision(session, actor, decision_id)
    _require_governance(workspace, "Naming approvers")
    votes = await repository.votes_of(session, workspace.id, [decision.id])
    if any(v.owner_party_id == workspace.own_party.id for v in votes):
        raise DomainError(
            Code.ALREADY_DECIDED, "Your side has already given its verdict.", field="decisionId"
        )
    if decision.status != DecisionStatus.PROPOSED:
        raise DomainError(
            Code.WRONG_STATE, f"The decision is {decision.status}.", field="decisionId"
        )
    users = await _checked_approvers(session, workspace, user_ids)
    await repository.delete_approvers(session, workspace.id, decision.id, workspace.own_party.id)
    await _name(session, workspace, decision, users)
    await audit.workspace_change(
        session,
        workspace,
        target=decision,
        action="decision.approvers_named",
        changes={"approver_ids": {"from": None, "to": [str(u) for u in users]}},
    )
    return workspace, decision


@dataclass(frozen=True)
class SideApproval:
    """One side's part in a decision: who may approve for it, and its verdict once given."""

    party_id: uuid.UUID
    named: list[DecisionApprover]
    vote: DecisionVote | None


def sides_of(
    workspace: Workspace, approvers: Sequence[DecisionApprover], votes: Sequence[DecisionVote]
) -> list[SideApproval]:
    return [
        SideApproval(
            party_id=party.id,
            named=[a for a in approvers if a.owner_party_id == party.id],
            vote=next((v for v in votes if v.owner_party_id == party.id), None),
        )
        for party in workspace.parties
    ]


def outcome(votes: Sequence[DecisionVote], sides: int = 2) -> DecisionStatus:
    if any(v.verdict == Verdict.REJECT for v in votes):
        return DecisionStatus.REJECTED
    if len({v.owner_party_id for v in votes}) >= sides:
        return DecisionStatus.APPROVED
    return DecisionStatus.PROPOSED


async def decide(
    session: AsyncSession,
    *,
    actor: Principal,
    decision_id: uuid.UUID,
    verdict: Verdict,
    comment: str,
    party_id: uuid.UUID | None = None,
) -> tuple[Workspace, Decision]:
    """Your side's verdict, with a comment, by one of its approvers (its named GOVERNANCE
    members, or its LEADs when it named none); both APPROVE: APPROVED, one REJECT: REJECTED."""
    workspace, decision = await _visible_decision(session, actor, decision_id)
    _require_governance(workspace, "Approving a decision")
    own = workspace.own_party.id
    if party_id is not None and party_id != own:
        raise DomainError(
            Code.OTHER_SIDE,
            "You give your own side's verdict; the other side gives its own.",
            field="partyId",
        )
    votes = await repository.votes_of(session, workspace.id, [decision.id])
    if any(v.owner_party_id == own for v in votes):
        raise DomainError(
            Code.ALREADY_DECIDED, "Your side has already given its verdict.", field="decisionId"
        )
    if decision.status != DecisionStatus.PROPOSED:
        raise DomainError(
            Code.WRONG_STATE, f"The decision is {decision.status}.", field="decisionId"
        )
    approvers = await repository.approvers_of(session, workspace.id, [decision.id])
    named = {a.user_id for a in approvers if a.owner_party_id == own}
    allowed = actor.user_id in named if named else workspace.role == WorkspaceRole.LEAD
    if not allowed:
        who = "the approvers your side named" if named else "a LEAD of your side"
        raise DomainError(
            Code.NOT_APPROVER, f"Only {who} may give this verdict.", field="decisionId"
        )
    text = comment.strip()
    if not text or len(text) > 2000:
        raise Invalid("Give a comment of 1 to 2000 characters.", field="comment")
    vote = await repository.insert_vote(
        session,
        partnership_id=workspace.id,
        decision_id=decision.id,
        owner_party_id=own,
        user_id=actor.user_id,
        verdict=verdict,
        comment=text,
        visibility=Visibility.SHARED,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=decision,
        action="decision.approved_by_side" if verdict == Verdict.APPROVE else "decision.rejected",
        changes=audit.created({"verdict": verdict, "comment": text}),
    )
    status = outcome([*votes, vote], sides=len(workspace.parties))
    if status == DecisionStatus.PROPOSED:
        return workspace, decision
    updated = await repository.update_decision(
        session, decision, expected_version=decision.version, status=status, decided_at=utcnow()
    )
    if updated is None:
        raise conflict(workspace, await repository.decision(session, decision.id), "decision")
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action=f"decision.{status.lower()}",
        changes=audit.diff({"status": DecisionStatus.PROPOSED}, {"status": status}),
    )
    if status == DecisionStatus.APPROVED and updated.supersedes_id is not None:
        old = await repository.decision(session, updated.supersedes_id)
        if old is not None and old.status == DecisionStatus.APPROVED:
            replaced = await repository.update_decision(
                session,
                old,
                expected_version=old.version,
                status=DecisionStatus.SUPERSEDED,
                superseded_by_id=updated.id,
            )
            assert replaced is not None
            await audit.workspace_change(
                session,
                workspace,
                target=replaced,
                action="decision.superseded",
                changes=audit.diff(
                    {"status": DecisionStatus.APPROVED, "superseded_by_id": None},
                    {"status": DecisionStatus.SUPERSEDED, "superseded_by_id": str(updated.id)},
                ),
            )
    return workspace, updated


# --- acknowledgements, shaped for the API --------------------------------------------------


def acknowledgement_by(
    acknowledgements: Sequence[DisclosureAcknowledgement], party_id: uuid.UUID
) -> DisclosureAcknowledgement | None:
    return next((a for a in acknowledgements if a.owner_party_id == party_id), None)


def attachments_by_version(
    attachments: Sequence[DisclosureAttachment],
) -> dict[uuid.UUID, list[DisclosureAttachment]]:
    grouped: dict[uuid.UUID, list[DisclosureAttachment]] = {}
    for item in attachments:
        grouped.setdefault(item.version_id, []).append(item)
    return grouped
