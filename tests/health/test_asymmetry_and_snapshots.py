"""Detector 3 and transparency count each side's INTERNAL items through
health_visibility_counts (counts only): a side keeping more of its new items INTERNAL fires the
detector, and the other side sees the shares but no INTERNAL record by any path; an outsider
calling the function gets nothing. The daily snapshots are audited (the system as actor)."""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from tests.commitments.factories import (
    PROPOSE,
    ClientFactory,
    both_sides,
    mutate,
    only_record,
    propose,
    raw_id,
    signed_in,
)
from tests.health.factories import (
    component,
    detector,
    health_of,
    recording_notices,
    recording_triggers,
    run_daily,
)
from tests.helpers import World, gql

COUNTS = "SELECT * FROM health_visibility_counts($1, now() - interval '90 days', " + (
    "now() - interval '30 days', now())"
)

TRAIL = """
query($id: ID!) {
  partnership(id: $id) {
    auditTrail(first: 100) { nodes { action objectType objectId changes actor { email } } }
    verifyAuditChain { intact checkedEvents }
  }
}
"""


async def _counts_as(app_conn: asyncpg.Connection, user_id: Any, partnership_id: Any) -> list[Any]:
    async with app_conn.transaction():
        if user_id is not None:
            await app_conn.execute("SELECT set_config('mutual.user_id', $1, true)", str(user_id))
        return list(await app_conn.fetch(COUNTS, partnership_id))


async def test_a_side_keeping_new_items_internal_fires_asymmetry_and_shows_only_counts(
    make_client: ClientFactory,
    owner: asyncpg.Connection,
    world: World,
    app_database_url: URL,
    app_conn: asyncpg.Connection,
) -> None:
    # given Northwind shared all 5 commitments it proposed 45 days ago, and kept 3 of the 5 of
    # the last 30 days INTERNAL
    async with both_sides(make_client, owner, world) as (northwind, _contoso):
        earlier = [await propose(northwind, world, f"Earlier {i}", "2099-01-01") for i in range(5)]
        for i in range(2):
            await propose(northwind, world, f"Shared {i}", "2099-01-01")
        secret = [
            only_record(
                await mutate(
                    northwind,
                    PROPOSE,
                    partnershipId=world.nc_id,
                    title=f"Secret exit plan {i}",
                    dueDate="2099-01-01",
                    visibility="INTERNAL",
                ),
                "commitment",
            )
            for i in range(3)
        ]
    await owner.execute(
        "UPDATE commitment SET created_at = now() - interval '45 days' WHERE id = ANY($1::uuid[])",
        [raw_id(c["id"]) for c in earlier],
    )

    # when the daily job runs
    with recording_triggers() as fired, recording_notices() as sent:
        await run_daily(app_database_url)

    # then information asymmetry fires: Northwind's INTERNAL share rose from 0 to 60%
    assert "detector.information_asymmetry" in [f.source for f in fired]
    (asymmetry,) = [f for f in fired if f.source == "detector.information_asymmetry"]
    assert asymmetry.evidence == ()
    async with signed_in(make_client, owner, world, "viewer@contoso.example") as viewer:
        health = await health_of(viewer, world)
        trail = await gql(viewer, TRAIL, {"id": world.nc_id})
    found = detector(health, "INFORMATION_ASYMMETRY")
    assert found["status"] == "FIRING" and found["score"] == 6
    figures = {f["name"]: f["value"] for f in found["inputs"]}
    assert figures["internal_share_rise"] == 0.6
    assert sorted(
        (figures[f"side{n}_internal_items_30d"], figures[f"side{n}_items_30d"]) for n in (1, 2)
    ) == [(0, 0), (3, 5)]
    assert found["evidence"] == []
    # and Contoso sees transparency's shared share: 7 of Northwind's 10 items, and its own none
    transparency = component(health, "transparency")
    assert transparency["value"] == 70.0
    assert sorted((s["party"]["label"], s["value"]) for s in transparency["perSide"]) == sorted(
        [
            (world.parties[("nc", "northwind")].label, 70.0),
            (world.parties[("nc", "contoso")].label, None),
        ]
    )
    # but no INTERNAL record of Northwind's, by any path: the page, the trail, the notices
    seen = str(health) + str(trail) + "".join(n.title + n.body for n in sent) + asymmetry.summary
    for record in secret:
        assert record["id"] not in seen and str(raw_id(record["id"])) not in seen
        assert record["title"] not in seen
    assert "Secret" not in seen

    # and the function counts only for a member: an outsider and no identity get no row
    nc = world.northwind_contoso.id
    assert len(await _counts_as(app_conn, world.user_id("viewer@contoso.example"), nc)) == 2
    assert await _counts_as(app_conn, world.user_id("admin@fabrikam.example"), nc) == []
    assert await _counts_as(app_conn, None, nc) == []


async def test_each_daily_snapshot_is_audited_by_the_system_on_an_intact_chain(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    # when the daily job runs twice (a period may run twice: the day's snapshot is replaced)
    await run_daily(app_database_url)
    await run_daily(app_database_url)

    # then each partnership's trail has one event per snapshot taken, with no user as actor
    events = await owner.fetch(
        "SELECT partnership_id, actor_user_id, actor_party_id, object_id, request_id, changes "
        "FROM audit_event WHERE action = 'health_snapshot.taken' ORDER BY seq"
    )
    pids = [world.northwind_contoso.id, world.fabrikam_contoso.id]
    assert sorted(e["partnership_id"] for e in events) == sorted(pids * 2)
    assert all(e["actor_user_id"] is None and e["actor_party_id"] is None for e in events)
    assert all(e["object_id"] == e["partnership_id"] for e in events)
    assert {e["request_id"] for e in events} == {"job:health.daily_snapshots"}
    # and both sides read it in their trail, with the day and the index, on an intact chain
    for email in ("viewer@contoso.example", "viewer@northwind.example"):
        async with signed_in(make_client, owner, world, email) as viewer:
            body = await gql(viewer, TRAIL, {"id": world.nc_id})
        partnership = body["data"]["partnership"]
        taken = [
            e for e in partnership["auditTrail"]["nodes"] if e["action"] == "health_snapshot.taken"
        ]
        assert len(taken) == 2 and all(e["actor"] is None for e in taken)
        assert set(taken[0]["changes"]) == {"day", "index"}
        assert partnership["verifyAuditChain"]["intact"] is True
