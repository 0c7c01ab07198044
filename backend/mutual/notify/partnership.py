"""What notify adds to `Viewer` (the inbox, preferences) and to `Partnership` (its side's
webhook endpoints)."""

from __future__ import annotations

import uuid

import strawberry
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.node import Node, node_resolver
from mutual.graphql.pagination import Connection, connection, to_connection
from mutual.kit.pagination import PageRequest
from mutual.notify import inbox, repository, webhooks
from mutual.notify.loaders import notify_loaders
from mutual.notify.types import Notification, NotificationPreference, WebhookEndpoint
from mutual.tenancy.loaders import node_workspace
from mutual.tenancy.workspace import Workspace


@strawberry.type(name="NotifyViewerFields")
class ViewerFields:
    organization_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="Your inbox, newest first, across your partnerships.")
    @connection
    async def notifications(
        self, info: Info[Context, None], page: PageRequest, unread_only: bool = False
    ) -> Connection[Notification]:
        context = info.context
        items = await inbox.inbox(
            context.db, actor=context.actor, page=page, unread_only=unread_only
        )
        return to_connection(items, Notification.from_item)

    @strawberry.field(description="How many of your notifications are unread.")
    async def unread_notification_count(self, info: Info[Context, None]) -> int:
        return await inbox.unread_count(info.context.db, actor=info.context.actor)

    @strawberry.field(description="How you are told of each kind of notice.")
    async def notification_preferences(
        self, info: Info[Context, None]
    ) -> list[NotificationPreference]:
        rows = await inbox.preferences(info.context.db, actor=info.context.actor)
        return [NotificationPreference.from_preference(p) for p in rows]


@strawberry.type(name="NotifyPartnershipFields")
class PartnershipFields:
    workspace: strawberry.Private[Workspace]

    @strawberry.field(
        description="Your side's webhook endpoints (for those who manage its members, see "
        "viewerCanManageMembers; empty for others)."
    )
    async def webhook_endpoints(self, info: Info[Context, None]) -> list[WebhookEndpoint]:
        rows = await webhooks.list_endpoints(info.context.db, self.workspace)
        notify_loaders(info.context).endpoint.prime_many({r.id: r for r in rows})
        return [WebhookEndpoint.from_model(r) for r in rows]


@node_resolver("Notification")
async def _notification_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    items = await repository.inbox_items_by_id(context.db, [raw_id])
    mine = [i for i in items if i[0].user_id == context.actor.user_id]
    return Notification.from_item(mine[0]) if mine else None


@node_resolver("WebhookEndpoint")
async def _endpoint_node(context: Context, raw_id: uuid.UUID) -> Node | None:
    endpoint = await notify_loaders(context).endpoint.load(raw_id)
    workspace = await node_workspace(context, endpoint)
    if endpoint is None or workspace is None or not webhooks.may_manage(workspace):
        return None
    return WebhookEndpoint.from_model(endpoint)
