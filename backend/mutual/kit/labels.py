"""What a domain names in the audit trail: the current title of each of its objects an event
points at (a milestone's title, a KPI's name, a member's name), declared in its
`Domain.labels` by object type and gathered by the audit domain."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Label:
    """An object as the trail names it, and the record to open for it (a measurement's KPI)."""

    title: str
    subject_type: str
    subject_id: uuid.UUID


# (session, partnership id, viewer's party id, object ids) -> the labels of the objects the
# viewer's side may read, by id, in one statement; the others are left out.
LabelSource = Callable[
    [Any, uuid.UUID, uuid.UUID, Sequence[uuid.UUID]], Awaitable[Mapping[uuid.UUID, Label]]
]
