"""The workers' part of notifications: a webhook delivery attempt (signed per the Standard
Webhooks spec), an email per notice, the daily digest. Workers have no identity: a delivery is
read and recorded through the SECURITY DEFINER functions of migration 0013_notifications, and an
email is prepared acting as its recipient (row-level security shows them their own inbox only,
so an item they may no longer read is not sent)."""

from __future__ import annotations

import asyncio
import base64
import html
import json
import logging
import os
import time
import uuid
import weakref
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage

import aiosmtplib
import httpcore
from sqlalchemy.ext.asyncio import AsyncSession
from standardwebhooks import Webhook

from mutual.config import Settings
from mutual.graphql.ids import to_global_id
from mutual.kit import notices
from mutual.kit.clock import utcnow
from mutual.kit.errors import DomainError
from mutual.kit.identity import set_user_identity
from mutual.kit.sealing import data_key, seal, unseal
from mutual.notify import repository
from mutual.notify.addresses import CheckedBackend, RefusedAddress, check_url
from mutual.notify.repository import Item

log = logging.getLogger(__name__)

SECRET_PURPOSE = "webhook-secret"
WEBHOOK_DISABLED = "notify.webhook_disabled"
USER_AGENT = "Mutual-Webhooks/1"
# Where the portal opens a notice's subject (its section), by Node type.
SECTIONS = {
    "Commitment": "commitments",
    "Milestone": "roadmap",
    "Kpi": "kpis",
    "FeedbackItem": "feedback",
    "WebhookEndpoint": "webhooks",
}


def new_secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(24)).decode()


def seal_secret(settings: Settings, secret: str) -> str:
    return seal(data_key(settings), secret, purpose=SECRET_PURPOSE)


def unseal_secret(settings: Settings, sealed: str) -> str:
    return unseal(data_key(settings), sealed, purpose=SECRET_PURPOSE)


def message_id(delivery_id: uuid.UUID) -> str:
    """The webhook-id header: the same on every attempt of one delivery (receivers dedupe)."""
    return f"msg_{delivery_id.hex}"


def sign(secrets: Sequence[str], msg_id: str, at: datetime, body: str) -> str:
    """The webhook-signature header: one v1 signature per valid secret, space-separated."""
    return " ".join(Webhook(secret).sign(msg_id, at, body) for secret in secrets)


def subject_path(partnership_id: uuid.UUID, subject_type: str, subject_id: uuid.UUID) -> str:
    """The portal's path (after #) to a notice's subject."""
    base = f"/p/{to_global_id('Partnership', partnership_id)}"
    section = SECTIONS.get(subject_type)
    if section is None:
        return base
    if subject_type == "WebhookEndpoint":
        return f"{base}/{section}"
    return f"{base}/{section}/{to_global_id(subject_type, subject_id)}"


async def attempt_webhook(
    session: AsyncSession,
    settings: Settings,
    delivery_id: uuid.UUID,
    *,
    attempt: int,
    max_attempts: int,
) -> str | None:
    """One attempt of a delivery, recorded in the session's transaction; the failure (to raise
    once that transaction has committed, so that the queue retries it with backoff) unless it
    succeeded or was the last attempt. An endpoint disabled meanwhile is not called."""
    delivery = await repository.delivery_to_send(session, delivery_id)
    if delivery is None or delivery.status in ("SUCCEEDED", "FAILED") or not delivery.enabled:
        return None
    now = utcnow()
    secrets = [unseal_secret(settings, delivery.secret)]
    if (
        delivery.previous_secret is not None
        and delivery.previous_secret_expires_at is not None
        and delivery.previous_secret_expires_at > now
    ):
        secrets.append(unseal_secret(settings, delivery.previous_secret))
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)
    msg_id = message_id(delivery_id)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": sign(secrets, msg_id, now, body),
    }
    status: int | None = None
    error: str | None = None
    started = time.perf_counter()
    try:
        await check_url(delivery.url, allow_private=settings.webhook_allow_private_addresses)
        response = await _pool(settings).request(
            "POST",
            delivery.url.strip(),
            headers=list(headers.items()),
            content=body.encode(),
            extensions={"timeout": dict.fromkeys(TIMEOUTS, settings.webhook_timeout_seconds)},
        )
        status = response.status
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except DomainError as refused:
        error = refused.message
    except RefusedAddress as refused:
        error = str(refused)
    except HTTP_FAILURES as failure:
        error = f"{type(failure).__name__}: {failure}"[:500]
    elapsed = round((time.perf_counter() - started) * 1000)
    ok = error is None
    final = not ok and attempt >= max_attempts
    disabled = await repository.record_attempt(
        session,
        delivery_id,
        ok=ok,
        status=status,
        ms=elapsed,
        error=error,
        final=final,
        disable_after=settings.webhook_disable_after_failures,
    )
    if disabled is not None:
        await notices.send(
            session,
            notices.Notice(
                partnership_id=disabled.partnership_id,
                kind=WEBHOOK_DISABLED,
                party_id=disabled.party_id,
                subject_type="WebhookEndpoint",
                subject_id=disabled.endpoint_id,
                title=f"Webhook endpoint disabled: {disabled.url}",
                body=f"It failed {settings.webhook_disable_after_failures} deliveries in a "
                "row. Fix the receiver, then enable it again in the webhook settings.",
                roles=("LEAD",),
                dedupe_key=f"{disabled.endpoint_id}:{now.isoformat()}",
            ),
        )
    return f"webhook delivery {delivery_id}: {error}" if not ok and not final else None


# One connection pool per event loop (a worker's) and allowance, kept: making one costs tens of
# milliseconds of CPU (its TLS context), and it keeps connections to receivers alive between
# deliveries. Its network backend connects only to addresses it has checked (addresses.py);
# redirects are never followed (httpcore follows none).
_POOLS: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[bool, httpcore.AsyncConnectionPool]
] = weakref.WeakKeyDictionary()
TIMEOUTS = ("connect", "read", "write", "pool")
HTTP_FAILURES = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.UnsupportedProtocol,
    httpcore.ProxyError,
)


def _pool(settings: Settings) -> httpcore.AsyncConnectionPool:
    allow_private = settings.webhook_allow_private_addresses
    pools = _POOLS.setdefault(asyncio.get_running_loop(), {})
    pool = pools.get(allow_private)
    if pool is None:
        pool = httpcore.AsyncConnectionPool(
            max_connections=50,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=CheckedBackend(allow_private=allow_private),
        )
        pools[allow_private] = pool
    return pool


class DeliveryFailed(Exception):
    """An attempt failed: the job queue runs it again after its backoff."""


def _email(settings: Settings, to: str, subject: str, text: str, markup: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    message.add_alternative(markup, subtype="html")
    return message


def _link(settings: Settings, item: Item) -> str:
    notice = item[1]
    path = subject_path(notice.partnership_id, notice.subject_type, notice.subject_id)
    return f"{settings.public_url.rstrip('/')}/#{path}"


def compose_one(settings: Settings, to: str, item: Item) -> EmailMessage:
    notice = item[1]
    link = _link(settings, item)
    text = f"{notice.title}\n\n{notice.body}\n\nOpen it: {link}\n".replace("\n\n\n", "\n\n")
    markup = (
        f"<h1>{html.escape(notice.title)}</h1>"
        + (f"<p>{html.escape(notice.body)}</p>" if notice.body else "")
        + f'<p><a href="{html.escape(link)}">Open it in Mutual</a></p>'
    )
    return _email(settings, to, notice.title, text, markup)


def compose_digest(settings: Settings, to: str, items: Sequence[Item]) -> EmailMessage:
    subject = f"Mutual: {len(items)} notification{'s' if len(items) != 1 else ''} for you"
    lines = [f"- {item[1].title}: {_link(settings, item)}" for item in items]
    text = "Your notifications since the last digest:\n\n" + "\n".join(lines) + "\n"
    rows = "".join(
        f'<li><a href="{html.escape(_link(settings, item))}">{html.escape(item[1].title)}</a>'
        + (f"<br>{html.escape(item[1].body)}" if item[1].body else "")
        + "</li>"
        for item in items
    )
    markup = f"<h1>{html.escape(subject)}</h1><ul>{rows}</ul>"
    return _email(settings, to, subject, text, markup)


async def send_mail(settings: Settings, message: EmailMessage) -> None:
    assert settings.smtp_host is not None
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password,
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_seconds,
    )


async def email_items(
    session: AsyncSession,
    settings: Settings,
    user_id: uuid.UUID,
    *,
    inbox_id: uuid.UUID | None,
) -> int:
    """Emails one item (`inbox_id`) or the user's digest, acting as the user; how many items
    it carried. Without an SMTP host nothing is sent (and nothing marked)."""
    if settings.smtp_host is None:
        log.info("no SMTP host configured: notification email to %s not sent", user_id)
        return 0
    await set_user_identity(session, user_id)
    address = await repository.user_address(session, user_id)
    if address is None:
        return 0
    items = await repository.items_to_email(session, user_id, inbox_id=inbox_id)
    if not items:
        return 0
    to = f"{address[1]} <{address[0]}>"
    if inbox_id is not None:
        message = compose_one(settings, to, items[0])
    else:
        message = compose_digest(settings, to, items)
    # Marked first, in the transaction that commits after the send: a failed send rolls it
    # back and the job runs again.
    await repository.mark_emailed(session, [item[0].id for item in items])
    await send_mail(settings, message)
    return len(items)
