"""The service layer on its own: run as the table owner (a superuser, so RLS does not apply),
the services alone still refuse what the caller may not see or do."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import replace

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit_service
from mutual.auth import service as auth_service
from mutual.kit.errors import DomainError, Forbidden, NotFound
from mutual.kit.pagination import PageRequest
from mutual.kit.scopes import Scope
from mutual.membership import service as membership_service
from mutual.tenancy import workspace as tenancy_workspace
from mutual.tenancy.models import WorkspaceRole
from tests.commitments import factories
from tests.helpers import World
from tests.security.factories import insert_api_token, insert_audit_event, principal_of

ALL_EVENTS = PageRequest(first=100, after=None, last=None, before=None)


@pytest.fixture
async def owner_session(world: World, owner_url: URL) -> AsyncIterator[AsyncSession]:
    """A session as the owner with no identity set; whatever a test writes is rolled back."""
    async with factories.owner_session(owner_url) as session:
        yield session


async def _member_id(
    session: AsyncSession, partnership_id: uuid.UUID, user_id: uuid.UUID
) -> uuid.UUID:
    member_id: uuid.UUID = await session.scalar(
        text("SELECT id FROM workspace_member WHERE partnership_id = :p AND user_id = :u"),
        {"p": partnership_id, "u": user_id},
    )
    return member_id


async def _member_count(session: AsyncSession, partnership_id: uuid.UUID) -> int:
    count: int = await session.scalar(
        text("SELECT count(*) FROM workspace_member WHERE partnership_id = :p"),
        {"p": partnership_id},
    )
    return count


async def test_the_owner_session_sees_every_row_so_only_the_services_stand_guard(
    owner_session: AsyncSession, world: World
) -> None:
    # when: no identity is set
    partnerships = await owner_session.scalar(text("SELECT count(*) FROM partnership"))
    members = await _member_count(owner_session, world.northwind_contoso.id)

    # then: RLS is out of the picture for every test below
    assert partnerships == 2
    assert members == 8


async def test_a_fabrikam_user_gets_not_found_for_northwind_contoso_like_an_unknown_id(
    owner_session: AsyncSession, world: World
) -> None:
    # given
    fabrikam = principal_of(world.users["admin@fabrikam.example"])

    # when
    with pytest.raises(NotFound) as foreign:
        await tenancy_workspace.load_workspace(
            owner_session, actor=fabrikam, partnership_id=world.northwind_contoso.id
        )
    with pytest.raises(NotFound) as unknown:
        await tenancy_workspace.load_workspace(
            owner_session, actor=fabrikam, partnership_id=uuid.uuid4()
        )
    own = await tenancy_workspace.load_workspace(
        owner_session, actor=fabrikam, partnership_id=world.fabrikam_contoso.id
    )

    # then
    assert (foreign.value.code, foreign.value.field) == ("NOT_FOUND", "partnershipId")
    assert foreign.value.message == unknown.value.message
    assert own.id == world.fabrikam_contoso.id


async def test_a_fabrikam_admin_cannot_add_a_member_to_northwind_contoso(
    owner_session: AsyncSession, world: World
) -> None:
    # given
    nc = world.northwind_contoso.id
    fabrikam = principal_of(world.users["admin@fabrikam.example"])

    # when
    with pytest.raises(NotFound):
        await membership_service.add_member(
            owner_session,
            actor=fabrikam,
            partnership_id=nc,
            email="admin@fabrikam.example",
            role=WorkspaceRole.LEAD,
        )

    # then
    assert await _member_count(owner_session, nc) == 8


async def test_a_fabrikam_admin_cannot_remove_or_change_a_northwind_contoso_member(
    owner_session: AsyncSession, world: World
) -> None:
    # given
    nc = world.northwind_contoso.id
    fabrikam = principal_of(world.users["admin@fabrikam.example"])
    target = await _member_id(owner_session, nc, world.user_id("viewer@contoso.example"))

    # when
    with pytest.raises(NotFound) as removal:
        await membership_service.remove_member(owner_session, actor=fabrikam, member_id=target)
    with pytest.raises(NotFound) as change:
        await membership_service.change_member_role(
            owner_session, actor=fabrikam, member_id=target, role=WorkspaceRole.LEAD
        )

    # then
    assert removal.value.code == change.value.code == "NOT_FOUND"
    assert await _member_count(owner_session, nc) == 8
    role = await owner_session.scalar(
        text("SELECT role FROM workspace_member WHERE id = :m"), {"m": target}
    )
    assert role == "VIEWER"


async def test_a_contoso_viewer_is_forbidden_to_add_a_member(
    owner_session: AsyncSession, world: World
) -> None:
    # given
    nc = world.northwind_contoso.id
    viewer = principal_of(world.users["viewer@contoso.example"])
    await owner_session.execute(
        text("DELETE FROM workspace_member WHERE partnership_id = :p AND user_id = :u"),
        {"p": nc, "u": world.user_id("editor@contoso.example")},
    )

    # when
    with pytest.raises(Forbidden):
        await membership_service.add_member(
            owner_session,
            actor=viewer,
            partnership_id=nc,
            email="editor@contoso.example",
            role=WorkspaceRole.EDITOR,
        )

    # then
    assert await _member_count(owner_session, nc) == 7


async def test_a_northwind_lead_cannot_remove_a_contoso_member(
    owner_session: AsyncSession, world: World
) -> None:
    # given
    nc = world.northwind_contoso.id
    northwind_lead = principal_of(world.users["lead@northwind.example"])
    contoso_viewer = await _member_id(owner_session, nc, world.user_id("viewer@contoso.example"))

    # when
    with pytest.raises(Forbidden) as refused:
        await membership_service.remove_member(
            owner_session, actor=northwind_lead, member_id=contoso_viewer
        )

    # then
    assert refused.value.field == "memberId"
    assert await _member_count(owner_session, nc) == 8


async def test_an_org_member_cannot_invite_an_organization(
    owner_session: AsyncSession, world: World
) -> None:
    # given: editor@northwind is an org MEMBER (lead@ is the ADMIN)
    editor = principal_of(world.users["editor@northwind.example"])

    # when
    with pytest.raises(Forbidden):
        await membership_service.invite_organization(
            owner_session,
            actor=editor,
            invitee_slug="fabrikam",
            name="Northwind ↔ Fabrikam",
            own_label="Supplier",
            invitee_label="Logistics",
        )

    # then
    assert await owner_session.scalar(text("SELECT count(*) FROM invitation")) == 2


async def test_a_viewer_cannot_create_an_api_token_and_an_outsider_finds_no_partnership(
    owner_session: AsyncSession, world: World
) -> None:
    # given
    nc = world.northwind_contoso.id
    viewer = principal_of(world.users["viewer@contoso.example"])
    fabrikam = principal_of(world.users["admin@fabrikam.example"])

    # when
    for actor, refusal in ((viewer, Forbidden), (fabrikam, NotFound)):
        with pytest.raises(refusal):
            await auth_service.create_api_token(
                owner_session,
                actor=actor,
                partnership_id=nc,
                name="ci",
                scopes=[Scope.READ],
                expires_in_days=30,
            )

    # then
    assert await owner_session.scalar(text("SELECT count(*) FROM api_token")) == 0


async def test_only_the_owning_side_lists_and_revokes_its_api_tokens(
    owner_session: AsyncSession, world: World, owner: asyncpg.Connection
) -> None:
    # given: a token of Contoso's side in Northwind ↔ Contoso
    nc = world.northwind_contoso.id
    token_id, _secret = await insert_api_token(
        owner,
        partnership_id=nc,
        party_id=world.parties[("nc", "contoso")].id,
        user_id=world.user_id("lead@contoso.example"),
    )
    northwind_lead = principal_of(world.users["lead@northwind.example"])
    fabrikam = principal_of(world.users["admin@fabrikam.example"])
    contoso_lead = principal_of(world.users["lead@contoso.example"])

    # when
    northwind_list = await auth_service.list_api_tokens(
        owner_session, actor=northwind_lead, partnership_id=nc
    )
    contoso_list = await auth_service.list_api_tokens(
        owner_session, actor=contoso_lead, partnership_id=nc
    )
    refusals: list[str] = []
    for actor in (northwind_lead, fabrikam):
        with pytest.raises(DomainError) as refused:
            await auth_service.revoke_api_token(owner_session, actor=actor, token_id=token_id)
        refusals.append(refused.value.code)

    # then
    assert northwind_list == []
    assert [t.id for t in contoso_list] == [token_id]
    assert refusals == ["NOT_FOUND", "NOT_FOUND"]
    revoked = await owner_session.scalar(
        text("SELECT revoked_at FROM api_token WHERE id = :t"), {"t": token_id}
    )
    assert revoked is None


async def test_a_token_principal_stays_in_its_partnership_and_its_scopes(
    owner_session: AsyncSession, world: World
) -> None:
    # given: Contoso's lead is a member of both partnerships; the token is for one of them
    contoso_lead = principal_of(world.users["lead@contoso.example"])
    token = replace(
        contoso_lead,
        token_id=uuid.uuid4(),
        token_partnership_id=world.northwind_contoso.id,
        scopes=frozenset({"read"}),
    )
    no_read = replace(token, scopes=frozenset({"kpi:write"}))

    # when
    own = await tenancy_workspace.load_workspace(
        owner_session, actor=token, partnership_id=world.northwind_contoso.id
    )
    with pytest.raises(NotFound):
        await tenancy_workspace.load_workspace(
            owner_session, actor=token, partnership_id=world.fabrikam_contoso.id
        )
    with pytest.raises(Forbidden):
        await tenancy_workspace.load_workspace(
            owner_session, actor=no_read, partnership_id=world.northwind_contoso.id
        )
    with pytest.raises(Forbidden):
        await membership_service.add_member(
            owner_session,
            actor=token,
            partnership_id=world.northwind_contoso.id,
            email="lead@contoso.example",
            role=WorkspaceRole.VIEWER,
        )

    # then
    assert own.id == world.northwind_contoso.id
    assert contoso_lead.is_org_admin and not token.is_org_admin


async def test_the_audit_trail_service_hides_the_other_sides_internal_events(
    owner_session: AsyncSession, world: World, owner: asyncpg.Connection
) -> None:
    # given: an INTERNAL event of Northwind's side
    nc = world.northwind_contoso.id
    internal = await insert_audit_event(
        owner,
        partnership_id=nc,
        party_id=world.parties[("nc", "northwind")].id,
        actor_user_id=world.user_id("lead@northwind.example"),
    )
    contoso = await tenancy_workspace.load_workspace(
        owner_session, actor=principal_of(world.users["viewer@contoso.example"]), partnership_id=nc
    )
    northwind = await tenancy_workspace.load_workspace(
        owner_session,
        actor=principal_of(world.users["viewer@northwind.example"]),
        partnership_id=nc,
    )

    # when
    contoso_trail = await audit_service.trail(owner_session, workspace=contoso, page=ALL_EVENTS)
    northwind_trail = await audit_service.trail(owner_session, workspace=northwind, page=ALL_EVENTS)

    # then
    contoso_ids = {e.event.id for e in contoso_trail.items}
    northwind_ids = {e.event.id for e in northwind_trail.items}
    assert internal not in contoso_ids
    assert northwind_ids - contoso_ids == {internal}
    assert contoso_trail.total == northwind_trail.total - 1
