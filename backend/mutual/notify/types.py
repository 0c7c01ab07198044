"""GraphQL subscription types: what changed in a partnership, as it commits."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.ids import decode_id, to_global_id
from mutual.kit.errors import DomainError
from mutual.kit.hub import WorkspaceEvent
from mutual.kit.records import Visibility
from mutual.tenancy.workspace import load_workspace


@strawberry.type(description="One committed change in a partnership (refetch what you show).")
class PartnershipEvent:
    seq: int = strawberry.field(
        description="Its number in your side's view of the audit trail (AuditEvent.seq)."
    )
    action: str = strawberry.field(description="e.g. milestone.updated, commitment.confirm")
    object_type: str
    object_id: strawberry.ID = strawberry.field(description="Global ID of the changed object.")
    subject_id: strawberry.ID = strawberry.field(
        description="Global ID of the Node to refetch: the changed object, or for a KPI "
        "measurement its KPI."
    )
    visibility: Visibility
    at: datetime
    by_own_side: bool = strawberry.field(description="Whether your side made the change.")

    @classmethod
    def from_event(cls, event: WorkspaceEvent, seq: int, own_party_id: object) -> PartnershipEvent:
        return cls(
            seq=seq,
            action=event.action,
            object_type=event.object_type,
            object_id=strawberry.ID(to_global_id(event.object_type, event.object_id)),
            subject_id=strawberry.ID(to_global_id(event.subject_type, event.subject_id)),
            visibility=Visibility(event.visibility),
            at=event.created_at,
            by_own_side=event.actor_party_id == own_party_id,
        )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Every change in a partnership you may see, live (INTERNAL ones of the "
        "other side never reach you)."
    )
    async def partnership_events(
        self, info: Info[Context, None], partnership_id: strawberry.ID
    ) -> AsyncGenerator[PartnershipEvent, None]:
        context = info.context
        try:
            raw_id = decode_id(partnership_id, "Partnership", field="partnershipId")
            workspace = await load_workspace(context.db, actor=context.actor, partnership_id=raw_id)
        except DomainError:
            raise DomainError(
                "NOT_FOUND", "No partnership with this id is visible to you.", field="partnershipId"
            ) from None
        own_party = workspace.own_party.id
        # The check is done: give the connection back to the pool for the stream's lifetime.
        await context.db.commit()
        async with context.events.subscribe(workspace.id) as queue:
            while True:
                event = await queue.get()
                if event.visibility == Visibility.INTERNAL and event.owner_party_id != own_party:
                    continue
                # A side's view holds exactly the events it may read: a second check.
                seq = event.seq_seen_by(own_party)
                if seq is None:
                    continue
                yield PartnershipEvent.from_event(event, seq, own_party)
