"""Triggers: a measured signal that may activate contingency plans (an early-warning detector
firing, say). The domain that measures fires it in its own transaction; the contingency domain
activates every approved plan whose trigger names the source, once per episode. Neither imports
the other: the receiving domain declares `Domain(trigger_sink=...)`."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Firing:
    partnership_id: uuid.UUID
    # What fired: "detector.<name>" for an early-warning detector (health domain).
    source: str
    # One episode of the source (e.g. the moment it started FIRING, ISO): a plan is activated
    # once per episode.
    episode: str
    # One line on why, and the records that made it fire ((Node type, id), SHARED ones only).
    summary: str
    evidence: Sequence[tuple[str, uuid.UUID]] = ()


# (session, firings): acts on them in the caller's transaction (workers have no identity).
TriggerSink = Callable[[Any, Sequence[Firing]], Awaitable[None]]

SINKS: list[TriggerSink] = []


def use(sinks: Sequence[TriggerSink]) -> None:
    SINKS[:] = sinks


async def fire(session: Any, *firings: Firing) -> None:
    if not firings:
        return
    for sink in SINKS:
        await sink(session, firings)
