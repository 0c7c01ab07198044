"""The permission core every domain calls: a partnership as one caller may see it (`Workspace`),
loaded once and checked (`load_workspace`, `record_workspace`), and the checks on it."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.kit.errors import DomainError, Forbidden, Invalid, NotFound
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.principal import Principal
from mutual.kit.records import Owned, OwnedRecord, Visibility
from mutual.kit.scopes import Scope
from mutual.tenancy import repository
from mutual.tenancy.errors import TenancyErrorCode as Code
from mutual.tenancy.models import (
    Partnership,
    PartnershipStatus,
    Party,
    WorkspaceRole,
)

R = TypeVar("R", bound=OwnedRecord)

EDIT_ROLES = frozenset({WorkspaceRole.LEAD, WorkspaceRole.EDITOR})


@dataclass(frozen=True)
class Workspace:
    """A partnership as one caller may see it: checked once, carried by every nested field."""

    partnership: Partnership
    own_party: Party
    role: WorkspaceRole | None
    actor: Principal
    # Loaded with the workspace (same statement), so nested fields name a side without a query.
    counterparty: Party | None = None
    # What callers derive from this workspace, by the id of what it shows, reused while the
    # workspace lives (one request): the API's view of each side, which a list of a hundred
    # records names a hundred times.
    derived: dict[object, object] = dataclasses.field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    @property
    def id(self) -> uuid.UUID:
        return self.partnership.id

    @property
    def parties(self) -> list[Party]:
        """Both sides, by label."""
        both = [self.own_party, *([self.counterparty] if self.counterparty else [])]
        return sorted(both, key=lambda party: party.label)

    def shows(self, record: Owned) -> bool:
        """Whether this side sees the record: SHARED, or INTERNAL to this side."""
        return record.visibility == Visibility.SHARED or record.owner_party_id == self.own_party.id

    def party(self, party_id: uuid.UUID) -> Party:
        """One of the two sides of this partnership."""
        for party in (self.own_party, self.counterparty):
            if party is not None and party.id == party_id:
                return party
        raise LookupError(f"party {party_id} is not a side of partnership {self.id}")

    @property
    def manages_members(self) -> bool:
        return self.role == WorkspaceRole.LEAD or self.actor.is_org_admin

    def require_member_manager(self) -> None:
        self.actor.require_session("Managing members")
        if not self.manages_members:
            raise Forbidden("Only a LEAD of your side or your organization's admin may do this.")

    def require_role(self, roles: frozenset[WorkspaceRole], action: str) -> None:
        if self.role not in roles and not self.actor.is_org_admin:
            allowed = ", ".join(sorted(roles))
            raise Forbidden(f"{action} needs one of these workspace roles: {allowed}.")

    def require_active(self) -> None:
        if self.partnership.status != PartnershipStatus.ACTIVE:
            raise DomainError(
                Code.INVALID, f"The partnership is {self.partnership.status.lower()}.", field=None
            )

    def require_editor(self, action: str) -> None:
        """A signed-in editor or lead (or org admin) of an active partnership."""
        self.actor.require_session(action)
        self.require_role(EDIT_ROLES, action)
        self.require_active()


# The partnership, the caller's party, the caller's role, and the other party.
WorkspaceRow = tuple[Partnership, Party, str | None, Party | None]


def _workspace_from_row(row: WorkspaceRow, actor: Principal) -> Workspace:
    partnership, party, role, counterparty = row
    return Workspace(
        partnership=partnership,
        own_party=party,
        role=WorkspaceRole(role) if role else None,
        actor=actor,
        counterparty=counterparty,
    )


def _may_enter(row: WorkspaceRow, actor: Principal) -> bool:
    partnership, _party, role, _counterparty = row
    if partnership.activated_at is None:
        return False
    if actor.token_partnership_id is not None and actor.token_partnership_id != partnership.id:
        return False
    return role is not None or actor.is_org_admin


async def load_workspace(
    session: AsyncSession,
    *,
    actor: Principal,
    partnership_id: uuid.UUID,
    scope: Scope = Scope.READ,
) -> Workspace:
    """The caller's view of a partnership, or NOT_FOUND (never FORBIDDEN: no leak)."""
    actor.require_scope(scope)
    row = await repository.workspace(
        session, partnership_id, user_id=actor.user_id, organization_id=actor.organization_id
    )
    typed: WorkspaceRow | None = (row[0], row[1], row[2], row[3]) if row is not None else None
    if typed is None or not _may_enter(typed, actor):
        raise NotFound("partnership", field="partnershipId")
    return _workspace_from_row(typed, actor)


async def list_workspaces(
    session: AsyncSession, *, actor: Principal, page: PageRequest
) -> Page[Workspace]:
    result = await repository.workspaces_page(
        session,
        user_id=actor.user_id,
        organization_id=actor.organization_id,
        include_non_member=actor.is_org_admin,
        only_partnership_id=actor.token_partnership_id,
        page=page,
    )
    items = [_workspace_from_row(row, actor) for row in result.items]
    return Page(items=items, offset=result.offset, total=result.total)


async def check_owner_party(
    session: AsyncSession,
    workspace: Workspace,
    owner_party_id: uuid.UUID,
    visibility: Visibility,
    *,
    what: str,
) -> None:
    """The accountable party is a party of this partnership; INTERNAL records are one's own."""
    parties = await repository.parties_of(session, [workspace.id])
    if owner_party_id not in {p.id for p in parties}:
        raise DomainError("NOT_FOUND", "No such party in this partnership.", field="ownerPartyId")
    if visibility == Visibility.INTERNAL and owner_party_id != workspace.own_party.id:
        raise Invalid(f"An INTERNAL {what} belongs to your own side.", field="visibility")


async def record_workspace(
    session: AsyncSession,
    *,
    actor: Principal,
    record: R | None,
    what: str,
    field: str,
    scope: Scope = Scope.READ,
) -> tuple[Workspace, R]:
    """The caller's workspace of a record, with the record now known to exist; NOT_FOUND when
    it is missing, in a partnership the caller cannot enter, or INTERNAL to the other side."""
    if record is None:
        raise NotFound(what, field=field)
    workspace = await load_workspace(
        session, actor=actor, partnership_id=record.partnership_id, scope=scope
    )
    if not workspace.shows(record):
        raise NotFound(what, field=field)
    return workspace, record
