"""Every SQL statement of the notify domain's inbox, preferences and webhooks. The writes that
cross from one side to the other (a notice to the other side's inbox and endpoints) and the
workers' reads (which have no identity) go through the SECURITY DEFINER functions of migration
0013_notifications."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from mutual.kit.labels import Label
from mutual.kit.notices import Notice as NoticeToSend
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.repository import paginate
from mutual.notify.models import (
    InboxItem,
    Notice,
    NotificationPreference,
    WebhookDelivery,
    WebhookEndpoint,
)
from mutual.tenancy.models import User, WorkspaceMember

Item = tuple[InboxItem, Notice]
# The object type of the audit events of a person's notifications (object id: the user's).
NOTIFICATIONS = "UserNotifications"

_SEND = text(
    "SELECT inbox_id, user_id, delivery FROM mutual_send_notice(:partnership_id, :kind, "
    ":party_id, :subject_type, :subject_id, :title, :body, CAST(:user_ids AS uuid[]), "
    "CAST(:roles AS text[]), :dedupe_key, :default_delivery)"
)


async def send_notice(
    session: AsyncSession, notice: NoticeToSend, *, default_delivery: str
) -> list[tuple[uuid.UUID, uuid.UUID, str]]:
    """The notice's inbox rows (none when its dedupe key was used already)."""
    result = await session.execute(
        _SEND,
        {
            "partnership_id": notice.partnership_id,
            "kind": notice.kind,
            "party_id": notice.party_id,
            "subject_type": notice.subject_type,
            "subject_id": notice.subject_id,
            "title": notice.title,
            "body": notice.body,
            "user_ids": list(notice.user_ids),
            "roles": list(notice.roles),
            "dedupe_key": notice.dedupe_key,
            "default_delivery": default_delivery,
        },
    )
    return [(row[0], row[1], row[2]) for row in result.all()]


def _inbox(user_id: uuid.UUID, *, unread_only: bool) -> Any:
    stmt = (
        select(InboxItem, Notice)
        .join(
            Notice,
            (col(Notice.partnership_id) == col(InboxItem.partnership_id))
            & (col(Notice.id) == col(InboxItem.notice_id)),
        )
        .where(col(InboxItem.user_id) == user_id)
    )
    if unread_only:
        stmt = stmt.where(col(InboxItem.read_at).is_(None))
    return stmt


async def inbox_page(
    session: AsyncSession, user_id: uuid.UUID, page: PageRequest, *, unread_only: bool
) -> Page[Item]:
    stmt = _inbox(user_id, unread_only=unread_only).order_by(
        col(InboxItem.created_at).desc(), col(InboxItem.id).desc()
    )
    result: Page[Item] = await paginate(session, stmt, page, scalar=False)
    return result


async def inbox_items_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[Item]:
    """The caller's own inbox rows among `ids` (row-level security keeps others' out)."""
    stmt = select(InboxItem, Notice).join(
        Notice,
        (col(Notice.partnership_id) == col(InboxItem.partnership_id))
        & (col(Notice.id) == col(InboxItem.notice_id)),
    )
    stmt = stmt.where(col(InboxItem.id).in_(ids))
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def unread_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    stmt = select(func.count()).select_from(_inbox(user_id, unread_only=True).subquery())
    return int((await session.execute(stmt)).scalar_one())


@dataclass(frozen=True)
class Marked:
    """An inbox row just marked read: its partnership and the side its notice went to."""

    id: uuid.UUID
    partnership_id: uuid.UUID
    party_id: uuid.UUID


async def mark_read(
    session: AsyncSession, user_id: uuid.UUID, ids: Sequence[uuid.UUID] | None
) -> list[Marked]:
    """Marks the user's unread items (all of them when `ids` is None) read, in one statement."""
    stmt = (
        update(InboxItem)
        .where(
            col(InboxItem.user_id) == user_id,
            col(InboxItem.read_at).is_(None),
            col(Notice.partnership_id) == col(InboxItem.partnership_id),
            col(Notice.id) == col(InboxItem.notice_id),
        )
        .values(read_at=func.now())
        .returning(col(InboxItem.id), col(InboxItem.partnership_id), col(Notice.party_id))
    )
    if ids is not None:
        stmt = stmt.where(col(InboxItem.id).in_(ids))
    result = await session.execute(stmt, execution_options={"synchronize_session": False})
    return [Marked(id=r[0], partnership_id=r[1], party_id=r[2]) for r in result.all()]


async def preferences(session: AsyncSession, user_id: uuid.UUID) -> dict[str, str]:
    stmt = select(col(NotificationPreference.kind), col(NotificationPreference.delivery)).where(
        col(NotificationPreference.user_id) == user_id
    )
    return {row[0]: row[1] for row in (await session.execute(stmt)).all()}


async def set_preference(
    session: AsyncSession, user_id: uuid.UUID, kind: str, delivery: str
) -> str | None:
    """Sets the user's choice for a kind; the choice it replaced (None: the default)."""
    previous = (
        select(col(NotificationPreference.delivery))
        .where(
            col(NotificationPreference.user_id) == user_id,
            col(NotificationPreference.kind) == kind,
        )
        .scalar_subquery()
    )
    stmt = (
        pg_insert(NotificationPreference)
        .values(user_id=user_id, kind=kind, delivery=delivery)
        .on_conflict_do_update(
            index_elements=[col(NotificationPreference.user_id), col(NotificationPreference.kind)],
            set_={"delivery": delivery, "updated_at": func.now()},
        )
        .returning(previous)
    )
    replaced: str | None = (await session.execute(stmt)).scalar_one()
    return replaced


async def sides_of(session: AsyncSession, user_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(partnership, party) of each workspace the user is a member of."""
    stmt = select(col(WorkspaceMember.partnership_id), col(WorkspaceMember.party_id)).where(
        col(WorkspaceMember.user_id) == user_id
    )
    return [(r[0], r[1]) for r in (await session.execute(stmt)).all()]


async def inbox_owner_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """A person's notifications (read marks, preferences) by the person's name, for the audit
    trail; their events are INTERNAL to the person's side, so only that side asks."""
    stmt = select(col(User.id), col(User.display_name)).where(col(User.id).in_(ids))
    rows = (await session.execute(stmt)).all()
    return {r[0]: Label(f"{r[1]}'s notifications", NOTIFICATIONS, r[0]) for r in rows}


# Webhook endpoints: one side's own (row-level security: INTERNAL to that side).


async def endpoints_of(
    session: AsyncSession, partnership_id: uuid.UUID, party_id: uuid.UUID
) -> list[WebhookEndpoint]:
    stmt = (
        select(WebhookEndpoint)
        .where(
            col(WebhookEndpoint.partnership_id) == partnership_id,
            col(WebhookEndpoint.owner_party_id) == party_id,
        )
        .order_by(col(WebhookEndpoint.created_at), col(WebhookEndpoint.id))
    )
    return list((await session.execute(stmt)).scalars().all())


async def endpoint(session: AsyncSession, endpoint_id: uuid.UUID) -> WebhookEndpoint | None:
    stmt = select(WebhookEndpoint).where(col(WebhookEndpoint.id) == endpoint_id)
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    return result.scalar_one_or_none()


async def endpoints_by_id(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[WebhookEndpoint]:
    stmt = select(WebhookEndpoint).where(col(WebhookEndpoint.id).in_(ids))
    return list((await session.execute(stmt)).scalars().all())


async def insert_endpoint(session: AsyncSession, **values: Any) -> WebhookEndpoint:
    stmt = insert(WebhookEndpoint).values(**values).returning(WebhookEndpoint)
    return (await session.execute(stmt)).scalar_one()


async def delete_endpoint(session: AsyncSession, endpoint: WebhookEndpoint) -> None:
    await session.execute(
        delete(WebhookEndpoint).where(
            col(WebhookEndpoint.partnership_id) == endpoint.partnership_id,
            col(WebhookEndpoint.id) == endpoint.id,
        ),
        execution_options={"synchronize_session": False},
    )


async def deliveries_page(
    session: AsyncSession, endpoint: WebhookEndpoint, page: PageRequest
) -> Page[WebhookDelivery]:
    stmt = (
        select(WebhookDelivery)
        .where(
            col(WebhookDelivery.partnership_id) == endpoint.partnership_id,
            col(WebhookDelivery.endpoint_id) == endpoint.id,
        )
        .order_by(col(WebhookDelivery.created_at).desc(), col(WebhookDelivery.id).desc())
    )
    result: Page[WebhookDelivery] = await paginate(session, stmt, page)
    return result


async def undelivered(session: AsyncSession, endpoint: WebhookEndpoint) -> list[uuid.UUID]:
    """The endpoint's deliveries still waiting (kept while it was disabled)."""
    stmt = select(col(WebhookDelivery.id)).where(
        col(WebhookDelivery.partnership_id) == endpoint.partnership_id,
        col(WebhookDelivery.endpoint_id) == endpoint.id,
        col(WebhookDelivery.status).in_(("PENDING", "RETRYING")),
    )
    return list((await session.execute(stmt)).scalars().all())


async def insert_delivery(session: AsyncSession, **values: Any) -> WebhookDelivery:
    stmt = insert(WebhookDelivery).values(**values).returning(WebhookDelivery)
    return (await session.execute(stmt)).scalar_one()


async def endpoint_labels(
    session: AsyncSession,
    partnership_id: uuid.UUID,
    viewer_party_id: uuid.UUID,
    ids: Sequence[uuid.UUID],
) -> dict[uuid.UUID, Label]:
    """Endpoint URLs for the audit trail: only the viewer's side's own endpoints."""
    stmt = select(col(WebhookEndpoint.id), col(WebhookEndpoint.url)).where(
        col(WebhookEndpoint.partnership_id) == partnership_id,
        col(WebhookEndpoint.owner_party_id) == viewer_party_id,
        col(WebhookEndpoint.id).in_(ids),
    )
    rows = (await session.execute(stmt)).all()
    return {r[0]: Label(r[1], "WebhookEndpoint", r[0]) for r in rows}


# The workers' side (no identity): through the functions of migration 0013.


@dataclass(frozen=True)
class DeliveryToSend:
    partnership_id: uuid.UUID
    endpoint_id: uuid.UUID
    url: str
    secret: str
    previous_secret: str | None
    previous_secret_expires_at: datetime | None
    enabled: bool
    status: str
    attempts: int
    event_type: str
    payload: dict[str, Any]
    created_at: datetime


async def delivery_to_send(session: AsyncSession, delivery_id: uuid.UUID) -> DeliveryToSend | None:
    result = await session.execute(
        text("SELECT * FROM mutual_webhook_delivery_to_send(:id)"), {"id": delivery_id}
    )
    row = result.mappings().one_or_none()
    return DeliveryToSend(**row) if row is not None else None


@dataclass(frozen=True)
class Disabled:
    partnership_id: uuid.UUID
    party_id: uuid.UUID
    endpoint_id: uuid.UUID
    url: str


async def record_attempt(
    session: AsyncSession,
    delivery_id: uuid.UUID,
    *,
    ok: bool,
    status: int | None,
    ms: int | None,
    error: str | None,
    final: bool,
    disable_after: int,
) -> Disabled | None:
    """The attempt's outcome; the endpoint when this failure disabled it."""
    result = await session.execute(
        text(
            "SELECT * FROM mutual_webhook_delivery_result(:id, :ok, :status, :ms, :error, "
            ":final, :disable_after)"
        ),
        {
            "id": delivery_id,
            "ok": ok,
            "status": status,
            "ms": ms,
            "error": error,
            "final": final,
            "disable_after": disable_after,
        },
    )
    row = result.mappings().one_or_none()
    if row is None or not row["disabled"]:
        return None
    return Disabled(
        partnership_id=row["partnership_id"],
        party_id=row["party_id"],
        endpoint_id=row["endpoint_id"],
        url=row["url"],
    )


async def digest_recipients(session: AsyncSession) -> list[uuid.UUID]:
    result = await session.execute(text("SELECT * FROM mutual_digest_recipients()"))
    return list(result.scalars().all())


async def user_address(session: AsyncSession, user_id: uuid.UUID) -> tuple[str, str] | None:
    stmt = select(col(User.email), col(User.display_name)).where(
        col(User.id) == user_id, col(User.is_active)
    )
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1]) if row is not None else None


async def items_to_email(
    session: AsyncSession, user_id: uuid.UUID, *, inbox_id: uuid.UUID | None
) -> list[Item]:
    """The user's items not emailed yet: one (`inbox_id`), or every unread digest item."""
    stmt = _inbox(user_id, unread_only=inbox_id is None).where(col(InboxItem.emailed_at).is_(None))
    if inbox_id is not None:
        stmt = stmt.where(col(InboxItem.id) == inbox_id)
    else:
        stmt = stmt.where(col(InboxItem.delivery) == "DAILY_DIGEST")
    # Locked: two runs at once (a digest job twice) never send one item twice.
    stmt = stmt.order_by(col(InboxItem.created_at), col(InboxItem.id)).with_for_update(
        skip_locked=True, of=InboxItem
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def mark_emailed(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    await session.execute(
        update(InboxItem).where(col(InboxItem.id).in_(ids)).values(emailed_at=func.now()),
        execution_options={"synchronize_session": False},
    )


async def oldest_item(session: AsyncSession, user_id: uuid.UUID) -> uuid.UUID | None:
    stmt = (
        select(col(InboxItem.id))
        .where(col(InboxItem.user_id) == user_id)
        .order_by(col(InboxItem.created_at))
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def announce(session: AsyncSession, user_id: uuid.UUID) -> None:
    """Tells the user's live inbox (viewerNotices) that it changed, when this commits."""
    await session.execute(
        text(
            "SELECT pg_notify('mutual_notices', "
            "json_build_object('user_id', CAST(:u AS text))::text)"
        ),
        {"u": str(user_id)},
    )
