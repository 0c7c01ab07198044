"""GraphQL types of the audit trail."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from mutual.audit import models
from mutual.audit.loaders import LabelKey, audit_loaders
from mutual.audit.repository import SeenEvent
from mutual.audit.service import ChainVerification
from mutual.graphql.context import Context, operation_context
from mutual.graphql.ids import to_global_id
from mutual.graphql.loaders import now_or_later, shaped
from mutual.graphql.node import Node
from mutual.kit.labels import Label
from mutual.tenancy.loaders import tenancy_loaders
from mutual.tenancy.types import Party, User, party_of
from mutual.tenancy.workspace import Workspace


@strawberry.type
class AuditEvent(Node):
    seq: int = strawberry.field(
        description="Its number in your side's view of the trail (1, 2, … with no gaps)."
    )
    action: str
    object_type: str
    object_id: str = strawberry.field(description="The changed object's internal id.")
    changes: JSON = strawberry.field(description='{field: {"from": old, "to": new}}')
    visibility: str
    created_at: datetime
    request_id: str
    prev_hash: str = strawberry.field(description="The hash of the previous event in your view.")
    hash: str = strawberry.field(
        description="sha256 of prevHash and the canonical JSON of the event as your side sees it."
    )
    event: strawberry.Private[models.AuditEvent]
    workspace: strawberry.Private[Workspace]

    @property
    def label_key(self) -> LabelKey:
        workspace = self.workspace
        return (workspace.id, workspace.own_party.id, self.object_type, self.event.object_id)

    def _label(self) -> Label | Awaitable[Label | None] | None:
        # At hand when the trail prefetched its page's titles (no task per event).
        return now_or_later(audit_loaders(operation_context()).label, self.label_key)

    @strawberry.field(
        description="The changed object's title as it is now (a milestone's or commitment's "
        "title, a KPI's name, a member's name), if your side may read it; null once it is "
        "gone, or when it is the other side's internal record."
    )
    def object_title(self) -> str | None:
        return shaped(self._label(), lambda label: label.title if label else None)

    @strawberry.field(
        description="The global ID of the record to open for this event (a measurement's is "
        "its KPI), while objectTitle is known."
    )
    def subject_id(self) -> strawberry.ID | None:
        return shaped(
            self._label(),
            lambda label: (
                strawberry.ID(to_global_id(label.subject_type, label.subject_id)) if label else None
            ),
        )

    @classmethod
    def from_model(cls, seen: SeenEvent, workspace: Workspace) -> AuditEvent:
        """An event as the workspace's side sees it: numbered and chained in its own view."""
        event = seen.event
        return cls(
            raw_id=event.id,
            seq=seen.seq,
            action=event.action,
            object_type=event.object_type,
            object_id=str(event.object_id),
            changes=JSON(event.changes),
            visibility=event.visibility,
            created_at=event.created_at,
            request_id=event.request_id,
            prev_hash=seen.prev_hash,
            hash=seen.hash,
            event=event,
            workspace=workspace,
        )

    @strawberry.field
    async def actor(self, info: Info[Context, None]) -> User | None:
        if self.event.actor_user_id is None:
            return None
        user = await tenancy_loaders(info.context).user.load(self.event.actor_user_id)
        return User.from_model(user) if user else None

    @strawberry.field
    def actor_party(self) -> Party | None:
        # Both sides come with the workspace: a plain read, no statement per event.
        party_id = self.event.actor_party_id
        if party_id is None or all(p.id != party_id for p in self.workspace.parties):
            return None
        return party_of(self.workspace, party_id)


@strawberry.type
class AuditChainVerification:
    intact: bool
    checked_events: int = strawberry.field(
        description="The events of your side's view checked: the ones you can read."
    )
    first_broken_seq: int | None
    first_broken_event: AuditEvent | None = strawberry.field(
        description="The first event whose link or hash does not match (if visible to you)."
    )

    @classmethod
    def from_result(cls, result: ChainVerification, workspace: Workspace) -> AuditChainVerification:
        return cls(
            intact=result.intact,
            checked_events=result.checked,
            first_broken_seq=result.first_broken_seq,
            first_broken_event=(
                AuditEvent.from_model(result.first_broken, workspace)
                if result.first_broken
                else None
            ),
        )
