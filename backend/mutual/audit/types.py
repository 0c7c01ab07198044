"""GraphQL types of the audit trail."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from mutual.audit import models
from mutual.audit.repository import SeenEvent
from mutual.audit.service import ChainVerification
from mutual.graphql.context import Context
from mutual.graphql.node import Node
from mutual.tenancy.loaders import tenancy_loaders
from mutual.tenancy.types import Party, User
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
    async def actor_party(self, info: Info[Context, None]) -> Party | None:
        parties = await tenancy_loaders(info.context).parties.load(self.workspace.id)
        party = next((p for p in parties if p.id == self.event.actor_party_id), None)
        return Party.from_model(party, self.workspace) if party else None


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
