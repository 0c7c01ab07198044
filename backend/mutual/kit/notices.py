"""Notices: what a domain tells the people of one side (a proposal to accept, feedback to answer,
a breach, a reminder). A domain sends them in the transaction of the change that caused them, and
the notify domain delivers them (inbox, email, webhooks): the domain names its kinds in
`Domain(notice_kinds=...)` and never imports notify."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Notice:
    partnership_id: uuid.UUID
    # "<domain>.<what>", one of the kinds its domain declares (preferences are per kind).
    kind: str
    # The side it is for: its active members receive it (only those in `user_ids`, if given;
    # only those with one of `roles`, if given).
    party_id: uuid.UUID
    # The record to open (a Node type and the record's id).
    subject_type: str
    subject_id: uuid.UUID
    # One line and a plain-text body: only what that side may read (never another side's
    # INTERNAL content).
    title: str
    body: str = ""
    user_ids: tuple[uuid.UUID, ...] = ()
    roles: tuple[str, ...] = ()
    # A notice with a key is sent once: another with the same partnership, kind and key is
    # dropped (a reminder per item and day, a breach per clock).
    dedupe_key: str | None = None


# (session, notices): delivers or queues them in the session's transaction.
NoticeSink = Callable[[Any, Sequence[Notice]], Awaitable[None]]

SINKS: list[NoticeSink] = []
# Every domain's kinds with their labels (for preferences), set with the sinks.
KINDS: dict[str, str] = {}


def use(sinks: Sequence[NoticeSink], kinds: Mapping[str, str] | None = None) -> None:
    SINKS[:] = sinks
    if kinds is not None:
        KINDS.clear()
        KINDS.update(kinds)


async def send(session: Any, *notices: Notice) -> None:
    """Hands the notices to the delivering domain, in the caller's transaction."""
    if not notices:
        return
    for sink in SINKS:
        await sink(session, notices)
