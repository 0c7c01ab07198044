"""Node resolution of audit events (row-level security hides the other side's INTERNAL ones)."""

from __future__ import annotations

import uuid

from mutual.audit import repository
from mutual.audit.types import AuditEvent
from mutual.graphql.context import Context
from mutual.graphql.node import Node, node_resolver
from mutual.tenancy.loaders import tenancy_loaders


@node_resolver("AuditEvent")
async def _audit_event_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    event = await repository.event_by_id(context.db, raw_id)
    if event is None:
        return None
    workspace = await tenancy_loaders(context).workspace(context.actor, event.partnership_id)
    seen = await repository.seen_by_id(context.db, workspace.id, workspace.own_party.id, raw_id)
    return AuditEvent.from_model(seen, workspace) if seen is not None else None
