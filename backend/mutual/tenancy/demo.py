"""Tenancy's demo: Northwind Components (supplier) and Contoso Retail (customer), plus Fabrikam,
each with its people; and the cast of the recovery story."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlmodel import col

from mutual.db import Database
from mutual.kit.demo import CONTOSO, NORTHWIND, STORY_PARTNERSHIP, Story, World
from mutual.kit.principal import user_principal
from mutual.tenancy.models import Organization, OrgRole, Partnership, Party, User

# (the local part of the email, the workspace role on their side, the organization role)
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


async def seed_world(world: World) -> None:
    """The organizations and their people, as the owner (no one may sign up in the demo)."""
    async with world.owner_database.session() as session, session.begin():
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
                user = (
                    await session.execute(
                        insert(User)
                        .values(
                            organization_id=created.id,
                            email=email,
                            display_name=f"{local.title()} ({org.name.split()[0]})",
                            org_role=org_role,
                        )
                        .returning(User)
                    )
                ).scalar_one()
                world.people[email] = user_principal(user)


async def load_story(owner_db: Database, app_db: Database) -> Story:
    """The story's partnership, its sides and the leads and editors who act in it."""
    async with owner_db.session() as session:
        partnership = (
            await session.execute(
                select(Partnership).where(col(Partnership.name) == STORY_PARTNERSHIP)
            )
        ).scalar_one()
        parties = (
            await session.execute(
                select(col(Organization.slug), col(Party.id))
                .join(Organization, col(Organization.id) == col(Party.organization_id))
                .where(col(Party.partnership_id) == partnership.id)
            )
        ).all()
        emails = [
            f"{role}@{side}.example"
            for side in (NORTHWIND, CONTOSO)
            for role in ("lead", "editor", "governance")
        ]
        users = (await session.execute(select(User).where(col(User.email).in_(emails)))).scalars()
        return Story(
            database=app_db,
            partnership_id=partnership.id,
            parties={slug: party_id for slug, party_id in parties},
            people={u.email: user_principal(u) for u in users},
        )
