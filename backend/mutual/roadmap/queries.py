"""Roadmap reads: the partnership's roadmap and milestone nodes."""

from __future__ import annotations

import uuid

from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.json_lists import joined
from mutual.graphql.node import Node, node_resolver
from mutual.roadmap import service
from mutual.roadmap.loaders import roadmap_loaders
from mutual.roadmap.shapes import ROADMAP_MILESTONES
from mutual.roadmap.types import Milestone, Roadmap, RoadmapPhase
from mutual.tenancy.loaders import node_workspace
from mutual.tenancy.workspace import Workspace


async def roadmap_for(info: Info[Context, None], workspace: Workspace) -> Roadmap:
    json = ROADMAP_MILESTONES.sql(info, "milestone")
    if json is not None:  # every selected field of the milestones reads in SQL
        by_phase = await service.roadmap_json(info.context.db, workspace, json)
        return Roadmap(
            phases=[RoadmapPhase(phase=phase, milestones=joined(ms)) for phase, ms in by_phase]
        )
    phases = service.grouped_by_phase(await roadmap_loaders(info.context).roadmap(workspace))
    return Roadmap(
        phases=[
            RoadmapPhase(phase=phase, milestones=[Milestone.from_model(m, workspace) for m in ms])
            for phase, ms in phases
        ]
    )


@node_resolver("Milestone")
async def _milestone_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    milestone = await roadmap_loaders(context).milestone.load(raw_id)
    workspace = await node_workspace(context, milestone)
    return Milestone.from_model(milestone, workspace) if milestone and workspace else None
