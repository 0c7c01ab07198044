"""Feedback reads: the filtered connection sorted by due time, the SLA policy, figures, nodes."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import strawberry
from strawberry.types import Info

from mutual.feedback import repository, service
from mutual.feedback.loaders import feedback_loaders
from mutual.feedback.models import FeedbackStatus, Severity
from mutual.feedback.repository import ClockFlag, FeedbackFilter, FeedbackSide
from mutual.feedback.types import Feedback, FeedbackFigures, FeedbackPolicy
from mutual.graphql.context import Context
from mutual.graphql.node import Node, node_resolver
from mutual.graphql.pagination import Connection, to_connection
from mutual.kit.pagination import PageRequest
from mutual.tenancy.loaders import node_workspace
from mutual.tenancy.workspace import Workspace


@strawberry.input
class FeedbackFilterInput:
    status: list[FeedbackStatus] | None = None
    severity: list[Severity] | None = None
    side: FeedbackSide | None = strawberry.field(
        default=None, description="Submitted by your side, or received by it."
    )
    clock: list[ClockFlag] | None = strawberry.field(
        default=None, description="Items with a clock BREACHED or AT_RISK (either matches)."
    )


def _filter(value: FeedbackFilterInput | None) -> FeedbackFilter:
    if value is None:
        return FeedbackFilter()
    return FeedbackFilter(
        statuses=tuple(value.status or ()),
        severities=tuple(value.severity or ()),
        side=value.side,
        flags=tuple(value.clock or ()),
    )


async def feedback_for(
    info: Info[Context, None],
    workspace: Workspace,
    *,
    page: PageRequest,
    filter: FeedbackFilterInput | None,  # noqa: A002
) -> Connection[Feedback]:
    result = await service.list_feedback(
        info.context.db, workspace, page=page, where=_filter(filter)
    )
    return to_connection(result, lambda f: Feedback.from_model(f, workspace))


async def policies_for(info: Info[Context, None], workspace: Workspace) -> list[FeedbackPolicy]:
    rows = await repository.policies_of(info.context.db, workspace.id)
    return [FeedbackPolicy.from_model(p, workspace) for p in rows]


async def figures_for(
    info: Info[Context, None], workspace: Workspace, *, start: date, end: date
) -> list[FeedbackFigures]:
    rows = await service.figures(
        info.context.db,
        workspace,
        start=datetime.combine(start, time(0), UTC),
        end=datetime.combine(end + timedelta(days=1), time(0), UTC),
    )
    return [FeedbackFigures.from_result(r, workspace) for r in rows]


@node_resolver("Feedback")
async def _feedback_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    item = await feedback_loaders(context).feedback.load(raw_id)
    workspace = await node_workspace(context, item)
    return Feedback.from_model(item, workspace) if item and workspace else None


@node_resolver("FeedbackPolicy")
async def _policy_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    policy = await feedback_loaders(context).policy.load(raw_id)
    workspace = await node_workspace(context, policy)
    return FeedbackPolicy.from_model(policy, workspace) if policy and workspace else None
