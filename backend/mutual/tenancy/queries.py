"""Root queries: viewer, partnership, node, nodes."""

from __future__ import annotations

import asyncio
import uuid
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from mutual.graphql.composed import COMPOSED, composed
from mutual.graphql.context import Context
from mutual.graphql.ids import decode_id, parse_global_id
from mutual.graphql.node import NODE_RESOLVERS, Node, node_resolver
from mutual.graphql.pagination import Connection, connection, to_connection
from mutual.kit.errors import DomainError, LimitExceeded, NotFound
from mutual.kit.pagination import PageRequest
from mutual.tenancy import repository
from mutual.tenancy.loaders import tenancy_loaders
from mutual.tenancy.types import (
    Organization,
    PartnershipBase,
    Party,
    User,
    organization_of,
    partnership_of,
)
from mutual.tenancy.workspace import list_workspaces

if TYPE_CHECKING:
    # For mypy only: at run time the names stay free, so strawberry resolves them lazily to the
    # composed types (graphql/composed.py).
    Partnership = PartnershipBase


@strawberry.type(name="ViewerBase")
class ViewerBase:
    """The base of the hub type `Viewer` (composed with the domains' fields, like Partnership)."""

    user: User
    organization_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def organization(self, info: Info[Context, None]) -> Organization:
        return await organization_of(info, self.organization_id)

    @strawberry.field(description="Partnerships you are a member of (or administer), by name.")
    @connection
    async def partnerships(
        self, info: Info[Context, None], page: PageRequest
    ) -> Connection[Annotated[Partnership, COMPOSED]]:
        context = info.context
        result = await list_workspaces(context.db, actor=context.actor, page=page)
        return to_connection(result, partnership_of)


if TYPE_CHECKING:
    Viewer = ViewerBase


async def _partnership(context: Context, partnership_id: uuid.UUID) -> PartnershipBase:
    workspace = await tenancy_loaders(context).workspace(context.actor, partnership_id)
    return partnership_of(workspace)


@node_resolver("Partnership")
async def _partnership_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    return await _partnership(context, raw_id)


@node_resolver("Party")
async def _party_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    parties = await repository.parties_by_id(context.db, [raw_id])
    if not parties:
        return None
    workspace = await tenancy_loaders(context).workspace(context.actor, parties[0].partnership_id)
    return Party.from_model(parties[0], workspace)


@node_resolver("User")
async def _user_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    # Users are visible within their organization; partners meet them through members.
    user = await tenancy_loaders(context).user.load(raw_id)
    if user is None or user.organization_id != context.actor.organization_id:
        return None
    return User.from_model(user)


@node_resolver("Organization")
async def _organization_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    if raw_id != context.actor.organization_id:
        return None
    org = await tenancy_loaders(context).organization.load(raw_id)
    return Organization.from_model(org) if org else None


async def resolve_node(context: Context, global_id: str) -> Node:
    """Any node by global ID, or NOT_FOUND: unknown, malformed and foreign look the same."""
    parsed = parse_global_id(global_id)
    resolver = NODE_RESOLVERS.get(parsed[0]) if parsed else None
    found = None
    if parsed is not None and resolver is not None:
        try:
            found = await resolver(context, parsed[1])
        except DomainError as error:
            if error.code != "NOT_FOUND":
                raise
    if found is None:
        raise DomainError("NOT_FOUND", "No object with this id is visible to you.", field="id")
    return found


@strawberry.type
class TenancyQuery:
    """The root fields: viewer, partnership, node, nodes."""

    @strawberry.field
    def viewer(self, info: Info[Context, None]) -> Annotated[Viewer, COMPOSED]:
        actor = info.context.actor
        user = User(
            raw_id=actor.user_id,
            email=actor.email,
            display_name=actor.display_name,
            org_role=actor.org_role,  # type: ignore[arg-type]
            organization_id=actor.organization_id,
        )
        viewer: ViewerBase = composed("Viewer")(user=user, organization_id=actor.organization_id)
        return viewer

    @strawberry.field(description="A partnership you may enter; NOT_FOUND otherwise.")
    async def partnership(
        self,
        info: Info[Context, None],
        id: strawberry.ID,  # noqa: A002
    ) -> Annotated[Partnership, COMPOSED] | None:
        context = info.context
        context.actor  # noqa: B018 - unauthenticated callers get UNAUTHENTICATED, not NOT_FOUND
        try:
            return await _partnership(context, decode_id(id, "Partnership", field="id"))
        except DomainError as error:
            if error.code != "NOT_FOUND":
                raise
            # Malformed, unknown and foreign ids get one answer, about the argument `id`.
            raise NotFound("partnership", field="id") from None

    @strawberry.field
    async def node(self, info: Info[Context, None], id: strawberry.ID) -> Node | None:  # noqa: A002
        info.context.actor  # noqa: B018
        return await resolve_node(info.context, id)

    @strawberry.field(description="Nodes by global ID, in order; null where not visible.")
    async def nodes(self, info: Info[Context, None], ids: list[strawberry.ID]) -> list[Node | None]:
        info.context.actor  # noqa: B018
        limit = info.context.settings.max_page_size
        if len(ids) > limit:
            raise LimitExceeded("PAGE_TOO_LARGE", f"At most {limit} ids per request.")

        async def one(global_id: strawberry.ID) -> Node | None:
            try:
                return await resolve_node(info.context, global_id)
            except DomainError as error:
                if error.code != "NOT_FOUND":
                    raise
                return None

        # Concurrently, so the records of each type come in one statement (their loaders)
        # and each partnership's workspace is checked once.
        return list(await asyncio.gather(*(one(global_id) for global_id in ids)))
