"""Governance reads: the partnership's disclosures, pending acknowledgements and decision log,
and the Node resolvers."""

from __future__ import annotations

import uuid

from strawberry.types import Info

from mutual.governance import service
from mutual.governance.loaders import governance_loaders
from mutual.governance.models import DecisionStatus
from mutual.governance.types import Decision, Disclosure, DisclosureVersion
from mutual.graphql.context import Context
from mutual.graphql.node import Node, node_resolver
from mutual.graphql.pagination import Connection, to_connection
from mutual.kit.pagination import PageRequest
from mutual.tenancy.loaders import node_workspace
from mutual.tenancy.workspace import Workspace


async def disclosures_for(
    info: Info[Context, None], workspace: Workspace, *, page: PageRequest
) -> Connection[Disclosure]:
    result = await service.list_disclosures(info.context.db, workspace, page=page)
    governance_loaders(info.context).disclosure.prime_many({d.id: d for d in result.items})
    return to_connection(result, lambda d: Disclosure.from_model(d, workspace))


async def pending_for(info: Info[Context, None], workspace: Workspace) -> list[DisclosureVersion]:
    versions = await service.pending_acknowledgements(info.context.db, workspace)
    return [DisclosureVersion.from_model(v, workspace) for v in versions]


async def decisions_for(
    info: Info[Context, None],
    workspace: Workspace,
    *,
    page: PageRequest,
    status: list[DecisionStatus] | None,
    overdue: bool,
) -> Connection[Decision]:
    result = await service.list_decisions(
        info.context.db, workspace, page=page, statuses=status or (), overdue_only=overdue
    )
    governance_loaders(info.context).decision.prime_many({d.id: d for d in result.items})
    return to_connection(result, lambda d: Decision.from_model(d, workspace))


@node_resolver("Disclosure")
async def _disclosure_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    found = await governance_loaders(context).disclosure.load(raw_id)
    workspace = await node_workspace(context, found)
    return Disclosure.from_model(found, workspace) if found and workspace else None


@node_resolver("DisclosureVersion")
async def _version_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    found = await governance_loaders(context).version.load(raw_id)
    workspace = await node_workspace(context, found)
    return DisclosureVersion.from_model(found, workspace) if found and workspace else None


@node_resolver("Decision")
async def _decision_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    found = await governance_loaders(context).decision.load(raw_id)
    workspace = await node_workspace(context, found)
    return Decision.from_model(found, workspace) if found and workspace else None
