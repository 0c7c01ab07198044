"""The inbox and the webhook settings take the same number of SQL statements for 5 or for 60
notifications and deliveries: the page of notifications with its subjects, the unread count,
the preferences, and each endpoint with its delivery log."""

from __future__ import annotations

import uuid

import asyncpg
import httpx

from mutual.db import counting
from mutual.kit.records import Visibility
from tests.helpers import World, gql, login

INBOX = """
query($id: ID!) {
  viewer {
    unreadNotificationCount
    notifications(first: 100) {
      totalCount nodes { id kind title body createdAt readAt subject { id type link } }
    }
    notificationPreferences { kind label delivery isDefault }
  }
  partnership(id: $id) {
    webhookEndpoints {
      id url enabled
      deliveries(first: 100) { totalCount nodes { id eventType status attempts responseMs } }
    }
  }
}"""


async def _add(owner: asyncpg.Connection, world: World, count: int, key: str = "nc") -> None:
    """`count` notices to Contoso (each in its members' inboxes) and as many deliveries, in the
    partnership with Northwind (`key` "nc") or Fabrikam ("fc")."""
    partnership = (world.northwind_contoso if key == "nc" else world.fabrikam_contoso).id
    party = world.parties[(key, "contoso")].id
    endpoint = await owner.fetchval(
        "SELECT id FROM webhook_endpoint WHERE partnership_id = $1 LIMIT 1", partnership
    )
    if endpoint is None:
        endpoint = await owner.fetchval(
            "INSERT INTO webhook_endpoint (partnership_id, owner_party_id, visibility, url, "
            "secret) VALUES ($1, $2, $3, 'https://93.184.215.14/h', 'sealed') RETURNING id",
            partnership,
            party,
            Visibility.INTERNAL.value,
        )
    for _ in range(count):
        notice = await owner.fetchval(
            "INSERT INTO notice (partnership_id, kind, party_id, subject_type, subject_id, title) "
            "VALUES ($1, 'commitments.proposal_to_accept', $2, 'Commitment', $3, 'A proposal') "
            "RETURNING id",
            partnership,
            party,
            uuid.uuid4(),
        )
        await owner.execute(
            "INSERT INTO inbox_item (partnership_id, notice_id, user_id, delivery) "
            "SELECT $1, $2, m.user_id, 'EMAIL' FROM workspace_member m "
            "WHERE m.partnership_id = $1 AND m.party_id = $3",
            partnership,
            notice,
            party,
        )
        await owner.execute(
            "INSERT INTO webhook_delivery (partnership_id, endpoint_id, owner_party_id, "
            "event_type, payload) VALUES ($1, $2, $3, 'webhook.test', '{}')",
            partnership,
            endpoint,
            party,
        )


async def test_the_inbox_and_the_delivery_log_take_the_same_statements_at_any_size(
    client: httpx.AsyncClient, owner: asyncpg.Connection, world: World
) -> None:
    await login(client, "lead@contoso.example")
    counted = {}
    for size in (5, 60):
        await _add(owner, world, size - (5 if size == 60 else 0))
        async with counting() as counter:
            body = await gql(client, INBOX, {"id": world.nc_id})
        viewer = body["data"]["viewer"]
        assert viewer["notifications"]["totalCount"] == size
        assert viewer["unreadNotificationCount"] == size
        log = body["data"]["partnership"]["webhookEndpoints"][0]["deliveries"]
        assert log["totalCount"] == size
        counted[size] = counter.statements

    assert len(counted[5]) == len(counted[60]), counted
    assert len(counted[60]) <= 12, counted[60]


MARK_ALL = "mutation { markNotificationsRead(input: {}) { unreadCount userErrors { code } } }"


async def test_marking_all_read_takes_the_same_statements_for_one_or_many_partnerships(
    client: httpx.AsyncClient, owner: asyncpg.Connection, world: World
) -> None:
    # given Contoso's lead with notices in one partnership, then in both and more of them
    await login(client, "lead@contoso.example")
    counted = {}
    for size, where in ((2, ("nc",)), (40, ("nc", "fc"))):
        for key in where:
            await _add(owner, world, size // len(where), key)
        async with counting() as counter:
            body = await gql(client, MARK_ALL)
        assert body["data"]["markNotificationsRead"] == {"unreadCount": 0, "userErrors": []}
        counted[size] = counter.statements
    # then the same statements (the audit events of every partnership in one of them)
    assert len(counted[2]) == len(counted[40]), counted
    events = await owner.fetch(
        "SELECT partnership_id, count(*) FROM audit_event "
        "WHERE action = 'notifications.read_all' GROUP BY 1"
    )
    assert sorted(r["count"] for r in events) == [1, 2]
