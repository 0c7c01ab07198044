"""Webhook endpoints: each side's own (INTERNAL to it), managed by its LEADs and its
organization's admins: an address (public only, unless config allows private ones), an event
filter, a secret (shown once; rotation keeps the previous one valid for a day), enabled or
disabled (also by the workers, after repeated failures), a test event, the delivery log."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mutual.audit import service as audit
from mutual.config import Settings
from mutual.graphql.ids import to_global_id
from mutual.kit import jobs
from mutual.kit.clock import utcnow
from mutual.kit.errors import DomainError, Invalid, conflict
from mutual.kit.pagination import Page, PageRequest
from mutual.kit.principal import Principal
from mutual.kit.records import Visibility, apply_versioned
from mutual.notify import repository
from mutual.notify.addresses import check_url
from mutual.notify.delivery import new_secret, seal_secret
from mutual.notify.errors import NotifyErrorCode as Code
from mutual.notify.models import WebhookDelivery, WebhookEndpoint
from mutual.notify.tasks import DELIVER_WEBHOOK
from mutual.tenancy.workspace import Workspace, load_workspace, record_workspace

ROTATION_OVERLAP = timedelta(hours=24)
MAX_EVENT_TYPES = 50
MAX_ENDPOINTS = 10
EVENT_TYPE = re.compile(r"^(\*|[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(\.\*)?)$")
TEST_EVENT = "webhook.test"


def _manage(workspace: Workspace) -> Workspace:
    workspace.require_member_manager()
    workspace.require_active()
    return workspace


def may_manage(workspace: Workspace) -> bool:
    return workspace.manages_members


def _event_types(values: Sequence[str]) -> list[str]:
    cleaned = list(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(cleaned) > MAX_EVENT_TYPES:
        raise Invalid(f"At most {MAX_EVENT_TYPES} event types.", field="eventTypes")
    for index, value in enumerate(cleaned):
        if len(value) > 100 or not EVENT_TYPE.match(value):
            raise Invalid(
                f"{value[:100]!r} is not an event type: e.g. commitment.delivered, "
                "commitment.*, notice.commitments.delivery_to_confirm, or * for all.",
                field=f"eventTypes[{index}]",
            )
    return [] if "*" in cleaned else cleaned


def _description(value: str) -> str:
    if len(value) > 500:
        raise Invalid("A description of at most 500 characters.", field="description")
    return value.strip()


async def _endpoint(
    session: AsyncSession, actor: Principal, endpoint_id: uuid.UUID
) -> tuple[Workspace, WebhookEndpoint]:
    workspace, endpoint = await record_workspace(
        session,
        actor=actor,
        record=await repository.endpoint(session, endpoint_id),
        what="webhook endpoint",
        field="endpointId",
    )
    return _manage(workspace), endpoint


async def list_endpoints(session: AsyncSession, workspace: Workspace) -> list[WebhookEndpoint]:
    """The caller's side's endpoints, for those who manage them (others: none)."""
    if not may_manage(workspace):
        return []
    return await repository.endpoints_of(session, workspace.id, workspace.own_party.id)


async def create_endpoint(
    session: AsyncSession,
    *,
    actor: Principal,
    settings: Settings,
    partnership_id: uuid.UUID,
    url: str,
    description: str = "",
    event_types: Sequence[str] = (),
) -> tuple[Workspace, WebhookEndpoint, str]:
    """A new endpoint of the caller's side, and its secret (shown this once)."""
    workspace = _manage(await load_workspace(session, actor=actor, partnership_id=partnership_id))
    checked = await check_url(url, allow_private=settings.webhook_allow_private_addresses)
    types = _event_types(event_types)
    text = _description(description)
    existing = await repository.endpoints_of(session, workspace.id, workspace.own_party.id)
    if len(existing) >= MAX_ENDPOINTS:
        raise Invalid(f"A side has at most {MAX_ENDPOINTS} endpoints.", field="url")
    secret = new_secret()
    endpoint = await repository.insert_endpoint(
        session,
        partnership_id=workspace.id,
        owner_party_id=workspace.own_party.id,
        visibility=Visibility.INTERNAL,
        created_by=actor.user_id,
        url=checked,
        description=text,
        event_types=types,
        secret=seal_secret(settings, secret),
    )
    await audit.workspace_change(
        session,
        workspace,
        target=endpoint,
        action="webhook_endpoint.created",
        changes=audit.created({"url": checked, "event_types": types, "description": text}),
    )
    return workspace, endpoint, secret


async def update_endpoint(
    session: AsyncSession,
    *,
    actor: Principal,
    settings: Settings,
    endpoint_id: uuid.UUID,
    expected_version: int,
    url: str | None = None,
    description: str | None = None,
    event_types: Sequence[str] | None = None,
    enabled: bool | None = None,
) -> tuple[Workspace, WebhookEndpoint]:
    workspace, endpoint = await _endpoint(session, actor, endpoint_id)
    if endpoint.version != expected_version:
        raise conflict(workspace, endpoint, "webhook endpoint")
    values: dict[str, Any] = {}
    if url is not None:
        values["url"] = await check_url(url, allow_private=settings.webhook_allow_private_addresses)
    if description is not None:
        values["description"] = _description(description)
    if event_types is not None:
        values["event_types"] = _event_types(event_types)
    if enabled is not None:
        values["enabled"] = enabled
        if enabled:
            # Enabled again: a fresh start.
            values.update(failure_count=0, disabled_reason=None)
        else:
            values["disabled_reason"] = "Disabled by hand."
    before = {key: getattr(endpoint, key) for key in values}
    # Read now: the refetch below refreshes the same record in place.
    was_enabled = endpoint.enabled
    updated = await apply_versioned(
        session,
        workspace,
        endpoint,
        expected_version=expected_version,
        values=values,
        refetch=repository.endpoint,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="webhook_endpoint.updated",
        changes=audit.diff(before, values),
    )
    if enabled and not was_enabled:
        # What waited while it was disabled goes out now (a receiver dedupes by webhook-id).
        for delivery_id in await repository.undelivered(session, updated):
            await jobs.defer(
                session,
                DELIVER_WEBHOOK,
                {"delivery_id": str(delivery_id)},
                dedupe_key=f"notify.webhook:{delivery_id}",
            )
    return workspace, updated


async def rotate_secret(
    session: AsyncSession,
    *,
    actor: Principal,
    settings: Settings,
    endpoint_id: uuid.UUID,
    expected_version: int,
) -> tuple[Workspace, WebhookEndpoint, str]:
    """A new secret (shown this once); deliveries are signed with both for a day."""
    workspace, endpoint = await _endpoint(session, actor, endpoint_id)
    if endpoint.version != expected_version:
        raise conflict(workspace, endpoint, "webhook endpoint")
    secret = new_secret()
    updated = await apply_versioned(
        session,
        workspace,
        endpoint,
        expected_version=expected_version,
        values={
            "secret": seal_secret(settings, secret),
            "previous_secret": endpoint.secret,
            "previous_secret_expires_at": utcnow() + ROTATION_OVERLAP,
        },
        refetch=repository.endpoint,
    )
    await audit.workspace_change(
        session,
        workspace,
        target=updated,
        action="webhook_endpoint.secret_rotated",
        changes={"secret": {"from": "(previous)", "to": "(new)"}},
    )
    return workspace, updated, secret


async def delete_endpoint(
    session: AsyncSession, *, actor: Principal, endpoint_id: uuid.UUID
) -> tuple[Workspace, uuid.UUID]:
    workspace, endpoint = await _endpoint(session, actor, endpoint_id)
    await audit.workspace_change(
        session,
        workspace,
        target=endpoint,
        action="webhook_endpoint.deleted",
        changes={"url": {"from": endpoint.url, "to": None}},
    )
    await repository.delete_endpoint(session, endpoint)
    return workspace, endpoint.id


async def send_test_event(
    session: AsyncSession, *, actor: Principal, endpoint_id: uuid.UUID
) -> tuple[Workspace, WebhookDelivery]:
    """A `webhook.test` delivery to the endpoint, through the queue like any other."""
    workspace, endpoint = await _endpoint(session, actor, endpoint_id)
    if not endpoint.enabled:
        raise DomainError(
            Code.ENDPOINT_DISABLED,
            "The endpoint is disabled: enable it first.",
            field="endpointId",
        )
    now = utcnow()
    row = await repository.insert_delivery(
        session,
        partnership_id=workspace.id,
        endpoint_id=endpoint.id,
        owner_party_id=endpoint.owner_party_id,
        event_type=TEST_EVENT,
        payload={
            "type": TEST_EVENT,
            "timestamp": now.isoformat(),
            "data": {
                "partnershipId": to_global_id("Partnership", workspace.id),
                "endpointId": to_global_id("WebhookEndpoint", endpoint.id),
                "message": "A test event from Mutual.",
            },
        },
    )
    await jobs.defer(session, DELIVER_WEBHOOK, {"delivery_id": str(row.id)})
    await audit.workspace_change(
        session,
        workspace,
        target=endpoint,
        action="webhook_endpoint.test_sent",
        changes={"delivery": {"from": None, "to": str(row.id)}},
    )
    return workspace, row


async def deliveries(
    session: AsyncSession, endpoint: WebhookEndpoint, page: PageRequest
) -> Page[WebhookDelivery]:
    return await repository.deliveries_page(session, endpoint, page)
