"""GraphQL types of notify: the live subscriptions (what changed in a partnership, as it
commits, for as long as the subscriber may see it; the viewer's inbox), the inbox, preferences,
webhook endpoints and their deliveries."""

from __future__ import annotations

import enum
import uuid
from collections.abc import AsyncGenerator
from datetime import datetime

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.errors import UserError
from mutual.graphql.ids import decode_id, to_global_id
from mutual.graphql.node import Node
from mutual.graphql.pagination import Connection, connection, to_connection
from mutual.graphql.records import record_field
from mutual.kit.clock import utcnow
from mutual.kit.errors import DomainError, Unauthenticated
from mutual.kit.hub import NO_PARTNERSHIP, Signal, WorkspaceEvent
from mutual.kit.pagination import PageRequest
from mutual.kit.records import Visibility
from mutual.notify import delivery, inbox, models, webhooks
from mutual.notify.errors import NotifyErrorCode
from mutual.notify.models import Delivery, DeliveryStatus
from mutual.notify.repository import Item
from mutual.notify.service import CREDENTIALS_ENDED, NOT_VISIBLE, LiveAccess


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


for _enum in (NotifyErrorCode,):
    strawberry.enum(_enum)
strawberry.enum(Delivery, name="NotificationDelivery", description="How you are told.")
strawberry.enum(DeliveryStatus, name="WebhookDeliveryStatus")


@strawberry.type(description="What a notification is about.")
class NotificationSubject:
    id: strawberry.ID = strawberry.field(description="The Node's global ID.")
    type: str = strawberry.field(description="Its Node type, e.g. Commitment.")
    partnership_id: strawberry.ID
    link: str = strawberry.field(description="The portal's path to open it (after #).")


@strawberry.type(description="A notice in your inbox: what needs you, and where it is.")
class Notification(Node):
    item: strawberry.Private[models.InboxItem]
    notice: strawberry.Private[models.Notice]

    @classmethod
    def from_item(cls, item: Item) -> Notification:
        return cls(raw_id=item[0].id, item=item[0], notice=item[1])

    @strawberry.field(description="e.g. commitments.delivery_to_confirm")
    def kind(self) -> str:
        return self.notice.kind

    @strawberry.field
    def title(self) -> str:
        return self.notice.title

    @strawberry.field
    def body(self) -> str:
        return self.notice.body

    @strawberry.field(description="What it is about, and where to open it.")
    def subject(self) -> NotificationSubject:
        n = self.notice
        return NotificationSubject(
            id=strawberry.ID(to_global_id(n.subject_type, n.subject_id)),
            type=n.subject_type,
            partnership_id=strawberry.ID(to_global_id("Partnership", n.partnership_id)),
            link=delivery.subject_path(n.partnership_id, n.subject_type, n.subject_id),
        )

    @strawberry.field
    def created_at(self) -> datetime:
        return self.item.created_at

    @strawberry.field(description="When you read it; null while unread.")
    def read_at(self) -> datetime | None:
        return self.item.read_at


@strawberry.type(description="How you are told of one kind of notice.")
class NotificationPreference:
    kind: str
    label: str
    delivery: Delivery
    is_default: bool = strawberry.field(description="Not chosen by you: the default.")

    @classmethod
    def from_preference(cls, preference: inbox.Preference) -> NotificationPreference:
        return cls(
            kind=preference.kind,
            label=preference.label,
            delivery=preference.delivery,
            is_default=preference.is_default,
        )


@strawberry.type(description="One event sent (or being sent) to a webhook endpoint.")
class WebhookDelivery(Node):
    record: strawberry.Private[models.WebhookDelivery]
    event_type: str = record_field("event_type", str)
    status: DeliveryStatus = record_field("status", DeliveryStatus, convert=DeliveryStatus)
    attempts: int = record_field("attempts", int)
    response_status: int | None = record_field(
        "response_status", int | None, description="The receiver's HTTP status, last attempt."
    )
    response_ms: int | None = record_field(
        "response_ms", int | None, description="How long the last attempt took (ms)."
    )
    error: str | None = record_field("error", str | None)
    created_at: datetime = record_field("created_at", datetime)
    last_attempt_at: datetime | None = record_field("last_attempt_at", datetime | None)
    delivered_at: datetime | None = record_field("delivered_at", datetime | None)

    @classmethod
    def from_model(cls, row: models.WebhookDelivery) -> WebhookDelivery:
        return cls(raw_id=row.id, record=row)

    @strawberry.field(description="The webhook-id header (the same on every attempt).")
    def message_id(self) -> str:
        return delivery.message_id(self.record.id)


@strawberry.type(description="Your side's webhook endpoint (never visible to the other side).")
class WebhookEndpoint(Node):
    record: strawberry.Private[models.WebhookEndpoint]
    url: str = record_field("url", str)
    description: str = record_field("description", str)
    event_types: list[str] = record_field(
        "event_types", list[str], description="Empty: every event."
    )
    enabled: bool = record_field("enabled", bool)
    disabled_reason: str | None = record_field("disabled_reason", str | None)
    failure_count: int = record_field(
        "failure_count", int, description="Failed deliveries in a row."
    )
    version: int = record_field("version", int)
    created_at: datetime = record_field("created_at", datetime)
    updated_at: datetime = record_field("updated_at", datetime)

    @classmethod
    def from_model(cls, row: models.WebhookEndpoint) -> WebhookEndpoint:
        return cls(raw_id=row.id, record=row)

    @strawberry.field(description="Whether a previous secret is still accepted (rotation).")
    def previous_secret_expires_at(self) -> datetime | None:
        return self.record.previous_secret_expires_at

    @strawberry.field(description="The delivery log, newest first.")
    @connection
    async def deliveries(
        self, info: Info[Context, None], page: PageRequest
    ) -> Connection[WebhookDelivery]:
        rows = await webhooks.deliveries(info.context.db, self.record, page)
        return to_connection(rows, WebhookDelivery.from_model)


@strawberry.type
class NotifyError(UserError):
    code: NotifyErrorCode


@strawberry.type(description="Your inbox changed: refetch what you show of it.")
class ViewerNoticesEvent:
    unread_count: int


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
                if item is Signal.NOTICE:
                    continue  # only the viewer's own mailbox asks for these
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

    @strawberry.subscription(
        description="Your inbox, live: its unread count now, then again whenever a notice "
        "reaches you or you mark some read (in any tab). It ends with UNAUTHENTICATED once "
        "your session has ended."
    )
    async def viewer_notices(
        self, info: Info[Context, None]
    ) -> AsyncGenerator[ViewerNoticesEvent, None]:
        context = info.context
        actor = context.actor
        check_seconds = context.settings.live_access_check_seconds
        async with context.events.subscribe(
            NO_PARTNERSHIP, user_id=actor.user_id, notices=True
        ) as mailbox:
            first = await inbox.unread_count(context.db, actor=actor)
            # Counted: give the connection back to the pool for the stream's lifetime.
            await context.db.commit()
            yield ViewerNoticesEvent(unread_count=first)
            while True:
                item = await mailbox.next(within=check_seconds)
                async with context.database.session() as session, session.begin():
                    principal = await context.authenticate(session)
                    if principal is None:
                        raise Unauthenticated(CREDENTIALS_ENDED)
                    if item is None or item is Signal.CHECK_ACCESS:
                        continue
                    count = await inbox.unread_count(session, actor=principal)
                yield ViewerNoticesEvent(unread_count=count)
