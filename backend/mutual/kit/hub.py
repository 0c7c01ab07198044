"""Live events across processes: every committed audit event is announced by PostgreSQL
(NOTIFY from a trigger); each process LISTENs on one connection and fans events out to its
own subscribers, per partnership. A second channel announces that a user's access may have
ended (signed out, token revoked, removed from a workspace): that user's subscriptions check
it again before they deliver anything more.

The LISTEN connection is supervised: checked with a query now and then, and after a loss (a
PostgreSQL restart, a network cut) opened again with a growing delay; once it is back, every
subscriber is told that it may have missed events, and checks its access again, since
notifications sent meanwhile are gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import random
import uuid
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from mutual.db import _asyncpg_kwargs

log = logging.getLogger(__name__)

CHANNEL = "mutual_events"
ACCESS_CHANNEL = "mutual_access"
# A user's inbox changed (notify's mutual_send_notice): their notice mailboxes refetch it.
NOTICE_CHANNEL = "mutual_notices"
# The partnership a user's own mailbox (viewer notices) is filed under: none.
NO_PARTNERSHIP = uuid.UUID(int=0)
# How the LISTEN connection shows in pg_stat_activity.
APPLICATION_NAME = "mutual-live"
QUEUE_SIZE = 1000


@dataclass(frozen=True)
class WorkspaceEvent:
    partnership_id: uuid.UUID
    seq: int  # in the partnership's chain, which counts both sides' INTERNAL events
    action: str
    object_type: str
    object_id: uuid.UUID
    visibility: str
    owner_party_id: uuid.UUID
    actor_user_id: uuid.UUID | None
    actor_party_id: uuid.UUID | None
    created_at: datetime
    # The Node a client refetches: the object itself, or a measurement's KPI.
    subject_type: str
    subject_id: uuid.UUID
    # The event's number in the view of each side that may read it (migration 0007).
    view_seqs: dict[uuid.UUID, int]

    def seq_seen_by(self, party_id: uuid.UUID) -> int | None:
        """The event's number in that side's view of the trail; None if it may not read it."""
        return self.view_seqs.get(party_id)

    @classmethod
    def from_payload(cls, payload: str) -> WorkspaceEvent:
        data: dict[str, Any] = json.loads(payload)
        optional = {
            k: uuid.UUID(data[k]) if data.get(k) else None
            for k in ("actor_user_id", "actor_party_id")
        }
        return cls(
            partnership_id=uuid.UUID(data["partnership_id"]),
            seq=int(data["seq"]),
            action=data["action"],
            object_type=data["object_type"],
            object_id=uuid.UUID(data["object_id"]),
            visibility=data["visibility"],
            owner_party_id=uuid.UUID(data["owner_party_id"]),
            created_at=datetime.fromisoformat(data["created_at"]),
            subject_type=data.get("subject_type") or data["object_type"],
            subject_id=uuid.UUID(data.get("subject_id") or data["object_id"]),
            view_seqs={uuid.UUID(k): int(v) for k, v in data["view_seqs"].items()},
            **optional,
        )


class Signal(enum.Enum):
    """What a mailbox yields besides events; both come before any event still waiting."""

    # The user's access may have changed: check it before delivering anything more.
    CHECK_ACCESS = "CHECK_ACCESS"
    # Events may have been missed (the feed was interrupted, or the mailbox overflowed).
    RESYNC = "RESYNC"
    # The user's inbox changed (only to mailboxes opened with `notices=True`).
    NOTICE = "NOTICE"


class Mailbox:
    """One subscription's inbox: its partnership's events in order, and the two signals."""

    def __init__(
        self, partnership_id: uuid.UUID, user_id: uuid.UUID, *, limit: int, notices: bool = False
    ) -> None:
        self.partnership_id = partnership_id
        self.user_id = user_id
        self.notices = notices
        self._noticed = False
        self._limit = limit
        self._events: deque[WorkspaceEvent] = deque()
        self._check_access = False
        self._missed = False
        self._ready = asyncio.Event()

    def put(self, event: WorkspaceEvent) -> None:
        if len(self._events) >= self._limit:
            if not self._missed:
                log.warning("a slow subscriber of %s dropped events", self.partnership_id)
            self._missed = True
        else:
            self._events.append(event)
        self._ready.set()

    def access_changed(self) -> None:
        self._check_access = True
        self._ready.set()

    def noticed(self) -> None:
        if self.notices:
            self._noticed = True
            self._ready.set()

    def interrupted(self) -> None:
        self._check_access = True
        self._missed = True
        self._ready.set()

    async def next(self, within: float | None = None) -> WorkspaceEvent | Signal | None:
        """The next signal or event; None when `within` seconds pass without one."""
        while True:
            if self._check_access:
                self._check_access = False
                return Signal.CHECK_ACCESS
            if self._missed:
                self._missed = False
                return Signal.RESYNC
            if self._noticed:
                self._noticed = False
                return Signal.NOTICE
            if self._events:
                return self._events.popleft()
            self._ready.clear()
            try:
                # A timer, not wait_for's extra task: this runs once per event per subscriber.
                async with asyncio.timeout(within):
                    await self._ready.wait()
            except TimeoutError:
                return None


class EventHub:
    """One supervised LISTEN connection per process, opened with the first subscriber."""

    def __init__(
        self,
        url: URL,
        *,
        reconnect_first_seconds: float = 0.2,
        reconnect_max_seconds: float = 10.0,
        check_seconds: float = 15.0,
    ) -> None:
        self.url = url
        self.reconnect_first_seconds = reconnect_first_seconds
        self.reconnect_max_seconds = reconnect_max_seconds
        self.check_seconds = check_seconds
        self._by_partnership: defaultdict[uuid.UUID, set[Mailbox]] = defaultdict(set)
        self._by_user: defaultdict[uuid.UUID, set[Mailbox]] = defaultdict(set)
        self._connection: asyncpg.Connection | None = None
        self._lost = asyncio.Event()
        self._supervisor: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        # How many times the connection was opened again after a loss (for tests and logs).
        self.reconnections = 0

    @property
    def listening(self) -> bool:
        return self._connection is not None and not self._connection.is_closed()

    async def _ensure_listening(self) -> None:
        async with self._lock:
            if self._supervisor is not None:
                return  # listening, or reconnecting by itself
            self._connection = await self._connect()
            self._supervisor = asyncio.create_task(self._supervise(), name="mutual-event-hub")

    async def _connect(self) -> asyncpg.Connection:
        connection = await asyncpg.connect(
            **_asyncpg_kwargs(self.url), server_settings={"application_name": APPLICATION_NAME}
        )
        try:
            await connection.add_listener(CHANNEL, self._on_event)
            await connection.add_listener(ACCESS_CHANNEL, self._on_access)
            await connection.add_listener(NOTICE_CHANNEL, self._on_notice)
        except BaseException:
            connection.terminate()
            raise
        self._lost.clear()
        connection.add_termination_listener(self._on_terminated)
        return connection

    def _on_terminated(self, connection: Any) -> None:
        if connection is self._connection:
            self._lost.set()

    async def _supervise(self) -> None:
        while True:
            await self._until_lost()
            lost, self._connection = self._connection, None
            if lost is not None and not lost.is_closed():
                lost.terminate()
            log.warning("the LISTEN connection for live events was lost; reconnecting")
            self._connection = await self._reconnect()
            self.reconnections += 1
            log.info("listening for live events again; subscribers will resync")
            for mailboxes in list(self._by_partnership.values()):
                for mailbox in list(mailboxes):
                    mailbox.interrupted()

    async def _until_lost(self) -> None:
        """Returns once the connection is closed, or fails (or hangs on) a check query."""
        while True:
            try:
                await asyncio.wait_for(self._lost.wait(), self.check_seconds)
                return
            except TimeoutError:
                pass
            connection = self._connection
            if connection is None or connection.is_closed():
                return
            try:
                await connection.fetchval("SELECT 1", timeout=self.check_seconds)
            except Exception:
                # Whatever the failure, the connection is not to be trusted any more.
                log.warning("the LISTEN connection failed its check", exc_info=True)
                return

    async def _reconnect(self) -> asyncpg.Connection:
        delay = self.reconnect_first_seconds
        while True:
            try:
                return await self._connect()
            except Exception as error:
                # Nothing may end the supervisor but close(): live events would stop silently.
                log.warning("live events: reconnecting in %.1f s (%r)", delay, error)
            # Jitter: the processes of a deployment do not all knock at the same instant.
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, self.reconnect_max_seconds)

    def _on_event(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            event = WorkspaceEvent.from_payload(payload)
        except (ValueError, KeyError):
            log.warning("ignored a malformed event: %.200s", payload)
            return
        for mailbox in self._by_partnership.get(event.partnership_id, ()):
            mailbox.put(event)

    def _on_access(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            user_id = uuid.UUID(json.loads(payload)["user_id"])
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed access notice: %.200s", payload)
            return
        for mailbox in self._by_user.get(user_id, ()):
            mailbox.access_changed()

    def _on_notice(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            user_id = uuid.UUID(json.loads(payload)["user_id"])
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed inbox notice: %.200s", payload)
            return
        for mailbox in self._by_user.get(user_id, ()):
            mailbox.noticed()

    @asynccontextmanager
    async def subscribe(
        self, partnership_id: uuid.UUID, *, user_id: uuid.UUID, notices: bool = False
    ) -> AsyncIterator[Mailbox]:
        """A mailbox for a partnership's events and for notices about `user_id`'s access
        (and, with `notices`, about changes of their inbox)."""
        await self._ensure_listening()
        mailbox = Mailbox(partnership_id, user_id, limit=QUEUE_SIZE, notices=notices)
        self._by_partnership[partnership_id].add(mailbox)
        self._by_user[user_id].add(mailbox)
        try:
            yield mailbox
        finally:
            for index, key in ((self._by_partnership, partnership_id), (self._by_user, user_id)):
                index[key].discard(mailbox)
                if not index[key]:
                    del index[key]

    async def close(self) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
            self._supervisor = None
        connection, self._connection = self._connection, None
        if connection is not None and not connection.is_closed():
            try:
                await connection.close(timeout=5)
            except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError):
                connection.terminate()
