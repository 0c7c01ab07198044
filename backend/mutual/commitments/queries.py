"""Commitment reads: the filtered, sorted connection, reliability figures, and nodes."""

from __future__ import annotations

import uuid
from datetime import date

import strawberry
from strawberry.types import Info

from mutual.commitments import service
from mutual.commitments.loaders import commitment_loaders
from mutual.commitments.models import CommitmentStatus
from mutual.commitments.repository import CommitmentFilter, CommitmentOrder
from mutual.commitments.shapes import COMMITMENT_NODES
from mutual.commitments.types import Commitment, PartyReliabilityFigures
from mutual.graphql.context import Context
from mutual.graphql.ids import decode_id
from mutual.graphql.loaders import selects_any
from mutual.graphql.node import Node, node_resolver
from mutual.graphql.pagination import Connection, json_connection, to_connection
from mutual.kit.pagination import PageRequest
from mutual.roadmap.loaders import roadmap_loaders
from mutual.tenancy.loaders import node_workspace
from mutual.tenancy.workspace import Workspace


@strawberry.input
class CommitmentFilterInput:
    status: list[CommitmentStatus] | None = strawberry.field(
        default=None, description="Effective statuses; MISSED included."
    )
    owner_party_id: strawberry.ID | None = None
    due_from: date | None = None
    due_to: date | None = None
    milestone_id: strawberry.ID | None = None


@strawberry.input
class CommitmentOrderInput:
    field: CommitmentOrder = CommitmentOrder.DUE_DATE
    descending: bool = False


def _filter(value: CommitmentFilterInput | None) -> CommitmentFilter:
    if value is None:
        return CommitmentFilter()
    return CommitmentFilter(
        statuses=tuple(value.status or ()),
        owner_party_id=decode_id(value.owner_party_id, "Party", field="filter.ownerPartyId")
        if value.owner_party_id
        else None,
        due_from=value.due_from,
        due_to=value.due_to,
        milestone_id=decode_id(value.milestone_id, "Milestone", field="filter.milestoneId")
        if value.milestone_id
        else None,
    )


async def commitments_for(
    info: Info[Context, None],
    workspace: Workspace,
    *,
    page: PageRequest,
    filter: CommitmentFilterInput | None,  # noqa: A002
    order_by: CommitmentOrderInput | None,
) -> Connection[Commitment]:
    context = info.context
    order = order_by or CommitmentOrderInput()
    json = COMMITMENT_NODES.sql(info, "commitment")
    if json is not None:  # every selected field of the nodes reads in SQL
        texts = await service.list_commitments_json(
            context.db,
            workspace,
            json=json,
            page=page,
            where=_filter(filter),
            order=order.field,
            descending=order.descending,
        )
        return json_connection(texts)
    result = await service.list_commitments(
        context.db,
        workspace,
        page=page,
        where=_filter(filter),
        order=order.field,
        descending=order.descending,
    )
    if any(c.milestone_id for c in result.items) and selects_any(info, ("milestone",)):
        # The roadmap's milestones (one statement, shared with a roadmap in the same query)
        # answer each commitment's milestone without an await.
        await roadmap_loaders(context).roadmap(workspace)
    return to_connection(result, lambda c: Commitment.from_model(c, workspace))


async def reliability_for(
    info: Info[Context, None], workspace: Workspace, *, start: date, end: date
) -> list[PartyReliabilityFigures]:
    rows = await service.reliability(info.context.db, workspace, period_start=start, period_end=end)
    return [PartyReliabilityFigures.from_result(r, workspace) for r in rows]


@node_resolver("Commitment")
async def _commitment_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    commitment = await commitment_loaders(context).commitment.load(raw_id)
    workspace = await node_workspace(context, commitment)
    return Commitment.from_model(commitment, workspace) if commitment and workspace else None
