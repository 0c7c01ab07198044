"""Notify's part of the demo: Contoso's lead has a webhook endpoint (disabled, so the demo calls
nobody) and has read the oldest of their notifications; the others stay unread. The inboxes
themselves fill from the earlier domains' notices (proposals, deliveries to confirm)."""

from __future__ import annotations

from mutual.config import Settings
from mutual.kit.demo import CONTOSO, Story
from mutual.notify import inbox, repository, webhooks

DEMO_RECEIVER = "http://127.0.0.1:9/mutual-demo-receiver"


async def seed_story(story: Story) -> None:
    lead = story.principal(CONTOSO, "lead")
    # Only the demo's endpoint may name a local address; it is disabled at once.
    settings = Settings(webhook_allow_private_addresses=True)
    async with story.acting(lead) as session:
        _, endpoint, _secret = await webhooks.create_endpoint(
            session,
            actor=lead,
            settings=settings,
            partnership_id=story.partnership_id,
            url=DEMO_RECEIVER,
            description="Contoso's ticketing system (demo: disabled, calls nobody)",
            event_types=["commitment.*", "notice.*"],
        )
        await webhooks.update_endpoint(
            session,
            actor=lead,
            settings=settings,
            endpoint_id=endpoint.id,
            expected_version=endpoint.version,
            enabled=False,
        )
        oldest = await repository.oldest_item(session, lead.user_id)
        if oldest is not None:
            await inbox.mark_read(session, actor=lead, ids=[oldest])
