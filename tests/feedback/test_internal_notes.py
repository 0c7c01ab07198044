"""The receiving side's internal notes never reach the submitting side: not in the list, the
node, the audit trail (nor its count), a notice (whence emails), a webhook, nor the database
under row-level security (live events: test_live.py)."""

from __future__ import annotations

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import URL

from mutual.db import Database
from mutual.kit.identity import set_user_identity
from tests.commitments.factories import ClientFactory, both_sides, mutate
from tests.feedback.factories import COMMENT, LIST, NODE, recorded_notices, submit
from tests.helpers import World, gql

TRAIL = """
query($id: ID!) { partnership(id: $id) { auditTrail(first: 100) {
  totalCount nodes { action objectType visibility changes } } } }
"""
SECRET = "Margin on this account is negative"


async def test_an_internal_note_reaches_the_submitting_side_through_no_path(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    # (Contoso has a webhook endpoint taking every event it may read)
    await owner.execute(
        "INSERT INTO webhook_endpoint (partnership_id, owner_party_id, visibility, url, secret) "
        "VALUES ($1, $2, 'INTERNAL', 'https://93.184.215.14/h', 'sealed')",
        world.northwind_contoso.id,
        world.parties[("nc", "contoso")].id,
    )
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        item = await submit(contoso, world)
        with recorded_notices() as sent:
            noted = await mutate(
                northwind, COMMENT, feedbackId=item["id"], body=SECRET, internal=True
            )
            shared = await mutate(northwind, COMMENT, feedbackId=item["id"], body="On it")
        assert noted["userErrors"] == [] and shared["userErrors"] == []
        assert noted["comment"] == {"body": SECRET, "internal": True}

        lists = {
            side: (await gql(client, LIST, {"id": world.nc_id}))["data"]["partnership"]["feedback"]
            for side, client in (("northwind", northwind), ("contoso", contoso))
        }
        nodes = {
            side: (await gql(client, NODE, {"id": item["id"]}))["data"]["node"]
            for side, client in (("northwind", northwind), ("contoso", contoso))
        }
        trails = {
            side: (await gql(client, TRAIL, {"id": world.nc_id}))["data"]["partnership"][
                "auditTrail"
            ]
            for side, client in (("northwind", northwind), ("contoso", contoso))
        }

    # the receiving side sees its note, marked internal
    assert lists["northwind"]["nodes"][0]["comments"] == [
        {"body": SECRET, "internal": True},
        {"body": "On it", "internal": False},
    ]
    assert nodes["northwind"]["comments"][0]["internal"] is True
    # the submitting side sees only the shared comment, in the list and the node
    assert lists["contoso"]["nodes"][0]["comments"] == [{"body": "On it", "internal": False}]
    assert nodes["contoso"]["comments"] == [{"body": "On it", "internal": False}]
    # its audit trail has no event of the note, and counts one event fewer
    contoso_actions = [e["action"] for e in trails["contoso"]["nodes"]]
    northwind_actions = [e["action"] for e in trails["northwind"]["nodes"]]
    assert "feedback.noted" in northwind_actions
    assert "feedback.noted" not in contoso_actions
    assert SECRET not in str(trails["contoso"])
    assert trails["northwind"]["totalCount"] == trails["contoso"]["totalCount"] + 1
    # no notice tells of the note: only the shared comment's, to the submitting side
    assert [(n.kind, n.party_id) for n in sent] == [
        ("feedback.commented", world.parties[("nc", "contoso")].id)
    ]
    assert all(SECRET not in n.title + n.body for n in sent)
    # nor a webhook delivery to Contoso's endpoint (the shared comment's event is one)
    payloads = [
        r["p"] for r in await owner.fetch("SELECT payload::text AS p FROM webhook_delivery")
    ]
    assert any("feedback.commented" in p for p in payloads)
    assert all(SECRET not in p and "feedback.noted" not in p for p in payloads)

    # and under row-level security, the submitting side's user reads no row of it
    database = Database(app_database_url, pool_size=1)
    try:
        async with database.session() as session, session.begin():
            await set_user_identity(session, world.user_id("editor@contoso.example"))
            bodies = (await session.execute(text("SELECT body FROM feedback_comment"))).scalars()
            seen = list(bodies)
            events = (
                await session.execute(
                    text("SELECT count(*) FROM audit_event WHERE action = 'feedback.noted'")
                )
            ).scalar_one()
    finally:
        await database.dispose()
    assert seen == ["On it"]
    assert events == 0
