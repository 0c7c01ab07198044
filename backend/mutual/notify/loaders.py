"""Notify's per-operation loaders: webhook endpoints by id."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.dataloader import DataLoader

from mutual.graphql.context import Context
from mutual.graphql.loaders import by_id
from mutual.notify import repository
from mutual.notify.models import WebhookEndpoint


class NotifyLoaders:
    def __init__(self, session: AsyncSession) -> None:
        self.endpoint: DataLoader[uuid.UUID, WebhookEndpoint | None] = by_id(
            session, repository.endpoints_by_id
        )


def notify_loaders(context: Context) -> NotifyLoaders:
    return context.loaders(NotifyLoaders)
