"""Webhooks end to end, against a real local HTTP receiver (with the config allowance for
private addresses): signed per the Standard Webhooks spec, the audit events the endpoint's side
may read and the notices to it (never the other side's INTERNAL items), retried with backoff,
disabled after repeated failures with a notice, secret rotation, the delivery log, the test
event; and the refusals: private addresses without the allowance, wrong side, wrong role."""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import asyncpg
import httpx
import pytest
from standardwebhooks import Webhook

from mutual.commitments import notices as commitment_notices
from mutual.commitments import service as commitments
from mutual.kit.clock import today
from mutual.kit.records import Visibility
from mutual.notify import addresses, delivery, webhooks
from mutual.notify.delivery import WEBHOOK_DISABLED
from tests.helpers import World, gql, login
from tests.jobs.helpers import eventually
from tests.notify.conftest import Receiver, notify_settings, principal

CREATE = """
mutation Create($input: CreateWebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    endpoint { id url } secret userErrors { field code message }
  }
}"""
UPDATE = """
mutation Update($input: UpdateWebhookEndpointInput!) {
  updateWebhookEndpoint(input: $input) { endpoint { id url enabled } userErrors { field code } }
}"""
TEST_EVENT = """
mutation Test($input: SendTestWebhookEventInput!) {
  sendTestWebhookEvent(input: $input) { delivery { id eventType status } userErrors { code } }
}"""
ENDPOINTS = """
query Endpoints($id: ID!) {
  partnership(id: $id) {
    viewerCanManageMembers
    webhookEndpoints {
      id url enabled failureCount
      deliveries(first: 10) {
        totalCount nodes { eventType status attempts responseStatus responseMs messageId }
      }
    }
  }
}"""
LEAD = "lead@contoso.example"


async def _endpoint(
    as_user: Callable[[str], Any],
    world: World,
    url: str,
    *,
    email: str = LEAD,
    event_types: tuple[str, ...] = (),
) -> tuple[Any, str]:
    async with as_user(email) as session:
        _, endpoint, secret = await webhooks.create_endpoint(
            session,
            actor=principal(world, email),
            settings=notify_settings(),
            partnership_id=world.northwind_contoso.id,
            url=url,
            event_types=event_types,
        )
    return endpoint, secret


async def _propose(
    as_user: Callable[[str], Any], world: World, email: str, title: str, visibility: Visibility
) -> None:
    async with as_user(email) as session:
        await commitments.propose(
            session,
            actor=principal(world, email),
            partnership_id=world.northwind_contoso.id,
            title=title,
            due_date=today() + timedelta(days=10),
            visibility=visibility,
        )


def _verify(secret: str, received: Any) -> dict[str, Any]:
    payload: dict[str, Any] = Webhook(secret).verify(received.body, received.headers)
    return payload


async def test_events_and_notices_are_signed_and_logged(
    world: World,
    as_user: Callable[[str], Any],
    receiver: Receiver,
    run_worker: Callable[..., Any],
    owner: asyncpg.Connection,
) -> None:
    # given Contoso's endpoint taking every event
    endpoint, secret = await _endpoint(as_user, world, receiver.url)

    # when Northwind proposes a SHARED commitment and a worker runs
    await _propose(as_user, world, "editor@northwind.example", "Ship it", Visibility.SHARED)
    async with run_worker(notify_settings()):
        await eventually(lambda: _received(receiver, 2), what="two deliveries")
        await eventually(lambda: _all_done(owner), what="the log")

    # then the audit event and the notice arrived, each verifiable with the secret
    types = sorted(_verify(secret, r)["type"] for r in receiver.received)
    assert types == ["commitment.proposed", f"notice.{commitment_notices.PROPOSAL}"]
    for r in receiver.received:
        assert r.headers["host"] == f"127.0.0.1:{receiver.port}"
        assert r.headers["webhook-id"].startswith("msg_")
        assert r.headers["webhook-signature"].startswith("v1,")
    with pytest.raises(Exception):  # noqa: B017 - any verification failure
        Webhook(delivery.new_secret()).verify(
            receiver.received[0].body, receiver.received[0].headers
        )
    rows = await owner.fetch(
        "SELECT status, attempts, response_status, response_ms FROM webhook_delivery"
    )
    assert [(r["status"], r["attempts"], r["response_status"]) for r in rows] == [
        ("SUCCEEDED", 1, 200)
    ] * 2
    assert all(r["response_ms"] is not None for r in rows)
    assert endpoint.enabled


async def test_a_name_that_rebinds_to_loopback_after_the_check_never_reaches_it(
    world: World,
    as_user: Callable[[str], Any],
    receiver: Receiver,
    run_worker: Callable[..., Any],
    owner: asyncpg.Connection,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given an endpoint by name, and a resolver (DNS rebinding) that answers a public address
    # first and the loopback receiver's after
    url = f"http://localhost:{receiver.port}/hooks"
    endpoint, _ = await _endpoint(as_user, world, url)
    answers = [[ipaddress.ip_address("93.184.215.14")]]

    async def rebinding(host: str, port: int) -> list[Any]:
        assert host == "localhost"
        return answers.pop(0) if answers else [ipaddress.ip_address("127.0.0.1")]

    monkeypatch.setattr(addresses, "resolve", rebinding)
    async with as_user(LEAD) as session:
        await webhooks.send_test_event(
            session, actor=principal(world, LEAD), endpoint_id=endpoint.id
        )

    # when a worker without the allowance delivers it
    async with run_worker(notify_settings(webhook_allow_private_addresses=False)):
        await eventually(lambda: _attempted(owner), what="the attempt")

    # then the check passed on the public answer, but the connection went nowhere near the
    # loopback receiver: its own lookup was checked and refused
    assert receiver.received == []
    row = await owner.fetchrow("SELECT status, attempts, error FROM webhook_delivery")
    assert (row["status"], row["attempts"]) == ("RETRYING", 1)
    assert "127.0.0.1" in row["error"] and "public addresses only" in row["error"]

    # and with the allowance, a delivery by name connects to the address our resolver gave
    # while the request keeps the name in its Host header
    async with as_user(LEAD) as session:
        await webhooks.send_test_event(
            session, actor=principal(world, LEAD), endpoint_id=endpoint.id
        )
    async with run_worker(notify_settings()):
        await eventually(lambda: _received(receiver, 1), what="a delivery")
    assert receiver.received[0].headers["host"] == f"localhost:{receiver.port}"


async def _attempted(owner: asyncpg.Connection) -> bool:
    return bool(await owner.fetchval("SELECT attempts > 0 FROM webhook_delivery"))


async def _received(receiver: Receiver, n: int) -> bool:
    return len(receiver.received) >= n


async def _all_done(owner: asyncpg.Connection) -> bool:
    pending = await owner.fetchval(
        "SELECT count(*) FROM webhook_delivery WHERE status IN ('PENDING', 'RETRYING')"
    )
    return int(pending) == 0


async def test_the_other_sides_internal_items_never_leave(
    world: World,
    as_user: Callable[[str], Any],
    receiver: Receiver,
    run_worker: Callable[..., Any],
    owner: asyncpg.Connection,
) -> None:
    # given Contoso's endpoint taking every event
    _, secret = await _endpoint(as_user, world, receiver.url)

    # when Northwind plans an INTERNAL commitment, and Contoso one of its own
    await _propose(
        as_user, world, "editor@northwind.example", "Northwind secret plan", Visibility.INTERNAL
    )
    await _propose(
        as_user, world, "editor@contoso.example", "Contoso own plan", Visibility.INTERNAL
    )
    async with run_worker(notify_settings()):
        await eventually(lambda: _received(receiver, 1), what="a delivery")
        await eventually(lambda: _all_done(owner), what="the log")
        await asyncio.sleep(0.5)

    # then only Contoso's own INTERNAL event went out; Northwind's not even into the log
    assert len(receiver.received) == 1
    payload = _verify(secret, receiver.received[0])
    assert payload["data"]["visibility"] == "INTERNAL"
    assert "Contoso own plan" in json.dumps(payload)
    logged = await owner.fetch("SELECT payload::text AS p FROM webhook_delivery")
    assert len(logged) == 1
    assert all("Northwind secret plan" not in r["p"] for r in logged)
    assert all("Northwind secret plan" not in r.body for r in receiver.received)


async def test_the_filter_takes_prefixes(
    world: World, as_user: Callable[[str], Any], receiver: Receiver, owner: asyncpg.Connection
) -> None:
    await _endpoint(as_user, world, receiver.url, event_types=("notice.*",))

    await _propose(as_user, world, "editor@northwind.example", "Ship it", Visibility.SHARED)

    rows = await owner.fetch("SELECT event_type FROM webhook_delivery")
    assert [r["event_type"] for r in rows] == [f"notice.{commitment_notices.PROPOSAL}"]


async def test_a_failed_delivery_is_retried_with_backoff_until_it_succeeds(
    world: World,
    as_user: Callable[[str], Any],
    receiver: Receiver,
    run_worker: Callable[..., Any],
    owner: asyncpg.Connection,
) -> None:
    # given a receiver that fails the first call
    endpoint, _ = await _endpoint(as_user, world, receiver.url)
    receiver.statuses = [503]
    async with as_user(LEAD) as session:
        await webhooks.send_test_event(
            session, actor=principal(world, LEAD), endpoint_id=endpoint.id
        )

    # when the worker runs long enough for one retry (the first after 5 s)
    async with run_worker(notify_settings()):
        await eventually(lambda: _received(receiver, 2), within=40, what="a retry")
        await eventually(lambda: _all_done(owner), what="the log")

    # then the same message (same webhook-id) came twice, and the log says so
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    row = await owner.fetchrow("SELECT status, attempts, response_status FROM webhook_delivery")
    assert (row["status"], row["attempts"], row["response_status"]) == ("SUCCEEDED", 2, 200)
    failures = await owner.fetchval("SELECT failure_count FROM webhook_endpoint")
    assert failures == 0  # a success resets the count


async def test_repeated_failures_disable_the_endpoint_and_tell_its_leads(
    world: World,
    as_user: Callable[[str], Any],
    receiver: Receiver,
    run_worker: Callable[..., Any],
    owner: asyncpg.Connection,
) -> None:
    # given an endpoint whose receiver always fails, and a limit of two failures in a row
    endpoint, _ = await _endpoint(as_user, world, receiver.url)
    receiver.statuses = [500] * 10
    for _ in range(2):
        async with as_user(LEAD) as session:
            await webhooks.send_test_event(
                session, actor=principal(world, LEAD), endpoint_id=endpoint.id
            )

    async with run_worker(notify_settings(webhook_disable_after_failures=2)):
        await eventually(lambda: _disabled(owner), what="the endpoint disabled")

    # then it is disabled, with its reason, and Contoso's LEAD was told (only the LEAD)
    row = await owner.fetchrow(
        "SELECT enabled, disabled_reason, failure_count FROM webhook_endpoint"
    )
    assert row["enabled"] is False
    assert "2 failed deliveries in a row" in row["disabled_reason"]
    told = await owner.fetch(
        "SELECT u.email FROM inbox_item i JOIN notice n ON n.id = i.notice_id "
        "JOIN app_user u ON u.id = i.user_id WHERE n.kind = $1",
        WEBHOOK_DISABLED,
    )
    assert [r["email"] for r in told] == [LEAD]
    # and the system's change is audited once, its side's alone
    audited = await owner.fetch(
        "SELECT actor_user_id, visibility, owner_party_id, changes FROM audit_event "
        "WHERE action = 'webhook_endpoint.disabled'"
    )
    assert [(r["actor_user_id"], r["visibility"], r["owner_party_id"]) for r in audited] == [
        (None, "INTERNAL", world.parties[("nc", "contoso")].id)
    ]
    assert json.loads(audited[0]["changes"])["enabled"] == {"from": True, "to": False}


async def _disabled(owner: asyncpg.Connection) -> bool:
    return await owner.fetchval("SELECT NOT enabled FROM webhook_endpoint") is True


async def test_after_a_rotation_both_secrets_verify_for_a_day(
    world: World,
    as_user: Callable[[str], Any],
    receiver: Receiver,
    run_worker: Callable[..., Any],
) -> None:
    endpoint, old = await _endpoint(as_user, world, receiver.url)
    async with as_user(LEAD) as session:
        _, rotated, new = await webhooks.rotate_secret(
            session,
            actor=principal(world, LEAD),
            settings=notify_settings(),
            endpoint_id=endpoint.id,
            expected_version=endpoint.version,
        )
        await webhooks.send_test_event(
            session, actor=principal(world, LEAD), endpoint_id=endpoint.id
        )
    assert new != old
    assert rotated.previous_secret_expires_at is not None

    async with run_worker(notify_settings()):
        await eventually(lambda: _received(receiver, 1), what="the test event")

    (received,) = receiver.received
    assert received.headers["webhook-signature"].count("v1,") == 2
    assert _verify(new, received)["type"] == "webhook.test"
    assert _verify(old, received)["type"] == "webhook.test"


async def test_private_addresses_are_refused_without_the_allowance(
    world: World, client: httpx.AsyncClient, owner: asyncpg.Connection
) -> None:
    await login(client, LEAD)
    audit_before = await owner.fetchval("SELECT count(*) FROM audit_event")
    cases = {
        "http://127.0.0.1:8080/hook": "PRIVATE_ADDRESS",
        "http://10.1.2.3/hook": "PRIVATE_ADDRESS",
        "http://169.254.169.254/latest/meta-data": "PRIVATE_ADDRESS",
        "http://[::1]/hook": "PRIVATE_ADDRESS",
        "http://[::ffff:192.168.0.1]/hook": "PRIVATE_ADDRESS",
        "http://0.0.0.0/hook": "PRIVATE_ADDRESS",
        "http://localhost:8000/hook": "PRIVATE_ADDRESS",  # a name resolving to loopback
        "ftp://93.184.215.14/hook": "INVALID_URL",
        "https://user:pw@93.184.215.14/hook": "INVALID_URL",
        "not a url": "INVALID_URL",
    }
    for url, code in cases.items():
        body = await gql(client, CREATE, {"input": {"partnershipId": world.nc_id, "url": url}})
        payload = body["data"]["createWebhookEndpoint"]
        assert payload["endpoint"] is None and payload["secret"] is None, url
        assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, "url")], url

    # a public address is taken, and its secret shown once
    made = await gql(
        client, CREATE, {"input": {"partnershipId": world.nc_id, "url": "https://93.184.215.14/h"}}
    )
    payload = made["data"]["createWebhookEndpoint"]
    assert payload["userErrors"] == []
    assert payload["secret"].startswith("whsec_")
    # moving it to a private address is refused too, and changes nothing
    moved = await gql(
        client,
        UPDATE,
        {"input": {"endpointId": payload["endpoint"]["id"], "expectedVersion": 1,
                   "url": "http://192.168.1.1/"}},
    )  # fmt: skip
    assert [e["code"] for e in moved["data"]["updateWebhookEndpoint"]["userErrors"]] == [
        "PRIVATE_ADDRESS"
    ]
    assert await owner.fetchval("SELECT url FROM webhook_endpoint") == "https://93.184.215.14/h"
    assert await owner.fetchval("SELECT count(*) FROM audit_event") == audit_before + 1
    stored = await owner.fetchval("SELECT secret FROM webhook_endpoint")
    assert payload["secret"] not in stored  # sealed at rest
    # its audit event is its side's alone
    audited = await owner.fetch(
        "SELECT visibility, owner_party_id FROM audit_event WHERE object_type = 'WebhookEndpoint'"
    )
    assert [(r["visibility"], r["owner_party_id"]) for r in audited] == [
        ("INTERNAL", world.parties[("nc", "contoso")].id)
    ]


async def test_endpoints_are_their_sides_and_its_leads_alone(
    world: World,
    as_user: Callable[[str], Any],
    make_client: Callable[[], httpx.AsyncClient],
    receiver: Receiver,
) -> None:
    endpoint, _ = await _endpoint(as_user, world, receiver.url)
    gid = f"{webhooks.to_global_id('WebhookEndpoint', endpoint.id)}"
    async with make_client() as lead, make_client() as editor, make_client() as other:
        await login(lead, LEAD)
        await login(editor, "editor@contoso.example")
        await login(other, "lead@northwind.example")

        mine = (await gql(lead, ENDPOINTS, {"id": world.nc_id}))["data"]["partnership"]
        editors = (await gql(editor, ENDPOINTS, {"id": world.nc_id}))["data"]["partnership"]
        theirs = (await gql(other, ENDPOINTS, {"id": world.nc_id}))["data"]["partnership"]
        test_sent = await gql(lead, TEST_EVENT, {"input": {"endpointId": gid}})
        by_editor = await gql(editor, TEST_EVENT, {"input": {"endpointId": gid}})
        by_other = await gql(other, TEST_EVENT, {"input": {"endpointId": gid}})
        node = await gql(
            other, "query($id: ID!) { node(id: $id) { id } }", {"id": gid}, expect_errors=True
        )
        after = (await gql(lead, ENDPOINTS, {"id": world.nc_id}))["data"]["partnership"]

    assert [e["url"] for e in mine["webhookEndpoints"]] == [receiver.url]
    assert editors["webhookEndpoints"] == [] and editors["viewerCanManageMembers"] is False
    assert theirs["webhookEndpoints"] == []  # Northwind's lead: its own side has none
    sent = test_sent["data"]["sendTestWebhookEvent"]
    assert sent["userErrors"] == [] and sent["delivery"]["eventType"] == "webhook.test"
    assert [e["code"] for e in by_editor["data"]["sendTestWebhookEvent"]["userErrors"]] == [
        "FORBIDDEN"
    ]
    assert [e["code"] for e in by_other["data"]["sendTestWebhookEvent"]["userErrors"]] == [
        "NOT_FOUND"
    ]
    assert node["data"]["node"] is None
    log = after["webhookEndpoints"][0]["deliveries"]
    assert log["totalCount"] == 1
    assert log["nodes"][0]["status"] == "PENDING"
    assert log["nodes"][0]["messageId"].startswith("msg_")


async def test_what_waited_while_disabled_goes_out_once_enabled_again(
    world: World,
    as_user: Callable[[str], Any],
    receiver: Receiver,
    run_worker: Callable[..., Any],
    owner: asyncpg.Connection,
) -> None:
    # given a test event queued, then the endpoint disabled before any worker ran
    endpoint, _ = await _endpoint(as_user, world, receiver.url)
    async with as_user(LEAD) as session:
        await webhooks.send_test_event(
            session, actor=principal(world, LEAD), endpoint_id=endpoint.id
        )
        _, off = await webhooks.update_endpoint(
            session, actor=principal(world, LEAD), settings=notify_settings(),
            endpoint_id=endpoint.id, expected_version=endpoint.version, enabled=False,
        )  # fmt: skip
    async with run_worker(notify_settings()):
        await asyncio.sleep(1.5)
        assert receiver.received == []  # a disabled endpoint is not called

        # when it is enabled again
        async with as_user(LEAD) as session:
            await webhooks.update_endpoint(
                session, actor=principal(world, LEAD), settings=notify_settings(),
                endpoint_id=endpoint.id, expected_version=off.version, enabled=True,
            )  # fmt: skip

        # then the waiting event is delivered
        await eventually(lambda: _received(receiver, 1), what="the waiting delivery")
        await eventually(lambda: _all_done(owner), what="the log")
    assert await owner.fetchval("SELECT status FROM webhook_delivery") == "SUCCEEDED"
