"""Contingency reads: the partnership's plans and activations, and their nodes."""

from __future__ import annotations

import uuid

from strawberry.types import Info

from mutual.contingency import repository
from mutual.contingency.loaders import contingency_loaders
from mutual.contingency.types import Activation, ContingencyPlan, PlanVersion
from mutual.graphql.context import Context
from mutual.graphql.node import Node, node_resolver
from mutual.tenancy.loaders import node_workspace
from mutual.tenancy.workspace import Workspace


async def plans_for(info: Info[Context, None], workspace: Workspace) -> list[ContingencyPlan]:
    found = await repository.plans_of(
        info.context.db, workspace.id, viewer_party_id=workspace.own_party.id
    )
    loaders = contingency_loaders(info.context)
    loaders.plan.prime_many({p.id: p for p in found})
    return [ContingencyPlan.from_model(p, workspace) for p in found]


async def activations_for(info: Info[Context, None], workspace: Workspace) -> list[Activation]:
    found = await repository.activations_of(
        info.context.db, workspace.id, viewer_party_id=workspace.own_party.id
    )
    contingency_loaders(info.context).activation.prime_many({a.id: a for a in found})
    return [Activation.from_model(a, workspace) for a in found]


@node_resolver("ContingencyPlan")
async def _plan_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    plan = await contingency_loaders(context).plan.load(raw_id)
    workspace = await node_workspace(context, plan)
    return ContingencyPlan.from_model(plan, workspace) if plan and workspace else None


@node_resolver("Activation")
async def _activation_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    activation = await contingency_loaders(context).activation.load(raw_id)
    workspace = await node_workspace(context, activation)
    return Activation.from_model(activation, workspace) if activation and workspace else None


@node_resolver("PlanVersion")
async def _version_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    loaders = contingency_loaders(context)
    version = await loaders.version.load(raw_id)
    plan = await loaders.plan.load(version.plan_id) if version else None
    workspace = await node_workspace(context, plan)
    return PlanVersion.from_model(version, workspace) if version and workspace else None
