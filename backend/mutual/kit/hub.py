"""Live events across processes: every committed audit event is announced by PostgreSQL
(NOTIFY from a trigger); each process LISTENs on one connection and fans events out to its
own subscribers, per partnership."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections import defaultdict
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


class EventHub:
    """One LISTEN connection per process, started with the first subscriber."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self._subscribers: defaultdict[uuid.UUID, set[asyncio.Queue[WorkspaceEvent]]] = defaultdict(
            set
        )
        self._connection: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()

    async def _ensure_listening(self) -> None:
        async with self._lock:
            if self._connection is not None and not self._connection.is_closed():
                return
            self._connection = await asyncpg.connect(**_asyncpg_kwargs(self.url))
            await self._connection.add_listener(CHANNEL, self._on_notify)

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            event = WorkspaceEvent.from_payload(payload)
        except (ValueError, KeyError):
            log.warning("ignored a malformed event: %.200s", payload)
            return
        for queue in self._subscribers.get(event.partnership_id, ()):
            if queue.full():
                log.warning("a slow subscriber of %s dropped an event", event.partnership_id)
                continue
            queue.put_nowait(event)

    @asynccontextmanager
    async def subscribe(
        self, partnership_id: uuid.UUID
    ) -> AsyncIterator[asyncio.Queue[WorkspaceEvent]]:
        await self._ensure_listening()
        queue: asyncio.Queue[WorkspaceEvent] = asyncio.Queue(QUEUE_SIZE)
        self._subscribers[partnership_id].add(queue)
        try:
            yield queue
        finally:
            self._subscribers[partnership_id].discard(queue)
            if not self._subscribers[partnership_id]:
                del self._subscribers[partnership_id]

    async def close(self) -> None:
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
