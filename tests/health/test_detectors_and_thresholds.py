"""The detectors fire from the records (missed commitments here), once per episode, through
the daily job (no identity); thresholds change only when both sides' LEADs agree; other
domains' health inputs reach the satisfaction component."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
from sqlalchemy.engine import URL

from mutual.kit.health import Reading
from tests.commitments.factories import (
    PROPOSE as PROPOSE_COMMITMENT,
)
from tests.commitments.factories import (
    ClientFactory,
    both_sides,
    mutate,
    only_error,
    only_record,
    raw_id,
    signed_in,
)
from tests.health.factories import (
    ACCEPT,
    DECLINE,
    PROPOSE,
    agreed_commitments,
    component,
    detector,
    evaluate_only,
    health_input,
    health_of,
    recording_notices,
    recording_triggers,
    run_daily,
)
from tests.helpers import World


async def _miss(owner: asyncpg.Connection, commitments: list[dict[str, Any]]) -> None:
    await owner.execute(
        "UPDATE commitment SET due_date = current_date - 3 WHERE id = ANY($1::uuid[])",
        [raw_id(c["id"]) for c in commitments],
    )


async def test_missed_commitments_fire_the_detector_once_per_episode(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World, app_database_url: URL
) -> None:
    # given four agreed SHARED commitments past due, and one INTERNAL one of Northwind's
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        shared = await agreed_commitments(northwind, contoso, world, 4)
        internal = only_record(
            await mutate(
                northwind,
                PROPOSE_COMMITMENT,
                partnershipId=world.nc_id,
                title="Internal buffer",
                dueDate="2099-01-01",
                visibility="INTERNAL",
            ),
            "commitment",
        )
    await _miss(owner, shared)
    await owner.execute(
        "UPDATE commitment SET status = 'AGREED', due_date = current_date - 2 WHERE id = $1",
        raw_id(internal["id"]),
    )

    # when a run of the daily job dies after the evaluation, before firing: nothing fired yet
    with recording_triggers() as fired, recording_notices() as sent:
        await evaluate_only(app_database_url, world)
        assert fired == [] and sent == []
        # and then the daily job runs, twice (a period may run twice)
        await run_daily(app_database_url)
        await run_daily(app_database_url)

    # then the detector fired once, with the SHARED commitments as its evidence
    assert [f.source for f in fired] == ["detector.commitments_delayed"]
    assert fired[0].partnership_id == world.northwind_contoso.id
    assert {i for _t, i in fired[0].evidence} == {raw_id(c["id"]) for c in shared}
    state = await owner.fetchrow(
        "SELECT status, episode, score FROM detector_state "
        "WHERE partnership_id = $1 AND detector = 'commitments_delayed'",
        world.northwind_contoso.id,
    )
    assert state is not None and state["status"] == "FIRING" and state["score"] == 4
    assert state["episode"] == fired[0].episode
    # and told both sides, once
    assert sorted((n.kind, n.party_id) for n in sent) == sorted(
        ("health.detector_firing", world.parties[("nc", side)].id)
        for side in ("northwind", "contoso")
    )
    assert all(internal["title"] not in n.body + n.title for n in sent)
    # both partnerships got a snapshot of the day, and the change of status is audited
    days = await owner.fetch("SELECT partnership_id, day FROM health_snapshot")
    assert {r["partnership_id"] for r in days} == {
        world.northwind_contoso.id,
        world.fabrikam_contoso.id,
    }
    changed = await owner.fetch(
        "SELECT changes::text AS c FROM audit_event "
        "WHERE action = 'detector.changed' AND partnership_id = $1",
        world.northwind_contoso.id,
    )
    assert len(changed) == 1 and "FIRING" in changed[0]["c"]
    # and the other side's viewer sees it FIRING since the run, with the evidence, never the
    # INTERNAL commitment
    async with signed_in(make_client, owner, world, "viewer@contoso.example") as viewer:
        health = await health_of(viewer, world)
    delayed = detector(health, "COMMITMENTS_DELAYED")
    assert delayed["status"] == "FIRING" and delayed["since"] is not None
    assert {e["id"] for e in delayed["evidence"]} == {c["id"] for c in shared}
    assert internal["id"] not in str(health)
    history = health["health"]["detectorHistory"]
    assert [(h["detector"], h["status"]) for h in history] == [("COMMITMENTS_DELAYED", "FIRING")]
    assert health["healthSummary"]["day"] == str(date.today()) or health["healthSummary"]


async def test_thresholds_change_only_when_the_other_sides_lead_accepts(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    async with both_sides(make_client, owner, world, northwind="lead", contoso="lead") as (
        nw_lead,
        co_lead,
    ):
        # given Northwind's LEAD proposes tighter thresholds
        proposal = only_record(
            await mutate(
                nw_lead,
                PROPOSE,
                partnershipId=world.nc_id,
                detector="COMMITMENTS_DELAYED",
                watch=1,
                fire=2,
            ),
            "proposal",
        )
        assert proposal["status"] == "PROPOSED"
        before = await owner.fetchval("SELECT count(*) FROM audit_event")

        # when Northwind's LEAD accepts its own proposal, then SAME_SIDE and nothing changed
        error = only_error(await mutate(nw_lead, ACCEPT, thresholdId=proposal["id"]), "proposal")
        assert error["code"] == "SAME_SIDE"
        # and a range the wrong way round is refused
        error = only_error(
            await mutate(
                nw_lead,
                PROPOSE,
                partnershipId=world.nc_id,
                detector="COMMITMENTS_DELAYED",
                watch=5,
                fire=2,
            ),
            "proposal",
        )
        assert error["code"] == "THRESHOLD_OUT_OF_RANGE"
        async with signed_in(make_client, owner, world, "editor@contoso.example") as editor:
            error = only_error(await mutate(editor, ACCEPT, thresholdId=proposal["id"]), "proposal")
            assert error["code"] == "FORBIDDEN"
        async with signed_in(make_client, owner, world, "admin@fabrikam.example") as outsider:
            error = only_error(
                await mutate(outsider, ACCEPT, thresholdId=proposal["id"]), "proposal"
            )
            assert error["code"] == "NOT_FOUND"
        assert await owner.fetchval("SELECT count(*) FROM audit_event") == before
        assert await owner.fetchval("SELECT status FROM detector_threshold") == "PROPOSED"
        health = await health_of(co_lead, world)
        assert detector(health, "COMMITMENTS_DELAYED")["fireAt"] == 4

        # when Contoso's LEAD accepts, then they are in force for both sides
        accepted = only_record(
            await mutate(co_lead, ACCEPT, thresholdId=proposal["id"]), "proposal"
        )
        assert accepted["status"] == "ACCEPTED"
        for client in (nw_lead, co_lead):
            delayed = detector(await health_of(client, world), "COMMITMENTS_DELAYED")
            assert (delayed["watchAt"], delayed["fireAt"], delayed["customThresholds"]) == (
                1,
                2,
                True,
            )
        # and deciding again is NOT_PENDING
        error = only_error(await mutate(co_lead, DECLINE, thresholdId=proposal["id"]), "proposal")
        assert error["code"] == "NOT_PENDING"
    actions = await owner.fetch(
        "SELECT action FROM audit_event WHERE object_type = 'DetectorThreshold' ORDER BY seq"
    )
    assert [a["action"] for a in actions] == [
        "detector_threshold.proposed",
        "detector_threshold.accepted",
    ]


async def test_a_domains_health_input_reaches_satisfaction(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    seen: list[datetime] = []

    async def pulse_nps(session: Any, workspace: Any, as_of: datetime) -> Reading:
        seen.append(as_of)
        return Reading(
            value=80.0,
            inputs={"respondents": 5},
            per_side={workspace.own_party.id: 70.0},
        )

    with health_input("satisfaction.pulse_nps", pulse_nps):
        async with signed_in(make_client, owner, world, "viewer@northwind.example") as viewer:
            health = await health_of(viewer, world)
    satisfaction = component(health, "satisfaction")
    assert satisfaction["value"] == 80.0 and satisfaction["weight"] == 15
    figures = {f["name"]: f["value"] for f in satisfaction["inputs"]}
    assert (
        figures["satisfaction.pulse_nps"] == 80
        and figures["satisfaction.pulse_nps.respondents"] == 5
    )
    assert [s["value"] for s in satisfaction["perSide"]] == [70.0]
    assert seen and seen[0].tzinfo is not None
    assert health["health"]["index"] is not None


async def test_what_changed_names_the_components_and_records_that_moved_it(
    make_client: ClientFactory, owner: asyncpg.Connection, world: World
) -> None:
    # given two daily snapshots: a late commitment entered reliability between them
    async with both_sides(make_client, owner, world) as (northwind, contoso):
        (late,) = await agreed_commitments(northwind, contoso, world, 1)
    pid = world.northwind_contoso.id
    early, later = date.today() - timedelta(days=10), date.today() - timedelta(days=1)
    await owner.execute(
        "INSERT INTO health_snapshot (partnership_id, day, value, components) VALUES "
        "($1, $2, 90, $3::jsonb), ($1, $4, 70, $5::jsonb)",
        pid,
        early,
        '{"reliability": {"value": 100, "records": []},'
        ' "engagement": {"value": 50, "records": []}}',
        later,
        '{"reliability": {"value": 60, "records": [["Commitment", "'
        + str(raw_id(late["id"]))
        + '"]]}, "engagement": {"value": 50, "records": []}}',
    )
    async with signed_in(make_client, owner, world, "viewer@contoso.example") as viewer:
        health = await health_of(viewer, world, str(early), str(later))
    change = health["health"]["whatChanged"]
    assert (change["before"], change["after"]) == (90, 70)
    assert [c["key"] for c in change["components"]] == ["reliability"]
    (reliability,) = change["components"]
    assert reliability["delta"] == -40
    assert [r["id"] for r in reliability["entered"]] == [late["id"]]
    assert [p["value"] for p in health["health"]["history"]] == [90, 70]
    assert health["healthSummary"]["value"] == 70 and health["healthSummary"]["trend"] == -20
    assert datetime.now(UTC)
