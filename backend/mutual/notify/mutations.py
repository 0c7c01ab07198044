"""Notification mutations: mark read, preferences, webhook endpoints."""

from __future__ import annotations

import uuid
from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession
from strawberry.types import Info

from mutual.graphql.context import Context
from mutual.graphql.errors import MutationAnswer
from mutual.graphql.ids import decode_id, to_global_id
from mutual.kit.principal import Principal
from mutual.notify import inbox, models, webhooks
from mutual.notify.errors import NotifyErrorCode
from mutual.notify.models import Delivery
from mutual.notify.repository import Item
from mutual.notify.types import (
    Notification,
    NotificationPreference,
    NotifyError,
    WebhookDelivery,
    WebhookEndpoint,
)
from mutual.tenancy.workspace import Workspace


@strawberry.input
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="The notifications to mark read; omitted: all of yours."
    )


@strawberry.type
class MarkNotificationsReadPayload:
    notifications: list[Notification] | None
    unread_count: int | None
    user_errors: list[NotifyError]


@strawberry.input
class SetNotificationPreferenceInput:
    kind: str
    delivery: Delivery


@strawberry.type
class SetNotificationPreferencePayload:
    preference: NotificationPreference | None
    user_errors: list[NotifyError]


@strawberry.input
class CreateWebhookEndpointInput:
    partnership_id: strawberry.ID
    url: str
    description: str = ""
    event_types: list[str] = strawberry.field(
        default_factory=list,
        description="Event names (commitment.delivered), prefixes (commitment.*), notices "
        "(notice.<kind>); empty or * for every event your side may read.",
    )


@strawberry.input
class UpdateWebhookEndpointInput:
    endpoint_id: strawberry.ID
    expected_version: int
    url: str | None = None
    description: str | None = None
    event_types: list[str] | None = None
    enabled: bool | None = None


@strawberry.input
class RotateWebhookSecretInput:
    endpoint_id: strawberry.ID
    expected_version: int


@strawberry.input
class DeleteWebhookEndpointInput:
    endpoint_id: strawberry.ID


@strawberry.input
class SendTestWebhookEventInput:
    endpoint_id: strawberry.ID


@strawberry.type
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None
    user_errors: list[NotifyError]


@strawberry.type
class WebhookEndpointSecretPayload:
    endpoint: WebhookEndpoint | None
    secret: str | None = strawberry.field(
        description="The signing secret (whsec_...): shown this once, store it now."
    )
    user_errors: list[NotifyError]


@strawberry.type
class DeleteWebhookEndpointPayload:
    deleted_endpoint_id: strawberry.ID | None
    user_errors: list[NotifyError]


@strawberry.type
class SendTestWebhookEventPayload:
    delivery: WebhookDelivery | None
    user_errors: list[NotifyError]


MarkResult = tuple[list[Item], int]
MARKED: MutationAnswer[MarkResult, MarkNotificationsReadPayload] = MutationAnswer(
    MarkNotificationsReadPayload,
    shape=lambda r: {
        "notifications": [Notification.from_item(i) for i in r[0]],
        "unread_count": r[1],
    },
    empty=lambda: {"notifications": None, "unread_count": None},
    error=NotifyError,
    codes=NotifyErrorCode,
)
PREFERENCE: MutationAnswer[inbox.Preference, SetNotificationPreferencePayload] = MutationAnswer(
    SetNotificationPreferencePayload,
    field="preference",
    shape=NotificationPreference.from_preference,
    error=NotifyError,
    codes=NotifyErrorCode,
)
Change = tuple[Workspace, models.WebhookEndpoint]
ENDPOINT: MutationAnswer[Change, WebhookEndpointPayload] = MutationAnswer(
    WebhookEndpointPayload,
    field="endpoint",
    shape=lambda change: WebhookEndpoint.from_model(change[1]),
    error=NotifyError,
    codes=NotifyErrorCode,
)
SecretChange = tuple[Workspace, models.WebhookEndpoint, str]
SECRET: MutationAnswer[SecretChange, WebhookEndpointSecretPayload] = MutationAnswer(
    WebhookEndpointSecretPayload,
    shape=lambda change: {
        "endpoint": WebhookEndpoint.from_model(change[1]),
        "secret": change[2],
    },
    empty=lambda: {"endpoint": None, "secret": None},
    error=NotifyError,
    codes=NotifyErrorCode,
)
DELETED: MutationAnswer[tuple[Workspace, uuid.UUID], DeleteWebhookEndpointPayload] = MutationAnswer(
    DeleteWebhookEndpointPayload,
    field="deleted_endpoint_id",
    shape=lambda r: strawberry.ID(to_global_id("WebhookEndpoint", r[1])),
    error=NotifyError,
    codes=NotifyErrorCode,
)
TEST_SENT: MutationAnswer[tuple[Workspace, models.WebhookDelivery], SendTestWebhookEventPayload] = (
    MutationAnswer(
        SendTestWebhookEventPayload,
        field="delivery",
        shape=lambda r: WebhookDelivery.from_model(r[1]),
        error=NotifyError,
        codes=NotifyErrorCode,
    )
)


def _endpoint_id(value: strawberry.ID) -> uuid.UUID:
    return decode_id(value, "WebhookEndpoint", field="endpointId")


@strawberry.type
class NotifyMutation:
    @strawberry.mutation(description="Mark some of your notifications read, or all of them.")
    async def mark_notifications_read(
        self,
        info: Info[Context, None],
        input: MarkNotificationsReadInput,  # noqa: A002
    ) -> MarkNotificationsReadPayload:
        async def call(session: AsyncSession, actor: Principal) -> MarkResult:
            ids = (
                None
                if input.ids is None
                else [decode_id(i, "Notification", field="ids") for i in input.ids]
            )
            marked = await inbox.mark_read(session, actor=actor, ids=ids)
            return marked, await inbox.unread_count(session, actor=actor)

        return await MARKED.run(info, call)

    @strawberry.mutation(description="Choose how you are told of one kind of notice.")
    async def set_notification_preference(
        self,
        info: Info[Context, None],
        input: SetNotificationPreferenceInput,  # noqa: A002
    ) -> SetNotificationPreferencePayload:
        async def call(session: AsyncSession, actor: Principal) -> inbox.Preference:
            return await inbox.set_preference(
                session, actor=actor, kind=input.kind, delivery=input.delivery
            )

        return await PREFERENCE.run(info, call)

    @strawberry.mutation(description="Add a webhook endpoint for your side (LEADs, admins).")
    async def create_webhook_endpoint(
        self,
        info: Info[Context, None],
        input: CreateWebhookEndpointInput,  # noqa: A002
    ) -> WebhookEndpointSecretPayload:
        async def call(session: AsyncSession, actor: Principal) -> SecretChange:
            return await webhooks.create_endpoint(
                session,
                actor=actor,
                settings=info.context.settings,
                partnership_id=decode_id(
                    input.partnership_id, "Partnership", field="partnershipId"
                ),
                url=input.url,
                description=input.description,
                event_types=input.event_types,
            )

        return await SECRET.run(info, call)

    @strawberry.mutation(description="Edit, disable or enable a webhook endpoint.")
    async def update_webhook_endpoint(
        self,
        info: Info[Context, None],
        input: UpdateWebhookEndpointInput,  # noqa: A002
    ) -> WebhookEndpointPayload:
        async def call(session: AsyncSession, actor: Principal) -> Change:
            changes: dict[str, Any] = {
                "url": input.url,
                "description": input.description,
                "event_types": input.event_types,
                "enabled": input.enabled,
            }
            return await webhooks.update_endpoint(
                session,
                actor=actor,
                settings=info.context.settings,
                endpoint_id=_endpoint_id(input.endpoint_id),
                expected_version=input.expected_version,
                **changes,
            )

        return await ENDPOINT.run(info, call)

    @strawberry.mutation(description="A new signing secret; the old one works for 24 hours.")
    async def rotate_webhook_secret(
        self,
        info: Info[Context, None],
        input: RotateWebhookSecretInput,  # noqa: A002
    ) -> WebhookEndpointSecretPayload:
        async def call(session: AsyncSession, actor: Principal) -> SecretChange:
            return await webhooks.rotate_secret(
                session,
                actor=actor,
                settings=info.context.settings,
                endpoint_id=_endpoint_id(input.endpoint_id),
                expected_version=input.expected_version,
            )

        return await SECRET.run(info, call)

    @strawberry.mutation(description="Remove a webhook endpoint and its delivery log.")
    async def delete_webhook_endpoint(
        self,
        info: Info[Context, None],
        input: DeleteWebhookEndpointInput,  # noqa: A002
    ) -> DeleteWebhookEndpointPayload:
        async def call(session: AsyncSession, actor: Principal) -> tuple[Workspace, uuid.UUID]:
            return await webhooks.delete_endpoint(
                session, actor=actor, endpoint_id=_endpoint_id(input.endpoint_id)
            )

        return await DELETED.run(info, call)

    @strawberry.mutation(description="Send a webhook.test event to an endpoint.")
    async def send_test_webhook_event(
        self,
        info: Info[Context, None],
        input: SendTestWebhookEventInput,  # noqa: A002
    ) -> SendTestWebhookEventPayload:
        async def call(
            session: AsyncSession, actor: Principal
        ) -> tuple[Workspace, models.WebhookDelivery]:
            return await webhooks.send_test_event(
                session, actor=actor, endpoint_id=_endpoint_id(input.endpoint_id)
            )

        return await TEST_SENT.run(info, call)
