"""Email: a notice someone wants at once is emailed through a real SMTP server (aiosmtpd), as
HTML and plain text, by the job the sending transaction queued; a digest preference waits for
the daily digest, which sends one message of every item; an INBOX_ONLY one sends nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from email.message import Message
from email.utils import parseaddr
from typing import Any

import asyncpg
from sqlalchemy import text

from mutual.commitments import notices as commitment_notices
from mutual.commitments import service as commitments
from mutual.db import Database
from mutual.kit import jobs
from mutual.kit.clock import today
from mutual.kit.jobs import JobContext
from mutual.kit.records import Visibility
from mutual.notify import repository
from mutual.notify.models import Delivery
from mutual.notify.tasks import DAILY_DIGEST, SEND_DIGEST, daily_digest
from tests.helpers import World
from tests.jobs.helpers import eventually
from tests.notify.conftest import Mailbox, notify_settings, principal


def _parts(message: Message) -> dict[str, str]:
    found = {}
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found[part.get_content_type()] = payload.decode()
    return found


async def _propose(as_user: Callable[[str], Any], world: World, title: str) -> None:
    async with as_user("editor@northwind.example") as session:
        await commitments.propose(
            session,
            actor=principal(world, "editor@northwind.example"),
            partnership_id=world.northwind_contoso.id,
            title=title,
            due_date=today() + timedelta(days=10),
            visibility=Visibility.SHARED,
        )


async def _prefer(
    as_user: Callable[[str], Any], world: World, email: str, delivery: Delivery
) -> None:
    async with as_user(email) as session:
        await repository.set_preference(
            session, world.user_id(email), commitment_notices.PROPOSAL, delivery
        )


async def test_a_proposal_is_emailed_as_html_and_text_to_those_who_want_it_now(
    world: World,
    as_user: Callable[[str], Any],
    smtp: tuple[Mailbox, int],
    run_worker: Callable[..., Any],
    owner: asyncpg.Connection,
) -> None:
    mailbox, port = smtp
    # given Contoso's viewer wants proposals in the inbox only, its governance in the digest
    await _prefer(as_user, world, "viewer@contoso.example", Delivery.INBOX_ONLY)
    await _prefer(as_user, world, "governance@contoso.example", Delivery.DAILY_DIGEST)

    # when Northwind proposes a commitment <with markup in its title> and a worker runs
    await _propose(as_user, world, "Ship <b>spare</b> parts")
    settings = notify_settings(smtp_host="127.0.0.1", smtp_port=port)
    async with run_worker(settings):
        await eventually(lambda: _count(mailbox, 2), what="two emails")
        await asyncio.sleep(0.5)

    # then the lead and the editor got one email each, the others none (yet)
    assert sorted(parseaddr(m["To"])[1] for m in mailbox.messages) == [
        "editor@contoso.example",
        "lead@contoso.example",
    ]
    message = mailbox.messages[0]
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    assert "Ship <b>spare</b> parts" in parts["text/plain"]
    assert "Ship &lt;b&gt;spare&lt;/b&gt; parts" in parts["text/html"]
    assert "<b>spare</b>" not in parts["text/html"]  # never raw markup
    assert f"http://127.0.0.1:8000/#/p/{world.nc_id}/commitments/" in parts["text/plain"]
    emailed = await owner.fetchval("SELECT count(*) FROM inbox_item WHERE emailed_at IS NOT NULL")
    assert emailed == 2


async def _count(mailbox: Mailbox, n: int) -> bool:
    return len(mailbox.messages) >= n


async def test_the_digest_sends_one_message_of_every_waiting_item_once(
    world: World,
    as_user: Callable[[str], Any],
    smtp: tuple[Mailbox, int],
    run_worker: Callable[..., Any],
    app_database: Database,
) -> None:
    mailbox, port = smtp
    await _prefer(as_user, world, "governance@contoso.example", Delivery.DAILY_DIGEST)
    for title in ("First", "Second"):
        await _propose(as_user, world, title)
    settings = notify_settings(smtp_host="127.0.0.1", smtp_port=port)

    # when the digest runs (twice: the second finds nothing left to send)
    async with app_database.session() as session, session.begin():
        recipients = await repository.digest_recipients(session)
        assert recipients == [world.user_id("governance@contoso.example")]
        for _ in range(2):
            await jobs.defer(session, SEND_DIGEST, {"user_id": str(recipients[0])})
    async with run_worker(settings):
        await eventually(lambda: _count(mailbox, 3), what="the digest and two emails")
        await asyncio.sleep(1.5)

    # then besides the immediate emails of the others, one digest with both items
    digests = [m for m in mailbox.messages if "governance@contoso.example" in m["To"]]
    assert len(digests) == 1
    body = _parts(digests[0])["text/plain"]
    assert "First" in body and "Second" in body
    assert digests[0]["Subject"] == "Mutual: 2 notifications for you"
    async with app_database.session() as session, session.begin():
        assert await repository.digest_recipients(session) == []
        # the worker's functions answer without any identity set
        assert (
            await session.execute(text("SELECT current_setting('mutual.user_id', true)"))
        ).scalar() in (None, "")


async def test_the_daily_task_queues_one_digest_per_user_and_day(
    world: World, as_user: Callable[[str], Any], app_database: Database, owner: asyncpg.Connection
) -> None:
    await _prefer(as_user, world, "governance@contoso.example", Delivery.DAILY_DIGEST)
    await _prefer(as_user, world, "viewer@contoso.example", Delivery.DAILY_DIGEST)
    await _propose(as_user, world, "Digest me")
    job = JobContext(
        job_id=0, task=DAILY_DIGEST.name, payload={"period": "2030-01-01T07:00:00+00:00"},
        attempt=1, database=app_database, settings=notify_settings(),
    )  # fmt: skip

    # when the day's run happens twice (a retry, or two workers' ticks)
    await daily_digest(job)
    await daily_digest(job)

    # then one digest job waits for each of the two users
    rows = await owner.fetch(
        "SELECT convert_from(payload, 'UTF8')::json->>'user_id' AS user_id FROM pgqueuer "
        "WHERE entrypoint = $1 ORDER BY 1",
        SEND_DIGEST.name,
    )
    assert sorted(r["user_id"] for r in rows) == sorted(
        str(world.user_id(e)) for e in ("governance@contoso.example", "viewer@contoso.example")
    )
