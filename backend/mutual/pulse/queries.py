"""Pulse reads: the partnership's surveys, and the cadence and round nodes."""

from __future__ import annotations

import uuid

from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.node import Node, node_resolver
from mutual.kit.errors import DomainError
from mutual.pulse import service
from mutual.pulse.loaders import pulse_loaders
from mutual.pulse.types import PulseCadence, PulseRound, PulseSurveys
from mutual.tenancy.loaders import node_workspace, tenancy_loaders
from mutual.tenancy.workspace import Workspace


async def surveys_for(info: Info[Context, None], workspace: Workspace, last: int) -> PulseSurveys:
    session = info.context.db
    rounds = await service.rounds(session, workspace, limit=last)
    pulse_loaders(info.context).round.prime_many({r.id: r for r in rounds})
    return PulseSurveys(
        workspace=workspace,
        cadence_records=await service.cadences(session, workspace),
        round_records=rounds,
    )


@node_resolver("PulseCadence")
async def _cadence_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    cadence = await pulse_loaders(context).cadence.load(raw_id)
    workspace = await node_workspace(context, cadence)
    return PulseCadence.from_model(cadence, workspace) if cadence and workspace else None


@node_resolver("PulseRound")
async def _round_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    found = await pulse_loaders(context).round.load(raw_id)
    if found is None:
        return None
    try:
        workspace = await tenancy_loaders(context).workspace(context.actor, found.partnership_id)
    except DomainError as error:
        if error.code == "NOT_FOUND":
            return None
        raise
    return PulseRound.from_model(found, workspace)
