"""Membership's demo: the two partnerships (Northwind ↔ Contoso, Fabrikam ↔ Contoso), invited,
accepted and staffed through the services, so the demo's audit trail is the real one."""

from __future__ import annotations

from mutual.kit.demo import World, acting
from mutual.membership import service
from mutual.tenancy.demo import SIDE_ROLES
from mutual.tenancy.models import WorkspaceRole


async def seed_world(world: World) -> None:
    await _partner(
        world,
        inviter="lead@northwind.example",
        invitee="lead@contoso.example",
        invitee_slug="contoso",
        name="Northwind ↔ Contoso supply recovery",
        own_label="Supplier",
        invitee_label="Customer",
    )
    await _partner(
        world,
        inviter="admin@fabrikam.example",
        invitee="lead@contoso.example",
        invitee_slug="contoso",
        name="Fabrikam ↔ Contoso logistics",
        own_label="Logistics provider",
        invitee_label="Customer",
    )


async def _partner(
    world: World,
    *,
    inviter: str,
    invitee: str,
    invitee_slug: str,
    name: str,
    own_label: str,
    invitee_label: str,
) -> None:
    people, database = world.people, world.database
    async with acting(database, people[inviter]) as session:
        invitation, _ = await service.invite_organization(
            session,
            actor=people[inviter],
            invitee_slug=invitee_slug,
            name=name,
            own_label=own_label,
            invitee_label=invitee_label,
            message="Let's keep the evidence of our recovery in one place.",
        )
    async with acting(database, people[invitee]) as session:
        await service.decide_invitation(
            session, actor=people[invitee], invitation_id=invitation.id, accept=True
        )
    for lead_email in (inviter, invitee):
        domain = lead_email.split("@")[1]
        async with acting(database, people[lead_email]) as session:
            for email in people:
                if email.endswith("@" + domain) and email != lead_email:
                    role = next(r for local, r, _ in SIDE_ROLES if email.startswith(local + "@"))
                    await service.add_member(
                        session,
                        actor=people[lead_email],
                        partnership_id=invitation.partnership_id,
                        email=email,
                        role=WorkspaceRole(role),
                    )
