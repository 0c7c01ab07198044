"""A subscription's mailbox: events in order, an access check before anything still waiting,
a RESYNC after an interruption or an overflow (never a silent loss), a timeout as None."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from mutual.kit.hub import NO_PARTNERSHIP, Mailbox, Signal, WorkspaceEvent

PARTNERSHIP = uuid.uuid4()


def event(seq: int) -> WorkspaceEvent:
    return WorkspaceEvent(
        partnership_id=PARTNERSHIP, seq=seq, action="milestone.created",
        object_type="Milestone", object_id=uuid.uuid4(), visibility="SHARED",
        owner_party_id=uuid.uuid4(), actor_user_id=None, actor_party_id=None,
        created_at=datetime.now(UTC), subject_type="Milestone", subject_id=uuid.uuid4(),
        view_seqs={},
    )  # fmt: skip


async def drain(mailbox: Mailbox) -> list[object]:
    items: list[object] = []
    while (item := await mailbox.next(within=0.01)) is not None:
        items.append(item if isinstance(item, Signal) else item.seq)
    return items


async def test_events_come_in_order_and_an_access_check_comes_first() -> None:
    mailbox = Mailbox(PARTNERSHIP, uuid.uuid4(), limit=10)
    for seq in (1, 2, 3):
        mailbox.put(event(seq))
    mailbox.access_changed()

    assert await drain(mailbox) == [Signal.CHECK_ACCESS, 1, 2, 3]


async def test_an_interruption_asks_for_a_check_then_a_resync() -> None:
    mailbox = Mailbox(PARTNERSHIP, uuid.uuid4(), limit=10)
    mailbox.put(event(7))
    mailbox.interrupted()

    assert await drain(mailbox) == [Signal.CHECK_ACCESS, Signal.RESYNC, 7]


async def test_an_overflow_is_a_resync_not_a_silent_loss() -> None:
    mailbox = Mailbox(PARTNERSHIP, uuid.uuid4(), limit=2)
    for seq in (1, 2, 3, 4):
        mailbox.put(event(seq))

    assert await drain(mailbox) == [Signal.RESYNC, 1, 2]


async def test_waiting_past_the_deadline_gives_none() -> None:
    mailbox = Mailbox(PARTNERSHIP, uuid.uuid4(), limit=2)

    assert await mailbox.next(within=0.01) is None


async def test_only_a_viewer_notices_mailbox_hears_of_inbox_changes() -> None:
    user = uuid.uuid4()
    own = Mailbox(NO_PARTNERSHIP, user, limit=10, notices=True)
    workspace = Mailbox(PARTNERSHIP, user, limit=10)
    for mailbox in (own, workspace):
        mailbox.noticed()
        mailbox.noticed()  # two changes before a read: one signal, the count is read fresh

    assert await drain(own) == [Signal.NOTICE]
    assert await drain(workspace) == []
