"""Risk reads: the register (filtered, sorted), the heat map, and risk nodes."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.ids import decode_id
from mutual.graphql.node import Node, node_resolver
from mutual.graphql.pagination import Connection, to_connection
from mutual.kit.pagination import PageRequest
from mutual.risks import service
from mutual.risks.loaders import risk_loaders
from mutual.risks.models import RiskCategory, RiskStatus, ScoreBasis
from mutual.risks.repository import RiskFilter, RiskOrder
from mutual.risks.types import Risk, RiskHeatMap
from mutual.tenancy.loaders import node_workspace
from mutual.tenancy.workspace import Workspace


@strawberry.input
class RiskFilterInput:
    category: list[RiskCategory] | None = None
    status: list[RiskStatus] | None = None
    owner_party_id: strawberry.ID | None = None
    min_divergence: int | None = strawberry.field(
        default=None, description="Only risks whose sides' latest scores are this many cells apart."
    )
    review_overdue: bool | None = None


@strawberry.input
class RiskOrderInput:
    field: RiskOrder = RiskOrder.CREATED_AT
    descending: bool = False


def risk_filter(value: RiskFilterInput | None) -> RiskFilter:
    if value is None:
        return RiskFilter()
    return RiskFilter(
        categories=tuple(value.category or ()),
        statuses=tuple(value.status or ()),
        owner_party_id=decode_id(value.owner_party_id, "Party", field="filter.ownerPartyId")
        if value.owner_party_id
        else None,
        min_divergence=value.min_divergence,
        review_overdue=value.review_overdue,
    )


async def register_for(
    info: Info[Context, None],
    workspace: Workspace,
    *,
    page: PageRequest,
    filter: RiskFilterInput | None,  # noqa: A002
    order_by: RiskOrderInput | None,
) -> Connection[Risk]:
    order = order_by or RiskOrderInput()
    result = await service.register(
        info.context.db,
        workspace,
        page=page,
        where=risk_filter(filter),
        order=order.field,
        descending=order.descending,
    )
    loader = risk_loaders(info.context)
    loader.risk.prime_many({row.risk.id: row.risk for row in result.items})
    return to_connection(
        result, lambda row: Risk.from_model(row.risk, workspace, latest=(row.owner, row.partner))
    )


async def heat_map_for(
    info: Info[Context, None],
    workspace: Workspace,
    *,
    filter: RiskFilterInput | None,  # noqa: A002
    basis: ScoreBasis,
) -> RiskHeatMap:
    result = await service.heat_map(
        info.context.db, workspace, where=risk_filter(filter), basis=basis
    )
    return RiskHeatMap.from_result(result, workspace)


@node_resolver("Risk")
async def _risk_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    risk = await risk_loaders(context).risk.load(raw_id)
    workspace = await node_workspace(context, risk)
    return Risk.from_model(risk, workspace) if risk and workspace else None
