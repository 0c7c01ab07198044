"""Health inputs: a domain's measured contribution to the trust health index (the pulse
surveys' NPS, say), declared in `Domain(health_inputs={"<component>.<input>": fn})` and gathered
by the health domain. A reading is computed from the records only (no typed-in status)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Reading:
    # 0 to 100, higher is healthier; None when there is nothing to measure yet.
    value: float | None
    # What it was computed from, as plain JSON values (counts, rates, the period).
    inputs: Mapping[str, Any] = field(default_factory=dict)
    # The records behind it: (Node type, id), only ones every member may read.
    records: Sequence[tuple[str, uuid.UUID]] = ()
    # Per side, where the input is per side: party id -> 0 to 100 or None.
    per_side: Mapping[uuid.UUID, float | None] = field(default_factory=dict)


# (session, workspace, as_of) -> the reading as of that moment, read as the workspace's reader.
HealthInput = Callable[[Any, Any, datetime], Awaitable[Reading]]


# Every domain's health inputs in the domains' order, as ("<component>.<input>", fn): set by
# mutual.schema from `Domain.health_inputs`, so the health domain gathers them without importing
# any domain.
INPUTS: list[tuple[str, HealthInput]] = []


def use(inputs: Sequence[tuple[str, HealthInput]]) -> None:
    INPUTS[:] = inputs
