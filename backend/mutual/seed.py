"""The demo: Northwind Components (supplier) and Contoso Retail (customer), plus Fabrikam.

Organizations and users are created as the owner; partnerships and members go through the
services as the app role, so the demo's audit trail is the real one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.engine import URL
from sqlmodel import col

from mutual.auth.passwords import hash_password
from mutual.auth.principal import Principal
from mutual.auth.repository import set_user_identity
from mutual.config import Settings
from mutual.db import Database, app_url
from mutual.tenancy import service
from mutual.tenancy.models import Organization, OrgRole, User, WorkspaceRole

DEMO_PASSWORD = "mutual-demo"
SIDE_ROLES = (
    ("lead", "LEAD", OrgRole.ADMIN),
    ("editor", "EDITOR", OrgRole.MEMBER),
    ("governance", "GOVERNANCE", OrgRole.MEMBER),
    ("viewer", "VIEWER", OrgRole.MEMBER),
)


@dataclass(frozen=True)
class DemoOrg:
    name: str
    slug: str
    domain: str
    people: tuple[tuple[str, str, OrgRole], ...]


DEMO_ORGS = (
    DemoOrg("Northwind Components", "northwind", "northwind.example", SIDE_ROLES),
    DemoOrg("Contoso Retail", "contoso", "contoso.example", SIDE_ROLES),
    DemoOrg("Fabrikam", "fabrikam", "fabrikam.example", (("admin", "LEAD", OrgRole.ADMIN),)),
)


def demo_logins() -> list[str]:
    return [f"{local}@{org.domain}" for org in DEMO_ORGS for local, _role, _org_role in org.people]


def _principal(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        organization_id=user.organization_id,
        org_role=user.org_role,
        email=user.email,
        display_name=user.display_name,
    )


async def is_seeded(owner: URL) -> bool:
    database = Database(owner, pool_size=1)
    try:
        async with database.session() as session:
            return (
                await session.execute(select(col(Organization.id)).limit(1))
            ).first() is not None
    finally:
        await database.dispose()


async def seed_demo(owner: URL, settings: Settings) -> None:
    owner_db = Database(owner, pool_size=1)
    password_hash = hash_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    try:
        async with owner_db.session() as session, session.begin():
            for org in DEMO_ORGS:
                created = (
                    await session.execute(
                        insert(Organization)
                        .values(name=org.name, slug=org.slug, email_domain=org.domain)
                        .returning(Organization)
                    )
                ).scalar_one()
                for local, _role, org_role in org.people:
                    email = f"{local}@{org.domain}"
                    users[email] = (
                        await session.execute(
                            insert(User)
                            .values(
                                organization_id=created.id,
                                email=email,
                                display_name=f"{local.title()} ({org.name.split()[0]})",
                                password_hash=password_hash,
                                org_role=org_role,
                            )
                            .returning(User)
                        )
                    ).scalar_one()
    finally:
        await owner_db.dispose()

    app_db = Database(app_url(owner, settings), pool_size=1)
    try:
        await _partner(
            app_db,
            users,
            inviter="lead@northwind.example",
            invitee="lead@contoso.example",
            invitee_slug="contoso",
            name="Northwind ↔ Contoso supply recovery",
            own_label="Supplier",
            invitee_label="Customer",
        )
        await _partner(
            app_db,
            users,
            inviter="admin@fabrikam.example",
            invitee="lead@contoso.example",
            invitee_slug="contoso",
            name="Fabrikam ↔ Contoso logistics",
            own_label="Logistics provider",
            invitee_label="Customer",
        )
    finally:
        await app_db.dispose()


async def _partner(
    database: Database,
    users: dict[str, User],
    *,
    inviter: str,
    invitee: str,
    invitee_slug: str,
    name: str,
    own_label: str,
    invitee_label: str,
) -> None:
    async with database.session() as session, session.begin():
        await set_user_identity(session, users[inviter].id)
        invitation, _ = await service.invite_organization(
            session,
            actor=_principal(users[inviter]),
            invitee_slug=invitee_slug,
            name=name,
            own_label=own_label,
            invitee_label=invitee_label,
            message="Let's keep the evidence of our recovery in one place.",
        )
    async with database.session() as session, session.begin():
        await set_user_identity(session, users[invitee].id)
        await service.decide_invitation(
            session, actor=_principal(users[invitee]), invitation_id=invitation.id, accept=True
        )
    for lead_email in (inviter, invitee):
        domain = lead_email.split("@")[1]
        async with database.session() as session, session.begin():
            await set_user_identity(session, users[lead_email].id)
            for email, user in users.items():
                if email.endswith("@" + domain) and email != lead_email:
                    role = next(r for local, r, _ in SIDE_ROLES if email.startswith(local + "@"))
                    await service.add_member(
                        session,
                        actor=_principal(users[lead_email]),
                        partnership_id=invitation.partnership_id,
                        email=user.email,
                        role=WorkspaceRole(role),
                    )
