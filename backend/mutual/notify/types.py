"""GraphQL subscription types: what changed in a partnership, as it commits, for as long as
the subscriber may see it."""

from __future__ import annotations

import enum
import uuid
from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.ids import decode_id, to_global_id
from mutual.kit.clock import utcnow
from mutual.kit.errors import DomainError
from mutual.kit.hub import Signal, WorkspaceEvent
from mutual.kit.records import Visibility
from mutual.notify.service import NOT_VISIBLE, LiveAccess


@strawberry.enum(description="What a live event is.")
class PartnershipEventKind(enum.Enum):
    CHANGE = strawberry.enum_value(
        "CHANGE", description="A committed change (refetch its subject if you show it)."
    )
    RESYNC = strawberry.enum_value(
        "RESYNC",
        description="The live feed was interrupted on the server (e.g. its database "
        "restarted): changes after `seq` may have been missed, so refetch what you show. "
        "Its object and subject are the partnership.",
    )


# A resync names the partnership as what to refetch; it is no audited change.
RESYNC_ACTION = "resync"
RESYNC_OBJECT_TYPE = "Partnership"


@strawberry.type(description="One committed change in a partnership (refetch what you show).")
class PartnershipEvent:
    seq: int = strawberry.field(
        description="Its number in your side's view of the audit trail (AuditEvent.seq); for "
        "a RESYNC, that of the last event this subscription delivered (0 if none)."
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
    kind: PartnershipEventKind = strawberry.field(
        default=PartnershipEventKind.CHANGE,
        description="CHANGE, or RESYNC when events may have been missed.",
    )

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

    @classmethod
    def resync(cls, partnership_id: uuid.UUID, last_seq: int) -> PartnershipEvent:
        partnership = strawberry.ID(to_global_id(RESYNC_OBJECT_TYPE, partnership_id))
        return cls(
            seq=last_seq,
            action=RESYNC_ACTION,
            object_type=RESYNC_OBJECT_TYPE,
            object_id=partnership,
            subject_id=partnership,
            visibility=Visibility.SHARED,
            at=utcnow(),
            by_own_side=False,
            kind=PartnershipEventKind.RESYNC,
        )


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="Every change in a partnership you may see, live (INTERNAL ones of the "
        "other side never reach you), and a RESYNC when some may have been missed. It ends "
        "with an error when your access does: UNAUTHENTICATED once your session or API token "
        "has ended (sign-out, revocation, expiry), NOT_FOUND once the partnership is no longer "
        "visible to you (e.g. you were removed from it)."
    )
    async def partnership_events(
        self, info: Info[Context, None], partnership_id: strawberry.ID
    ) -> AsyncGenerator[PartnershipEvent, None]:
        context = info.context
        actor = context.actor
        try:
            raw_id = decode_id(partnership_id, "Partnership", field="partnershipId")
        except DomainError:
            raise DomainError("NOT_FOUND", NOT_VISIBLE, field="partnershipId") from None
        access = LiveAccess(
            database=context.database,
            authenticate=context.authenticate,
            partnership_id=raw_id,
            check_seconds=context.settings.live_access_check_seconds,
        )
        # Listening first, then the check: a change of access from here on is noticed.
        async with context.events.subscribe(raw_id, user_id=actor.user_id) as mailbox:
            workspace = await access.check(context.db)
            # The check is done: give the connection back to the pool for the stream's lifetime.
            await context.db.commit()
            last_seq = 0
            while True:
                item = await mailbox.next(within=access.seconds_to_check())
                if item is None or item is Signal.CHECK_ACCESS or access.due:
                    # Raises, ending the stream with its error, when the access has ended.
                    workspace = await access.check_again()
                if item is None or item is Signal.CHECK_ACCESS:
                    continue
                if item is Signal.RESYNC:
                    yield PartnershipEvent.resync(workspace.id, last_seq)
                    continue
                event = item
                own_party = workspace.own_party.id
                if event.visibility == Visibility.INTERNAL and event.owner_party_id != own_party:
                    continue
                # A side's view holds exactly the events it may read: a second check.
                seq = event.seq_seen_by(own_party)
                if seq is None:
                    continue
                yield PartnershipEvent.from_event(event, seq, own_party)
                last_seq = seq
