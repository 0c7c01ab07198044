"""The roadmap services on their own, as the table owner (RLS does not apply): they still keep
the other side's INTERNAL milestones out of reads, node lookups and reorders."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import asyncpg
import pytest
from sqlalchemy.engine import URL

import mutual.roadmap.queries  # noqa: F401  (registers the Milestone node resolver)
from mutual.graphql.context import Context
from mutual.graphql.node import NODE_RESOLVERS
from mutual.kit.errors import DomainError
from mutual.roadmap import service as roadmap_service
from mutual.roadmap.models import Phase
from mutual.tenancy.workspace import load_workspace
from tests.commitments.factories import ClientFactory, mutate, owner_session, raw_id, signed_in
from tests.helpers import World
from tests.security.factories import principal_of

CREATE = """
mutation($input: CreateMilestoneInput!) {
  createMilestone(input: $input) { milestone { id } userErrors { code } }
}
"""


async def _northwind_milestones(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> dict[str, Any]:
    """Northwind's INTERNAL "Price floor", then its SHARED "Joint RCA", in STABILIZE."""
    ids = {}
    async with signed_in(make_client, owner, world, "editor@northwind.example") as northwind:
        for title, visibility in (("Price floor", "INTERNAL"), ("Joint RCA", "SHARED")):
            result = await mutate(
                northwind,
                CREATE,
                partnershipId=world.nc_id,
                title=title,
                phase="STABILIZE",
                visibility=visibility,
            )
            ids[title] = raw_id(result["milestone"]["id"])
    return ids


async def test_the_roadmap_and_node_services_hide_the_other_sides_internal_milestone(
    make_client: ClientFactory, owner: asyncpg.Connection, owner_url: URL, world: World
) -> None:
    # given
    ids = await _northwind_milestones(make_client, owner, world)
    contoso = principal_of(world.users["viewer@contoso.example"])

    async with owner_session(owner_url) as session:
        workspace = await load_workspace(
            session, actor=contoso, partnership_id=world.northwind_contoso.id
        )
        made: dict[Any, Any] = {}
        context = cast(
            Context,
            SimpleNamespace(
                db=session,
                actor=contoso,
                loaders=lambda kind: made.setdefault(kind, kind(session)),
            ),
        )

        # when
        phases = {
            phase: [m.title for m in ms]
            for phase, ms in await roadmap_service.roadmap(session, workspace)
        }
        shared = await NODE_RESOLVERS["Milestone"](context, ids["Joint RCA"])
        internal = await NODE_RESOLVERS["Milestone"](context, ids["Price floor"])

    # then
    assert phases == {
        Phase.STABILIZE: ["Joint RCA"],
        Phase.REBUILD: [],
        Phase.DEEPEN: [],
    }
    assert shared is not None
    assert internal is None  # answered like an unknown id


async def test_a_reorder_counts_only_the_milestones_the_caller_sees(
    make_client: ClientFactory, owner: asyncpg.Connection, owner_url: URL, world: World
) -> None:
    # given: Contoso sees one milestone in STABILIZE
    ids = await _northwind_milestones(make_client, owner, world)
    contoso = principal_of(world.users["editor@contoso.example"])

    stored = await owner.fetch("SELECT title, sort_key, version FROM milestone ORDER BY title")
    async with owner_session(owner_url) as session:
        # when: it asks for position 1, after a milestone it cannot see
        with pytest.raises(DomainError) as refused:
            await roadmap_service.move_milestone(
                session,
                actor=contoso,
                milestone_id=ids["Joint RCA"],
                expected_version=1,
                phase=Phase.STABILIZE,
                position=1,
            )

    # then
    assert (refused.value.code, refused.value.field) == ("INVALID", "position")
    assert await owner.fetch("SELECT title, sort_key, version FROM milestone ORDER BY title") == (
        stored
    )
