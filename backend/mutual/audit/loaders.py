"""The audit trail's per-operation loader: the current title of each object its events name,
one statement per object type however many events a page holds."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.audit.labels import SOURCES
from mutual.graphql.context import Context
from mutual.kit.labels import Label

# (partnership, viewer's party, object type, object id): a title depends on who reads it.
LabelKey = tuple[uuid.UUID, uuid.UUID, str, uuid.UUID]


class AuditLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.label = DataLoader[LabelKey, Label | None](load_fn=self._labels)

    async def _labels(self, keys: Sequence[LabelKey]) -> list[Label | None]:
        wanted: dict[tuple[uuid.UUID, uuid.UUID, str], list[uuid.UUID]] = {}
        for partnership_id, party_id, object_type, object_id in keys:
            ids = wanted.setdefault((partnership_id, party_id, object_type), [])
            if object_id not in ids:
                ids.append(object_id)
        found: dict[LabelKey, Label] = {}
        for (partnership_id, party_id, object_type), ids in wanted.items():
            source = SOURCES.get(object_type)
            if source is None:
                continue
            # One session: one statement at a time.
            labels = await source(self.session, partnership_id, party_id, ids)
            for object_id, label in labels.items():
                found[(partnership_id, party_id, object_type, object_id)] = label
        return [found.get(key) for key in keys]


def audit_loaders(context: Context) -> AuditLoaders:
    return context.loaders(AuditLoaders)
