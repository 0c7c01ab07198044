"""The inbox: notices delivered to each recipient (the sink of `kit.notices.send`), read
state, and each user's preference per kind (inbox only, email at once, daily digest)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.kit import jobs, notices
from mutual.kit.errors import DomainError, NotFound
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility
from mutual.notify import repository
from mutual.notify.errors import NotifyErrorCode as Code
from mutual.notify.models import Delivery
from mutual.notify.repository import Item
from mutual.notify.tasks import SEND_EMAIL

MAX_MARKED = 100


def default_delivery(kind: str) -> Delivery:
    """Reminders come in the daily digest; what needs an answer is emailed at once."""
    return Delivery.DAILY_DIGEST if "reminder" in kind else Delivery.EMAIL


async def deliver(session: AsyncSession, sent: Sequence[notices.Notice]) -> None:
    """The sink: each notice to its side's inbox and endpoints (in SQL), and an email job for
    each recipient who wants one now, all in the sender's transaction."""
    for notice in sent:
        if notices.KINDS and notice.kind not in notices.KINDS:
            raise ValueError(f"notice kind {notice.kind!r} is declared by no domain")
        rows = await repository.send_notice(
            session, notice, default_delivery=default_delivery(notice.kind)
        )
        for inbox_id, user_id, how in rows:
            if how == Delivery.EMAIL:
                await jobs.defer(
                    session, SEND_EMAIL, {"user_id": str(user_id), "inbox_id": str(inbox_id)}
                )


def _user(actor: Principal) -> uuid.UUID:
    return actor.user_id


async def inbox(
    session: AsyncSession, *, actor: Principal, page: PageRequest, unread_only: bool = False
) -> Page[Item]:
    return await repository.inbox_page(session, _user(actor), page, unread_only=unread_only)


async def unread_count(session: AsyncSession, *, actor: Principal) -> int:
    return await repository.unread_count(session, _user(actor))


async def mark_read(
    session: AsyncSession, *, actor: Principal, ids: Sequence[uuid.UUID] | None
) -> list[Item]:
    """Marks the given items (every unread one when `ids` is None) read; the items marked.
    An id not in the caller's inbox is NOT_FOUND and nothing is marked."""
    user_id = _user(actor)
    if ids is not None:
        unique = list(dict.fromkeys(ids))
        if not unique or len(unique) > MAX_MARKED:
            raise DomainError(
                Code.INVALID, f"Give 1 to {MAX_MARKED} notification ids.", field="ids"
            )
        found = await repository.inbox_items_by_id(session, unique)
        if len(found) != len(unique) or any(item.user_id != user_id for item, _ in found):
            raise NotFound("notification", field="ids")
    marked = await repository.mark_read(session, user_id, ids)
    await audit.record_all(session, _read_events(user_id, marked, every=ids is None))
    if marked:
        await repository.announce(session, user_id)
    return await repository.inbox_items_by_id(session, [m.id for m in marked]) if marked else []


def _read_events(
    user_id: uuid.UUID, marked: Sequence[repository.Marked], *, every: bool
) -> list[audit.Event]:
    """One event per partnership whose notifications were marked, in that partnership's chain,
    INTERNAL to the person's side: read marks are a person's own (the other side never sees
    them; their own side's trail shows them like its API tokens)."""
    by_partnership: dict[uuid.UUID, list[repository.Marked]] = {}
    for row in marked:
        by_partnership.setdefault(row.partnership_id, []).append(row)
    return [
        audit.Event(
            partnership_id=partnership_id,
            actor_user_id=user_id,
            actor_party_id=rows[0].party_id,
            action="notifications.read_all" if every else "notifications.read",
            object_type=repository.NOTIFICATIONS,
            object_id=user_id,
            owner_party_id=rows[0].party_id,
            changes={"notifications_read": {"from": None, "to": len(rows)}},
            visibility=Visibility.INTERNAL,
        )
        for partnership_id, rows in by_partnership.items()
    ]


@dataclass(frozen=True)
class Preference:
    kind: str
    label: str
    delivery: Delivery
    is_default: bool


async def preferences(session: AsyncSession, *, actor: Principal) -> list[Preference]:
    chosen = await repository.preferences(session, _user(actor))
    return [
        Preference(
            kind=kind,
            label=label,
            delivery=Delivery(chosen.get(kind, default_delivery(kind))),
            is_default=kind not in chosen,
        )
        for kind, label in sorted(notices.KINDS.items(), key=lambda pair: pair[1])
    ]


async def set_preference(
    session: AsyncSession, *, actor: Principal, kind: str, delivery: Delivery
) -> Preference:
    actor.require_session("Changing notification preferences")
    if kind not in notices.KINDS:
        raise DomainError(
            Code.UNKNOWN_KIND, f"No notifications of the kind {kind!r} exist.", field="kind"
        )
    user_id = _user(actor)
    previous = await repository.set_preference(session, user_id, kind, delivery)
    before = previous if previous is not None else default_delivery(kind)
    if previous != delivery:
        # A person's choice, recorded in each workspace whose notices it governs, INTERNAL to
        # their side there (one statement for all of them).
        await audit.record_all(
            session,
            [
                audit.Event(
                    partnership_id=partnership_id,
                    actor_user_id=user_id,
                    actor_party_id=party_id,
                    action="notification_preference.set",
                    object_type=repository.NOTIFICATIONS,
                    object_id=user_id,
                    owner_party_id=party_id,
                    changes={
                        "kind": {"from": None, "to": kind},
                        "delivery": {"from": str(before), "to": str(delivery)},
                    },
                    visibility=Visibility.INTERNAL,
                )
                for partnership_id, party_id in await repository.sides_of(session, user_id)
            ],
        )
    return Preference(kind=kind, label=notices.KINDS[kind], delivery=delivery, is_default=False)
