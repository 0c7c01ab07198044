"""Test helpers: the demo world, signing in, and GraphQL calls as a browser would make them."""

from __future__ import annotations

import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
from sqlalchemy import select
from sqlalchemy.engine import URL

from bench.generate import Shape, Side, fill_workspace
from mutual.config import Settings
from mutual.db import Database
from mutual.graphql.ids import to_global_id
from mutual.seed import DEMO_PASSWORD, seed_demo
from mutual.tenancy.models import Organization, Partnership, Party, User

JSON_HEADERS = {"content-type": "application/json", "x-mutual-csrf": "1"}


@dataclass
class World:
    """Ids of the seeded demo, by readable names."""

    users: dict[str, User]
    orgs: dict[str, Organization]
    northwind_contoso: Partnership
    fabrikam_contoso: Partnership
    parties: dict[tuple[str, str], Party]  # (partnership key, org slug) -> party

    def gid(self, partnership: Partnership) -> str:
        return to_global_id("Partnership", partnership.id)

    @property
    def nc_id(self) -> str:
        return self.gid(self.northwind_contoso)

    @property
    def fc_id(self) -> str:
        return self.gid(self.fabrikam_contoso)

    def user_id(self, email: str) -> uuid.UUID:
        return self.users[email].id


async def build_world(
    owner: URL,
    settings: Settings,
    *,
    owner_db: Database | None = None,
    app_db: Database | None = None,
) -> World:
    """The demo seed and its ids; on the engines given, kept open (`seed_demo`)."""
    async with AsyncExitStack() as engines:
        if owner_db is None:
            owner_db = Database(owner, pool_size=1)
            engines.push_async_callback(owner_db.dispose)
        await seed_demo(owner, settings, owner_db=owner_db, app_db=app_db)
        async with owner_db.session() as session:
            users = {u.email: u for u in (await session.execute(select(User))).scalars()}
            orgs = {o.slug: o for o in (await session.execute(select(Organization))).scalars()}
            partnerships = list((await session.execute(select(Partnership))).scalars())
            parties = list((await session.execute(select(Party))).scalars())
    nc = next(p for p in partnerships if p.name.startswith("Northwind"))
    fc = next(p for p in partnerships if p.name.startswith("Fabrikam"))
    slug_of = {o.id: slug for slug, o in orgs.items()}
    key_of = {nc.id: "nc", fc.id: "fc"}
    return World(
        users=users,
        orgs=orgs,
        northwind_contoso=nc,
        fabrikam_contoso=fc,
        parties={(key_of[p.partnership_id], slug_of[p.organization_id]): p for p in parties},
    )


async def login(client: httpx.AsyncClient, email: str, password: str = DEMO_PASSWORD) -> None:
    response = await client.post(
        "/auth/login", json={"email": email, "password": password}, headers=JSON_HEADERS
    )
    assert response.status_code == 200, response.text


async def gql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
    expect_errors: bool = False,
) -> dict[str, Any]:
    """POST a GraphQL operation; unless errors are expected, fail on any top-level error."""
    response = await client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={**JSON_HEADERS, **(headers or {})},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    if not expect_errors:
        assert "errors" not in body, body
    return body


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def fill_shape(owner: asyncpg.Connection, partnership: Partnership, shape: Shape) -> None:
    """Bulk rows as the owner, each side's records authored by that side's members."""
    rows = await owner.fetch(
        "SELECT m.party_id, array_agg(m.user_id) AS users FROM workspace_member m "
        "WHERE m.partnership_id = $1 GROUP BY m.party_id",
        partnership.id,
    )
    sides = [Side(party_id=r["party_id"], user_ids=r["users"]) for r in rows]
    await fill_workspace(owner, partnership.id, sides, shape)
