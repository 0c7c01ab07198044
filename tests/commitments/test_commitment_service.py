"""The commitment services on their own, as the table owner (RLS does not apply): the list
still leaves out the other side's INTERNAL commitments."""

from __future__ import annotations

import asyncpg
from sqlalchemy.engine import URL

from mutual.commitments import service as commitment_service
from mutual.commitments.repository import CommitmentFilter, CommitmentOrder
from mutual.kit.pagination import PageRequest
from mutual.tenancy.workspace import load_workspace
from tests.commitments.factories import ClientFactory, owner_session, propose, signed_in
from tests.helpers import World
from tests.security.factories import principal_of

EVERYTHING = PageRequest(first=100, after=None, last=None, before=None)


async def test_the_list_service_leaves_out_the_other_sides_internal_commitments(
    make_client: ClientFactory, owner: asyncpg.Connection, owner_url: URL, world: World
) -> None:
    # given
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        await propose(northwind, world, "Margin plan", "2099-01-31", visibility="INTERNAL")
        await propose(northwind, world, "Weekly shipments", "2099-02-28")

    async with owner_session(owner_url) as session:
        lists = {}
        for email in ("viewer@contoso.example", "viewer@northwind.example"):
            workspace = await load_workspace(
                session,
                actor=principal_of(world.users[email]),
                partnership_id=world.northwind_contoso.id,
            )

            # when
            page = await commitment_service.list_commitments(
                session,
                workspace,
                page=EVERYTHING,
                where=CommitmentFilter(),
                order=CommitmentOrder.DUE_DATE,
                descending=False,
            )
            lists[email] = ([c.title for c in page.items], page.total)

    # then
    assert lists == {
        "viewer@contoso.example": (["Weekly shipments"], 1),
        "viewer@northwind.example": (["Margin plan", "Weekly shipments"], 2),
    }
