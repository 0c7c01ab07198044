"""The inbox: a notice reaches the active members of its side (only), once per dedupe key;
the commitments service sends a proposal to accept and a delivery to confirm to the side that
acts next; unread count, mark read (some, all), preferences; bad input changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import asyncpg
import httpx

from mutual.commitments import notices as commitment_notices
from mutual.commitments import service as commitments
from mutual.commitments.models import CommitmentAction
from mutual.commitments.service import EvidenceLink
from mutual.db import Database
from mutual.kit import notices
from mutual.kit.clock import today
from mutual.kit.records import Visibility
from tests.helpers import World, gql, login
from tests.notify.conftest import principal

INBOX = """
query Inbox($unreadOnly: Boolean) {
  viewer {
    unreadNotificationCount
    notifications(first: 20, unreadOnly: $unreadOnly) {
      totalCount
      nodes { id kind title body readAt subject { id type link partnershipId } }
    }
  }
}"""

MARK = """
mutation Mark($input: MarkNotificationsReadInput!) {
  markNotificationsRead(input: $input) {
    unreadCount notifications { id readAt } userErrors { field code message }
  }
}"""

PERSONAL_EVENTS = (
    "SELECT e.partnership_id, e.action, e.object_id, e.owner_party_id, e.actor_user_id, "
    "e.visibility, e.changes FROM audit_event e WHERE e.object_type = 'UserNotifications' "
    "ORDER BY e.seq"
)
TRAIL = """
query($id: ID!) {
  partnership(id: $id) {
    auditTrail(first: 100, filter: {objectTypes: ["UserNotifications"]}) {
      totalCount nodes { action objectTitle visibility }
    }
    verifyAuditChain { intact }
  }
}"""
PREFERENCES = "{ viewer { notificationPreferences { kind label delivery isDefault } } }"
SET_PREFERENCE = """
mutation Set($input: SetNotificationPreferenceInput!) {
  setNotificationPreference(input: $input) {
    preference { kind delivery isDefault } userErrors { field code message }
  }
}"""


async def _propose(
    as_user: Callable[[str], Any], world: World, email: str, *, visibility: Visibility
) -> Any:
    async with as_user(email) as session:
        _, commitment = await commitments.propose(
            session,
            actor=principal(world, email),
            partnership_id=world.northwind_contoso.id,
            title="Ship the spare parts",
            due_date=today() + timedelta(days=10),
            visibility=visibility,
        )
    return commitment


async def _inbox(client: httpx.AsyncClient, **variables: Any) -> dict[str, Any]:
    data: dict[str, Any] = (await gql(client, INBOX, variables))["data"]["viewer"]
    return data


async def test_a_proposal_reaches_every_active_member_of_the_other_side_only(
    world: World,
    as_user: Callable[[str], Any],
    client: httpx.AsyncClient,
    owner: asyncpg.Connection,
) -> None:
    # given a SHARED commitment proposed by Northwind
    commitment = await _propose(
        as_user, world, "editor@northwind.example", visibility=Visibility.SHARED
    )

    # then each of Contoso's members has it in their inbox, and nobody of Northwind
    rows = await owner.fetch(
        "SELECT u.email FROM inbox_item i JOIN app_user u ON u.id = i.user_id ORDER BY 1"
    )
    assert [r["email"] for r in rows] == [
        "editor@contoso.example", "governance@contoso.example", "lead@contoso.example",
        "viewer@contoso.example",
    ]  # fmt: skip
    await login(client, "lead@contoso.example")
    inbox = await _inbox(client)
    assert inbox["unreadNotificationCount"] == 1
    (item,) = inbox["notifications"]["nodes"]
    assert item["kind"] == commitment_notices.PROPOSAL
    assert "Ship the spare parts" in item["title"]
    assert item["readAt"] is None
    assert item["subject"]["type"] == "Commitment"
    assert item["subject"]["link"].endswith(f"/commitments/{item['subject']['id']}")
    assert item["subject"]["partnershipId"] == world.nc_id
    assert commitment.id  # the subject is the proposed commitment


async def test_an_internal_commitment_tells_the_other_side_nothing(
    world: World, as_user: Callable[[str], Any], owner: asyncpg.Connection
) -> None:
    await _propose(as_user, world, "editor@northwind.example", visibility=Visibility.INTERNAL)

    assert await owner.fetchval("SELECT count(*) FROM notice") == 0
    assert await owner.fetchval("SELECT count(*) FROM inbox_item") == 0


async def test_a_delivery_asks_the_counterparty_to_confirm(
    world: World, as_user: Callable[[str], Any], owner: asyncpg.Connection
) -> None:
    # given a commitment Northwind owns, proposed by Contoso and accepted by Northwind
    commitment = await _propose(
        as_user, world, "editor@contoso.example", visibility=Visibility.SHARED
    )
    await owner.execute(
        "UPDATE commitment SET owner_party_id = $1 WHERE id = $2",
        world.parties[("nc", "northwind")].id,
        commitment.id,
    )
    async with as_user("editor@northwind.example") as session:
        _, accepted = await commitments.transition(
            session,
            actor=principal(world, "editor@northwind.example"),
            commitment_id=commitment.id,
            expected_version=commitment.version,
            action=CommitmentAction.ACCEPT,
        )
    # when Northwind delivers it
    async with as_user("editor@northwind.example") as session:
        await commitments.transition(
            session,
            actor=principal(world, "editor@northwind.example"),
            commitment_id=commitment.id,
            expected_version=accepted.version,
            action=CommitmentAction.DELIVER,
            evidence=[EvidenceLink(url="https://example.com/pod", title="Proof of delivery")],
        )

    # then Contoso (the counterparty) is asked to confirm it
    rows = await owner.fetch(
        "SELECT n.kind, p.organization_id FROM notice n JOIN party p ON p.id = n.party_id "
        "ORDER BY n.created_at"
    )
    assert [(r["kind"], r["organization_id"]) for r in rows] == [
        (commitment_notices.PROPOSAL, world.orgs["northwind"].id),
        (commitment_notices.DELIVERY, world.orgs["contoso"].id),
    ]


async def test_a_notice_with_a_used_dedupe_key_is_dropped_and_roles_narrow_it(
    world: World, app_database: Database, owner: asyncpg.Connection
) -> None:
    # given a notice for Contoso's LEADs with a key, sent twice (as a worker: no identity)
    notice = notices.Notice(
        partnership_id=world.northwind_contoso.id,
        kind=commitment_notices.OVERDUE,
        party_id=world.parties[("nc", "contoso")].id,
        subject_type="Commitment",
        subject_id=world.northwind_contoso.id,
        title="Overdue",
        roles=("LEAD",),
        dedupe_key="once",
    )
    for _ in range(2):
        async with app_database.session() as session, session.begin():
            await notices.send(session, notice)

    # then one notice reached the lead alone
    rows = await owner.fetch(
        "SELECT u.email, i.delivery FROM inbox_item i JOIN app_user u ON u.id = i.user_id"
    )
    assert [(r["email"], r["delivery"]) for r in rows] == [
        ("lead@contoso.example", "DAILY_DIGEST")  # a reminder: in the digest by default
    ]


async def test_a_caller_cannot_send_a_notice_into_a_partnership_it_cannot_see(
    world: World, as_user: Callable[[str], Any], owner: asyncpg.Connection
) -> None:
    notice = notices.Notice(
        partnership_id=world.northwind_contoso.id,
        kind=commitment_notices.PROPOSAL,
        party_id=world.parties[("nc", "contoso")].id,
        subject_type="Commitment",
        subject_id=world.northwind_contoso.id,
        title="Not yours",
    )
    try:
        async with as_user("admin@fabrikam.example") as session:
            await notices.send(session, notice)
    except Exception as error:  # the database refuses (insufficient_privilege)
        assert "not visible" in str(error)
    else:
        raise AssertionError("a notice into a partnership the caller cannot see was sent")
    assert await owner.fetchval("SELECT count(*) FROM notice") == 0


async def test_marking_read_some_then_all(
    world: World, as_user: Callable[[str], Any], client: httpx.AsyncClient
) -> None:
    for _ in range(3):
        await _propose(as_user, world, "editor@northwind.example", visibility=Visibility.SHARED)
    await login(client, "lead@contoso.example")
    first = (await _inbox(client))["notifications"]["nodes"][0]

    one = (await gql(client, MARK, {"input": {"ids": [first["id"]]}}))["data"]
    assert one["markNotificationsRead"]["userErrors"] == []
    assert one["markNotificationsRead"]["unreadCount"] == 2
    assert [n["id"] for n in one["markNotificationsRead"]["notifications"]] == [first["id"]]
    unread = await _inbox(client, unreadOnly=True)
    assert unread["notifications"]["totalCount"] == 2

    everything = (await gql(client, MARK, {"input": {}}))["data"]["markNotificationsRead"]
    assert everything["userErrors"] == []
    assert everything["unreadCount"] == 0
    assert len(everything["notifications"]) == 2


async def test_marking_someone_elses_notification_is_not_found_and_changes_nothing(
    world: World,
    as_user: Callable[[str], Any],
    make_client: Callable[[], httpx.AsyncClient],
    owner: asyncpg.Connection,
) -> None:
    await _propose(as_user, world, "editor@northwind.example", visibility=Visibility.SHARED)
    async with make_client() as lead, make_client() as editor:
        await login(lead, "lead@contoso.example")
        await login(editor, "editor@contoso.example")
        leads = (await _inbox(lead))["notifications"]["nodes"][0]["id"]
        editors = (await _inbox(editor))["notifications"]["nodes"][0]["id"]

        answer = (await gql(lead, MARK, {"input": {"ids": [leads, editors]}}))["data"]
        empty = (await gql(lead, MARK, {"input": {"ids": []}}))["data"]

        payload = answer["markNotificationsRead"]
        assert len(payload["userErrors"]) == 1
        assert payload["userErrors"][0]["code"] == "NOT_FOUND"
        assert payload["userErrors"][0]["field"] == "ids"
        assert len(empty["markNotificationsRead"]["userErrors"]) == 1
        assert empty["markNotificationsRead"]["userErrors"][0]["code"] == "INVALID"
        # nothing was marked, not even the lead's own, and nothing audited
        assert (await _inbox(lead))["unreadNotificationCount"] == 1
        assert await owner.fetch(PERSONAL_EVENTS) == []
        # and another's notification is no node of theirs
        node = await gql(
            lead, "query($id: ID!) { node(id: $id) { id } }", {"id": editors}, expect_errors=True
        )
        assert node["data"]["node"] is None
        assert [e["extensions"]["code"] for e in node["errors"]] == ["NOT_FOUND"]


async def test_preferences_per_kind_with_defaults_and_an_unknown_kind_refused(
    world: World, client: httpx.AsyncClient, owner: asyncpg.Connection
) -> None:
    await login(client, "lead@contoso.example")
    before = (await gql(client, PREFERENCES))["data"]["viewer"]["notificationPreferences"]
    kinds = {p["kind"]: p for p in before}
    assert kinds[commitment_notices.PROPOSAL]["delivery"] == "EMAIL"
    assert kinds[commitment_notices.DUE_SOON]["delivery"] == "DAILY_DIGEST"
    assert all(p["isDefault"] for p in before)

    chosen = await gql(
        client,
        SET_PREFERENCE,
        {"input": {"kind": commitment_notices.PROPOSAL, "delivery": "INBOX_ONLY"}},
    )
    unknown = await gql(
        client, SET_PREFERENCE, {"input": {"kind": "nothing.like_it", "delivery": "EMAIL"}}
    )

    assert chosen["data"]["setNotificationPreference"]["userErrors"] == []
    assert chosen["data"]["setNotificationPreference"]["preference"] == {
        "kind": commitment_notices.PROPOSAL, "delivery": "INBOX_ONLY", "isDefault": False,
    }  # fmt: skip
    errors = unknown["data"]["setNotificationPreference"]["userErrors"]
    assert len(errors) == 1 and errors[0]["code"] == "UNKNOWN_KIND"
    # the refused one recorded nothing (the chosen one: one event in each workspace)
    assert {r["action"] for r in await owner.fetch(PERSONAL_EVENTS)} == {
        "notification_preference.set"
    }
    assert len(await owner.fetch(PERSONAL_EVENTS)) == 2
    after = (await gql(client, PREFERENCES))["data"]["viewer"]["notificationPreferences"]
    changed = [p for p in after if not p["isDefault"]]
    assert changed == [
        {"kind": commitment_notices.PROPOSAL, "label": kinds[commitment_notices.PROPOSAL]["label"],
         "delivery": "INBOX_ONLY", "isDefault": False}
    ]  # fmt: skip


async def test_reminders_once_per_commitment_and_day_to_the_accountable_side(
    world: World, as_user: Callable[[str], Any], app_database: Database, owner: asyncpg.Connection
) -> None:
    # given an agreed commitment of Northwind due in 3 days, an overdue one, and one due later
    made = []
    for _ in range(3):
        made.append(
            await _propose(
                as_user, world, "editor@northwind.example", visibility=Visibility.INTERNAL
            )
        )
    day = today()
    for commitment, due in zip(made, (3, -2, 5), strict=True):
        await owner.execute(
            "UPDATE commitment SET due_date = $1 WHERE id = $2",
            day + timedelta(days=due),
            commitment.id,
        )

    # when the reminder task runs twice on the same day (as a worker: no identity)
    for _ in range(2):
        async with app_database.session() as session, session.begin():
            await commitment_notices.send_reminders(session, on=day)

    # then Northwind got one reminder for each of the two, and Contoso nothing (INTERNAL)
    rows = await owner.fetch(
        "SELECT n.kind, n.subject_id, count(i.*) AS inboxes, p.organization_id FROM notice n "
        "JOIN party p ON p.id = n.party_id LEFT JOIN inbox_item i ON i.notice_id = n.id "
        "GROUP BY 1, 2, 4 ORDER BY 1"
    )
    assert [(r["kind"], r["subject_id"], r["organization_id"]) for r in rows] == [
        (commitment_notices.DUE_SOON, made[0].id, world.orgs["northwind"].id),
        (commitment_notices.OVERDUE, made[1].id, world.orgs["northwind"].id),
    ]
    assert all(r["inboxes"] == 4 for r in rows)


async def _notify_contoso(app_database: Database, world: World, counts: dict[str, int]) -> None:
    """`counts[key]` notices to Contoso's LEAD in each partnership (as a worker)."""
    async with app_database.session() as session, session.begin():
        for key, count in counts.items():
            partnership = world.northwind_contoso if key == "nc" else world.fabrikam_contoso
            for number in range(count):
                await notices.send(
                    session,
                    notices.Notice(
                        partnership_id=partnership.id,
                        kind=commitment_notices.PROPOSAL,
                        party_id=world.parties[(key, "contoso")].id,
                        subject_type="Commitment",
                        subject_id=partnership.id,
                        title=f"Proposal {number}",
                        roles=("LEAD",),
                    ),
                )


async def test_read_marks_are_audited_per_partnership_on_the_readers_side_only(
    world: World,
    app_database: Database,
    make_client: Callable[[], httpx.AsyncClient],
    owner: asyncpg.Connection,
) -> None:
    # given two notices to Contoso's lead in one partnership and three in the other, and a
    # webhook endpoint of Contoso taking every event
    await _notify_contoso(app_database, world, {"nc": 2, "fc": 3})
    await owner.execute(
        "INSERT INTO webhook_endpoint (partnership_id, owner_party_id, visibility, url, secret) "
        "VALUES ($1, $2, 'INTERNAL', 'https://93.184.215.14/h', 'sealed')",
        world.northwind_contoso.id,
        world.parties[("nc", "contoso")].id,
    )
    async with make_client() as lead, make_client() as northwind:
        await login(lead, "lead@contoso.example")
        await login(northwind, "lead@northwind.example")
        first = (await _inbox(lead))["notifications"]["nodes"][0]

        # when the lead marks one read, then all
        one = await gql(lead, MARK, {"input": {"ids": [first["id"]]}})
        rest = await gql(lead, MARK, {"input": {}})
        again = await gql(lead, MARK, {"input": {}})  # nothing left: nothing to record

        # then one event for the one, and one per partnership for the rest, each in that
        # partnership's chain, the lead's own and INTERNAL to Contoso
        assert one["data"]["markNotificationsRead"]["userErrors"] == []
        assert len(rest["data"]["markNotificationsRead"]["notifications"]) == 4
        assert again["data"]["markNotificationsRead"]["notifications"] == []
        lead_id = world.user_id("lead@contoso.example")
        # (the newest first: the last of Fabrikam's)
        assert first["subject"]["partnershipId"] == world.fc_id
        rows = await owner.fetch(PERSONAL_EVENTS)
        fc, nc = world.fabrikam_contoso.id, world.northwind_contoso.id
        assert sorted(
            (r["partnership_id"], r["action"], json.loads(r["changes"])["notifications_read"]["to"])
            for r in rows
        ) == sorted(
            [(fc, "notifications.read", 1), (fc, "notifications.read_all", 2),
             (nc, "notifications.read_all", 2)]
        )  # fmt: skip
        for row in rows:
            key = "nc" if row["partnership_id"] == world.northwind_contoso.id else "fc"
            assert row["owner_party_id"] == world.parties[(key, "contoso")].id
            assert (row["object_id"], row["actor_user_id"]) == (lead_id, lead_id)
            assert row["visibility"] == "INTERNAL"

        # and Contoso's trail shows them and verifies; Northwind's has none of them
        ours = (await gql(lead, TRAIL, {"id": world.nc_id}))["data"]["partnership"]
        theirs = (await gql(northwind, TRAIL, {"id": world.nc_id}))["data"]["partnership"]
    assert [n["action"] for n in ours["auditTrail"]["nodes"]] == ["notifications.read_all"]
    assert ours["auditTrail"]["nodes"][0]["objectTitle"] == "Lead (Contoso)'s notifications"
    assert ours["verifyAuditChain"]["intact"] is True
    assert theirs["auditTrail"]["totalCount"] == 0
    assert theirs["verifyAuditChain"]["intact"] is True
    # and a person's read marks are no webhook event of their side
    assert await owner.fetchval("SELECT count(*) FROM webhook_delivery") == 0


async def test_a_preference_is_audited_in_each_of_the_persons_workspaces(
    world: World, client: httpx.AsyncClient, owner: asyncpg.Connection
) -> None:
    # given Contoso's lead, a member of both partnerships
    await login(client, "lead@contoso.example")
    choose = {"input": {"kind": commitment_notices.PROPOSAL, "delivery": "DAILY_DIGEST"}}

    # when they choose the digest for proposals, twice (the second changes nothing)
    for _ in range(2):
        body = await gql(client, SET_PREFERENCE, choose)
        assert body["data"]["setNotificationPreference"]["userErrors"] == []

    # then one event in each partnership's chain, INTERNAL to Contoso, with the change
    rows = await owner.fetch(PERSONAL_EVENTS)
    assert sorted(r["partnership_id"] for r in rows) == sorted(
        [world.northwind_contoso.id, world.fabrikam_contoso.id]
    )
    for row in rows:
        key = "nc" if row["partnership_id"] == world.northwind_contoso.id else "fc"
        assert row["action"] == "notification_preference.set"
        assert (row["owner_party_id"], row["visibility"]) == (
            world.parties[(key, "contoso")].id, "INTERNAL",
        )  # fmt: skip
        assert json.loads(row["changes"]) == {
            "kind": {"from": None, "to": commitment_notices.PROPOSAL},
            "delivery": {"from": "EMAIL", "to": "DAILY_DIGEST"},
        }
